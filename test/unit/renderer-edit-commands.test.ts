import { describe, expect, it } from 'vitest';
import { boxAtFrame, isRedacted, trackSpan, type Track } from '../../common/track';
import { newId, type ClipEdits } from '../../renderer/model/clip-edits';
import {
  EditConflictError,
  EditError,
  addAudioRange,
  addManualTrack,
  addTracks,
  batch,
  deleteTracks,
  mergeMany,
  deleteKeyframe,
  deleteTrack,
  mergeTracks,
  removeAudioRange,
  setAudioRangeReason,
  setBoxAtFrame,
  setDecision,
  setSpan,
  setStyle,
  setRequester,
  setTrackedPath,
  splitTrack,
  updateAudioRange,
  type EditCommand,
} from '../../renderer/model/edit-commands';
import { detectedTrack, expectSameBoxes, expectValid, range, sampleEdits } from '../helpers/renderer-edits';

const track = (e: ClipEdits, id: string): Track => e.tracks.find((t) => t.id === id)!;
const FRAMES = range(0, 200);
const AT = '2026-11-28T23:00:00.000Z';

/** Every command constructor, with an edit that must succeed on sampleEdits(). */
const CASES: Array<[string, () => EditCommand]> = [
  ['setBoxAtFrame on a keyframe', () => setBoxAtFrame('d1', 10, { x: 5, y: 6, w: 7, h: 8 }, 'alice')],
  ['setBoxAtFrame between keyframes', () => setBoxAtFrame('m1', 20, { x: 5, y: 6, w: 7, h: 8 }, 'alice')],
  ['deleteKeyframe', () => deleteKeyframe('m1', 50, 'bob')],
  ['splitTrack', () => splitTrack('d1', 13, 'alice', 'd1-b')],
  ['mergeTracks', () => mergeTracks('d1', 'd3', 'alice')],
  ['setSpan (extend)', () => setSpan('m1', 2, 90, 'alice')],
  ['setSpan (trim)', () => setSpan('d2', 33, 45, 'alice')],
  ['addManualTrack', () => addManualTrack({ shape: 'ellipse', box: { x: 1, y: 1, w: 20, h: 20 }, first: 3, last: 9, createdBy: 'alice', decidedAt: AT }, 'new1')],
  ['addTracks', () => addTracks([detectedTrack('p1', 9), detectedTrack('p2', 10)])],
  ['deleteTrack', () => deleteTrack('d2')],
  ['setDecision', () => setDecision(['d1', 'd2'], 'keep', 'not-third-party', 'carol', { reasonText: 'the officer', decidedAt: AT })],
  ['setStyle', () => setStyle('d1', { kind: 'solid', fill: '#112233' }, 'alice')],
  ['setStyle (back to default)', () => setStyle('m1', null)],
  ['setRequester', () => setRequester('d1', true, 'alice')],
  ['addAudioRange', () => addAudioRange({ id: 'a2', start: 3, end: 4, mode: 'bleep', reason: 'spoken-personal-data' })],
  ['updateAudioRange', () => updateAudioRange('a1', { end: 3, mode: 'bleep' })],
  ['setAudioRangeReason', () => setAudioRangeReason('a1', 'other', 'a home address', 'carol')],
  ['removeAudioRange', () => removeAudioRange('a1')],
];

