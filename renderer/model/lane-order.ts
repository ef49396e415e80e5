import { trackSpan, type Decision, type Track } from '../../common/track';

/** How the timeline orders its lanes: as the regions were added, by first frame, or grouped by decision. */
export type LaneOrder = 'added' | 'first-frame' | 'decision';

const GROUP: Record<Decision, number> = { proposed: 0, redact: 1, keep: 2 };

/**
 * The tracks in lane order. By first frame: earliest first; grouped by decision: undecided, then redact,
 * then keep, each by first frame. Ties (and regions never shown) keep the order they were added in.
 */
export function orderLanes(tracks: readonly Track[], order: LaneOrder, lastFrame: number): Track[] {
  if (order === 'added') return tracks.slice();
  const keyed = tracks.map((t, i) => ({ t, i, first: trackSpan(t, lastFrame)?.first ?? Number.POSITIVE_INFINITY }));
  keyed.sort((a, b) => (order === 'decision' ? GROUP[a.t.decision] - GROUP[b.t.decision] : 0) || a.first - b.first || a.i - b.i);
  return keyed.map((k) => k.t);
}

/** Each region's number: its place in the order added, from 1 (the gallery and the lane labels show it). */
export function regionNumbers(tracks: readonly Track[]): Map<string, number> {
  return new Map(tracks.map((t, i) => [t.id, i + 1]));
}
