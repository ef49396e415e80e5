import { describe, expect, it } from 'vitest';
import type { Keyframe, Track } from '../../common/track';
import { bestFrame, clickSelect, filterByKind, filterCards, galleryCards, kindOf, keySelect, mergeCandidates, mergePartners, NO_SELECTION, selectedInOrder } from '../../renderer/model/gallery';

const kf = (frame: number, x: number, confidence?: number, outside = false): Keyframe => ({ frame, x, y: 10, w: 20, h: 20, outside, source: confidence === undefined ? 'manual' : 'detected', ...(confidence !== undefined ? { confidence } : {}) });
const track = (id: string, keyframes: Keyframe[], decision: Track['decision'] = 'proposed'): Track => ({ id, label: 'face', shape: 'ellipse', reason: 'third-party-face', provenance: { origin: 'detected' }, decision, keyframes });

describe('best frame', () => {
  it('is the highest-confidence detected keyframe', () => {
    expect(bestFrame(track('a', [kf(0, 1, 0.5), kf(5, 2, 0.9), kf(9, 3, 0.7), kf(12, 3, undefined, true)]))).toEqual({ frame: 5, box: { x: 2, y: 10, w: 20, h: 20 }, score: 0.9 });
  });
  it('is the middle keyframe of a drawn region', () => {
    expect(bestFrame(track('m', [kf(0, 1), kf(10, 2), kf(20, 3), kf(30, 4, undefined, true)]))?.frame).toBe(10);
    expect(bestFrame(track('m', [kf(0, 1), kf(10, 2), kf(20, 3), kf(25, 3), kf(30, 4, undefined, true)]))?.frame).toBe(10);
    expect(bestFrame(track('m', [kf(4, 1), kf(30, 4, undefined, true)]))).toEqual({ frame: 4, box: { x: 1, y: 10, w: 20, h: 20 }, score: null });
  });
  it('is null for a region never shown', () => {
    expect(bestFrame(track('x', [kf(3, 1, undefined, true)]))).toBeNull();
  });
});

describe('cards', () => {
  const tracks = [track('late', [kf(50, 1, 0.8), kf(60, 1, undefined, true)], 'keep'), track('early', [kf(2, 1, 0.6), kf(9, 1, undefined, true)]), track('mid', [kf(20, 1), kf(30, 1, undefined, true)], 'redact'), track('never', [kf(3, 1, undefined, true)])];
  it('one per shown region, by first appearance, numbered by lane', () => {
    const cards = galleryCards(tracks, 99);
    expect(cards.map((c) => [c.id, c.number, c.first, c.last])).toEqual([['early', 2, 2, 8], ['mid', 3, 20, 29], ['late', 1, 50, 59]]);
    expect(cards[0]!.score).toBe(0.6);
    expect(cards[1]!.score).toBeNull();
  });
  it('filter by decision', () => {
    const cards = galleryCards(tracks, 99);
    expect(filterCards(cards, 'undecided').map((c) => c.id)).toEqual(['early']);
    expect(filterCards(cards, 'redact').map((c) => c.id)).toEqual(['mid']);
    expect(filterCards(cards, 'keep').map((c) => c.id)).toEqual(['late']);
    expect(filterCards(cards, 'all')).toHaveLength(3);
  });

  it('filters by kind: faces, text, or all (a drawn region under all only), with the decision filter on top', () => {
    const as = (t: Track, label: Track['label']): Track => ({ ...t, label });
    const tracks = [
      track('face1', [kf(0, 0, 0.9)]),
      as(track('plate', [kf(5, 0, 0.8)], 'redact'), 'text'),
      as(track('drawn', [kf(10, 0)], 'redact'), 'manual'),
      as(track('screen', [kf(15, 0, 0.7)]), 'screen'),
      as(track('head', [kf(20, 0, 0.6)], 'redact'), 'head'),
    ];
    const cards = galleryCards(tracks, 99);
    expect(cards.map((c) => c.label)).toEqual(['face', 'text', 'manual', 'screen', 'head']);
    expect(filterCards(cards, 'all', 'faces').map((c) => c.id)).toEqual(['face1', 'head']);
    expect(filterCards(cards, 'all', 'text').map((c) => c.id)).toEqual(['plate', 'screen']);
    expect(filterCards(cards, 'all', 'all').map((c) => c.id)).toEqual(['face1', 'plate', 'drawn', 'screen', 'head']);
    expect(filterCards(cards, 'redact', 'text').map((c) => c.id)).toEqual(['plate']);
    expect(filterCards(cards, 'undecided', 'faces').map((c) => c.id)).toEqual(['face1']);
    expect(filterCards(cards, 'keep', 'text')).toEqual([]);
    expect(kindOf('manual')).toBeNull();
    // The timeline's lanes use the same filter on tracks, keeping their order.
    expect(filterByKind(tracks, 'text').map((t) => t.id)).toEqual(['plate', 'screen']);
    expect(filterByKind(tracks, 'all')).not.toBe(tracks);
  });
});

