import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
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
import { CaseRepository, StoreError } from '../../renderer/store/case-repository';
import { RedactorDb } from '../../renderer/store/db';
import { sampleEdits } from '../helpers/renderer-edits';

let n = 0;
const open: RedactorDb[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) {
    db.close();
    await db.delete();
  }
});

/** A fresh database name per test; reopen() gives a second Dexie instance on the same database. */
function fresh() {
  const name = `test-db-${++n}`;
  let t = 0;
  const clock = () => new Date(Date.UTC(2026, 10, 28, 23, 0, t++)).toISOString();
  const make = () => {
    const db = new RedactorDb(name);
    open.push(db);
    return new CaseRepository(db, clock);
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
    await repo.appendAuditEvent(a.id, { type: 'x' });
    await repo.deleteCase(a.id);
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
    const two = await repo.addClip(c.id, { ...CLIP, name: 'two.avi', proxyPath: '/cache/two.mp4' });
    const r = reopen();
    expect((await r.listClips(c.id)).map((x) => x.name)).toEqual(['bwv-001.mp4', 'two.avi']);
    expect(await r.getClip(two.id)).toMatchObject({ proxyPath: '/cache/two.mp4', probe: CLIP.probe });
    expect(await r.loadClipEdits(one.id)).toStrictEqual(sampleEdits());
    expect(await r.loadClipEdits(two.id)).toStrictEqual({ tracks: [], audio: [] });
    await r.setProxyPath(one.id, '/cache/one.mp4');
    expect((await repo.getClip(one.id))!.proxyPath).toBe('/cache/one.mp4');
    await expect(repo.addClip('no-case', CLIP)).rejects.toThrow(StoreError);
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

  it('can append an audit event in the same transaction as the edit', async () => {
    const { repo, reopen } = fresh();
    const c = await repo.createCase('C');
    const clip = await repo.addClip(c.id, CLIP, sampleEdits());
    expect(await repo.appendAuditEvent(c.id, { type: 'import' })).toBe(1);
    await repo.applyCommand(clip.id, setStyle('d1', { kind: 'blur' }), { audit: { type: 'edit', label: 'Change style' } });
    expect(await reopen().listAuditEvents(c.id)).toEqual([{ type: 'import' }, { type: 'edit', label: 'Change style' }]);
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
