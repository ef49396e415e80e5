import 'fake-indexeddb/auto';
import { copyFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, parseRequest, type ApiEnvelope, type ApiEvent, type CaseClipCheckResult } from '../../common/api';
import { appendEvent, chainHead, type AuditEvent } from '../../common/audit-chain';
import { CASE_SCHEMA_ID, CASE_VERSION, type CaseFile } from '../../common/case-file';
import { DEFAULT_REASONS } from '../../common/reasons';
import { newCase, readCaseFile, writeCaseFile } from '../../engine/case/case-file';
import { CaseRepository } from '../../renderer/store/case-repository';
import { RedactorDb } from '../../renderer/store/db';
import { sha256File } from '../../engine/media/hash';
import { probe } from '../../engine/media/probe';
import { newPlan } from '../../engine/plan-file';
import { AppServices } from '../../electron/services/app-services';
import { FileRegistry } from '../../electron/services/file-registry';
import { makeClip, tempDir } from '../helpers/media';
import { manualTrack, recordRegions } from '../helpers/plans';

/**
 * The case-file calls of the app's services on real clips: saving only to a path chosen in the save
 * dialog (and never with a broken trail), importing only a file chosen in the open dialog, with the
 * trail checked first and every clip re-hashed with progress and cancel, each reported as it is.
 */
const tmp = tempDir('redactor-case-services-');
afterAll(tmp.cleanup);
const events: ApiEvent[] = [];
let openNext: string | null = null;
let saveNext: string | null = null;
let services: AppServices;
let caseFile: CaseFile;
const clips: string[] = [];

