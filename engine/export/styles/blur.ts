import type { PlaneMask } from './region-mask';
import { shrink, stretch } from './resample';

/**
 * Luma blur radius for a region. Three box passes of radius r are close to a Gaussian with
 * σ ≈ r; at r ≈ min(w, h) / 5 a face-sized region keeps only its broadest shading (eyes, nose
 * and mouth are gone), at any size. The floor of 4 covers tiny, distant faces.
 */
export function blurRadius(w: number, h: number): number {
  return Math.max(4, Math.ceil(Math.min(w, h) / 5));
}

/**
 * Cell edge of the grid a blur of `radius` runs on: radius / 4, so the grid blur has a radius of
 * about 4 cells. Below 8 the blur runs on the pixels themselves; cells of 2–3 px would cost more
 * (many cells, bytes instead of words) than they save. At most 64 (shrink's lanes; a box over
 * 1300 px across then gets a finer grid, not a weaker blur).
 */
export function cellSize(radius: number): number {
  return radius < 8 ? 1 : Math.min(64, Math.max(4, Math.floor(radius / 4)));
}

// Grow-only scratch reused across calls: export blurs many regions per frame, no per-call garbage.
let grid = new Float64Array(0); // the shrunk box (cell means), blurred in place
let lineA = new Float64Array(0); // one grid row or column between box passes
let lineB = new Float64Array(0);

/**
 * Blurs one plane within the mask's bounding box, in place, and writes back only masked samples.
 * The blur is three box passes each way (≈ a Gaussian with σ ≈ radius), samples clamped to the box.
 *
 * It runs on a shrunk copy: the box is averaged down to cells of f (cellSize), blurred there with
 * radius / f (a ~20×20 grid for a square box of any size: little work), and stretched back
 * bilinearly. The detail the shrink drops is far finer than the blur removes anyway. Each pixel is
 * read once and written once, four at a time (see resample.ts).
 *
 * An ellipse is blurred as its whole box and then cut out, rather than with passes clamped to the
 * ellipse: clamping to a shape whose rows and columns differ in length leaves visible structure
 * at its sides, and the box corners it draws on are the track's own box, not unrelated picture.
 */
export function blurPlane(data: Uint8Array, offset: number, stride: number, mask: PlaneMask, radius: number): void {
  const bw = mask.x1 - mask.x0;
  const bh = mask.y1 - mask.y0;
  if (bw <= 0 || bh <= 0) return;
  const f = cellSize(radius);
  const sw = Math.ceil(bw / f);
  const sh = Math.ceil(bh / f);
  const r = Math.max(1, Math.round(radius / f));
  if (grid.length < sw * sh) grid = new Float64Array(sw * sh);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const base = offset + mask.y0 * stride;
  shrink(data, view, base + mask.x0, stride, bw, bh, f, grid, sw);
  blurGrid(sw, sh, r);
  stretch(data, view, base, stride, mask, f, grid, sw, sh);
}

/** Three box passes of radius r along every row, then every column, of the w×h `grid`. */
function blurGrid(w: number, h: number, r: number): void {
  const len = w > h ? w : h;
  if (lineA.length < len) {
    lineA = new Float64Array(len);
    lineB = new Float64Array(len);
  }
  const g = grid;
  for (let i = 0; i < h; i++) {
    boxPass(g, i * w, 1, lineA, w, r);
    boxPass(lineA, 0, 1, lineB, w, r);
    boxPass(lineB, 0, 1, g, w, r, i * w, 1);
  }
  for (let x = 0; x < w; x++) {
    boxPass(g, x, w, lineA, h, r);
    boxPass(lineA, 0, 1, lineB, h, r);
    boxPass(lineB, 0, 1, g, h, r, x, w);
  }
}

/**
 * One box pass of radius r over the n samples src[so + k·ss], into dst[dO + k·ds]. Indices past
 * either end are clamped, so only the box's own samples feed the blur.
 */
function boxPass(src: Float64Array, so: number, ss: number, dst: Float64Array, n: number, r: number, dO = 0, ds = 1): void {
  const inv = 1 / (2 * r + 1);
  const last = n - 1;
  let sum = (r + 1) * src[so]!;
  for (let k = 1; k <= r; k++) sum += src[so + (k > last ? last : k) * ss]!;
  for (let i = 0; i < n; i++) {
    dst[dO + i * ds] = sum * inv;
    const add = i + r + 1;
    const sub = i - r;
    sum += src[so + (add > last ? last : add) * ss]! - src[so + (sub < 0 ? 0 : sub) * ss]!;
  }
}
