import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { canonicalJson } from '../../common/canonical-json';
import { parsePlan, PlanValidationError } from '../../common/plan';
import { markRequesters, type SubjectAccess } from '../../common/subject-access';
import { clipPath, importCase } from '../case/case-file';
import { CancelledError, UserError } from '../errors';
import { exportRedacted, type ExportProgress } from '../export/export';
import { sha256Bytes, sha256File } from '../media/hash';
import { renderDisclosureHtml } from '../report/disclosure-html';
import { defaultOperator } from '../report/evidence';
import { reportPathFor } from '../report/export-report';
import { verifyExport, type VerifyCheck } from '../report/verify';
import { TOOL_NAME, TOOL_VERSION } from '../version';
import type { LeakCheckSettings } from '../leak-check/leak-check';
import { countOf } from '../../common/count-of';

/**
 * A disclosure bundle: several clips of a case, each optionally trimmed, exported into one folder
 * with a report per clip (sealed JSON and HTML) and a sealed manifest listing every file with its
 * SHA-256, so a prosecutor can serve it as one package. Built in a hidden sibling folder and renamed
 * into place: a failed or cancelled bundle leaves nothing.
 */
export const MANIFEST_NAME = 'manifest.json';
export const MANIFEST_SCHEMA_ID = 'evidence-redactor/bundle-manifest';

