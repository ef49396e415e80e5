import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEnvelope, ClipFacts } from '../../common/api';
import { caseWorkKey } from '../../common/case-work-key';
import { DEFAULT_OUTPUT, PLAN_SCHEMA_ID, PLAN_VERSION } from '../../common/plan';
import { readCaseFile } from '../../engine/case/case-file';
import { DELETION_LOG_NAME, readDeletionLog } from '../../engine/case/work-files';
import { sha256File } from '../../engine/media/hash';
import { AppServices } from '../../electron/services/app-services';
import { FileRegistry } from '../../electron/services/file-registry';
import { redactor } from '../helpers/cli';
import { makeClip, tempDir } from '../helpers/media';

/*
 * Deleting a case (issue 22): its working files go, the originals and exports stay byte for byte, and
 * the deletion log (which outlives the case) records it. Through the app's services, and through
 * `redactor case purge`.
 */
const tmp = tempDir('redactor-deletion-');
afterAll(tmp.cleanup);

function value<T>(r: ApiEnvelope<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** Every file under a folder, as paths relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

const KEEP = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const GONE = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

describe('deleting a case', () => {
  let evidence: string;
  let mp4: string;
  let avi: string;

  beforeAll(() => {
    evidence = join(tmp.dir, 'evidence drive');
    mkdirSync(evidence);
    mp4 = makeClip(join(evidence, 'front door.mp4'), { seconds: 1 });
    avi = makeClip(join(evidence, 'old camera.avi'), { seconds: 1, audio: false, extra: ['-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p'] });
  });

  it('through the app: removes the case\'s working files and only those, keeps originals and exports, and logs the deletion', async () => {
    const dataDir = join(tmp.dir, 'app data');
    const out = join(tmp.dir, 'exports', 'front door.redacted.mp4');
    mkdirSync(dirname(out), { recursive: true });
    mkdirSync(dataDir);
    let save: string | null = null;
    const services = new AppServices(new FileRegistry(join(dataDir, 'opened-files.json')), {
      chooseVideos: async () => [mp4, avi],
      chooseExportPath: async () => save,
      showInFolder: () => {},
      mediaUrl: (t) => `test://media/${t}`,
      emit: () => {},
      dataDir,
    });
    value(await services.invoke('openVideoDialog', {}));
    // Two cases' playable copies of the same footage, and one export.
    const facts = value<ClipFacts>(await services.invoke('importClip', { jobId: 'i1', path: avi }));
    const gone = value<{ proxyPath: string }>(await services.invoke('makeProxy', { jobId: 'p1', path: avi, caseKey: GONE })).proxyPath;
    const kept = value<{ proxyPath: string }>(await services.invoke('makeProxy', { jobId: 'p2', path: avi, caseKey: KEEP })).proxyPath;
    const mp4Facts = value<ClipFacts>(await services.invoke('importClip', { jobId: 'i2', path: mp4 }));
    save = out;
    value(await services.invoke('chooseExportPath', { suggestedName: 'front door.redacted.mp4' }));
    const plan = { schema: PLAN_SCHEMA_ID, version: PLAN_VERSION, source: { name: mp4Facts.name, size: mp4Facts.size, sha256: mp4Facts.sha256, video: mp4Facts.video, hasAudio: mp4Facts.hasAudio }, tracks: [], audio: [], output: DEFAULT_OUTPUT };
    value(await services.invoke('exportClip', { jobId: 'e1', sourcePath: mp4, plan, outputPath: out, overwrite: false }));
    const before = { avi: await sha256File(avi), mp4: await sha256File(mp4), out: await sha256File(out), evidence: filesUnder(evidence) };
    expect(existsSync(gone) && existsSync(kept)).toBe(true);
    expect(filesUnder(join(dataDir, 'cases', GONE))).toEqual([`proxies/${gone.split('/').pop()}`]);

    // A copy made before copies were kept per case (in the data folder's old proxies/ folder) goes too;
    // a path outside the data folder named as a copy is never removed.
    const legacy = join(dataDir, 'proxies', 'old.proxy.mp4');
    mkdirSync(dirname(legacy));
    writeFileSync(legacy, 'old copy');
    const head = { seq: 7, hash: 'c'.repeat(64) };
    const removed = value<{ files: number; bytes: number }>(await services.invoke('deleteCaseFiles', { caseKey: GONE, copies: [gone, legacy, out, avi], caseReference: 'OP-1/2026', user: 'alice', auditHead: head }));
    expect(removed.files).toBe(2);
    expect(existsSync(legacy)).toBe(false);
    expect(removed.bytes).toBeGreaterThan(1000);
    expect(existsSync(join(dataDir, 'cases', GONE))).toBe(false);
    // The copy no longer plays: its token is forgotten.
    expect((await services.invoke('mediaUrl', { path: gone })).ok).toBe(false);
    // The other case's copy, the originals (nothing was ever written beside them) and the export are untouched.
    expect(existsSync(kept)).toBe(true);
    expect({ avi: await sha256File(avi), mp4: await sha256File(mp4), out: await sha256File(out), evidence: filesUnder(evidence) }).toEqual(before);
    expect(before.evidence).toEqual(['front door.mp4', 'old camera.avi']);
    expect(facts.sha256).toBe(before.avi);

    const log = readDeletionLog(dataDir);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: 'deleted', caseReference: 'OP-1/2026', caseKey: GONE, by: 'alice', auditHead: head, workingFiles: { files: 2 } });
    expect(Date.now() - Date.parse(log[0]!.at)).toBeLessThan(60_000);
    // The log can be exported, to a path the user chose.
    save = join(tmp.dir, 'exports', 'deletions.json');
    value(await services.invoke('chooseExportPath', { suggestedName: 'deletions.json' }));
    expect(value(await services.invoke('saveDeletionLog', { path: save }))).toMatchObject({ entries: 1 });
    expect(JSON.parse(readFileSync(save, 'utf8')).entries[0].caseReference).toBe('OP-1/2026');
    expect((await services.invoke('saveDeletionLog', { path: join(tmp.dir, 'not chosen.json') })).ok).toBe(false);
  });

  it('redactor case purge <case.json>: removes that case\'s working folder, logs it, and touches nothing else', async () => {
    const casePath = join(tmp.dir, 'case.json');
    const made = await redactor(['case', 'new', mp4, '-o', casePath, '--reference', 'OP-2/2026', '--user', 'bob']);
    expect(made.code, made.stderr).toBe(0);
    const caseFile = readCaseFile(casePath);
    const key = caseWorkKey(caseFile.audit[0]!.hash);
    const dataDir = join(tmp.dir, 'purge data');
    for (const k of [key, KEEP]) {
      mkdirSync(join(dataDir, 'cases', k, 'proxies'), { recursive: true });
      writeFileSync(join(dataDir, 'cases', k, 'proxies', 'x.proxy.mp4'), 'copy');
    }
    const caseBytes = readFileSync(casePath);
    const mp4Hash = await sha256File(mp4);
    const r = await redactor(['case', 'purge', casePath, '--data-dir', dataDir, '--user', 'bob']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('removed 1 working file');
    expect(existsSync(join(dataDir, 'cases', key))).toBe(false);
    expect(filesUnder(join(dataDir, 'cases'))).toEqual([`${KEEP}/proxies/x.proxy.mp4`]);
    expect(readFileSync(casePath).equals(caseBytes)).toBe(true);
    expect(await sha256File(mp4)).toBe(mp4Hash);
    const log = JSON.parse(readFileSync(join(dataDir, DELETION_LOG_NAME), 'utf8')).entries;
    expect(log).toEqual([expect.objectContaining({ action: 'purged', caseReference: 'OP-2/2026', caseKey: key, by: 'bob', auditHead: caseFile.auditHead, workingFiles: { files: 1, bytes: 4 } })]);
    // Purging again finds nothing to remove, and says so; the log records it again.
    const again = await redactor(['case', 'purge', casePath, '--data-dir', dataDir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('removed 0 working files');
  });
});
