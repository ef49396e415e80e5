import { describe, expect, it } from 'vitest';
import type { Track } from '../../common/track';
import { orderLanes, regionNumbers } from '../../renderer/model/lane-order';

const t = (id: string, first: number, decision: Track['decision']): Track => ({
  id, label: 'face', shape: 'ellipse', reason: 'third-party-face', provenance: { origin: 'detected' }, decision,
  keyframes: first < 0 ? [] : [{ frame: first, x: 0, y: 0, w: 10, h: 10, outside: false, source: 'detected' }],
});

describe('lane order', () => {
  const tracks = [t('a', 30, 'keep'), t('b', 10, 'redact'), t('c', 20, 'proposed'), t('d', 10, 'proposed'), t('never', -1, 'proposed')];
  it('as added, by first frame, or grouped by decision', () => {
    expect(orderLanes(tracks, 'added', 99).map((x) => x.id)).toEqual(['a', 'b', 'c', 'd', 'never']);
    expect(orderLanes(tracks, 'first-frame', 99).map((x) => x.id)).toEqual(['b', 'd', 'c', 'a', 'never']);
    expect(orderLanes(tracks, 'decision', 99).map((x) => x.id)).toEqual(['d', 'c', 'never', 'b', 'a']);
  });
  it('numbers regions by the order they were added, whatever the lane order', () => {
    expect([...regionNumbers(tracks)]).toEqual([['a', 1], ['b', 2], ['c', 3], ['d', 4], ['never', 5]]);
  });
});