describe('every command: valid result, exact undo and redo', () => {
  for (const [name, make] of CASES) {
    it(name, () => {
      const before = sampleEdits();
      const snapshot = structuredClone(before);
      const cmd = make();
      const after = cmd.apply(before);
      expect(after).not.toStrictEqual(before);
      expectValid(after);
      expect(before).toStrictEqual(snapshot); // apply does not mutate
      const afterSnapshot = structuredClone(after);

      const undone = cmd.revert(after);
      expect(undone).toStrictEqual(snapshot);
      const redone = cmd.apply(undone);
      expect(redone).toStrictEqual(afterSnapshot);
      // Undo and redo also work on equal values that are not the same objects (reloaded from the store).
      expect(cmd.revert(structuredClone(redone))).toStrictEqual(snapshot);
      expect(cmd.apply(structuredClone(snapshot))).toStrictEqual(afterSnapshot);

      // Only the declared rows changed.
      const changed = new Set([...cmd.changedTrackIds, ...cmd.changedAudioIds]);
      for (const t of before.tracks) if (!changed.has(t.id)) expect(track(after, t.id)).toBe(t);
      for (const a of before.audio) if (!changed.has(a.id)) expect(after.audio.find((x) => x.id === a.id)).toBe(a);
    });
  }

  it('a sequence of every command undoes back to the start and redoes to the end', () => {
    const states: ClipEdits[] = [sampleEdits()];
    const cmds = CASES.filter(([n]) => n !== 'deleteTrack' && n !== 'mergeTracks').map(([, make]) => make());
    for (const c of cmds) states.push(c.apply(states[states.length - 1]!));
    const snaps = states.map((s) => structuredClone(s));
    let s = states[states.length - 1]!;
    for (let i = cmds.length - 1; i >= 0; i--) {
      s = cmds[i]!.revert(s);
      expect(s).toStrictEqual(snaps[i]);
    }
    for (let i = 0; i < cmds.length; i++) {
      s = cmds[i]!.apply(s);
      expect(s).toStrictEqual(snaps[i + 1]);
    }
  });

  it('refuses to replay on a state that does not hold what it recorded', () => {
    const cmd = deleteTrack('d2');
    const after = cmd.apply(sampleEdits());
    expect(() => cmd.apply(after)).toThrow(EditConflictError);
    expect(() => deleteTrack('x').revert(after)).toThrow(/before it was applied/);
  });
});

describe('setBoxAtFrame', () => {
  it('sets a manual keyframe, records the editor, and changes only frames between its neighbours', () => {
    const e = sampleEdits();
    const d1 = track(e, 'd1');
    const [k0, k1] = d1.keyframes;
    const f = k0!.frame + 2;
    const after = setBoxAtFrame('d1', f, { x: 1, y: 2, w: 3, h: 4 }, 'alice').apply(e);
    const t = track(after, 'd1');
    expect(boxAtFrame(t, f)).toEqual({ x: 1, y: 2, w: 3, h: 4 });
    expect(t.keyframes.find((k) => k.frame === f)).toMatchObject({ source: 'manual', outside: false });
    expect(t.keyframes.find((k) => k.frame === f)!.confidence).toBeUndefined();
    expect(t.provenance.editedBy).toEqual(['alice']);
    expectSameBoxes(d1, t, FRAMES.filter((x) => x <= k0!.frame || x >= k1!.frame));
  });

  it('records each editor once, in order of first edit', () => {
    let e = sampleEdits();
    for (const who of ['alice', 'bob', 'alice']) e = setBoxAtFrame('d1', 10, { x: 1, y: 1, w: 5, h: 5 }, who).apply(e);
    expect(track(e, 'd1').provenance.editedBy).toEqual(['alice', 'bob']);
  });

  it('refuses a frame where the region is absent, and bad boxes', () => {
    expect(() => setBoxAtFrame('d1', 0, { x: 0, y: 0, w: 5, h: 5 }).apply(sampleEdits())).toThrow(EditError);
    expect(() => setBoxAtFrame('nope', 10, { x: 0, y: 0, w: 5, h: 5 }).apply(sampleEdits())).toThrow(EditError);
    expect(() => setBoxAtFrame('d1', 10, { x: 0, y: 0, w: -5, h: 5 })).toThrow(EditError);
    expect(() => setBoxAtFrame('d1', 10, { x: NaN, y: 0, w: 5, h: 5 })).toThrow(EditError);
    expect(() => setBoxAtFrame('d1', 1.5, { x: 0, y: 0, w: 5, h: 5 })).toThrow(EditError);
  });
});

