import type { FrameInterval } from '../../common/review-coverage';

/**
 * Which frames a move of the playhead lets the reviewer actually see (issue 4, review coverage):
 * forward playback at normal speed, or a single-frame step. Shuttling (2×, 4×, reverse), jumping by
 * ten and scrubbing show frames too briefly to count as reviewed.
 */

/** Frames playback may skip between two decoded-frame callbacks and still count as watched (a dropped frame). */
export const MAX_PLAY_GAP = 2;

export type PlayheadMove =
  | { kind: 'step' }
  /**
   * `presentedAll`: the video reports every frame from `from` to `to` as presented (its count of
   * presented frames rose by at least `to − from`): they were on screen although a busy page missed
   * their callbacks, so they count however far apart the callbacks were.
   */
  | { kind: 'play'; rate: number; reverse: number; presentedAll?: boolean };

/** The frames watched by moving the playhead from `from` to `to`, or null when none count. */
export function watchedByMove(from: number, to: number, move: PlayheadMove): FrameInterval | null {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < 0) return null;
  if (move.kind === 'step') return Math.abs(to - from) === 1 ? [Math.min(from, to), Math.max(from, to)] : null;
  if (move.rate !== 1 || move.reverse !== 0 || to <= from) return null;
  // A longer jump while playing is a seek or a stall: only the frame now shown was seen.
  return to - from <= MAX_PLAY_GAP + 1 || move.presentedAll ? [from, to] : [to, to];
}
