import type { Box } from '../../common/geometry';
import type { Observation } from './track-output';

/**
 * Restores the size of faces cut by the frame edge.
 *
 * A face half out of the picture is detected from its visible half, so its box shrinks just as the
 * visible part of the face stays large (a tall sliver at the edge): measured on bench clips, faces
 * of 150–260 px entering or leaving the frame were left 20–50% uncovered. The face's real size is
 * known from the frames where the same track is whole, so an observation at the edge takes the size
 * of the nearest whole one in time (never smaller than its own), keeping its inner side(s), the
 * ones the detector did see, in place.
 */

/**
 * A box is at an edge when it reaches within this fraction of its own size of it (or beyond): the
 * detector clamps boxes to the picture, and it boxes only the part of a cut face it sees (the mouth
 * and chin of a face cut at the forehead), so a cut face can show as a small box well inside.
 */
const EDGE_MARGIN = 0.5;

export interface FrameSize {
  width: number;
  height: number;
}

interface EdgeContact {
  left: boolean;
  right: boolean;
  top: boolean;
  bottom: boolean;
}

/** Which edges `b` is near; `faceSize` (default: the box's own) sets what near means. */
export function edgeContact(b: Box, frame: FrameSize, faceSize = Math.max(b.w, b.h)): EdgeContact {
  const m = EDGE_MARGIN * faceSize;
  return { left: b.x <= m, top: b.y <= m, right: b.x + b.w >= frame.width - m, bottom: b.y + b.h >= frame.height - m };
}

export function atEdge(c: EdgeContact): boolean {
  return c.left || c.right || c.top || c.bottom;
}

/** Grows `b` to at least w×h, moving only the sides that touch the frame edge. */
export function growFromEdge(b: Box, c: EdgeContact, w: number, h: number): Box {
  const nw = Math.max(b.w, w);
  const nh = Math.max(b.h, h);
  const x = c.left && !c.right ? b.x + b.w - nw : c.right && !c.left ? b.x : b.x + (b.w - nw) / 2;
  const y = c.top && !c.bottom ? b.y + b.h - nh : c.bottom && !c.top ? b.y : b.y + (b.h - nh) / 2;
  return { x, y, w: nw, h: nh };
}

/** A box this close to an edge (pixels) touches it: the detector clamped it there. */
const TOUCH_PX = 1;

/**
 * A box that touches one edge is cut by that one: a nearness to an edge across it is only a large
 * face's margin, so the box grows about its centre that way rather than away from an edge it does not
 * reach (a tall sliver at the right, grown upwards only, left the chin uncovered). With no edge
 * touched, or edges on both axes, every near edge counts.
 */
export function settleContact(near: EdgeContact, touching: EdgeContact): EdgeContact {
  const acrossX = touching.left || touching.right;
  const acrossY = touching.top || touching.bottom;
  if (acrossX && !acrossY) return { ...near, top: false, bottom: false };
  if (acrossY && !acrossX) return { ...near, left: false, right: false };
  return near;
}

/** How far in time, in frames, a face's size is taken from. */
const SIZE_WINDOW_FRAMES = 90;

/**
 * The observations (in frame order, as a track's are) with every edge-cut box grown to the largest
 * box of the track within the window. The largest, not the nearest whole one: a face leaving the
 * picture keeps shrinking in the detector's eyes while the part still in view stays large. Nearness
 * to the edge is judged against that size too, since a cut face's own box may sit well inside.
 *
 * The window's largest box comes from a sliding-window maximum, so an hour-long track costs linear
 * time; among equal areas the observation's own box, then the earliest, is taken.
 */
export function restoreClippedSizes(observations: readonly Observation[], frame: FrameSize): Observation[] {
  const area = (k: number) => observations[k]!.box.w * observations[k]!.box.h;
  const window: number[] = []; // indices in the window, areas strictly decreasing from the front
  let head = 0;
  let next = 0;
  return observations.map((o, i) => {
    for (; next < observations.length && observations[next]!.frame <= o.frame + SIZE_WINDOW_FRAMES; next++) {
      while (window.length > head && area(window[window.length - 1]!) < area(next)) window.pop();
      window.push(next);
    }
    while (observations[window[head]!]!.frame < o.frame - SIZE_WINDOW_FRAMES) head++;
    const largest = area(window[head]!) > area(i) ? observations[window[head]!]!.box : o.box;
    const c = settleContact(edgeContact(o.box, frame, Math.max(largest.w, largest.h)), edgeContact(o.box, frame, 2 * TOUCH_PX));
    return atEdge(c) ? { ...o, box: growFromEdge(o.box, c, largest.w, largest.h) } : o;
  });
}
