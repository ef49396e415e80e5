import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { CaseClipCheckResult, ClipFacts } from '../../common/api';
import { verifyChain } from '../../common/audit-chain';
import { parseCaseFile, type CaseFile } from '../../common/case-file';
import { withFacts } from '../../renderer/app/repository';
import { setDecision, setStyle } from '../../renderer/model/edit-commands';
import { CaseRepository, StoreError } from '../../renderer/store/case-repository';
import { sampleEdits } from '../helpers/renderer-edits';
import { samplePlan } from '../helpers/plans';
import { useTestDatabases } from '../helpers/renderer-db';

/**
 * Case files in the renderer's store (fake-indexeddb): a case exported and imported into another
 * database comes back whole (clips, tracks, decisions, audio, watched frames, audit trail) with an
 * import event on an intact chain; clips that did not re-hash are refused until their original is
 * located; a broken trail, a case already present, or a failed write import nothing.
 */
const databases = useTestDatabases('case-file-db');

function fresh(user = 'PC 1234 Smith') {
  const db = databases.open(databases.nextName());
  let t = 0;
  const repo = new CaseRepository(db, () => new Date(Date.UTC(2026, 10, 29, 9, 0, t++)).toISOString());
  repo.setActor({ user, toolVersion: '9.9.9' });
  return repo;
}

const VIDEO = samplePlan().source.video;
function facts(sha256: string, name = 'bwv-001.mp4'): ClipFacts {
  return { name, size: 1234, sha256, formatName: 'mov,mp4,m4a,3gp,3g2,mj2', video: VIDEO, hasAudio: true, durationSeconds: 2, rotation: 0, frameTimes: Array.from({ length: 60 }, (_, i) => i / 30), playable: true };
}
const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

/** A case with two clips, edited, decided, partly watched. */
async function makeCase(repo: CaseRepository) {
  const c = await repo.createCase('Op Harbour', 'OP-7/2026');
  const one = await repo.addClip(c.id, { path: '/evidence/bwv-001.mp4', name: 'bwv-001.mp4', size: 1234, sha256: SHA_A, probe: facts(SHA_A) }, sampleEdits());
  const two = await repo.addClip(c.id, { path: '/evidence/bwv-002.mp4', name: 'bwv-002.mp4', size: 1234, sha256: SHA_B, probe: facts(SHA_B, 'bwv-002.mp4') }, sampleEdits());
  await repo.applyCommand(one.id, setDecision(['d2'], 'keep', 'officer', 'PC 1234 Smith', { decidedAt: 'T' }));
  await repo.applyCommand(two.id, setStyle('d1', { kind: 'pixelate' }));
  await repo.addWatched(one.id, [[0, 29]]);
  return { c, one, two };
}

/** What the main process reports when every clip matches (or as given). */
function checks(file: CaseFile, status: Record<string, CaseClipCheckResult['status']> = {}): CaseClipCheckResult[] {
  return file.clips.map((clip) => {
    const s = status[clip.id] ?? 'matches';
    if (s === 'matches') return { clipId: clip.id, path: clip.path, status: s, sha256: clip.sha256, size: clip.size, detail: 'as recorded', facts: facts(clip.sha256, clip.name) };
    if (s === 'missing') return { clipId: clip.id, path: clip.path, status: s, detail: `not found at ${clip.path}` };
    return { clipId: clip.id, path: clip.path, status: s, sha256: 'f'.repeat(64), size: clip.size, detail: `${clip.path} has SHA-256 ${'f'.repeat(64)}; the case recorded ${clip.sha256}` };
  });
}

async function counts(repo: CaseRepository) {
  const db = repo.db;
  return { cases: await db.cases.count(), clips: await db.clips.count(), tracks: await db.tracks.count(), audio: await db.audioRanges.count(), watched: await db.watched.count(), audit: await db.auditEvents.count() };
}

