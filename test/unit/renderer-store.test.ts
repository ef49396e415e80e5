import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { trailMismatches } from '../../common/trail-replay';
import type { ClipEdits } from '../../renderer/model/clip-edits';
import {
  EditError,
  addAudioRange,
  addManualTrack,
  deleteKeyframe,
  deleteTrack,
  mergeTracks,
  removeAudioRange,
  setBoxAtFrame,
  setDecision,
  setSpan,
  setStyle,
  splitTrack,
  updateAudioRange,
  type EditCommand,
} from '../../renderer/model/edit-commands';
import { UndoStack } from '../../renderer/model/undo-stack';
import { CaseRepository, DuplicateClipError, StoreError } from '../../renderer/store/case-repository';
import { sampleEdits } from '../helpers/renderer-edits';
import { useTestDatabases } from '../helpers/renderer-db';

const databases = useTestDatabases('test-db');

/** A fresh database name per test; reopen() gives a second Dexie instance on the same database. */
function fresh() {
  const name = databases.nextName();
  let t = 0;
  const clock = () => new Date(Date.UTC(2026, 10, 28, 23, 0, t++)).toISOString();
  const make = () => {
    return new CaseRepository(databases.open(name), clock);
  };
  return { repo: make(), reopen: make };
}

const CLIP = { path: '/evidence/bwv-001.mp4', name: 'bwv-001.mp4', size: 1234, sha256: 'b'.repeat(64), probe: { width: 320, height: 240, frameCount: 200 } };

const EDITS: Array<() => EditCommand> = [
  () => setBoxAtFrame('d1', 12, { x: 1, y: 2, w: 3, h: 4 }, 'alice'),
  () => splitTrack('d1', 15, 'alice', 'd1b'),
  () => deleteKeyframe('m1', 50, 'alice'),
  () => setSpan('d2', 31, 50, 'alice'),
  () => addManualTrack({ shape: 'ellipse', box: { x: 5, y: 5, w: 20, h: 20 }, first: 2, last: 8, createdBy: 'alice', decidedAt: 'T' }, 'n1'),
  () => setDecision(['d2', 'd3'], 'keep', 'officer', 'carol', { decidedAt: 'T' }),
  () => setStyle('d3', { kind: 'solid', fill: '#ff0000' }),
  () => mergeTracks('d1b', 'd3'),
  () => deleteTrack('n1'),
  () => addAudioRange({ id: 'a2', start: 3, end: 4, mode: 'bleep', reason: 'spoken-personal-data' }),
  () => updateAudioRange('a2', { end: 5 }),
  () => removeAudioRange('a1'),
];

describe('cases', () => {
  it('creates, renames, lists (most recent first) and deletes cases', async () => {
    const { repo, reopen } = fresh();
    const a = await repo.createCase('Case A', 'REF-1');
    const b = await repo.createCase('  ');
    expect(b.name).toBe('Untitled case');
    expect((await repo.listCases()).map((c) => c.id)).toEqual([b.id, a.id]);
    await repo.renameCase(a.id, 'Case A (renamed)');
    const again = reopen();
    expect(await again.listCases()).toMatchObject([{ id: a.id, name: 'Case A (renamed)', reference: 'REF-1' }, { id: b.id }]);
    await expect(repo.renameCase('nope', 'x')).rejects.toThrow(StoreError);
    const clip = await repo.addClip(a.id, CLIP, sampleEdits());
    await repo.appendAuditEvent(a.id, { type: 'verification', payload: { target: 'x', intact: true } });
    await repo.addWatched(clip.id, [[0, 9]]);
    await repo.deleteCase(a.id);
    expect(await again.db.watched.count()).toBe(0);
    expect((await again.listCases()).map((c) => c.id)).toEqual([b.id]);
    expect(await again.db.tracks.count()).toBe(0);
    expect(await again.db.auditEvents.count()).toBe(0);
    await expect(again.loadClipEdits(clip.id)).rejects.toThrow(StoreError);
  });
});