function value<T>(r: ApiEnvelope<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

function failure(r: ApiEnvelope<unknown>): { code: string; message: string } {
  if (r.ok) throw new Error('the call succeeded');
  expect(r.error.message).not.toContain('\n');
  return r.error;
}

/** A case as the renderer would send it: three clips, a decided region, a trail with an import each. */
async function buildCase(): Promise<CaseFile> {
  let audit: AuditEvent[] = [];
  const caseClips = [];
  for (const [i, path] of clips.entries()) {
    const p = await probe(path);
    const sha256 = await sha256File(path);
    const plan = newPlan(p, sha256, i === 0 ? [manualTrack('door', [{ frame: 0, x: 10, y: 10, w: 60, h: 60 }], { decidedBy: 'alice' })] : []);
    caseClips.push({ id: `clip-${i + 1}`, path, name: p.path.split('/').pop()!, size: p.size, sha256, probe: { formatName: p.formatName, durationSeconds: p.durationSeconds, video: plan.source.video, hasAudio: plan.source.hasAudio }, plan, watched: i === 0 ? [[0, 9] as [number, number]] : [] });
    audit = await appendEvent(audit, { type: 'import', user: 'alice', toolVersion: '0.1.0', payload: { clipId: `clip-${i + 1}`, path, name: 'x', size: p.size, sha256 } });
  }
  audit = await recordRegions(audit, 'clip-1', caseClips[0]!.plan.tracks);
  audit = await appendEvent(audit, { type: 'decision', user: 'alice', toolVersion: '0.1.0', payload: { clipId: 'clip-1', trackId: 'door', decision: 'redact', reason: 'third-party-face' } });
  return { schema: CASE_SCHEMA_ID, version: CASE_VERSION, reference: 'OP-9/2026', title: 'Op Pier', createdAt: '2026-11-29T08:00:00.000Z', savedAt: 'x', reasons: [...DEFAULT_REASONS], clips: caseClips, audit, auditHead: chainHead(audit) };
}

beforeAll(async () => {
  for (const name of ['front door.mp4', 'street.mp4', 'yard.mp4']) clips.push(makeClip(join(tmp.dir, name), { seconds: 1, width: 160, height: 120 }));
  services = new AppServices(new FileRegistry(), {
    chooseVideos: async () => [],
    chooseExportPath: async () => saveNext,
    chooseCaseFile: async () => openNext,
    showInFolder: () => {},
    mediaUrl: (t) => `test://media/${t}`,
    emit: (e) => events.push(e),
    dataDir: join(tmp.dir, 'proxies'),
  });
  caseFile = await buildCase();
});

async function save(path: string, file: CaseFile) {
  saveNext = path;
  value(await services.invoke('chooseExportPath', { suggestedName: 'x.case.json' }));
  return services.invoke('saveCaseFile', { path, caseFile: file });
}

async function importFile(path: string, jobId: string) {
  openNext = path;
  expect(value<{ path: string }>(await services.invoke('chooseCaseFile', {})).path).toBe(path);
  return services.invoke('importCaseFile', { jobId, path });
}

type Imported = { path: string; caseFile: CaseFile; clips: CaseClipCheckResult[] };

describe('saveCaseFile', () => {
  it('writes only to a path chosen in the save dialog, with its head and time of saving', async () => {
    const target = join(tmp.dir, 'op-9.case.json');
    expect(failure(await services.invoke('saveCaseFile', { path: target, caseFile })).code).toBe('forbidden-path');
    const saved = value<{ path: string; clips: number; events: number; head: unknown }>(await save(target, caseFile));
    expect(saved).toEqual({ path: target, clips: 3, events: 5, head: chainHead(caseFile.audit) });
    const read = readCaseFile(target);
    expect(read.clips).toEqual(caseFile.clips);
    expect(read.audit).toEqual(caseFile.audit);
    expect(read.savedAt).not.toBe('x');
  });

  it('refuses a trail that does not verify, and writes nothing', async () => {
    const bad = structuredClone(caseFile);
    (bad.audit[4]!.payload as { decision: string }).decision = 'keep';
    const target = join(tmp.dir, 'broken.case.json');
    const e = failure(await save(target, bad));
    expect(e.code).toBe('verify');
    expect(e.message).toMatch(/case file not written: the case's audit trail is not intact \(changed\): event #5 \(decision/);
    expect(() => readFileSync(target)).toThrow(/ENOENT/);
  });

  it('validates the case file like every request', () => {
    const other = structuredClone(caseFile);
    other.clips[0]!.plan.source.sha256 = 'e'.repeat(64);
    expect(() => parseRequest('saveCaseFile', { path: '/a/b.json', caseFile: other })).toThrow(/caseFile\.clips\.0\.plan\.source\.sha256: the clip's plan is for another file/);
    expect(() => parseRequest('saveCaseFile', { path: 'relative.json', caseFile })).toThrow(ApiError);
    expect(() => parseRequest('importCaseFile', { jobId: 'has space', path: '/a.json' })).toThrow(/jobId/);
    expect(() => parseRequest('chooseCaseFile', { path: '/a.json' })).toThrow(/invalid-request|Unrecognized/);
  });
});

describe('importCaseFile', () => {
  it('reads only a file opened in the dialog', async () => {
    const target = join(tmp.dir, 'op-9.case.json');
    const e = failure(await services.invoke('importCaseFile', { jobId: 'case-0', path: join(tmp.dir, 'never-opened.json') }));
    expect(e.code).toBe('forbidden-path');
    openNext = null;
    expect(value<{ path: null }>(await services.invoke('chooseCaseFile', {}))).toEqual({ path: null });
    expect(failure(await services.invoke('importCaseFile', { jobId: 'case-0', path: target })).code).toBe('forbidden-path');
  });

  it('re-hashes every clip with progress and reports each: matches, hash differs, missing; only matching clips may be opened', async () => {
    // The case refers to copies, so the originals stay intact for the other tests.
    const dir = tempDir('redactor-case-copy-');
    try {
      const copies = clips.map((c, i) => join(dir.dir, `copy-${i}.mp4`));
      copyFileSync(clips[0]!, copies[0]!);
      copyFileSync(clips[1]!, copies[1]!);
      const bytes = readFileSync(copies[1]!);
      bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01;
      writeFileSync(copies[1]!, bytes);
      const file = structuredClone(caseFile);
      file.clips.forEach((c, i) => (c.path = i === 0 ? 'copy-0.mp4' : copies[i]!)); // the first relative to the case file
      const casePath = join(dir.dir, 'case.json');
      writeFileSync(casePath, JSON.stringify(file));

      const r = value<Imported>(await importFile(casePath, 'case-1'));
      expect(r.path).toBe(casePath);
      expect(r.caseFile.reference).toBe('OP-9/2026');
      expect(r.clips.map((c) => [c.clipId, c.status])).toEqual([['clip-1', 'matches'], ['clip-2', 'hash-differs'], ['clip-3', 'missing']]);
      const [ok, changed, missing] = r.clips as [CaseClipCheckResult, CaseClipCheckResult, CaseClipCheckResult];
      expect(ok.path).toBe(copies[0]);
      expect(ok.facts).toMatchObject({ sha256: caseFile.clips[0]!.sha256, formatName: expect.stringContaining('mp4'), playable: true });
      expect(ok.facts!.frameTimes).toHaveLength(30);
      expect(changed.sha256).not.toBe(caseFile.clips[1]!.sha256);
      expect(changed.facts).toBeUndefined();
      expect(changed.detail).toContain(`the case recorded ${caseFile.clips[1]!.sha256}`);
      expect(missing.detail).toBe(`not found at ${copies[2]}`);

      const progress = events.filter((e): e is Extract<ApiEvent, { type: 'progress' }> => e.type === 'progress' && e.jobId === 'case-1');
      expect(progress[0]!.phase).toBe('reading the case file');
      const hashing = progress.filter((e) => e.phase.startsWith('hashing '));
      expect(hashing.map((e) => e.phase)).toEqual(expect.arrayContaining(['hashing front door.mp4', 'hashing street.mp4']));
      const total = readFileSync(copies[0]!).length + bytes.length;
      expect(hashing.every((e) => e.total === total)).toBe(true);
      expect(hashing.at(-1)!.done).toBe(total);

      // The matching clip became a file the app may play; the changed one did not.
      expect((await services.invoke('mediaUrl', { path: copies[0]! })).ok).toBe(true);
      expect(failure(await services.invoke('mediaUrl', { path: copies[1]! })).code).toBe('forbidden-path');
    } finally {
      dir.cleanup();
    }
  });

  it('refuses a case file whose audit trail was edited, before reading any clip', async () => {
    const file = JSON.parse(readFileSync(join(tmp.dir, 'op-9.case.json'), 'utf8'));
    file.audit[1].payload.sha256 = 'f'.repeat(64);
    const casePath = join(tmp.dir, 'tampered.case.json');
    writeFileSync(casePath, JSON.stringify(file));
    const e = failure(await importFile(casePath, 'case-2'));
    expect(e.code).toBe('verify');
    expect(e.message).toMatch(/^tampered\.case\.json refused: its audit trail is not intact \(changed\): event #2 \(import, .*alice\) was changed after it was recorded/);
    expect(events.some((x) => x.type === 'progress' && x.jobId === 'case-2' && x.phase.startsWith('hashing'))).toBe(false);
  });

  it('refuses a case file changed outside the app where its trail does not reach (its seal), or with clips its trail never imported', async () => {
    const saved = JSON.parse(readFileSync(join(tmp.dir, 'op-9.case.json'), 'utf8'));
    expect(saved.seal).toMatchObject({ algorithm: 'sha256' });
    // Watched frames widened by hand: the trail does not record them, the seal does.
    const widened = structuredClone(saved);
    widened.clips[0].watched = [[0, 29]];
    const widenedPath = join(tmp.dir, 'widened.case.json');
    writeFileSync(widenedPath, JSON.stringify(widened));
    const e = failure(await importFile(widenedPath, 'case-5'));
    expect(e.code).toBe('verify');
    expect(e.message).toMatch(/^widened\.case\.json refused: the case file was changed after it was written: .*watched frames.*\. Ask for an unaltered copy of the case file\.$/);
    expect(events.some((x) => x.type === 'progress' && x.jobId === 'case-5' && x.phase.startsWith('hashing'))).toBe(false);
    // A clip taken out of a file with no seal (as written before files were sealed): the trail imported it.
    const { seal: _seal, ...unsealed } = structuredClone(saved);
    unsealed.clips = unsealed.clips.slice(0, 2);
    const shortPath = join(tmp.dir, 'short.case.json');
    writeFileSync(shortPath, JSON.stringify(unsealed));
    const m = failure(await importFile(shortPath, 'case-6'));
    expect(m.code).toBe('verify');
    expect(m.message).toBe('short.case.json refused: its clips are not those its audit trail imported: clip clip-3 (x), imported in audit event #3, is missing from the case file. Ask for an unaltered copy of the case file.');
    // The file as saved still imports.
    expect(value<Imported>(await importFile(join(tmp.dir, 'op-9.case.json'), 'case-7')).clips.map((c) => c.status)).toEqual(['matches', 'matches', 'matches']);
  });

  it('says what is wrong with a file that is not a case file', async () => {
    const junk = join(tmp.dir, 'notes.json');
    writeFileSync(junk, JSON.stringify({ schema: 'evidence-redactor/case', version: 1, reference: 'x' }));
    const e = failure(await importFile(junk, 'case-3'));
    expect(e.code).toBe('input');
    expect(e.message).toMatch(/^notes\.json: invalid case file: /);
    // A video chosen by mistake (here a sparse 600 MB file) is refused by its size, without reading it.
    const big = join(tmp.dir, 'big.mp4');
    writeFileSync(big, '');
    truncateSync(big, 600 * 1024 * 1024);
    const tooBig = failure(await importFile(big, 'case-3b'));
    expect(tooBig).toEqual({ code: 'input', message: 'big.mp4 is too large to be a case file' });
  });

  it('can be cancelled; the job is then free again', async () => {
    const casePath = join(tmp.dir, 'op-9.case.json');
    openNext = casePath;
    value(await services.invoke('chooseCaseFile', {}));
    const running = services.invoke('importCaseFile', { jobId: 'case-4', path: casePath });
    expect(value<{ cancelled: boolean }>(await services.invoke('cancel', { jobId: 'case-4' }))).toEqual({ cancelled: true });
    expect(failure(await running).code).toBe('cancelled');
    const r = value<Imported>(await services.invoke('importCaseFile', { jobId: 'case-4', path: casePath }));
    expect(r.clips.map((c) => c.status)).toEqual(['matches', 'matches', 'matches']);
  });

  it('a case file made by `redactor case new` imports into the app store whole', async () => {
    const made = await newCase({ reference: 'OP-11/2026', videos: [clips[0]!, clips[2]!], user: 'alice' });
    made.clips[0]!.plan.tracks = [manualTrack('door', [{ frame: 0, x: 10, y: 10, w: 60, h: 60 }], { decision: 'keep', reason: 'other', reasonText: 'officer' })];
    made.audit = await recordRegions(made.audit, 'front-door', made.clips[0]!.plan.tracks);
    const casePath = join(tmp.dir, 'cli.case.json');
    writeCaseFile(casePath, made);
    const r = value<Imported>(await importFile(casePath, 'case-5'));
    expect(r.clips.map((c) => c.status)).toEqual(['matches', 'matches']);
    const db = new RedactorDb('cli-case-import');
    try {
      const repo = new CaseRepository(db);
      repo.setActor({ user: 'bob', toolVersion: '0.1.0' });
      const { kase } = await repo.importCase(r);
      expect(kase).toMatchObject({ name: 'OP-11/2026', reference: 'OP-11/2026' });
      expect((await repo.listClips(kase.id)).map((c) => [c.id, c.path, c.integrity])).toEqual([['front-door', clips[0], undefined], ['yard', clips[2], undefined]]);
      expect((await repo.loadClipEdits('front-door')).tracks).toEqual(made.clips[0]!.plan.tracks);
      const t = await repo.listAuditEvents(kase.id);
      expect(t.map((e) => e.type)).toEqual(['case', 'import', 'import', 'edit', 'case']);
      expect(t.at(-1)).toMatchObject({ user: 'bob', payload: { action: 'imported', reference: 'OP-11/2026', from: casePath } });
      expect(await repo.verifyAuditTrail(kase.id)).toMatchObject({ intact: true, events: 5 });
    } finally {
      db.close();
      await db.delete();
    }
  });
});
