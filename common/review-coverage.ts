import type { RedactionPlan } from './plan';
import { trackSpan } from './track';

/**
 * Which frames a reviewer has actually watched (at normal speed, or stepped through), kept as a
 * compact set of inclusive frame intervals: sorted, disjoint and not touching. Hours of review are a
 * handful of intervals, not a bit per frame. Pure values: every function returns a new set.
 */
export type FrameInterval = readonly [first: number, last: number];
export type WatchedFrames = readonly FrameInterval[];

export const NOTHING_WATCHED: WatchedFrames = Object.freeze([]);

/** Adds frames first..last (inclusive, any order), merging with overlapping or adjacent intervals. */
export function addWatched(set: WatchedFrames, first: number, last: number): WatchedFrames {
  let a = Math.max(0, Math.floor(Math.min(first, last)));
  let b = Math.floor(Math.max(first, last));
  if (!Number.isFinite(a) || !Number.isFinite(b) || b < 0) return set;
  const out: FrameInterval[] = [];
  let placed = false;
  for (const [x, y] of set) {
    if (y < a - 1) out.push([x, y]);
    else if (x > b + 1) {
      if (!placed) out.push([a, b]);
      placed = true;
      out.push([x, y]);
    } else {
      a = Math.min(a, x);
      b = Math.max(b, y);
    }
  }
  if (!placed) out.push([a, b]);
  return out;
}

/** Normalises any list of intervals (e.g. from storage) into a proper set. */
export function mergeWatched(...sets: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): WatchedFrames {
  let out: WatchedFrames = NOTHING_WATCHED;
  for (const set of sets) for (const [x, y] of set) out = addWatched(out, x, y);
  return out;
}

/** Frames watched among 0..frameCount-1. */
export function watchedCount(set: WatchedFrames, frameCount: number): number {
  let n = 0;
  for (const [x, y] of set) {
    const hi = Math.min(y, frameCount - 1);
    if (hi >= x) n += hi - x + 1;
  }
  return n;
}

/** Share of the clip's frames watched, in [0, 1]; 1 for an empty clip. */
export function shareWatched(set: WatchedFrames, frameCount: number): number {
  return frameCount > 0 ? watchedCount(set, frameCount) / frameCount : 1;
}

/** The stretches of 0..frameCount-1 nobody watched, for the timeline and the report. */
export function unwatchedStretches(set: WatchedFrames, frameCount: number): FrameInterval[] {
  const out: FrameInterval[] = [];
  let next = 0;
  for (const [x, y] of set) {
    if (x >= frameCount) break;
    if (x > next) out.push([next, x - 1]);
    next = Math.max(next, y + 1);
  }
  if (next <= frameCount - 1) out.push([next, frameCount - 1]);
  return out;
}

export function isFullyWatched(set: WatchedFrames, frameCount: number): boolean {
  return watchedCount(set, frameCount) === frameCount;
}

/**
 * The review's state for an export of `plan`: frames watched among those exported, unwatched
 * stretches (source frames), proposals still undecided, and whether it is complete. The app shows
 * this before export and asks for a confirmation reason when it is not complete; export records it.
 */
export function reviewSummary(
  plan: Pick<RedactionPlan, 'trim' | 'tracks'> & { source: { video: { frameCount: number } } },
  watched: WatchedFrames | undefined,
) {
  const frameCount = plan.trim ? plan.trim.endFrame - plan.trim.startFrame + 1 : plan.source.video.frameCount;
  const first = plan.trim?.startFrame ?? 0;
  // Coverage counts the exported frames only; watched intervals are in source frames.
  const inOutput = watched ? mergeWatched(watched.map(([a, b]) => [a - first, b - first] as [number, number])) : undefined;
  const lastFrame = plan.source.video.frameCount - 1;
  const undecided = plan.tracks
    .filter((t) => t.decision === 'proposed')
    .map((t) => {
      const span = trackSpan(t, lastFrame);
      return { trackId: t.id, label: t.label, firstFrame: span?.first ?? null, lastFrame: span?.last ?? null };
    });
  const framesWatched = inOutput ? watchedCount(inOutput, frameCount) : null;
  return {
    recorded: !!inOutput,
    frameCount,
    framesWatched,
    shareWatched: inOutput ? shareWatched(inOutput, frameCount) : null,
    unwatched: inOutput ? unwatchedStretches(inOutput, frameCount).map(([a, b]) => [a + first, b + first] as [number, number]) : [],
    undecided,
    complete: !!inOutput && framesWatched === frameCount && undecided.length === 0,
  };
}