describe('clips', () => {
  it('adds clips with their initial edits, listed in the order added', async () => {
    const { repo, reopen } = fresh();
    const c = await repo.createCase('C');
    const one = await repo.addClip(c.id, CLIP, sampleEdits());
    const two = await repo.addClip(c.id, { ...CLIP, name: 'two.avi', sha256: 'c'.repeat(64), proxyPath: '/cache/two.mp4' });
    const r = reopen();
    expect((await r.listClips(c.id)).map((x) => x.name)).toEqual(['bwv-001.mp4', 'two.avi']);
    expect(await r.getClip(two.id)).toMatchObject({ proxyPath: '/cache/two.mp4', probe: CLIP.probe });
    expect(await r.loadClipEdits(one.id)).toStrictEqual(sampleEdits());
    expect(await r.loadClipEdits(two.id)).toStrictEqual({ tracks: [], audio: [] });
    await r.setProxyPath(one.id, '/cache/one.mp4');
    expect((await repo.getClip(one.id))!.proxyPath).toBe('/cache/one.mp4');
    await expect(repo.addClip('no-case', CLIP)).rejects.toThrow(StoreError);
  });

  it('refuses the same footage (same SHA-256) twice in one case, naming the clip it is, and records nothing for it', async () => {
    const { repo, reopen } = fresh();
    const c = await repo.createCase('C');
    const other = await repo.createCase('Other');
    const one = await repo.addClip(c.id, CLIP);
    const trail = await repo.listAuditEvents(c.id);
    const again = repo.addClip(c.id, { ...CLIP, path: '/copies/renamed.mp4', name: 'renamed.mp4' });
    await expect(again).rejects.toThrow(DuplicateClipError);
    await expect(again).rejects.toMatchObject({ existing: { id: one.id, name: 'bwv-001.mp4' }, message: 'already in this case as “bwv-001.mp4” (same SHA-256)' });
    const r = reopen();
    expect((await r.listClips(c.id)).map((x) => x.id)).toEqual([one.id]);
    expect(await r.listAuditEvents(c.id)).toEqual(trail);
    // Another case may hold the same footage.
    await expect(repo.addClip(other.id, CLIP)).resolves.toMatchObject({ caseId: other.id });
  });
});

describe('watchClipEdits', () => {
  it('tells a watcher of every command saved on its clip, whoever applied it, after a load queued before it', async () => {
    const { repo } = fresh();
    const c = await repo.createCase('C');
    const clip = await repo.addClip(c.id, CLIP);
    const heard: ClipEdits[] = [];
    const order: string[] = [];
    const unwatch = repo.watchClipEdits(clip.id, (e) => {
      heard.push(e);
      order.push('watched');
    });
    // A session's load and a detection's direct write, queued in that order on the clip.
    const loading = repo.loadClipEdits(clip.id).then((e) => {
      order.push(`loaded ${e.audio.length}`);
    });
    const written = repo.doCommand(clip.id, new UndoStack(), addAudioRange({ id: 'a1', start: 1, end: 2, mode: 'mute', reason: 'x' }));
    await Promise.all([loading, written]);
    expect(order).toEqual(['loaded 0', 'watched']);
    expect(heard.map((e) => e.audio.map((a) => a.id))).toEqual([['a1']]);
    // A refused command changes nothing and tells nobody; after unwatching, nothing more is heard.
    await expect(repo.doCommand(clip.id, new UndoStack(), removeAudioRange('nope'))).rejects.toThrow(EditError);
    unwatch();
    await repo.doCommand(clip.id, new UndoStack(), removeAudioRange('a1'));
    expect(heard).toHaveLength(1);
  });
});