describe('multi-select', () => {
  const order = ['a', 'b', 'c', 'd', 'e'];
  const ids = (s: { ids: ReadonlySet<string> }) => selectedInOrder(s as never, order);
  it('click selects one, Ctrl toggles, Shift selects the run from the anchor', () => {
    let s = clickSelect(NO_SELECTION, order, 'b');
    expect(ids(s)).toEqual(['b']);
    s = clickSelect(s, order, 'd', { ctrl: true });
    expect(ids(s)).toEqual(['b', 'd']);
    s = clickSelect(s, order, 'b', { ctrl: true });
    expect(ids(s)).toEqual(['d']);
    // The anchor is the last card clicked (b, even though Ctrl took it out).
    s = clickSelect(s, order, 'a', { shift: true });
    expect(ids(s)).toEqual(['a', 'b']);
    // Shift again keeps the anchor: the run replaces the last one.
    s = clickSelect(s, order, 'e', { shift: true });
    expect(ids(s)).toEqual(['b', 'c', 'd', 'e']);
    s = clickSelect(clickSelect(s, order, 'a', { ctrl: true }), order, 'e', { ctrl: true });
    expect(ids(s)).toEqual(['a', 'b', 'c', 'd']);
    // Shift with Ctrl adds the run to what is chosen.
    s = clickSelect(clickSelect(NO_SELECTION, order, 'e'), order, 'a', { ctrl: true });
    s = clickSelect(s, order, 'b', { shift: true, ctrl: true });
    expect(ids(s)).toEqual(['a', 'b', 'e']);
    expect(ids(clickSelect(s, order, 'c'))).toEqual(['c']);
  });
  it('arrows move the selection; Shift+arrows extend it; the ends hold', () => {
    let r = keySelect(NO_SELECTION, order, null, 1, false);
    expect([r.focus, ids(r.selection)]).toEqual(['a', ['a']]);
    r = keySelect(r.selection, order, r.focus, 1, true);
    r = keySelect(r.selection, order, r.focus, 1, true);
    expect([r.focus, ids(r.selection)]).toEqual(['c', ['a', 'b', 'c']]);
    r = keySelect(r.selection, order, r.focus, 10, false);
    expect([r.focus, ids(r.selection)]).toEqual(['e', ['e']]);
    r = keySelect(r.selection, order, r.focus, -2, true);
    expect([r.focus, ids(r.selection)]).toEqual(['c', ['c', 'd', 'e']]);
    expect(keySelect(r.selection, [], r.focus, 1, false).focus).toBeNull();
  });
  it('drops ids no longer listed', () => {
    expect(selectedInOrder({ ids: new Set(['x', 'b']), anchor: 'x' }, order)).toEqual(['b']);
  });
});

describe('merge candidates', () => {
  const at = (x: number) => ({ x, y: 100, w: 40, h: 40 });
  const box = (frame: number, b: { x: number; y: number; w: number; h: number }, outside = false): Keyframe => ({ frame, ...b, outside, source: 'detected', confidence: 0.9 });
  it('pairs a region with one that starts soon after at the same place', () => {
    const tracks = [
      track('a', [box(0, at(100)), box(20, at(110)), box(21, at(110), true)]),
      track('b', [box(30, at(115)), box(50, at(120)), box(51, at(120), true)]), // 9-frame gap, same place
      track('far', [box(25, at(400)), box(40, at(400), true)]), // overlaps a's gap but elsewhere
      track('overlapping', [box(10, at(110)), box(36, at(110), true)]), // overlaps a and b in time
      track('late', [box(200, at(120)), box(210, at(120), true)]), // same place, gap too long
    ];
    const c = mergeCandidates(tracks, 299, { maxGap: 60 });
    expect(c.map((x) => [x.a, x.b, x.gap])).toEqual([['a', 'b', 9]]);
    expect(c[0]!.overlap).toBeGreaterThan(0.5);
    expect(mergePartners(c, 'b')).toEqual(['a']);
    expect(mergePartners(c, 'far')).toEqual([]);
    expect(mergeCandidates(tracks, 299, { maxGap: 200 }).map((x) => [x.a, x.b])).toEqual([['a', 'b'], ['b', 'late']]);
  });
  it('suggests nothing across a jump in place', () => {
    const tracks = [track('a', [box(0, at(100)), box(21, at(100), true)]), track('b', [box(25, at(300)), box(40, at(300), true)])];
    expect(mergeCandidates(tracks, 99, { maxGap: 60 })).toEqual([]);
  });
  it('a chain of three suggests each link once', () => {
    const tracks = [track('a', [box(0, at(100)), box(10, at(100), true)]), track('b', [box(12, at(100)), box(20, at(100), true)]), track('c', [box(22, at(100)), box(30, at(100), true)])];
    expect(mergeCandidates(tracks, 99, { maxGap: 60 }).map((x) => [x.a, x.b])).toEqual([['a', 'b'], ['b', 'c']]);
  });
});
