import { z } from 'zod';
import { auditHeadSchema, auditTrailSchema } from './audit-chain';
import { firstFew } from './first-few';
import { planSchema, videoFactsSchema } from './plan';
import { reasonListSchema } from './reasons';

/**
 * A whole case as one file: its clips (by path, SHA-256 and probe facts, never the media itself),
 * each clip's plan (tracks, decisions, audio, trim), the reviewer's watched frames, the reason list,
 * and the audit trail with its head. Versioned and validated like the plan. Opening it re-hashes
 * every clip (engine/case), so a case never proceeds on a clip that is not the one it recorded.
 */
export const CASE_SCHEMA_ID = 'evidence-redactor/case';
export const CASE_VERSION = 1;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');
const text = z.string().max(1000);
const frameInterval = z.tuple([z.number().int().min(0), z.number().int().min(0)]).refine(([a, b]) => b >= a, 'interval must end at or after it starts');

/** The probe facts recorded for a clip: enough to describe it and to check a plan against it. */
export const caseClipProbeSchema = z.object({ formatName: text, durationSeconds: z.number().min(0), video: videoFactsSchema, hasAudio: z.boolean() }).strict();

export const caseClipSchema = z
  .object({
    id: z.string().min(1).max(200),
    /** Absolute, or relative to the case file's folder. */
    path: z.string().min(1).max(4096),
    name: text,
    size: z.number().int().min(0),
    sha256,
    probe: caseClipProbeSchema,
    plan: planSchema,
    /** Frames the reviewer watched (review coverage), inclusive source-frame intervals. */
    watched: z.array(frameInterval).max(10_000_000),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.plan.source.sha256 !== c.sha256) ctx.addIssue({ code: 'custom', path: ['plan', 'source', 'sha256'], message: "the clip's plan is for another file" });
  });

export const caseFileSchema = z
  .object({
    schema: z.literal(CASE_SCHEMA_ID),
    version: z.literal(CASE_VERSION),
    reference: z.string().min(1).max(200),
    title: text.optional(),
    createdAt: z.string().max(40),
    savedAt: z.string().max(40),
    reasons: reasonListSchema,
    clips: z.array(caseClipSchema).max(10_000),
    audit: auditTrailSchema,
    /** The trail's head when saved: a trail cut short or rewritten no longer matches it. */
    auditHead: auditHeadSchema,
    /**
     * SHA-256 over the rest but clip paths (engine/case/case-seal.ts): shows a hand edit the trail does
     * not account for. Absent in files written before it, which still load.
     */
    seal: z.object({ algorithm: z.literal('sha256'), digest: sha256 }).strict().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const ids = new Set<string>();
    c.clips.forEach((clip, i) => {
      if (ids.has(clip.id)) ctx.addIssue({ code: 'custom', path: ['clips', i, 'id'], message: `duplicate clip id ${clip.id}` });
      ids.add(clip.id);
    });
  });

export type CaseFile = z.infer<typeof caseFileSchema>;
export type CaseClip = z.infer<typeof caseClipSchema>;

export class CaseValidationError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid case file: ${firstFew(issues, 3)}`);
    this.name = 'CaseValidationError';
  }
}

/** Validates untrusted input as a case file (shape only; hashes and the chain are checked by the engine). */
export function parseCaseFile(input: unknown): CaseFile {
  const result = caseFileSchema.safeParse(input);
  if (result.success) return result.data;
  throw new CaseValidationError(result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`));
}