describe('applyCommand', () => {
  it('every edit is durable: a new Dexie instance finds every state, in lane order', async () => {
    const { repo, reopen } = fresh();
    const c = await repo.createCase('C');
    const clip = await repo.addClip(c.id, CLIP, sampleEdits());
    for (const make of EDITS) {
      const after = await repo.applyCommand(clip.id, make());
      const reloaded = await reopen().loadClipEdits(clip.id);
      expect(reloaded).toStrictEqual(structuredClone(after));
    }
  });

  it('writes only the rows a command changed', async () => {
    const { repo } = fresh();
    const c = await repo.createCase('C');
    const clip = await repo.addClip(c.id, CLIP, sampleEdits());
    const written: string[] = [];
    repo.db.tracks.hook('creating', (_k, row) => void written.push(`create ${row.id}`));
    repo.db.tracks.hook('updating', (_m, key) => void written.push(`update ${(key as string[])[1]}`));
    repo.db.tracks.hook('deleting', (key) => void written.push(`delete ${(key as string[])[1]}`));
    await repo.applyCommand(clip.id, setBoxAtFrame('d2', 33, { x: 1, y: 1, w: 5, h: 5 }));
    await repo.applyCommand(clip.id, splitTrack('d1', 15, undefined, 'd1b'));
    expect(written.sort()).toEqual(['create d1b', 'update d1', 'update d2']);
  });

  it('undo and redo are saved too, through the same path', async () => {
    const { repo, reopen } = fresh();
    const c = await repo.createCase('C');
    const clip = await repo.addClip(c.id, CLIP, sampleEdits());
    const stack = new UndoStack();
    const states: ClipEdits[] = [structuredClone(sampleEdits())];
    for (const make of EDITS) states.push(structuredClone(await repo.doCommand(clip.id, stack, make())));
    for (let i = EDITS.length - 1; i >= 0; i--) {
      expect(await repo.undo(clip.id, stack)).toStrictEqual(states[i]);
      expect(await reopen().loadClipEdits(clip.id)).toStrictEqual(states[i]);
    }
    for (let i = 1; i <= EDITS.length; i++) {
      await repo.redo(clip.id, stack);
      expect(await reopen().loadClipEdits(clip.id)).toStrictEqual(states[i]);
    }
  });

  it('a coalesced drag is saved at every step and undoes in one', async () => {
    const { repo, reopen } = fresh();
    const c = await repo.createCase('C');
    const clip = await repo.addClip(c.id, CLIP, sampleEdits());
    const stack = new UndoStack();
    for (let x = 0; x < 10; x++) await repo.doCommand(clip.id, stack, setBoxAtFrame('d1', 12, { x, y: 0, w: 9, h: 9 }), 'drag');
    expect(stack.size).toBe(1);
    expect((await reopen().loadClipEdits(clip.id)).tracks[0]!.keyframes.find((k) => k.frame === 12)!.x).toBe(9);
    await repo.undo(clip.id, stack);
    expect(await reopen().loadClipEdits(clip.id)).toStrictEqual(sampleEdits());
  });

  it('applies concurrent edits one at a time, in call order', async () => {
    const { repo, reopen } = fresh();
    const c = await repo.createCase('C');
    const clip = await repo.addClip(c.id, CLIP, sampleEdits());
    const results = await Promise.all([0, 1, 2, 3, 4].map((x) => repo.applyCommand(clip.id, setBoxAtFrame('d1', 12 + x, { x, y: 0, w: 9, h: 9 }))));
    const kfs = (await reopen().loadClipEdits(clip.id)).tracks[0]!.keyframes.filter((k) => k.source === 'manual').map((k) => k.frame);
    expect(kfs).toEqual([12, 13, 14, 15, 16]);
    expect(results[4]).toStrictEqual(await repo.loadClipEdits(clip.id));
  });

  it('a failing write leaves the previous state, on disk and in memory, and undo history in step', async () => {
    const { repo, reopen } = fresh();
    const c = await repo.createCase('C');
    const clip = await repo.addClip(c.id, CLIP, sampleEdits());
    const stack = new UndoStack();
    await repo.doCommand(clip.id, stack, setStyle('d1', { kind: 'blur' }));
    const saved = structuredClone(await repo.loadClipEdits(clip.id));

    // The last write of the transaction (the case's timestamp) fails: the track rows written before it roll back.
    const unsubscribe = () => repo.db.cases.hook('updating').unsubscribe(fail);
    const fail = () => {
      throw new Error('disk full');
    };
    repo.db.cases.hook('updating', fail);
    await expect(repo.doCommand(clip.id, stack, splitTrack('d1', 15, 'a', 'd1b'))).rejects.toThrow(/disk full/);
    await expect(repo.undo(clip.id, stack)).rejects.toThrow(/disk full/);
    expect(await repo.loadClipEdits(clip.id)).toStrictEqual(saved);
    expect(await reopen().loadClipEdits(clip.id)).toStrictEqual(saved);
    expect(await repo.db.tracks.get([clip.id, 'd1b'])).toBeUndefined();
    expect([stack.size, stack.canRedo]).toEqual([1, false]);

    // Once writes work again, the same undo goes through.
    unsubscribe();
    await repo.undo(clip.id, stack);
    expect(await reopen().loadClipEdits(clip.id)).toStrictEqual(sampleEdits());
  });

  it('a refused edit changes nothing', async () => {
    const { repo } = fresh();
    const c = await repo.createCase('C');
    const clip = await repo.addClip(c.id, CLIP, sampleEdits());
    await expect(repo.applyCommand(clip.id, mergeTracks('d1', 'm1'))).rejects.toThrow(EditError);
    expect(await repo.loadClipEdits(clip.id)).toStrictEqual(sampleEdits());
  });

  it('refuses damaged stored tracks with a clear error', async () => {
    const { repo, reopen } = fresh();
    const c = await repo.createCase('C');
    const clip = await repo.addClip(c.id, CLIP, sampleEdits());
    const row = (await repo.db.tracks.get([clip.id, 'd2']))!;
    await repo.db.tracks.put({ ...row, track: { ...row.track, keyframes: [...row.track.keyframes].reverse() } });
    await expect(reopen().loadClipEdits(clip.id)).rejects.toThrow(/track d2 is damaged.*increasing frame order/);
  });

});