describe('case file export', () => {
  it('holds every clip by path, hash and facts, its tracks, decisions, audio and watched frames, and the trail with its head', async () => {
    const repo = fresh();
    const { c, one, two } = await makeCase(repo);
    const file = await repo.exportCase(c.id);
    expect(parseCaseFile(JSON.parse(JSON.stringify(file)))).toEqual(file);
    expect(file).toMatchObject({ reference: 'OP-7/2026', title: 'Op Harbour', createdAt: c.created });
    expect(file.clips.map((x) => [x.id, x.path, x.sha256])).toEqual([[one.id, '/evidence/bwv-001.mp4', SHA_A], [two.id, '/evidence/bwv-002.mp4', SHA_B]]);
    expect(file.clips[0]!.probe).toEqual({ formatName: 'mov,mp4,m4a,3gp,3g2,mj2', durationSeconds: 2, video: VIDEO, hasAudio: true });
    expect(file.clips[0]!.plan.tracks).toEqual(await repo.loadClipEdits(one.id).then((e) => e.tracks));
    expect(file.clips[0]!.plan.tracks.find((t) => t.id === 'd2')).toMatchObject({ decision: 'keep', reason: 'officer', decidedBy: 'PC 1234 Smith' });
    expect(file.clips[0]!.plan.audio).toEqual(sampleEdits().audio);
    expect(file.clips[0]!.watched).toEqual([[0, 29]]);
    expect(file.clips[1]!.watched).toEqual([]);
    const trail = await repo.listAuditEvents(c.id);
    expect(file.audit).toEqual(trail);
    expect(file.auditHead).toEqual({ seq: trail.length, hash: trail.at(-1)!.hash });
    expect(file.reasons.map((r) => r.code)).toContain('third-party-face');
    // The reasons list in use goes with the case.
    const own = [{ code: 'ripa-s1', label: 'RIPA s.1', needsText: false }];
    repo.setReasons(own);
    expect((await repo.exportCase(c.id)).reasons).toEqual(own);
  });

  it('a clip stored before the container name was kept still exports', async () => {
    const repo = fresh();
    const c = await repo.createCase('Old');
    const { formatName: _dropped, ...old } = facts(SHA_A);
    await repo.addClip(c.id, { path: '/e/old.mp4', name: 'old.mp4', size: 1234, sha256: SHA_A, probe: old });
    expect((await repo.exportCase(c.id)).clips[0]!.probe.formatName).toBe('unknown');
  });
});

