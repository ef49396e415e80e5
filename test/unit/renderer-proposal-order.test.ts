import { describe, expect, it } from 'vitest';
import type { Track } from '../../common/track';
import { stepUndecided } from '../../renderer/model/proposal-order';
import { manualTrack } from '../helpers/plans';

/** Tracks in lane order: first frames 40, 10, 10, 70, 25; b is decided. */
const proposal = (id: string, first: number, decision: Track['decision'] = 'proposed'): Track =>
  manualTrack(id, [{ frame: first }, { frame: first + 5, outside: true }], { decision, provenance: { origin: 'detected' } });
const tracks = [proposal('a', 40), proposal('b', 10, 'keep'), proposal('c', 10), proposal('d', 70), proposal('e', 25)];
const LAST = 99;

describe('stepping through undecided proposals', () => {
  it('goes forwards in order of first frame, then lane, wrapping round, and skips decided ones', () => {
    const seen: string[] = [];
    let at: string | null = null;
    for (let i = 0; i < 5; i++) {
      const next: { id: string; frame: number } = stepUndecided(tracks, at, 0, 1, LAST)!;
      seen.push(`${next.id}@${next.frame}`);
      at = next.id;
    }
    expect(seen).toEqual(['c@10', 'e@25', 'a@40', 'd@70', 'c@10']);
  });

  it('goes backwards the same way', () => {
    expect(stepUndecided(tracks, 'e', 0, -1, LAST)).toEqual({ id: 'c', frame: 10 });
    expect(stepUndecided(tracks, 'c', 0, -1, LAST)).toEqual({ id: 'd', frame: 70 });
  });

  it('steps on from a decided selection by its place in the order', () => {
    // b (frame 10, lane 1) comes before c (frame 10, lane 2).
    expect(stepUndecided(tracks, 'b', 0, 1, LAST)).toEqual({ id: 'c', frame: 10 });
    expect(stepUndecided(tracks, 'b', 0, -1, LAST)).toEqual({ id: 'd', frame: 70 });
  });

  it('with nothing selected, starts from the playhead', () => {
    expect(stepUndecided(tracks, null, 25, 1, LAST)).toEqual({ id: 'e', frame: 25 });
    expect(stepUndecided(tracks, null, 26, 1, LAST)).toEqual({ id: 'a', frame: 40 });
    expect(stepUndecided(tracks, null, 80, 1, LAST)).toEqual({ id: 'c', frame: 10 });
    expect(stepUndecided(tracks, null, 25, -1, LAST)).toEqual({ id: 'c', frame: 10 });
    expect(stepUndecided(tracks, null, 5, -1, LAST)).toEqual({ id: 'd', frame: 70 });
  });

  it('is null when every proposal is decided, or a proposal never shows', () => {
    expect(stepUndecided([proposal('x', 3, 'redact'), proposal('y', 9, 'keep')], null, 0, 1, LAST)).toBeNull();
    expect(stepUndecided([manualTrack('z', [{ frame: 4, outside: true }], { decision: 'proposed' })], null, 0, 1, LAST)).toBeNull();
    expect(stepUndecided([], 'a', 0, -1, LAST)).toBeNull();
  });
});
