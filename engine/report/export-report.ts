import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { canonicalJson } from '../../common/canonical-json';
import { planSchema } from '../../common/plan';
import { UserError } from '../errors';
import { sha256Bytes } from '../media/hash';
import { evidenceFieldsSchema } from './evidence';

/**
 * The JSON record written beside every export. It is sealed: `seal.sha256` is the SHA-256 of the
 * canonical JSON of everything else, so any edit to any field is detectable by `redactor verify`.
 */
export const REPORT_SCHEMA_ID = 'evidence-redactor/export-report';

const fileFacts = z.object({ path: z.string(), name: z.string(), size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict();

export const exportReportSchema = z
  .object({
    schema: z.literal(REPORT_SCHEMA_ID),
    version: z.literal(1),
    tool: z.object({ name: z.string(), version: z.string() }).strict(),
    startedAt: z.string(),
    finishedAt: z.string(),
    input: fileFacts,
    output: fileFacts.extend({
      frameCount: z.number().int().min(0),
      width: z.number().int(),
      height: z.number().int(),
      audio: z.enum(['none', 'copied', 're-encoded']),
    }),
    plan: planSchema,
    settings: z
      .object({
        style: z.unknown(),
        crf: z.number(),
        preset: z.string(),
        ffmpeg: z.object({ path: z.string(), from: z.string(), version: z.string() }).strict(),
      })
      .strict(),
    commands: z.array(z.object({ role: z.string(), commandLine: z.string() }).strict()),
    summary: z
      .object({
        framesWithRegions: z.number().int(),
        regionsDrawn: z.number().int(),
        tracksRedacted: z.number().int(),
        tracksUndecided: z.number().int(),
        tracksKept: z.number().int(),
        audioRanges: z.number().int(),
      })
      .strict(),
    warnings: z.array(z.string()),
    // Evidential fields (issue 4). Optional so reports written before them still verify.
    ...evidenceFieldsSchema.partial().shape,
    seal: z.object({ algorithm: z.literal('sha256'), digest: z.string() }).strict(),
  })
  .strict();

export type ExportReport = z.infer<typeof exportReportSchema>;
export type UnsealedReport = Omit<ExportReport, 'seal'>;

export function reportPathFor(outputPath: string): string {
  return `${outputPath}.report.json`;
}

export function sealDigest(report: UnsealedReport): string {
  return sha256Bytes(canonicalJson(report));
}

export function sealReport(report: UnsealedReport): ExportReport {
  return { ...report, seal: { algorithm: 'sha256', digest: sealDigest(report) } };
}

export function serialiseReport(report: ExportReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Whether the report at `path` still holds its seal: the digest recomputed over the file exactly as
 * stored (minus the seal) is the one it carries. A checksum, not a signature: it shows any change made
 * after the export that did not also recompute the seal; the output's SHA-256 recorded elsewhere (the
 * case's audit trail, a disclosure register) is what shows a deliberate forgery (SECURITY.md).
 */
export function sealHolds(path: string, report: ExportReport): boolean {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  delete raw.seal;
  return sealDigest(raw as UnsealedReport) === report.seal.digest;
}

/** Reads and shape-checks a report; whether its seal holds is `sealHolds`'s to say. */
export function readReport(path: string): ExportReport {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UserError('verify', `cannot read the report ${path}: ${(err as Error).message}`);
  }
  const parsed = exportReportSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new UserError('verify', `the report ${path} is not a valid export report (${first?.path.join('.') || 'root'}: ${first?.message})`);
  }
  return parsed.data;
}

