import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { appendEvent, chainHead, verifyChain, type AuditEvent, type ChainVerdict } from '../../common/audit-chain';
import { CASE_SCHEMA_ID, CASE_VERSION, CaseValidationError, parseCaseFile, type CaseClip, type CaseFile } from '../../common/case-file';
import { DEFAULT_REASONS } from '../../common/reasons';
import { trailMismatches } from '../../common/trail-replay';
import { clipMembershipMismatches } from '../../common/trail-clips';
import { countOf } from '../../common/count-of';
import { firstFew } from '../../common/first-few';
import { UserError } from '../errors';
import { type OutputRules, writeJsonFile } from '../export/output-file';
import { sha256File } from '../media/hash';
import { probe } from '../media/probe';
import { newPlan } from '../plan-file';
import { defaultOperator } from '../report/evidence';
import { TOOL_VERSION } from '../version';
import { caseSealVerdict, sealCase, type CaseSealVerdict } from './case-seal';

/** Largest case file accepted; a case of many long clips with dense tracks stays far below. */
const MAX_CASE_BYTES = 512 * 1024 * 1024;

/** A case file as read, and whether it still holds its seal. */
export function readSealedCaseFile(path: string): { caseFile: CaseFile; seal: CaseSealVerdict } {
  const json = readCaseJson(path);
  return { caseFile: parseCaseJson(path, json), seal: caseSealVerdict(json) };
}

export function readCaseFile(path: string): CaseFile {
  return parseCaseJson(path, readCaseJson(path));
}

/** The file's JSON as stored, not yet validated (its seal is computed over exactly this). */
function readCaseJson(path: string): unknown {
  try {
    // Size first: a video chosen by mistake is refused without reading it into memory.
    if (statSync(path).size > MAX_CASE_BYTES) throw new UserError('input', `${basename(path)} is too large to be a case file`);
    return JSON.parse(readFileSync(path).toString('utf8'));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError('input', `cannot read the case file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

function parseCaseJson(path: string, json: unknown): CaseFile {
  try {
    return parseCaseFile(json);
  } catch (err) {
    if (err instanceof CaseValidationError) throw new UserError('input', `${basename(path)}: ${err.message}`);
    throw err;
  }
}

/** Writes the case atomically, by the output rules, with the trail's current head recorded beside it, and sealed. */
export function writeCaseFile(path: string, value: Omit<CaseFile, 'auditHead' | 'savedAt' | 'seal'> & { savedAt?: string; seal?: unknown }, rules: OutputRules = {}): CaseFile {
  const full = sealCase(parseCaseFile({ ...value, seal: undefined, savedAt: new Date().toISOString(), auditHead: chainHead(value.audit) }));
  writeJsonFile(path, full, rules);
  return full;
}

/** Where a clip is on this machine: absolute as recorded, or relative to the case file. */
export function clipPath(casePath: string, clip: Pick<CaseClip, 'path'>): string {
  return isAbsolute(clip.path) ? clip.path : resolve(dirname(resolve(casePath)), clip.path);
}

export interface CaseCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** What re-hashing found for one clip of a case. */
export type ClipStatus = 'matches' | 'hash-differs' | 'missing';

export interface CaseClipCheck {
  clipId: string;
  /** Where the clip was looked for on this machine (absolute). */
  path: string;
  status: ClipStatus;
  /** What the file holds now (absent when it could not be read). */
  sha256?: string;
  size?: number;
  /** One line for people. */
  detail: string;
}

export interface CaseVerification {
  ok: boolean;
  checks: CaseCheck[];
  clips: CaseClipCheck[];
  chain: ChainVerdict;
  caseFile: CaseFile;
}

/**
 * Re-hashes every clip of a case, in order, and says for each whether it is the file the case
 * recorded. Progress counts bytes over all clips. A file that is gone or cannot be read is `missing`.
 */
export async function checkCaseClips(
  casePath: string,
  caseFile: CaseFile,
  options: { signal?: AbortSignal; onProgress?: (p: { clipId: string; name: string; bytesDone: number; bytesTotal: number }) => void } = {},
): Promise<CaseClipCheck[]> {
  const found = caseFile.clips.map((clip) => {
    const at = clipPath(casePath, clip);
    try {
      const st = statSync(at);
      return st.isFile() ? { clip, at, size: st.size } : { clip, at, problem: 'is not a file' };
    } catch (err) {
      return { clip, at, problem: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
    }
  });
  const bytesTotal = found.reduce((sum, f) => sum + (f.size ?? 0), 0);
  let before = 0;
  const checks: CaseClipCheck[] = [];
  for (const f of found) {
    const { clip, at } = f;
    if (f.size === undefined) {
      checks.push({ clipId: clip.id, path: at, status: 'missing', detail: `${f.problem} at ${at}` });
      continue;
    }
    let hash: string;
    try {
      hash = await sha256File(at, {
        signal: options.signal,
        size: f.size,
        onProgress: (h) => options.onProgress?.({ clipId: clip.id, name: clip.name, bytesDone: before + h.bytesDone, bytesTotal }),
      });
    } catch (err) {
      if (err instanceof UserError) throw err; // cancelled
      checks.push({ clipId: clip.id, path: at, status: 'missing', detail: `cannot be read at ${at} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
      continue;
    } finally {
      before += f.size;
    }
    checks.push(
      hash === clip.sha256
        ? { clipId: clip.id, path: at, status: 'matches', sha256: hash, size: f.size, detail: `SHA-256 ${hash} as recorded` }
        : { clipId: clip.id, path: at, status: 'hash-differs', sha256: hash, size: f.size, detail: `${at} has SHA-256 ${hash} (${f.size} bytes); the case recorded ${clip.sha256} (${clip.size} bytes)` },
    );
  }
  return checks;
}

