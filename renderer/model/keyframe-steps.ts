import type { Keyframe } from '../../common/track';

/**
 * The frame of the track's nearest keyframe after (`direction` 1) or before (-1) the playhead, or
 * null when there is none that way. Keyframes that end or pause the track (`outside`) count: the
 * reviewer checks where a region stops as much as where it moves.
 */
export function stepKeyframe(keyframes: readonly Pick<Keyframe, 'frame'>[], playhead: number, direction: 1 | -1): number | null {
  const frames = keyframes.map((k) => k.frame);
  const found = direction === 1 ? frames.find((f) => f > playhead) : frames.filter((f) => f < playhead).at(-1);
  return found ?? null;
}
