import type { PixelRect } from '../../../common/geometry';
import type { TrackShape } from '../../../common/track';

/**
 * The pixels a redaction changes, as one horizontal span per row of one plane: rows [y0, y1) of
 * the plane, row y0 + i changing columns [start[i], end[i]). [x0, x1) × [y0, y1) bounds the mask.
 * Spans rather than a bitmap: styles loop over runs, with no per-pixel test.
 */
export interface PlaneMask {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  start: Int32Array;
  end: Int32Array;
}

export interface RegionMask {
  luma: PlaneMask;
  chroma: PlaneMask;
}

/**
 * Builds the luma and chroma masks for `rect` (already clipped to the frame, integer bounds).
 *
 * Rounding is always outwards, so nothing in the region is left unredacted:
 *  - ellipse: every luma pixel whose square touches the inscribed ellipse is included, not just
 *    those whose centre lies inside it;
 *  - chroma: a chroma sample is included when any of the (up to) 2×2 luma pixels it covers is,
 *    so a region starting or ending on an odd coordinate still gets its colour replaced.
 */
export function regionMask(rect: PixelRect, shape: TrackShape): RegionMask {
  const luma = shape === 'ellipse' ? ellipseMask(rect) : rectMask(rect);
  return { luma, chroma: chromaMask(luma) };
}

function rectMask({ x0, y0, x1, y1 }: PixelRect): PlaneMask {
  const h = y1 - y0;
  return { x0, y0, x1, y1, start: new Int32Array(h).fill(x0), end: new Int32Array(h).fill(x1) };
}

function ellipseMask({ x0, y0, x1, y1 }: PixelRect): PlaneMask {
  const h = y1 - y0;
  const start = new Int32Array(h);
  const end = new Int32Array(h);
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const a = (x1 - x0) / 2;
  const b = (y1 - y0) / 2;
  for (let i = 0; i < h; i++) {
    const top = y0 + i;
    // The ellipse is widest, within this row's band [top, top + 1], at the y nearest its centre.
    const dy = cy < top ? top - cy : cy > top + 1 ? cy - top - 1 : 0;
    const t = dy / b;
    const half = a * Math.sqrt(Math.max(0, 1 - t * t));
    // A pixel is included when its square overlaps (cx − half, cx + half). dy < b for every row
    // of the rect, so half > 0 and no row is empty.
    start[i] = Math.max(x0, Math.floor(cx - half));
    end[i] = Math.min(x1, Math.ceil(cx + half));
  }
  return { x0, y0, x1, y1, start, end };
}

/** Chroma sample (cx, cy) covers luma pixels 2cx..2cx+1 × 2cy..2cy+1. */
function chromaMask(luma: PlaneMask): PlaneMask {
  const y0 = luma.y0 >> 1;
  const y1 = (luma.y1 + 1) >> 1;
  const h = y1 - y0;
  const start = new Int32Array(h).fill(0x7fffffff);
  const end = new Int32Array(h);
  for (let i = 0; i < luma.start.length; i++) {
    const s = luma.start[i]!;
    const e = luma.end[i]!;
    if (e <= s) continue;
    const ci = ((luma.y0 + i) >> 1) - y0;
    // floor(s / 2) and ceil(e / 2): expand to even boundaries, never shrink.
    start[ci] = Math.min(start[ci]!, s >> 1);
    end[ci] = Math.max(end[ci]!, (e + 1) >> 1);
  }
  for (let i = 0; i < h; i++) if (end[i]! <= start[i]!) start[i] = end[i] = 0;
  return { x0: luma.x0 >> 1, y0, x1: (luma.x1 + 1) >> 1, y1, start, end };
}