describe('audit trail', () => {
  it('chains import, every edit (before and after) and decisions (with reason), with time, user and version', async () => {
    const { repo, reopen } = fresh();
    repo.setActor({ user: 'PC 1234 Smith', toolVersion: '9.9.9' });
    const c = await repo.createCase('C');
    const clip = await repo.addClip(c.id, CLIP, sampleEdits());
    const styled = await repo.applyCommand(clip.id, setStyle('d1', { kind: 'pixelate' }));
    await repo.applyCommand(clip.id, setDecision(['d2'], 'keep', 'officer-on-duty', 'PC 1234 Smith', { decidedAt: 'T' }));
    await expect(repo.applyCommand(clip.id, mergeTracks('d1', 'nope'))).rejects.toThrow(EditError);
    await repo.appendClipAuditEvent(clip.id, { type: 'export', payload: { clipId: clip.id, inputSha256: CLIP.sha256, outputPath: '/out/x.mp4', outputSha256: 'c'.repeat(64) } });

    const trail = await reopen().listAuditEvents(c.id);
    expect(trail.map((e) => e.type)).toEqual(['import', 'edit', 'edit', 'edit', 'decision', 'export']);
    expect(trail.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(trail.every((e) => e.user === 'PC 1234 Smith' && e.toolVersion === '9.9.9' && /^2026-11-28T23:/.test(e.time))).toBe(true);
    expect(trail[0]!.payload).toEqual({ clipId: clip.id, path: CLIP.path, name: CLIP.name, size: CLIP.size, sha256: CLIP.sha256 });
    // The regions that came with the clip are an edit from nothing, so the trail accounts for every region.
    const initial = sampleEdits();
    expect(trail[1]!.payload).toEqual({ clipId: clip.id, target: [...initial.tracks, ...initial.audio].map((x) => x.id).join(','), command: 'Regions imported with the clip', before: { tracks: [], audio: [] }, after: JSON.parse(JSON.stringify(initial)) });
    const before = initial.tracks.find((t) => t.id === 'd1');
    expect(trail[2]!.payload).toMatchObject({ clipId: clip.id, target: 'd1', command: 'Change style', before: { tracks: [before], audio: [] }, after: { tracks: [structuredClone(styled.tracks.find((t) => t.id === 'd1'))] } });
    // Decisions also record the reason in words: kept ones from the keep list.
    expect(trail[4]!.payload).toMatchObject({ trackId: 'd2', decision: 'keep', reason: 'officer-on-duty', reasonLabel: 'Officer on duty', decidedBy: 'PC 1234 Smith' });

    expect(await reopen().verifyAuditTrail(c.id)).toEqual({ intact: true, events: 6, head: { seq: 6, hash: trail[5]!.hash } });
    expect(await repo.auditHead(c.id)).toEqual({ seq: 6, hash: trail[5]!.hash });
  });

  it('records an undo and a redo as what they are, not as the edit they reverse', async () => {
    const { repo } = fresh();
    const c = await repo.createCase('C');
    const clip = await repo.addClip(c.id, CLIP, sampleEdits());
    const stack = new UndoStack();
    await repo.doCommand(clip.id, stack, deleteTrack('d1'));
    await repo.undo(clip.id, stack);
    await repo.redo(clip.id, stack);
    await repo.undo(clip.id, stack);
    const edits = (await repo.listAuditEvents(c.id)).filter((e) => e.type === 'edit').slice(1);
    expect(edits.map((e) => e.payload.command)).toEqual(['Delete region', 'Undo: Delete region', 'Redo: Delete region', 'Undo: Delete region']);
    // The undo restores the region: its event goes from no region to one.
    const undo = edits[1]!.payload as { before: { tracks: unknown[] }; after: { tracks: Array<{ id: string }> } };
    expect(undo.before.tracks).toEqual([]);
    expect(undo.after.tracks.map((t) => t.id)).toEqual(['d1']);
    expect((await repo.loadClipEdits(clip.id)).tracks.some((t) => t.id === 'd1')).toBe(true);
  });

  it('words a decision with the configured reasons to redact, free text included', async () => {
    const { repo } = fresh();
    repo.setReasons([{ code: 'legal-privilege', label: 'Legal professional privilege', needsText: true }]);
    const c = await repo.createCase('C');
    const clip = await repo.addClip(c.id, CLIP, sampleEdits());
    await repo.applyCommand(clip.id, setDecision(['d2'], 'redact', 'legal-privilege', 'PC 1234 Smith', { reasonText: 'solicitor on the phone' }));
    const decision = (await repo.listAuditEvents(c.id)).find((e) => e.type === 'decision')!;
    expect(decision.payload).toMatchObject({ reason: 'legal-privilege', reasonText: 'solicitor on the phone', reasonLabel: 'Legal professional privilege: solicitor on the phone' });
  });

  it('appends events that belong together next to each other, or none of them', async () => {
    const { repo, reopen } = fresh();
    const c = await repo.createCase('C');
    const clip = await repo.addClip(c.id, CLIP);
    const review = { type: 'review' as const, payload: { clipId: clip.id, framesWatched: 3 } };
    // An export event without its hashes is refused, and the review given with it is not stored either.
    await expect(repo.appendClipAuditEvents(clip.id, [review, { type: 'export', payload: { clipId: clip.id } as never }])).rejects.toThrow(/missing evidence/);
    expect((await reopen().listAuditEvents(c.id)).map((e) => e.type)).toEqual(['import']);
    const exported = { type: 'export' as const, payload: { clipId: clip.id, inputSha256: CLIP.sha256, outputPath: '/out/x.mp4', outputSha256: 'c'.repeat(64) } };
    const events = await repo.appendClipAuditEvents(clip.id, [review, exported]);
    expect(events.map((e) => [e.seq, e.type])).toEqual([[2, 'review'], [3, 'export']]);
    expect((await reopen().listAuditEvents(c.id)).map((e) => e.type)).toEqual(['import', 'review', 'export']);
    expect(await reopen().verifyAuditTrail(c.id)).toMatchObject({ intact: true, events: 3 });
  });

  it('detects a stored event that was changed or removed', async () => {
    const { repo, reopen } = fresh();
    const c = await repo.createCase('C');
    const clip = await repo.addClip(c.id, CLIP, sampleEdits());
    await repo.applyCommand(clip.id, setStyle('d1', { kind: 'blur' }));
    await repo.applyCommand(clip.id, setStyle('d1', null));
    const row = (await repo.db.auditEvents.get([c.id, 2]))!;
    const ev = row.event as { payload: Record<string, unknown> };
    await repo.db.auditEvents.put({ ...row, event: { ...ev, payload: { ...ev.payload, command: 'Something else' } } });
    expect(await reopen().verifyAuditTrail(c.id)).toMatchObject({ intact: false, seq: 2, problem: 'changed' });
    await repo.db.auditEvents.delete([c.id, 2]);
    expect(await reopen().verifyAuditTrail(c.id)).toMatchObject({ intact: false, seq: 3, problem: 'removed' });
  });

  it('keeps one unbroken chain when edits on two clips and other events race', async () => {
    const { repo } = fresh();
    const c = await repo.createCase('C');
    const one = await repo.addClip(c.id, CLIP, sampleEdits());
    const two = await repo.addClip(c.id, { ...CLIP, name: 'two.mp4', sha256: 'c'.repeat(64) }, sampleEdits());
    await Promise.all([
      repo.applyCommand(one.id, setStyle('d1', { kind: 'blur' })),
      repo.applyCommand(two.id, setStyle('d2', { kind: 'blur' })),
      repo.appendAuditEvent(c.id, { type: 'detection', payload: { clipId: one.id, model: 'blazeface', settings: { every: 1 }, tracks: 2 } }),
      repo.applyCommand(one.id, setStyle('d3', { kind: 'blur' })),
    ]);
    expect(await repo.verifyAuditTrail(c.id)).toMatchObject({ intact: true, events: 8 });
    // Interleaved as they were, the edits still replay to each clip's regions.
    const trail = await repo.listAuditEvents(c.id);
    for (const clip of [one, two]) expect(trailMismatches(trail, clip.id, clip.name, await repo.loadClipEdits(clip.id))).toEqual([]);
  });

  it('refuses an event missing its evidential minimum, and writes nothing', async () => {
    const { repo } = fresh();
    const c = await repo.createCase('C');
    await expect(repo.appendAuditEvent(c.id, { type: 'import', payload: { clipId: 'x', path: '/a', name: 'a', size: 1, sha256: 'nope' } })).rejects.toThrow(/missing evidence: sha256/);
    await expect(repo.appendAuditEvent('no-case', { type: 'verification', payload: { target: 'x', intact: true } })).rejects.toThrow(StoreError);
    expect(await repo.db.auditEvents.count()).toBe(0);
  });
});

describe('review coverage', () => {
  it('adds watched frames as a union that persists per clip', async () => {
    const { repo, reopen } = fresh();
    const c = await repo.createCase('C');
    const clip = await repo.addClip(c.id, CLIP);
    const other = await repo.addClip(c.id, { ...CLIP, sha256: 'c'.repeat(64) });
    expect(await repo.loadWatched(clip.id)).toEqual([]);
    await repo.addWatched(clip.id, [[0, 9], [20, 29]]);
    expect(await repo.addWatched(clip.id, [[10, 12], [25, 40]])).toEqual([[0, 12], [20, 40]]);
    expect(await reopen().loadWatched(clip.id)).toEqual([[0, 12], [20, 40]]);
    expect(await reopen().loadWatched(other.id)).toEqual([]);
    await expect(repo.addWatched('no-clip', [[0, 1]])).rejects.toThrow(StoreError);
  });

  it('a version 1 database upgrades to the current version (4) with its data intact, each case kept 31 days from its creation', async () => {
    const name = `${databases.nextName()}-upgrade`;
    const v1 = new Dexie(name);
    v1.version(1).stores({ cases: 'id, updated', clips: 'id, caseId', tracks: '[clipId+id], clipId', audioRanges: '[clipId+id], clipId', auditEvents: '[caseId+seq], caseId', settings: 'key' });
    await v1.table('cases').add({ id: 'case-1', name: 'Old case', created: '2026-11-01T10:00:00.000Z', updated: 'T' });
    await v1.table('settings').put({ key: 'userName', value: 'PC Old' });
    v1.close();
    const db = databases.open(name);
    const repo = new CaseRepository(db);
    expect(db.verno).toBe(4);
    expect(await repo.getCase('case-1')).toMatchObject({ name: 'Old case', retainUntil: '2026-12-02' });
    expect(await repo.getSetting('userName')).toBe('PC Old');
    const clip = await repo.addClip('case-1', CLIP);
    expect(await repo.addWatched(clip.id, [[3, 4]])).toEqual([[3, 4]]);
    await repo.addDetectionRun({ clipId: clip.id, jobId: 'detect-1', frameCount: 1, options: {}, started: 'T' });
    expect(await repo.listDetectionRuns()).toHaveLength(1);
  });
});

describe('retention (issue 22)', () => {
  it('keeps a new case 31 days, lists the soonest due first, and records a change of date with its reason in the trail', async () => {
    let now = '2026-12-01T09:00:00.000Z';
    const db = databases.open(databases.nextName());
    const repo = new CaseRepository(db, () => now);
    const a = await repo.createCase('A');
    expect(a.retainUntil).toBe('2027-01-01');
    now = '2026-12-05T09:00:00.000Z';
    const b = await repo.createCase('B');
    expect((await repo.listCases()).map((c) => c.name)).toEqual(['A', 'B']);
    await expect(repo.setRetention(a.id, '2027-06-01', ' ')).rejects.toThrow(/reason/);
    await expect(repo.setRetention(a.id, '1 June', 'x')).rejects.toThrow(/not a date/);
    const changed = await repo.setRetention(a.id, '2027-06-01', 'evidence in a live investigation');
    expect(changed.retainUntil).toBe('2027-06-01');
    expect((await repo.listCases()).map((c) => c.name)).toEqual(['B', 'A']);
    const trail = await repo.listAuditEvents(a.id);
    expect(trail.map((e) => e.type)).toEqual(['case']);
    expect(trail[0]!.payload).toMatchObject({ action: 'retention', from: '2027-01-01', to: '2027-06-01', reason: 'evidence in a live investigation' });
    expect((await repo.verifyAuditTrail(a.id)).intact).toBe(true);
    // The case's working folder is named by that first event.
    expect(await repo.caseWorkKey(a.id)).toBe(trail[0]!.hash.slice(0, 32));
    expect(await repo.caseWorkKey(b.id)).toBeNull();
  });
});

describe('settings', () => {
  it('stores values by key', async () => {
    const { repo, reopen } = fresh();
    expect(await repo.getSetting('userName')).toBeUndefined();
    await repo.setSetting('userName', 'PC 1234 Smith');
    expect(await reopen().getSetting<string>('userName')).toBe('PC 1234 Smith');
  });
});

describe('detection runs and exports going on in main', () => {
  it('keeps a detection run until that run (not a later one on the clip) is removed, and drops it with its case', async () => {
    const { repo, reopen } = fresh();
    const kase = await repo.createCase('Runs');
    const clip = await repo.addClip(kase.id, CLIP);
    const run = { clipId: clip.id, jobId: 'detect-1', frameCount: 200, options: {}, started: '2026-11-29T23:00:00.000Z' };
    await repo.addDetectionRun(run);
    // A reloaded page (another instance on the same database) finds it.
    expect(await reopen().listDetectionRuns()).toEqual([run]);
    await repo.addDetectionRun({ ...run, jobId: 'detect-2' });
    await repo.removeDetectionRun(clip.id, 'detect-1');
    expect((await repo.listDetectionRuns()).map((r) => r.jobId)).toEqual(['detect-2']);
    await repo.deleteCase(kase.id);
    expect(await repo.listDetectionRuns()).toEqual([]);
  });

  it('keeps an export until it is recorded, and drops it with its case', async () => {
    const { repo, reopen } = fresh();
    const kase = await repo.createCase('Exports');
    const clip = await repo.addClip(kase.id, CLIP);
    const review = { type: 'review' as const, payload: { clipId: clip.id, frameCount: 200, framesWatched: 0, unwatched: [], undecided: [] } };
    const run = { jobId: 'export-1', clipId: clip.id, outputPath: '/out/a.mp4', inputSha256: CLIP.sha256, review, started: '2026-11-29T23:00:00.000Z' };
    await repo.addExportRun(run);
    await repo.addExportRun({ ...run, jobId: 'export-2', outputPath: '/out/b.mp4' });
    expect((await reopen().listExportRuns()).map((r) => r.jobId).sort()).toEqual(['export-1', 'export-2']);
    await repo.removeExportRun('export-1');
    expect((await repo.listExportRuns()).map((r) => r.jobId)).toEqual(['export-2']);
    await repo.deleteCase(kase.id);
    expect(await repo.listExportRuns()).toEqual([]);
  });
});
