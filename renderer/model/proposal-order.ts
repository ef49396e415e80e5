import { trackSpan, type Track } from '../../common/track';

/**
 * Keyboard triage of proposals: the reviewer steps from one undecided proposal to the next (and
 * decides each with A or R) instead of hunting for them along the timeline. Proposals are taken in
 * the order they first appear, then in lane order.
 */

/**
 * The undecided proposal after (`direction` 1) or before (-1) the selected track, or, with none
 * selected, the first starting at or after the playhead (or the last starting before it); wrapping
 * round at either end. Returns it with its first frame, or null when nothing is undecided.
 */
export function stepUndecided(
  tracks: readonly Track[],
  selectedId: string | null,
  playhead: number,
  direction: 1 | -1,
  lastFrame: number,
): { id: string; frame: number } | null {
  const ordered = tracks
    .map((track, lane) => ({ track, lane, first: trackSpan(track, lastFrame)?.first ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.first - b.first || a.lane - b.lane);
  const candidates = ordered.filter((o) => o.track.decision === 'proposed' && Number.isFinite(o.first));
  if (!candidates.length) return null;
  const selected = ordered.find((o) => o.track.id === selectedId);
  // Where the step starts: the selected track's place in the order (decided or not), else the playhead.
  const after = (o: (typeof ordered)[number]) => (selected ? o.first > selected.first || (o.first === selected.first && o.lane > selected.lane) : o.first >= playhead);
  const before = (o: (typeof ordered)[number]) => (selected ? o.first < selected.first || (o.first === selected.first && o.lane < selected.lane) : o.first < playhead);
  const next = direction === 1 ? (candidates.find(after) ?? candidates[0]!) : (candidates.filter(before).at(-1) ?? candidates.at(-1)!);
  return { id: next.track.id, frame: next.first };
}