describe('deleteKeyframe', () => {
  it('removes it; the region interpolates across, unchanged outside its neighbours', () => {
    const e = sampleEdits();
    const after = deleteKeyframe('m1', 50).apply(e);
    const m1 = track(after, 'm1');
    expect(m1.keyframes.map((k) => k.frame)).toEqual([5, 80]);
    expectSameBoxes(track(e, 'm1'), m1, range(0, 5));
    expectSameBoxes(track(e, 'm1'), m1, range(80, 200));
  });

  it('refuses a missing keyframe and the only shown one', () => {
    expect(() => deleteKeyframe('m1', 6).apply(sampleEdits())).toThrow(/no keyframe/);
    const e = addManualTrack({ shape: 'rectangle', box: { x: 0, y: 0, w: 5, h: 5 }, first: 0, last: 10 }, 'solo').apply(sampleEdits());
    expect(() => deleteKeyframe('solo', 0).apply(e)).toThrow(/only keyframe/);
  });
});

describe('splitTrack', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: every split frame gives two tracks that together show exactly the original`, () => {
      const t = detectedTrack('t', seed);
      const span = trackSpan(t, Infinity)!;
      for (let f = span.first + 1; f <= span.last; f++) {
        const after = splitTrack('t', f, 'alice', 't2').apply({ tracks: [t], audio: [] });
        if (f % 4 === 0) expectValid(after);
        const [head, tail] = after.tracks;
        expect(after.tracks.map((x) => x.id)).toEqual(['t', 't2']);
        expectSameBoxes(t, head!, range(0, f - 1));
        expectSameBoxes(t, tail!, range(f, 200));
        for (const g of range(f, 200)) expect(boxAtFrame(head!, g)).toBeNull();
        for (const g of range(0, f - 1)) expect(boxAtFrame(tail!, g)).toBeNull();
        expect(tail!).toMatchObject({ label: t.label, decision: t.decision, reason: t.reason });
      }
    });
  }

  it('refuses a split outside the span or at its first frame', () => {
    const e = sampleEdits();
    const span = trackSpan(track(e, 'd1'), Infinity)!;
    expect(() => splitTrack('d1', span.first, undefined, 'x').apply(e)).toThrow(EditError);
    expect(() => splitTrack('d1', span.last + 1, undefined, 'x').apply(e)).toThrow(EditError);
    expect(() => splitTrack('d1', span.first + 1, undefined, 'd2').apply(e)).toThrow(/already exists/);
  });

  it('makes a fresh id by default', () => {
    const cmd = splitTrack('d1', 13);
    expect(cmd.changedTrackIds).toHaveLength(2);
    expect(cmd.changedTrackIds[1]).toMatch(/^track-/);
    expect(splitTrack('d1', 13).changedTrackIds[1]).not.toBe(cmd.changedTrackIds[1]);
  });
});

describe('mergeTracks', () => {
  it('joins two tracks that do not overlap; each part keeps its boxes', () => {
    const e = sampleEdits();
    const after = mergeTracks('d3', 'd1', 'alice').apply(e);
    expect(after.tracks.map((t) => t.id)).toEqual(['d2', 'm1', 'd3']);
    const m = track(after, 'd3');
    expectSameBoxes(track(e, 'd1'), m, range(0, 99));
    expectSameBoxes(track(e, 'd3'), m, range(100, 200));
    expect(m.provenance.editedBy).toEqual(['alice']);
  });

  it('split then merge gives back the same boxes on every frame', () => {
    const e = sampleEdits();
    const split = splitTrack('d1', 14, undefined, 'd1b').apply(e);
    const merged = mergeTracks('d1', 'd1b').apply(split);
    expectSameBoxes(track(e, 'd1'), track(merged, 'd1'), FRAMES);
  });

  it('sends differing decisions back to proposed (still redacted), keeps equal ones', () => {
    let e = setDecision(['d3'], 'keep', 'not-third-party', 'carol', { decidedAt: AT }).apply(sampleEdits());
    e = setDecision(['d1'], 'redact', 'third-party-face', 'carol', { decidedAt: AT }).apply(e);
    const m = track(mergeTracks('d1', 'd3').apply(e), 'd1');
    expect(m.decision).toBe('proposed');
    expect(m.decidedBy).toBeUndefined();
    expect(isRedacted(m)).toBe(true);
    const both = setDecision(['d1', 'd3'], 'keep', 'x', 'carol', { decidedAt: AT }).apply(e);
    expect(track(mergeTracks('d1', 'd3').apply(both), 'd1')).toMatchObject({ decision: 'keep', decidedBy: 'carol' });
  });

  it('refuses overlapping tracks and merging a track with itself', () => {
    expect(() => mergeTracks('d1', 'm1').apply(sampleEdits())).toThrow(/overlap/);
    expect(() => mergeTracks('d1', 'd1').apply(sampleEdits())).toThrow(EditError);
  });
});

describe('setSpan', () => {
  it('extends and trims; boxes inside the old and new span are unchanged', () => {
    const e = sampleEdits();
    const d2 = track(e, 'd2');
    const span = trackSpan(d2, Infinity)!;
    for (const [first, last] of [
      [span.first - 4, span.last + 6],
      [span.first + 3, span.last - 2],
      [span.first - 4, span.last - 2],
      [span.first + 3, span.last + 6],
    ] as const) {
      const t = track(setSpan('d2', first, last).apply(e), 'd2');
      expect(trackSpan(t, Infinity)).toEqual({ first, last });
      expectSameBoxes(d2, t, range(Math.max(first, span.first), Math.min(last, span.last)));
      for (const f of FRAMES) if (f < first || f > last) expect(boxAtFrame(t, f)).toBeNull();
    }
  });

  it('refuses an empty span', () => {
    expect(() => setSpan('d1', 20, 10)).toThrow(EditError);
  });
});

describe('addManualTrack', () => {
  it('draws a manual region decided redact, shown exactly over its span', () => {
    const e = addManualTrack({ shape: 'rectangle', box: { x: 10, y: 20, w: 30, h: 40 }, first: 7, last: 12, createdBy: 'alice', decidedAt: AT }, 'n').apply(sampleEdits());
    const t = track(e, 'n');
    expect(t).toMatchObject({ label: 'manual', shape: 'rectangle', decision: 'redact', decidedBy: 'alice', decidedAt: AT, provenance: { origin: 'manual', createdBy: 'alice' } });
    expect(trackSpan(t, 1000)).toEqual({ first: 7, last: 12 });
    expect(t.keyframes.every((k) => k.source === 'manual')).toBe(true);
    expect(e.tracks[e.tracks.length - 1]).toBe(t);
  });
});

describe('setDecision', () => {
  it('accepts, rejects and reopens several tracks at once, with reason and who decided', () => {
    let e = setDecision(['d1', 'd3'], 'keep', 'officer', 'carol', { reasonText: 'the officer', decidedAt: AT }).apply(sampleEdits());
    for (const id of ['d1', 'd3']) expect(track(e, id)).toMatchObject({ decision: 'keep', reason: 'officer', reasonText: 'the officer', decidedBy: 'carol', decidedAt: AT });
    expect(track(e, 'd2').decision).toBe('proposed');
    e = setDecision(['d1'], 'proposed', 'third-party-face', 'carol').apply(e);
    expect(track(e, 'd1').decidedBy).toBeUndefined();
    expect(track(e, 'd1').reasonText).toBeUndefined();
    expect(isRedacted(track(e, 'd1'))).toBe(true);
  });

  it('refuses an unknown track or a missing reason', () => {
    expect(() => setDecision(['zz'], 'keep', 'x', 'c').apply(sampleEdits())).toThrow(EditError);
    expect(() => setDecision(['d1'], 'keep', '', 'c')).toThrow(EditError);
  });
});

describe('audio ranges', () => {
  it('validates a new range against the plan schema', () => {
    expect(() => addAudioRange({ id: 'a9', start: 3, end: 2, mode: 'mute', reason: 'x' })).toThrow(EditError);
    expect(() => addAudioRange({ id: 'a1', start: 3, end: 4, mode: 'mute', reason: 'x' }).apply(sampleEdits())).toThrow(/already exists/);
    expect(() => removeAudioRange('nope').apply(sampleEdits())).toThrow(EditError);
    expect(() => updateAudioRange('a1', { end: 0.5 }).apply(sampleEdits())).toThrow(/end after it starts/);
    expect(() => updateAudioRange('nope', { end: 9 }).apply(sampleEdits())).toThrow(EditError);
  });

  it('refuses ranges over the same sound, new or moved, and lets ranges touch', () => {
    const edits = sampleEdits(); // a1: mute from 1 s to 2.5 s
    expect(() => addAudioRange({ id: 'a2', start: 2, end: 3, mode: 'bleep', reason: 'x' }).apply(edits)).toThrow('Audio ranges cannot overlap: this bleep overlaps the mute from 1.00 s to 2.50 s. Delete that range and drag one range over the whole stretch.');
    expect(() => addAudioRange({ id: 'a2', start: 0, end: 9, mode: 'mute', reason: 'x' }).apply(edits)).toThrow(/cannot overlap/);
    expect(() => addAudioRange({ id: 'a2', start: 1.5, end: 2, mode: 'mute', reason: 'x' }).apply(edits)).toThrow(/cannot overlap/);
    const touching = addAudioRange({ id: 'a2', start: 2.5, end: 4, mode: 'bleep', reason: 'x' }).apply(edits);
    expect(touching.audio.map((a) => a.id)).toEqual(['a1', 'a2']);
    expect(() => updateAudioRange('a2', { start: 2.4 }).apply(touching)).toThrow(/this bleep overlaps the mute/);
    expect(() => updateAudioRange('a1', { end: 3 }).apply(touching)).toThrow(/this mute overlaps the bleep from 2.50 s to 4.00 s/);
    // A range moved within its own span is not an overlap with itself.
    expect(updateAudioRange('a1', { start: 1.2, end: 2.4 }).apply(touching).audio[0]).toMatchObject({ start: 1.2, end: 2.4 });
  });

  it('gives a range a new reason, dropping the old reason\'s free text', () => {
    const withText = setAudioRangeReason('a1', 'other', 'a home address', 'carol').apply(sampleEdits());
    expect(withText.audio).toEqual([{ id: 'a1', start: 1, end: 2.5, mode: 'mute', reason: 'other', reasonText: 'a home address', decidedBy: 'carol' }]);
    const plain = setAudioRangeReason('a1', 'legal-privilege', undefined, 'dave').apply(withText);
    expect(plain.audio).toEqual([{ id: 'a1', start: 1, end: 2.5, mode: 'mute', reason: 'legal-privilege', decidedBy: 'dave' }]);
    expect(() => setAudioRangeReason('a1', '', undefined, 'dave').apply(withText)).toThrow(EditError);
    expect(() => setAudioRangeReason('nope', 'other', 'x', 'dave').apply(withText)).toThrow(/no audio range nope/);
  });

  it('updates a range in place', () => {
    const e = updateAudioRange('a1', { start: 1.5, reason: 'other', reasonText: 'address' }).apply(sampleEdits());
    expect(e.audio).toEqual([{ id: 'a1', start: 1.5, end: 2.5, mode: 'mute', reason: 'other', reasonText: 'address' }]);
  });
});

describe('newId', () => {
  it('is unique and prefixed, with or without crypto.randomUUID', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('track')));
    expect(ids.size).toBe(1000);
    const original = globalThis.crypto.randomUUID;
    try {
      (globalThis.crypto as { randomUUID?: unknown }).randomUUID = undefined;
      const id = newId('audio');
      expect(id).toMatch(/^audio-[0-9a-f]{32}$/);
      expect(newId('audio')).not.toBe(id);
    } finally {
      globalThis.crypto.randomUUID = original;
    }
  });
});

describe('several edits as one step', () => {
  it('batch applies in order, undoes as one, and changes nothing when one refuses', () => {
    const start = sampleEdits();
    const cmd = batch('Redact and delete', [setDecision(['d1', 'd2'], 'redact', 'third-party-face', 'alice', { decidedAt: AT }), deleteTrack('d3')]);
    expect([...cmd.changedTrackIds].sort()).toEqual(['d1', 'd2', 'd3']);
    const after = cmd.apply(start);
    expect(after.tracks.map((t) => [t.id, t.decision])).toEqual([['d1', 'redact'], ['d2', 'redact'], ['m1', 'redact']]);
    expect(cmd.revert(after)).toEqual(start);
    expect(cmd.apply(start)).toEqual(after);
    expect(() => batch('bad', [deleteTrack('d1'), deleteTrack('nope')]).apply(start)).toThrow(EditError);
    expect(() => batch('none', [])).toThrow(EditError);

    const del = deleteTracks(['d1', 'd3', 'd1']);
    expect(del.label).toBe('Delete 2 regions');
    expect(del.apply(start).tracks.map((t) => t.id)).toEqual(['d2', 'm1']);

    // Merged into the one that appears first, whatever order they were chosen in.
    const d1 = track(start, 'd1');
    const d3 = track(start, 'd3');
    const merged = mergeMany(['d3', 'd1'], 'alice').apply(start);
    expect(merged.tracks.map((t) => t.id)).toEqual(['d1', 'd2', 'm1']);
    expectSameBoxes(d1, track(merged, 'd1'), range(0, 99));
    expectSameBoxes(d3, track(merged, 'd1'), range(100, 199));
    expect(() => mergeMany(['d1'])).toThrow(EditError);
    expect(() => mergeMany(['d1', 'd2']).apply(start)).toThrow(EditError);
  });
});

describe('assisted tracking', () => {
  const path = (frames: number[]) => frames.map((f) => ({ frame: f, x: 100 + f, y: 50, w: 20, h: 20 }));
  it('forward: the path after the frame, held to the old end; the frames before keep their boxes', () => {
    const start = sampleEdits();
    const m1 = track(start, 'm1'); // frames 5–79, interpolating from 5 to 50, held to 79
    const cmd = setTrackedPath('m1', 20, 'forward', path([21, 30, 40]), 'alice');
    expect(cmd.label).toBe('Assisted tracking forward from frame 20 to 40');
    const after = cmd.apply(start);
    const t = track(after, 'm1');
    expectValid(after);
    expectSameBoxes(m1, t, range(0, 20));
    expect(boxAtFrame(t, 21)).toEqual({ x: 121, y: 50, w: 20, h: 20 });
    expect(boxAtFrame(t, 35)).toEqual({ x: 135, y: 50, w: 20, h: 20 });
    expect(boxAtFrame(t, 79)).toEqual({ x: 140, y: 50, w: 20, h: 20 });
    expect(boxAtFrame(t, 80)).toBeNull();
    expect(t.keyframes.filter((k) => k.frame > 20 && !k.outside).every((k) => k.source === 'manual')).toBe(true);
    expect(t.provenance.editedBy).toContain('alice');
    expect(cmd.revert(after)).toEqual(start);
    // Past the old end: the region grows to the path's end.
    const longer = track(setTrackedPath('m1', 70, 'forward', path([71, 90]), 'alice').apply(start), 'm1');
    expect(trackSpan(longer, 199)).toEqual({ first: 5, last: 90 });
  });
  it('back: the path before the frame, held back to the old start; the frames after keep their boxes', () => {
    const start = sampleEdits();
    const m1 = track(start, 'm1');
    const after = setTrackedPath('m1', 30, 'back', path([10, 29]), 'alice').apply(start);
    const t = track(after, 'm1');
    expectValid(after);
    expectSameBoxes(m1, t, range(30, 120));
    expect(boxAtFrame(t, 29)).toEqual({ x: 129, y: 50, w: 20, h: 20 });
    expect(boxAtFrame(t, 5)).toEqual({ x: 110, y: 50, w: 20, h: 20 });
    expect(trackSpan(t, 199)).toEqual({ first: 5, last: 79 });
    const earlier = track(setTrackedPath('m1', 6, 'back', path([0, 5]), 'alice').apply(start), 'm1');
    expect(trackSpan(earlier, 199)).toEqual({ first: 0, last: 79 });
  });
  it('refuses an empty path, a path on the wrong side and a frame where the region is not shown', () => {
    const start = sampleEdits();
    expect(() => setTrackedPath('m1', 20, 'forward', [])).toThrow(EditError);
    expect(() => setTrackedPath('m1', 20, 'forward', path([19, 25]))).toThrow(EditError);
    expect(() => setTrackedPath('m1', 20, 'back', path([21]))).toThrow(EditError);
    expect(() => setTrackedPath('m1', 90, 'forward', path([91])).apply(start)).toThrow(EditError);
  });
});