describe('case file import', () => {
  it('round trip: a new database gets the case, clips, tracks, decisions, audio, watched frames and trail, plus an import event on an intact chain', async () => {
    const source = fresh();
    const { c, one, two } = await makeCase(source);
    const file = await source.exportCase(c.id);

    const repo = fresh('DC 99 Jones');
    const { kase, clips } = await repo.importCase({ path: '/cases/op-7.case.json', caseFile: file, clips: checks(file) });
    expect(kase).toMatchObject({ name: 'Op Harbour', reference: 'OP-7/2026', created: c.created });
    expect(kase.id).not.toBe(c.id);
    expect(clips.map((x) => x.id)).toEqual([one.id, two.id]);
    expect((await repo.listCases()).map((x) => x.id)).toEqual([kase.id]);
    expect((await repo.listClips(kase.id)).map((x) => x.id)).toEqual([one.id, two.id]);
    for (const id of [one.id, two.id]) expect(await repo.loadClipEdits(id)).toStrictEqual(await source.loadClipEdits(id));
    expect(await repo.loadWatched(one.id)).toEqual([[0, 29]]);
    const opened = withFacts((await repo.getClip(one.id))!);
    expect(opened?.facts.sha256).toBe(SHA_A);

    const trail = await repo.listAuditEvents(kase.id);
    expect(trail.slice(0, -1)).toEqual(file.audit);
    expect(trail.at(-1)).toMatchObject({
      type: 'case',
      user: 'DC 99 Jones',
      payload: { action: 'imported', reference: 'OP-7/2026', from: '/cases/op-7.case.json', auditHead: file.auditHead, clips: [{ clipId: one.id, status: 'matches', sha256: SHA_A }, { clipId: two.id, status: 'matches', sha256: SHA_B }] },
    });
    expect(await repo.verifyAuditTrail(kase.id)).toMatchObject({ intact: true, events: file.audit.length + 1 });
    // Work goes on on the imported case, on the same chain.
    await repo.applyCommand(one.id, setStyle('d1', { kind: 'blur' }));
    expect(await repo.verifyAuditTrail(kase.id)).toMatchObject({ intact: true, events: file.audit.length + 2 });
    // Exported again, the file holds the same clips and the whole trail, of which the first file's is the start.
    const again = await repo.exportCase(kase.id);
    expect(again.clips.map((x) => x.sha256)).toEqual([SHA_A, SHA_B]);
    expect(await verifyChain(again.audit, file.auditHead)).toMatchObject({ intact: true });
  });

  it('a clip that is missing or differs is imported refused: it cannot be opened until its original is located', async () => {
    const source = fresh();
    const { c, one, two } = await makeCase(source);
    const file = await source.exportCase(c.id);
    const repo = fresh();
    const { kase } = await repo.importCase({ path: '/cases/x.json', caseFile: file, clips: checks(file, { [one.id]: 'hash-differs', [two.id]: 'missing' }) });

    const bad = (await repo.getClip(one.id))!;
    expect(bad.integrity).toMatchObject({ status: 'hash-differs', detail: expect.stringContaining('the case recorded') });
    expect((await repo.getClip(two.id))!.integrity).toMatchObject({ status: 'missing' });
    expect(withFacts(bad)).toBeNull();
    // Its edits are kept for when the original is found.
    expect(await repo.loadClipEdits(one.id)).toStrictEqual(await source.loadClipEdits(one.id));
    expect((await repo.listAuditEvents(kase.id)).at(-1)!.payload).toMatchObject({
      clips: [{ clipId: one.id, status: 'hash-differs', sha256: SHA_A, foundSha256: 'f'.repeat(64) }, { clipId: two.id, status: 'missing', sha256: SHA_B }],
    });

    // The case can still be exported: a refused clip as recorded (path, hash, facts), for another machine to check.
    const again = await repo.exportCase(kase.id);
    expect(again.clips.map((x) => [x.sha256, x.probe])).toEqual(file.clips.map((x) => [x.sha256, x.probe]));

    // A file with another hash is not accepted as the original, and nothing changes.
    const events = (await repo.listAuditEvents(kase.id)).length;
    await expect(repo.relocateClip(one.id, { path: '/usb/copy.mp4', name: 'copy.mp4', size: 1234, sha256: 'e'.repeat(64), probe: facts('e'.repeat(64)) })).rejects.toThrow(/not the original of bwv-001\.mp4: its SHA-256 is e{64}, the case recorded a{64}/);
    expect((await repo.getClip(one.id))!.integrity).toBeDefined();
    expect(await repo.listAuditEvents(kase.id)).toHaveLength(events);

    // The original is: the clip points at it, opens, and the trail records where it was found.
    const located = await repo.relocateClip(one.id, { path: '/usb/bwv-001.mp4', name: 'bwv-001.mp4', size: 1234, sha256: SHA_A, probe: facts(SHA_A) });
    expect(located.integrity).toBeUndefined();
    expect(located.path).toBe('/usb/bwv-001.mp4');
    expect(withFacts(located)?.facts.sha256).toBe(SHA_A);
    expect((await repo.listAuditEvents(kase.id)).at(-1)).toMatchObject({ type: 'import', payload: { clipId: one.id, path: '/usb/bwv-001.mp4', sha256: SHA_A, located: true, previousPath: '/evidence/bwv-001.mp4' } });
    expect(await repo.verifyAuditTrail(kase.id)).toMatchObject({ intact: true });
  });

  it('refuses a case file whose audit trail was edited, and imports nothing', async () => {
    const source = fresh();
    const { c } = await makeCase(source);
    const file = await source.exportCase(c.id);
    const tampered = structuredClone(file);
    (tampered.audit.find((e) => e.type === 'decision')!.payload as { decision: string }).decision = 'redact';
    const repo = fresh();
    await expect(repo.importCase({ path: '/x.json', caseFile: tampered, clips: checks(tampered) })).rejects.toThrow(/audit trail is not intact \(changed\): event #\d+ \(decision.*Nothing was imported/);
    // Cut short: the head the file recorded catches it.
    const cut = { ...structuredClone(file), audit: file.audit.slice(0, -1) };
    await expect(repo.importCase({ path: '/x.json', caseFile: cut, clips: checks(cut) })).rejects.toThrow(/truncated/);
    expect(await counts(repo)).toEqual({ cases: 0, clips: 0, tracks: 0, audio: 0, watched: 0, audit: 0 });
  });

  it('refuses a case file whose regions differ from what its trail records (a box moved, a region or audio range removed), and imports nothing', async () => {
    const source = fresh();
    const { c } = await makeCase(source);
    const file = await source.exportCase(c.id);
    const repo = fresh();
    // As written by the app, every region is accounted for.
    const moved = structuredClone(file);
    moved.clips[1]!.plan.tracks[0]!.keyframes[0]!.x += 40;
    await expect(repo.importCase({ path: '/x.json', caseFile: moved, clips: checks(moved) })).rejects.toThrow(
      /regions are not what its audit trail records: bwv-002\.mp4: region d1 differs from the audit trail's record of it\. Nothing was imported/,
    );
    const dropped = structuredClone(file);
    dropped.clips[0]!.plan.tracks.splice(0, 1);
    dropped.clips[0]!.plan.audio = [];
    await expect(repo.importCase({ path: '/x.json', caseFile: dropped, clips: checks(dropped) })).rejects.toThrow(/region \S+, recorded in the audit trail, is missing.*audio range a1, recorded in the audit trail, is missing/);
    expect(await counts(repo)).toEqual({ cases: 0, clips: 0, tracks: 0, audio: 0, watched: 0, audit: 0 });
    await repo.importCase({ path: '/x.json', caseFile: file, clips: checks(file) });
    expect((await counts(repo)).clips).toBe(2);
  });

  it('refuses a case that is already in the app, and changes nothing', async () => {
    const repo = fresh();
    const { c } = await makeCase(repo);
    const file = await repo.exportCase(c.id);
    const before = await counts(repo);
    await expect(repo.importCase({ path: '/x.json', caseFile: file, clips: checks(file) })).rejects.toThrow(/already in the app as “Op Harbour” \(clip bwv-001\.mp4\)/);
    expect(await counts(repo)).toEqual(before);
  });

  it('is one transaction: a write failing at the end leaves nothing half-imported', async () => {
    const source = fresh();
    const { c } = await makeCase(source);
    const file = await source.exportCase(c.id);
    const repo = fresh();
    // The audit events are written last; failing there must roll back the case, clips, tracks and coverage.
    const fail = () => {
      throw new Error('disk full');
    };
    repo.db.auditEvents.hook('creating', fail);
    await expect(repo.importCase({ path: '/x.json', caseFile: file, clips: checks(file) })).rejects.toThrow(/disk full/);
    expect(await counts(repo)).toEqual({ cases: 0, clips: 0, tracks: 0, audio: 0, watched: 0, audit: 0 });
    repo.db.auditEvents.hook('creating').unsubscribe(fail);
    await repo.importCase({ path: '/x.json', caseFile: file, clips: checks(file) });
    expect(await counts(repo)).toMatchObject({ cases: 1, clips: 2, audit: file.audit.length + 1 });
  });

  it('refuses checks that do not cover every clip or claim a match with other facts', async () => {
    const source = fresh();
    const { c } = await makeCase(source);
    const file = await source.exportCase(c.id);
    const repo = fresh();
    await expect(repo.importCase({ path: '/x.json', caseFile: file, clips: checks(file).slice(1) })).rejects.toThrow(StoreError);
    const lying = checks(file);
    lying[0] = { ...lying[0]!, facts: facts(SHA_B) };
    await expect(repo.importCase({ path: '/x.json', caseFile: file, clips: lying })).rejects.toThrow(/does not match the recorded SHA-256/);
    expect(await counts(repo)).toMatchObject({ cases: 0, clips: 0, audit: 0 });
  });
});
