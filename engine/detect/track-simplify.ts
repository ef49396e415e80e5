import type { Box } from '../../common/geometry';

/**
 * Keyframe simplification: from a dense per-frame box sequence, keep only the frames that linear
 * interpolation (as boxAtFrame does it) cannot reproduce within a tolerance. Douglas–Peucker over
 * time, measured on all four edges, so a box that only grows or shrinks keeps its keyframes too.
 */

export interface FrameBox extends Box {
  frame: number;
}

/** Largest distance of any edge of `box` from the edges interpolated between `a` and `b` at box.frame. */
export function edgeDeviation(a: FrameBox, b: FrameBox, box: FrameBox): number {
  const t = (box.frame - a.frame) / (b.frame - a.frame);
  const left = a.x + (b.x - a.x) * t;
  const top = a.y + (b.y - a.y) * t;
  const right = a.x + a.w + (b.x + b.w - a.x - a.w) * t;
  const bottom = a.y + a.h + (b.y + b.h - a.y - a.h) * t;
  return Math.max(
    Math.abs(left - box.x),
    Math.abs(top - box.y),
    Math.abs(right - (box.x + box.w)),
    Math.abs(bottom - (box.y + box.h)),
  );
}

/**
 * Indices of the boxes to keep as keyframes (always the first and the last). `boxes` must be in
 * strictly increasing frame order; frames need not be consecutive, but only listed frames are checked.
 */
export function keyframeIndices(boxes: readonly FrameBox[], tolerancePx: number): number[] {
  if (!(tolerancePx >= 0)) throw new RangeError(`tolerance must be ≥ 0, got ${tolerancePx}`);
  for (let i = 1; i < boxes.length; i++) {
    if (!(boxes[i]!.frame > boxes[i - 1]!.frame)) throw new RangeError('boxes must be in strictly increasing frame order');
  }
  if (boxes.length <= 2) return boxes.map((_, i) => i);
  const keep = new Uint8Array(boxes.length);
  keep[0] = 1;
  keep[boxes.length - 1] = 1;
  // Explicit stack: long tracks would overflow recursion on worst-case input.
  const stack: Array<[number, number]> = [[0, boxes.length - 1]];
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    let worst = -1;
    let worstDev = tolerancePx;
    for (let k = i + 1; k < j; k++) {
      const dev = edgeDeviation(boxes[i]!, boxes[j]!, boxes[k]!);
      if (dev > worstDev) {
        worstDev = dev;
        worst = k;
      }
    }
    if (worst < 0) continue;
    keep[worst] = 1;
    stack.push([i, worst], [worst, j]);
  }
  const out: number[] = [];
  keep.forEach((k, i) => {
    if (k) out.push(i);
  });
  return out;
}

/**
 * The kept boxes as copies. With `contain`, each is grown by the tolerance on every side: edges
 * interpolate linearly, so the interpolated box then contains every dense box — a simplified track
 * may over-cover by a few px, never under-cover.
 */
export function simplifyBoxes<T extends FrameBox>(boxes: readonly T[], tolerancePx: number, contain = false): T[] {
  const grow = contain ? tolerancePx : 0;
  return keyframeIndices(boxes, tolerancePx).map((i) => {
    const b = boxes[i]!;
    return { ...b, x: b.x - grow, y: b.y - grow, w: b.w + 2 * grow, h: b.h + 2 * grow };
  });
}
