import type { Box } from '../../common/geometry';
import { type Point, type RotatedRect, corners, minAreaRect } from './min-area-rect';

/**
 * PaddleOCR's `DBPostProcess` (Differentiable Binarization), re-written from its recipe: the model's
 * probability map is thresholded, each connected region becomes a minimum-area rectangle scored by the
 * mean probability inside the region, weak and tiny regions are dropped, and the rest are grown
 * ("unclipped") back to the whole text line, since the model is trained on shrunk text regions.
 */
export interface DbParams {
  /** A pixel is text where the probability exceeds this (PaddleOCR `det_db_thresh`). */
  threshold: number;
  /** A region is kept when its mean probability is at least this (`det_db_box_thresh`). */
  boxThreshold: number;
  /** Growth: distance = area × ratio / perimeter (`det_db_unclip_ratio`). */
  unclipRatio: number;
  /** Regions whose short side is under this many map pixels are dropped (PaddleOCR's `min_size`). */
  minSize: number;
  /** At most this many regions are looked at, in scan order (`max_candidates`). */
  maxCandidates: number;
}

export const DB_DEFAULTS: Readonly<DbParams> = Object.freeze({ threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, minSize: 3, maxCandidates: 1000 });

/** A text line found on the map, in map pixels. */
export interface TextRegion {
  /** The grown line as a rectangle at its own angle. */
  rect: RotatedRect;
  /** Its axis-aligned bounds, clipped to the map. */
  box: Box;
  /** Mean probability over the region's pixels. */
  score: number;
}

/**
 * Text regions of a `width` × `height` probability map (row-major). Regions are 8-connected, as
 * OpenCV's contours are. Pixel (x, y) is taken to cover [x, x+1) × [y, y+1), so a region of one
 * column is one pixel wide (PaddleOCR's contour points are pixel centres: its boxes are one map pixel
 * narrower before unclipping).
 */
export function dbPostprocess(prob: Float32Array, width: number, height: number, params: Partial<DbParams> = {}): TextRegion[] {
  const p = { ...DB_DEFAULTS, ...params };
  if (prob.length < width * height) throw new Error(`probability map has ${prob.length} values for ${width}×${height}`);
  const seen = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  const out: TextRegion[] = [];
  let candidates = 0;
  for (let start = 0; start < width * height; start++) {
    if (seen[start] || !(prob[start]! > p.threshold)) continue;
    if (candidates++ >= p.maxCandidates) break;
    // Flood fill; the stack ends up holding every pixel of the region (pixels [0, filled)).
    let filled = 0;
    let next = 0;
    stack[filled++] = start;
    seen[start] = 1;
    let sum = 0;
    let minY = height, maxY = -1;
    while (next < filled) {
      const i = stack[next++]!;
      sum += prob[i]!;
      const x = i % width;
      const y = (i - x) / width;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (!seen[j] && prob[j]! > p.threshold) {
            seen[j] = 1;
            stack[filled++] = j;
          }
        }
      }
    }
    const score = sum / filled;
    // Each row's leftmost and rightmost pixel is all the convex hull needs.
    const rows = maxY - minY + 1;
    const left = new Int32Array(rows).fill(width);
    const right = new Int32Array(rows).fill(-1);
    for (let k = 0; k < filled; k++) {
      const i = stack[k]!;
      const x = i % width;
      const r = (i - x) / width - minY;
      if (x < left[r]!) left[r] = x;
      if (x > right[r]!) right[r] = x;
    }
    const points: Point[] = [];
    for (let r = 0; r < rows; r++) {
      if (right[r]! < 0) continue;
      const y = minY + r;
      points.push({ x: left[r]!, y }, { x: right[r]! + 1, y }, { x: left[r]!, y: y + 1 }, { x: right[r]! + 1, y: y + 1 });
    }
    const region = regionFrom(minAreaRect(points), score, width, height, p);
    if (region) out.push(region);
  }
  return out;
}

/** Applies the size and score filters and the unclip to one region's rectangle. */
function regionFrom(rect: RotatedRect, score: number, width: number, height: number, p: DbParams): TextRegion | null {
  if (rect.short < p.minSize || score < p.boxThreshold) return null;
  const grown = unclip(rect, p.unclipRatio);
  if (grown.short < p.minSize + 2) return null;
  const box = clippedBounds(grown, width, height);
  return box ? { rect: grown, box, score } : null;
}

/**
 * Grows a rectangle outwards by distance = area × ratio / perimeter on every side. PaddleOCR offsets
 * the polygon by that distance with round joins (pyclipper) and takes the minimum-area rectangle of
 * the result: for a rectangle, that is the rectangle grown by the distance on each side.
 */
export function unclip(rect: RotatedRect, ratio: number): RotatedRect {
  const perimeter = 2 * (rect.long + rect.short);
  const d = perimeter > 0 ? (rect.long * rect.short * ratio) / perimeter : 0;
  return { ...rect, long: rect.long + 2 * d, short: rect.short + 2 * d };
}

function clippedBounds(rect: RotatedRect, width: number, height: number): Box | null {
  const c = corners(rect);
  const x0 = Math.max(0, Math.min(...c.map((q) => q.x)));
  const y0 = Math.max(0, Math.min(...c.map((q) => q.y)));
  const x1 = Math.min(width, Math.max(...c.map((q) => q.x)));
  const y1 = Math.min(height, Math.max(...c.map((q) => q.y)));
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : null;
}
