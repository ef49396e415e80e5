import { describe, expect, it } from 'vitest';
import { boxAtFrame } from '../../common/track';
import type { ClipEdits } from '../../renderer/model/clip-edits';
import { deleteTrack, setBoxAtFrame, setDecision, setSpan, setStyle, splitTrack } from '../../renderer/model/edit-commands';
import { UndoStack } from '../../renderer/model/undo-stack';
import { sampleEdits } from '../helpers/renderer-edits';

describe('UndoStack', () => {
  it('starts empty', () => {
    const s = new UndoStack();
    expect([s.canUndo, s.canRedo, s.undoLabel, s.redoLabel]).toEqual([false, false, null, null]);
    const e = sampleEdits();
    expect(s.undo(e)).toBe(e);
    expect(s.redo(e)).toBe(e);
  });

  it('undoes and redoes a sequence exactly, step by step', () => {
    const s = new UndoStack();
    const states: ClipEdits[] = [sampleEdits()];
    const cmds = [
      setBoxAtFrame('d1', 12, { x: 1, y: 2, w: 3, h: 4 }, 'a'),
      splitTrack('d1', 15, 'a', 'd1b'),
      setDecision(['d1b', 'd2'], 'keep', 'r', 'a', { decidedAt: 'T' }),
      setStyle('d2', { kind: 'blur' }),
      deleteTrack('m1'),
      setSpan('d3', 95, 130),
    ];
    for (const c of cmds) states.push(s.do(states[states.length - 1]!, c));
    const snaps = states.map((x) => structuredClone(x));
    let e = states[states.length - 1]!;
    expect(s.undoLabel).toBe(cmds[cmds.length - 1]!.label);
    for (let i = cmds.length - 1; i >= 0; i--) {
      e = s.undo(e);
      expect(e).toStrictEqual(snaps[i]);
    }
    expect(s.canUndo).toBe(false);
    for (let i = 1; i <= cmds.length; i++) {
      e = s.redo(e);
      expect(e).toStrictEqual(snaps[i]);
    }
    expect(s.canRedo).toBe(false);
    // Interleaved: undo two, redo one, undo three.
    e = s.undo(s.undo(e));
    e = s.redo(e);
    expect(e).toStrictEqual(snaps[cmds.length - 1]);
    e = s.undo(s.undo(s.undo(e)));
    expect(e).toStrictEqual(snaps[cmds.length - 4]);
  });

  it('a new edit after undo clears redo', () => {
    const s = new UndoStack();
    let e = s.do(sampleEdits(), setStyle('d1', { kind: 'blur' }));
    e = s.undo(e);
    expect(s.canRedo).toBe(true);
    e = s.do(e, setStyle('d2', { kind: 'blur' }));
    expect(s.canRedo).toBe(false);
    expect(s.size).toBe(1);
  });

  it('coalesces a drag into one step that undoes to before the drag', () => {
    const s = new UndoStack();
    const start = sampleEdits();
    const snap = structuredClone(start);
    let e = start;
    for (let x = 0; x < 30; x++) e = s.do(e, setBoxAtFrame('d1', 12, { x, y: x, w: 10, h: 10 }, 'a'), 'drag-1');
    expect(s.size).toBe(1);
    const end = structuredClone(e);
    e = s.undo(e);
    expect(e).toStrictEqual(snap);
    e = s.redo(e);
    expect(e).toStrictEqual(end);
    expect(boxAtFrame(e.tracks[0]!, 12)).toEqual({ x: 29, y: 29, w: 10, h: 10 });
  });

  it('does not coalesce across keys, after breakCoalescing, after undo, or over different tracks', () => {
    const s = new UndoStack();
    let e = sampleEdits();
    e = s.do(e, setBoxAtFrame('d1', 12, { x: 1, y: 1, w: 10, h: 10 }), 'k');
    e = s.do(e, setBoxAtFrame('d1', 12, { x: 2, y: 1, w: 10, h: 10 }), 'other');
    expect(s.size).toBe(2);
    s.breakCoalescing();
    e = s.do(e, setBoxAtFrame('d1', 12, { x: 3, y: 1, w: 10, h: 10 }), 'other');
    expect(s.size).toBe(3);
    e = s.do(e, setBoxAtFrame('d2', 33, { x: 3, y: 1, w: 10, h: 10 }), 'other');
    expect(s.size).toBe(4);
    e = s.undo(e);
    e = s.do(e, setBoxAtFrame('d1', 12, { x: 4, y: 1, w: 10, h: 10 }), 'other');
    expect(s.size).toBe(4);
  });

  it('moves only when the caller confirms, so a failed save keeps history in step', () => {
    const s = new UndoStack();
    const e = s.do(sampleEdits(), setStyle('d1', { kind: 'blur' }));
    const c = s.undoCommand()!;
    expect(c.apply(e).tracks[0]!.style).toBeUndefined();
    expect(s.canUndo).toBe(true); // not confirmed
    s.markUndone();
    expect([s.canUndo, s.canRedo]).toEqual([false, true]);
    expect(s.redoCommand()!.apply(sampleEdits()).tracks[0]!.style).toEqual({ kind: 'blur' });
  });

  it('keeps at most `limit` steps', () => {
    const s = new UndoStack(3);
    let e = sampleEdits();
    for (let i = 0; i < 5; i++) e = s.do(e, setBoxAtFrame('d1', 12, { x: i, y: 0, w: 5, h: 5 }));
    expect(s.size).toBe(3);
    e = s.undo(s.undo(s.undo(e)));
    expect(boxAtFrame(e.tracks[0]!, 12)).toEqual({ x: 1, y: 0, w: 5, h: 5 });
    expect(s.canUndo).toBe(false);
  });
});
