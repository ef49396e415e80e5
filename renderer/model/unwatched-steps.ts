import type { FrameInterval } from '../../common/review-coverage';

/**
 * The first frame of the unwatched stretch after (`direction` 1) or before (-1) the playhead,
 * wrapping round at either end; null when every frame has been watched. A reviewer closing the gaps
 * in their review goes from one to the next without hunting along the timeline.
 */
export function stepUnwatched(unwatched: readonly FrameInterval[], playhead: number, direction: 1 | -1): number | null {
  if (!unwatched.length) return null;
  const starts = unwatched.map(([first]) => first);
  if (direction === 1) return starts.find((f) => f > playhead) ?? starts[0]!;
  return starts.filter((f) => f < playhead).at(-1) ?? starts.at(-1)!;
}
