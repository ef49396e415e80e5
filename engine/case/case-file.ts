import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { appendEvent, chainHead, verifyChain, type AuditEvent, type ChainVerdict } from '../../common/audit-chain';
import { CASE_SCHEMA_ID, CASE_VERSION, CaseValidationError, parseCaseFile, type CaseClip, type CaseFile } from '../../common/case-file';
import { DEFAULT_REASONS } from '../../common/reasons';
import { UserError } from '../errors';
import { writeJsonFile } from '../export/output-file';
import { sha256File } from '../media/hash';
import { probe } from '../media/probe';
import { newPlan } from '../plan-file';
import { defaultOperator } from '../report/evidence';
import { TOOL_VERSION } from '../version';

/** Largest case file accepted; a case of many long clips with dense tracks stays far below. */
const MAX_CASE_BYTES = 512 * 1024 * 1024;

export function readCaseFile(path: string): CaseFile {
  let json: unknown;
  try {
    const buf = readFileSync(path);
    if (buf.length > MAX_CASE_BYTES) throw new UserError('input', `${basename(path)} is too large to be a case file`);
    json = JSON.parse(buf.toString('utf8'));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError('input', `cannot read the case file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return parseCaseFile(json);
  } catch (err) {
    if (err instanceof CaseValidationError) throw new UserError('input', `${basename(path)}: ${err.message}`);
    throw err;
  }
}

/** Writes the case atomically, with the trail's current head recorded beside it. */
export function writeCaseFile(path: string, value: Omit<CaseFile, 'auditHead' | 'savedAt'> & { savedAt?: string }): CaseFile {
  const full = parseCaseFile({ ...value, savedAt: new Date().toISOString(), auditHead: chainHead(value.audit) });
  writeJsonFile(path, full);
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

export interface CaseVerification {
  ok: boolean;
  checks: CaseCheck[];
  chain: ChainVerdict;
  caseFile: CaseFile;
}

/** Re-hashes every clip and checks the audit trail against the recorded head. Changes nothing. */
export async function verifyCase(path: string, options: { signal?: AbortSignal } = {}): Promise<CaseVerification> {
  const caseFile = readCaseFile(path);
  const checks: CaseCheck[] = [];
  for (const clip of caseFile.clips) {
    const at = clipPath(path, clip);
    const name = `clip ${clip.id} (${clip.name})`;
    if (!existsSync(at)) {
      checks.push({ name, ok: false, detail: `not found at ${at}` });
      continue;
    }
    const size = statSync(at).size;
    const hash = await sha256File(at, { signal: options.signal, size });
    checks.push(
      hash === clip.sha256
        ? { name, ok: true, detail: `SHA-256 ${hash} as recorded` }
        : { name, ok: false, detail: `${at} has SHA-256 ${hash} (${size} bytes); the case recorded ${clip.sha256} (${clip.size} bytes)` },
    );
  }
  const chain = await verifyChain(caseFile.audit, caseFile.auditHead);
  checks.push({
    name: 'audit trail',
    ok: chain.intact,
    detail: chain.intact ? `intact: ${chain.events} events, head #${chain.head.seq} ${chain.head.hash}` : `${chain.problem}: ${chain.detail}`,
  });
  return { ok: checks.every((c) => c.ok), checks, chain, caseFile };
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