const fileEntry = z.object({ file: z.string(), size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict();

export const manifestSchema = z
  .object({
    schema: z.literal(MANIFEST_SCHEMA_ID),
    version: z.literal(1),
    tool: z.object({ name: z.string(), version: z.string() }).strict(),
    caseReference: z.string(),
    operator: z.string(),
    /** Who the bundle is disclosed to, and why; absent in earlier manifests. */
    recipient: z.string().nullable().optional(),
    purpose: z.string().nullable().optional(),
    createdAt: z.string(),
    auditHead: z.object({ seq: z.number().int(), hash: z.string() }).strict(),
    clips: z.array(
      z
        .object({
          index: z.number().int().min(1),
          clipId: z.string(),
          input: z.object({ name: z.string(), size: z.number().int(), sha256: z.string() }).strict(),
          trim: z.object({ startFrame: z.number().int(), endFrame: z.number().int() }).strict().nullable(),
          output: z.string(),
          report: z.string(),
          html: z.string(),
          frames: z.number().int(),
          reportSeal: z.string(),
          leakCheck: z.enum(['clean', 'leaks', 'not run']),
          /** A subject access export: its mode, the request's reference and the requester's regions; absent otherwise. */
          subjectAccess: z.object({ mode: z.string(), requestRef: z.string(), requesterRegions: z.array(z.string()) }).strict().optional(),
        })
        .strict(),
    ),
    /** Every file in the folder but this manifest. */
    files: z.array(fileEntry),
    seal: z.object({ algorithm: z.literal('sha256'), digest: z.string() }).strict(),
  })
  .strict();

export type BundleManifest = z.infer<typeof manifestSchema>;

export interface BundleClipRequest {
  clipId: string;
  /** Inclusive source frames; overrides the trim in the case's plan. */
  trim?: { startFrame: number; endFrame: number };
}

export interface BundleRequest {
  casePath: string;
  outDir: string;
  /** Default: every clip of the case, whole or as its plan trims it. */
  clips?: BundleClipRequest[];
  operator?: string;
  /** Who the bundle is disclosed to, and why (recorded in the manifest and every report). */
  recipient?: string;
  purpose?: string;
  /** Needed when a clip's review is incomplete (frames unwatched or proposals undecided). */
  confirmation?: { reason: string };
  leakCheck?: boolean | Partial<LeakCheckSettings>;
  /**
   * A subject access bundle: the settings, and each clip's requester regions by clip id. Every clip
   * bundled must name its requester, so no clip goes out with everyone in it.
   */
  subject?: { settings: SubjectAccess; requesters: ReadonlyMap<string, readonly string[]> };
  signal?: AbortSignal;
  onProgress?: (clip: { index: number; total: number; clipId: string }, p: ExportProgress) => void;
}

const manifestDigest = (m: Omit<BundleManifest, 'seal'>) => sha256Bytes(canonicalJson(m));

export async function exportBundle(req: BundleRequest): Promise<{ dir: string; manifest: BundleManifest }> {
  const finalDir = resolve(req.outDir);
  const parent = dirname(finalDir);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new UserError('output', `output folder does not exist: ${parent}`);
  if (existsSync(finalDir)) throw new UserError('output', `${finalDir} already exists: a bundle is always written to a new folder`);

  // Opening the case re-hashes every clip and checks the trail; a changed clip stops everything here.
  const caseFile = await importCase(req.casePath, { signal: req.signal });
  const wanted: BundleClipRequest[] = req.clips ?? caseFile.clips.map((c) => ({ clipId: c.id }));
  if (!wanted.length) throw new UserError('plan', 'no clips to bundle');
  const operator = req.operator?.trim() || defaultOperator();
  if (req.subject) {
    const named = new Set(req.subject.requesters.keys());
    const without = wanted.filter((w) => !named.has(w.clipId)).map((w) => w.clipId);
    if (without.length) throw new UserError('plan', `a subject access bundle needs the requester of every clip: none named for ${without.join(', ')}`);
    const extra = [...named].filter((id) => !wanted.some((w) => w.clipId === id));
    if (extra.length) throw new UserError('plan', `--subject names ${extra.join(', ')}, which ${extra.length === 1 ? 'is' : 'are'} not bundled`);
  }

  const staging = join(parent, `.${basename(finalDir)}.${randomBytes(4).toString('hex')}.partial`);
  mkdirSync(staging);
  try {
    const clips: BundleManifest['clips'] = [];
    for (const [i, w] of wanted.entries()) {
      if (req.signal?.aborted) throw new CancelledError('the bundle');
      const clip = caseFile.clips.find((c) => c.id === w.clipId);
      if (!clip) throw new UserError('plan', `the case has no clip '${w.clipId}' (clips: ${caseFile.clips.map((c) => c.id).join(', ')})`);
      let plan;
      try {
        const requesters = req.subject?.requesters.get(clip.id);
        const tracks = requesters ? markRequesters(clip.plan.tracks, requesters) : clip.plan.tracks;
        plan = parsePlan({ ...clip.plan, tracks, ...(w.trim ? { trim: w.trim } : {}), ...(req.subject ? { subject: req.subject.settings } : {}) });
      } catch (err) {
        if (err instanceof PlanValidationError) throw new UserError('plan', `clip ${clip.id}: ${err.message}`);
        if (err instanceof UserError) throw err;
        throw new UserError('plan', `clip ${clip.id}: ${(err as Error).message}`);
      }
      const stem = `${String(i + 1).padStart(2, '0')}-${clip.id}`;
      const outputName = `${stem}.redacted.mp4`;
      const exported = await exportRedacted({
        sourcePath: clipPath(req.casePath, clip),
        plan,
        outputPath: join(staging, outputName),
        reportedOutputPath: join(finalDir, outputName),
        signal: req.signal,
        onProgress: req.onProgress ? (p) => req.onProgress!({ index: i + 1, total: wanted.length, clipId: clip.id }, p) : undefined,
        evidence: {
          operator,
          caseReference: caseFile.reference,
          recipient: req.recipient,
          purpose: req.purpose,
          reasons: caseFile.reasons,
          review: { watched: clip.watched, ...(req.confirmation ? { confirmation: req.confirmation } : {}) },
          auditHead: caseFile.auditHead,
          leakCheck: req.leakCheck ?? false,
        },
      });
      const htmlName = `${outputName}.report.html`;
      writeFileSync(join(staging, htmlName), renderDisclosureHtml(exported.report), { flag: 'wx' });
      const r = exported.report;
      clips.push({
        index: i + 1,
        clipId: clip.id,
        input: { name: clip.name, size: clip.size, sha256: clip.sha256 },
        // The exported frames: a subject access export may have cut the ends without the requester.
        trim: r.plan.trim ?? null,
        output: outputName,
        report: basename(reportPathFor(outputName)),
        html: htmlName,
        frames: r.output.frameCount,
        reportSeal: r.seal.digest,
        leakCheck: r.leakCheck ? (r.leakCheck.clean ? 'clean' : 'leaks') : 'not run',
        ...(r.subjectAccess ? { subjectAccess: { mode: r.subjectAccess.mode, requestRef: r.subjectAccess.requestRef, requesterRegions: r.subjectAccess.requesterRegions.map((q) => q.trackId) } } : {}),
      });
    }
    const files = [];
    for (const name of readdirSync(staging).sort()) {
      const path = join(staging, name);
      files.push({ file: name, size: statSync(path).size, sha256: await sha256File(path, { signal: req.signal }) });
    }
    const unsealed = {
      schema: MANIFEST_SCHEMA_ID as typeof MANIFEST_SCHEMA_ID,
      version: 1 as const,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      caseReference: caseFile.reference,
      operator,
      recipient: req.recipient?.trim() || null,
      purpose: req.purpose?.trim() || null,
      createdAt: new Date().toISOString(),
      auditHead: caseFile.auditHead,
      clips,
      files,
    };
    const manifest: BundleManifest = { ...unsealed, seal: { algorithm: 'sha256', digest: manifestDigest(unsealed) } };
    const manifestPath = join(staging, MANIFEST_NAME);
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
    for (const name of readdirSync(staging)) {
      const fd = openSync(join(staging, name), 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    if (existsSync(finalDir)) throw new UserError('output', `${finalDir} appeared while the bundle was being written; nothing was changed`);
    renameSync(staging, finalDir);
    return { dir: finalDir, manifest };
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Checks a bundle folder against its manifest: the manifest's seal, every listed file's size and
 * SHA-256, no file missing or added, and each clip against its own sealed report.
 */
export async function verifyBundle(dir: string, options: { signal?: AbortSignal } = {}): Promise<{ ok: boolean; checks: VerifyCheck[] }> {
  const manifestPath = join(dir, MANIFEST_NAME);
  if (!existsSync(manifestPath)) throw new UserError('verify', `${dir} is not a disclosure bundle: no ${MANIFEST_NAME}`);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new UserError('verify', `cannot read ${manifestPath}: ${(err as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError('verify', `${manifestPath} is not a valid bundle manifest (${issue?.path.join('.') || 'root'}: ${issue?.message})`);
  }
  const manifest = parsed.data;
  const checks: VerifyCheck[] = [];
  const { seal: _seal, ...rest } = raw;
  const digest = manifestDigest(rest as Omit<BundleManifest, 'seal'>);
  checks.push({ name: 'manifest seal', ok: digest === manifest.seal.digest, detail: digest === manifest.seal.digest ? 'the manifest is as written' : 'the manifest was changed after it was written' });

  const listed = new Set(manifest.files.map((f) => f.file));
  for (const name of readdirSync(dir).sort()) {
    if (name !== MANIFEST_NAME && !listed.has(name)) checks.push({ name: `file ${name}`, ok: false, detail: 'not listed in the manifest: added after the bundle was made' });
  }
  for (const f of manifest.files) {
    const path = join(dir, f.file);
    if (f.file.includes('/') || f.file.includes('\\') || !existsSync(path)) {
      checks.push({ name: `file ${f.file}`, ok: false, detail: 'missing' });
      continue;
    }
    const size = statSync(path).size;
    const hash = await sha256File(path, { signal: options.signal, size });
    const ok = size === f.size && hash === f.sha256;
    checks.push({ name: `file ${f.file}`, ok, detail: ok ? `${size} bytes, SHA-256 ${hash}` : `${size} bytes, SHA-256 ${hash}; manifest says ${f.size} bytes, ${f.sha256}` });
  }
  for (const c of manifest.clips) {
    const output = join(dir, c.output);
    if (!existsSync(output) || !existsSync(join(dir, c.report))) continue; // already reported missing
    const v = await verifyExport(output, { reportPath: join(dir, c.report), signal: options.signal });
    const failed = v.checks.filter((x) => !x.ok);
    checks.push({ name: `clip ${c.index} (${c.clipId}) against its report`, ok: v.ok, detail: v.ok ? `${countOf(c.frames, 'frame')}, report sealed ${c.reportSeal.slice(0, 12)}…` : failed.map((x) => `${x.name}: ${x.detail}`).join('; ') });
    const recordedSeal = JSON.parse(readFileSync(join(dir, c.report), 'utf8')).seal?.digest;
    if (recordedSeal !== c.reportSeal) checks.push({ name: `clip ${c.index} report seal`, ok: false, detail: `the report's seal ${recordedSeal} is not the one in the manifest` });
  }
  return { ok: checks.every((c) => c.ok), checks };
}