/**
 * Re-hashes every clip, checks the audit trail against the recorded head, each clip's regions and
 * audio ranges against what the trail's edits leave, the clips against the trail's imports, and the
 * file's seal (what the trail does not record: watched frames, trims, the reference…). Changes nothing.
 */
export async function verifyCase(path: string, options: { signal?: AbortSignal } = {}): Promise<CaseVerification> {
  const { caseFile, seal } = readSealedCaseFile(path);
  const clips = await checkCaseClips(path, caseFile, options);
  const checks: CaseCheck[] = clips.map((c, i) => ({ name: `clip ${c.clipId} (${caseFile.clips[i]!.name})`, ok: c.status === 'matches', detail: c.detail }));
  const chain = await verifyChain(caseFile.audit, caseFile.auditHead);
  checks.push({
    name: 'audit trail',
    ok: chain.intact,
    detail: chain.intact
      ? `intact: ${chain.events} events, head #${chain.head.seq} ${chain.head.hash}${seal === 'absent' ? UNSEALED_TRAIL_CAVEAT : ''}`
      : `${chain.problem}: ${chain.detail}`,
  });
  const membership = clipMembershipMismatches(caseFile.audit, caseFile.clips);
  checks.push({
    name: 'clips of the case',
    ok: membership.length === 0,
    detail: membership.length ? firstFew(membership, 5) : `${countOf(caseFile.clips.length, 'clip')}, each as the audit trail imported it`,
  });
  for (const clip of caseFile.clips) {
    const mismatches = trailMismatches(caseFile.audit, clip.id, clip.name, { tracks: clip.plan.tracks, audio: clip.plan.audio });
    checks.push({
      name: `regions of clip ${clip.id} (${clip.name})`,
      ok: mismatches.length === 0,
      detail: mismatches.length ? firstFew(mismatches, 5) : `${clip.plan.tracks.length} regions and ${clip.plan.audio.length} audio ranges, as the audit trail records them`,
    });
  }
  // Last: what the seal covers overlaps the checks above, which say more precisely what differs.
  checks.push(caseSealCheck(seal));
  return { ok: checks.every((c) => c.ok), checks, clips, chain, caseFile };
}

/** Without a seal the file's recorded head may have been cut back with the trail: only a head kept elsewhere tells. */
const UNSEALED_TRAIL_CAVEAT =
  "; the case file has no seal, so events cut from the trail's end together with its recorded head cannot be ruled out: check the trail against a head recorded elsewhere (redactor verify <export> --audit <case.json>)";

/** What a case file's seal says, as a check (`verifyCase` and the app's import word it alike). */
export function caseSealCheck(seal: CaseSealVerdict): CaseCheck {
  if (seal === 'holds') return { name: 'case file seal', ok: true, detail: 'the case file is as written (clip paths aside)' };
  if (seal === 'broken') {
    return { name: 'case file seal', ok: false, detail: "the case file was changed after it was written: a field other than a clip's path (watched frames, a trim or output setting, the reference, the clips, the trail's recorded head) is not as sealed" };
  }
  return { name: 'case file seal', ok: true, detail: 'not checked: the case file has no seal (written before case files were sealed), so hand edits to its watched frames, trims or settings and reference cannot be ruled out' };
}

/**
 * Opens a case for work. Every clip is re-hashed first; if any clip is missing or differs, or the
 * trail is broken, the case is refused with every fault named, and nothing is changed.
 */
export async function importCase(path: string, options: { signal?: AbortSignal } = {}): Promise<CaseFile> {
  const v = await verifyCase(path, options);
  const bad = v.checks.filter((c) => !c.ok);
  if (bad.length) {
    throw new UserError('verify', `case ${v.caseFile.reference} refused, nothing was imported: ${bad.map((c) => `${c.name}: ${c.detail}`).join('; ')}`);
  }
  return v.caseFile;
}

/** A new case from video files: each probed and hashed, an import event per clip. */
export async function newCase(options: {
  reference: string;
  title?: string;
  videos: string[];
  user?: string;
  signal?: AbortSignal;
}): Promise<Omit<CaseFile, 'auditHead' | 'savedAt'>> {
  const user = options.user?.trim() || defaultOperator();
  let audit: AuditEvent[] = [];
  audit = await appendEvent(audit, { type: 'case', user, toolVersion: TOOL_VERSION, payload: { action: 'created', reference: options.reference } });
  const clips: CaseClip[] = [];
  const used = new Set<string>();
  for (const video of options.videos) {
    const path = resolve(video);
    const probed = await probe(path, options.signal);
    const sha256 = await sha256File(path, { signal: options.signal, size: probed.size });
    let id = basename(path).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]+/g, '-') || 'clip';
    for (let n = 2; used.has(id); n++) id = `${id.replace(/-\d+$/, '')}-${n}`;
    used.add(id);
    const plan = newPlan(probed, sha256);
    clips.push({
      id,
      path,
      name: basename(path),
      size: probed.size,
      sha256,
      probe: { formatName: probed.formatName, durationSeconds: probed.durationSeconds, video: plan.source.video, hasAudio: plan.source.hasAudio },
      plan,
      watched: [],
    });
    audit = await appendEvent(audit, { type: 'import', user, toolVersion: TOOL_VERSION, payload: { clipId: id, path, name: basename(path), size: probed.size, sha256 } });
  }
  const now = new Date().toISOString();
  return { schema: CASE_SCHEMA_ID, version: CASE_VERSION, reference: options.reference, ...(options.title ? { title: options.title } : {}), createdAt: now, reasons: [...DEFAULT_REASONS], clips, audit };
}
