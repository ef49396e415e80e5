/**
 * Content following for the face tracker: where did a small grayscale patch move to? Normalised
 * cross-correlation (NCC), searched coarse to fine over a 2× box-filtered image pyramid, so the cost
 * stays near-constant whatever the face size (the coarse patch is ~16 px across).
 */

/** A small grayscale copy of a frame. `scale` maps image px to source px (source = image × scale). */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
  scale: number;
}

/** One pyramid level: 8-bit samples, row-major, no padding. */
export interface Plane {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Integer rectangle in image px. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A patch at one pyramid level, mean removed so NCC needs only the window's own statistics. */
interface Patch {
  x: number;
  y: number;
  w: number;
  h: number;
  values: Float32Array;
  /** sqrt(Σ values²). */
  norm: number;
}

export interface Template {
  /** Where the patch was cut, in level-0 image px. */
  rect: Rect;
  /** patches[l] is the patch at pyramid level l; the last one is where the full search runs. */
  patches: Patch[];
}

export interface MatchResult {
  /** Displacement of the best match from the template's own rect, level-0 image px, sub-pixel. */
  dx: number;
  dy: number;
  /** NCC at level 0, in [-1, 1]. */
  score: number;
}

const COARSE_PATCH_SIZE = 16;
const MIN_PATCH_SIZE = 4;
const MAX_COARSE_RADIUS = 24;

export function validateGrayImage(img: GrayImage): void {
  if (!Number.isInteger(img.width) || !Number.isInteger(img.height) || img.width < 1 || img.height < 1) {
    throw new RangeError(`gray image size must be positive integers, got ${img.width}×${img.height}`);
  }
  if (img.data.length < img.width * img.height) {
    throw new RangeError(`gray image data holds ${img.data.length} bytes, needs ${img.width * img.height}`);
  }
  if (!(img.scale > 0) || !Number.isFinite(img.scale)) throw new RangeError(`gray image scale must be > 0, got ${img.scale}`);
}

/** Halves a plane with a 2×2 box average: the anti-aliasing keeps fine texture's peak findable when coarse. */
export function halvePlane(p: Plane): Plane {
  const width = p.width >> 1;
  const height = p.height >> 1;
  if (width < 1 || height < 1) throw new RangeError(`cannot halve a ${p.width}×${p.height} plane`);
  const out = new Uint8Array(width * height);
  const src = p.data;
  const stride = p.width;
  for (let y = 0; y < height; y++) {
    let a = 2 * y * stride;
    let b = a + stride;
    let o = y * width;
    for (let x = 0; x < width; x++, a += 2, b += 2, o++) {
      out[o] = (src[a]! + src[a + 1]! + src[b]! + src[b + 1]! + 2) >> 2;
    }
  }
  return { width, height, data: out };
}

/** The levels of one image, built on first use: most frames need only one or two. */
export class ImagePyramid {
  private readonly levels: Plane[];

  constructor(readonly image: GrayImage) {
    validateGrayImage(image);
    this.levels = [{ width: image.width, height: image.height, data: image.data }];
  }

  level(l: number): Plane {
    while (this.levels.length <= l) this.levels.push(halvePlane(this.levels[this.levels.length - 1]!));
    return this.levels[l]!;
  }
}

/** The coarsest level at which a w×h patch is still ≥ MIN_PATCH_SIZE, aiming for ~16 px. */
export function coarseLevelFor(w: number, h: number): number {
  let level = Math.max(0, Math.ceil(Math.log2(Math.max(w, h) / COARSE_PATCH_SIZE)));
  while (level > 0 && Math.min(w, h) >> level < MIN_PATCH_SIZE) level--;
  return level;
}

function cutPatch(plane: Plane, x: number, y: number, w: number, h: number): Patch {
  const values = new Float32Array(w * h);
  let sum = 0;
  for (let j = 0, k = 0; j < h; j++) {
    let o = (y + j) * plane.width + x;
    for (let i = 0; i < w; i++, k++, o++) {
      const v = plane.data[o]!;
      values[k] = v;
      sum += v;
    }
  }
  const mean = sum / values.length;
  let sq = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]! - mean;
    values[k] = v;
    sq += v * v;
  }
  return { x, y, w, h, values, norm: Math.sqrt(sq) };
}

/**
 * Cuts a template at `rect` (level-0 image px; must lie inside the image). Returns null when the
 * patch is too flat (standard deviation below `minStd` grey levels): it would match anywhere.
 */
export function cutTemplate(pyramid: ImagePyramid, rect: Rect, minStd = 2): Template | null {
  const base = pyramid.level(0);
  if (rect.w < 1 || rect.h < 1 || rect.x < 0 || rect.y < 0 || rect.x + rect.w > base.width || rect.y + rect.h > base.height) {
    return null;
  }
  const top = coarseLevelFor(rect.w, rect.h);
  const patches: Patch[] = [];
  for (let l = 0; l <= top; l++) {
    const plane = pyramid.level(l);
    const x = rect.x >> l;
    const y = rect.y >> l;
    const w = Math.min(rect.w >> l, plane.width - x);
    const h = Math.min(rect.h >> l, plane.height - y);
    patches.push(cutPatch(plane, x, y, w, h));
  }
  const p0 = patches[0]!;
  if (p0.norm / Math.sqrt(p0.w * p0.h) < minStd) return null;
  return { rect: { ...rect }, patches };
}

/** NCC of `patch` with the window whose top-left is (x, y); the window must lie inside the plane. */
export function nccAt(plane: Plane, patch: Patch, x: number, y: number): number {
  const { w, h, values, norm } = patch;
  const data = plane.data;
  const stride = plane.width;
  let sI = 0;
  let sII = 0;
  let sTI = 0;
  for (let j = 0, k = 0; j < h; j++) {
    let o = (y + j) * stride + x;
    for (let i = 0; i < w; i++, k++, o++) {
      const v = data[o]!;
      sI += v;
      sII += v * v;
      sTI += values[k]! * v;
    }
  }
  const n = w * h;
  const varI = sII - (sI * sI) / n;
  // A flat window (std < 1 grey level) correlates with nothing; calling it 0 avoids noise blow-up.
  if (varI < n || norm === 0) return 0;
  return sTI / (norm * Math.sqrt(varI));
}

interface Best {
  x: number;
  y: number;
  score: number;
}

/** Exhaustive search of top-left positions in [x0, x1] × [y0, y1], clamped to the plane. Raster order breaks ties. */
function searchWindow(plane: Plane, patch: Patch, x0: number, x1: number, y0: number, y1: number): Best | null {
  const xa = Math.max(0, x0);
  const xb = Math.min(plane.width - patch.w, x1);
  const ya = Math.max(0, y0);
  const yb = Math.min(plane.height - patch.h, y1);
  let best: Best | null = null;
  for (let y = ya; y <= yb; y++) {
    for (let x = xa; x <= xb; x++) {
      const score = nccAt(plane, patch, x, y);
      if (!best || score > best.score) best = { x, y, score };
    }
  }
  return best;
}

/**
 * Finds `tpl` in `pyramid`, expecting it displaced by (expectedDx, expectedDy) ± radius (level-0
 * image px). Full search at the template's coarse level, ±1 px refinement down to level 0, then a
 * sub-pixel peak estimate.
 * Null when the search window has no position where the patch fits inside the image.
 */
export function matchTemplate(
  pyramid: ImagePyramid,
  tpl: Template,
  expectedDx: number,
  expectedDy: number,
  radius: number,
): MatchResult | null {
  const top = tpl.patches.length - 1;
  const f = 1 << top;
  const coarse = tpl.patches[top]!;
  const r = Math.min(MAX_COARSE_RADIUS, Math.max(1, Math.ceil(radius / f)));
  const cx = coarse.x + Math.round(expectedDx / f);
  const cy = coarse.y + Math.round(expectedDy / f);
  let best = searchWindow(pyramid.level(top), coarse, cx - r, cx + r, cy - r, cy + r);
  if (!best) return null;
  let dx = best.x - coarse.x;
  let dy = best.y - coarse.y;
  for (let l = top - 1; l >= 0; l--) {
    const patch = tpl.patches[l]!;
    const gx = patch.x + 2 * dx;
    const gy = patch.y + 2 * dy;
    const refined = searchWindow(pyramid.level(l), patch, gx - 1, gx + 1, gy - 1, gy + 1);
    if (!refined) return null;
    best = refined;
    dx = refined.x - patch.x;
    dy = refined.y - patch.y;
  }
  const base = pyramid.level(0);
  const p0 = tpl.patches[0]!;
  return {
    dx: dx + subPixel(base, p0, best, 1, 0),
    dy: dy + subPixel(base, p0, best, 0, 1),
    score: best.score,
  };
}

/**
 * Parabola through the scores at the peak and its two neighbours along (ux, uy): the peak's
 * fractional offset in [-0.5, 0.5]. Integer positions alone would make followed boxes jitter by up
 * to half an analysis pixel (several source px), which costs keyframes.
 */
function subPixel(plane: Plane, patch: Patch, peak: Best, ux: number, uy: number): number {
  const xa = peak.x - ux;
  const ya = peak.y - uy;
  const xb = peak.x + ux;
  const yb = peak.y + uy;
  if (xa < 0 || ya < 0 || xb + patch.w > plane.width || yb + patch.h > plane.height) return 0;
  const a = nccAt(plane, patch, xa, ya);
  const b = nccAt(plane, patch, xb, yb);
  const curvature = a - 2 * peak.score + b;
  if (curvature >= 0) return 0;
  return Math.max(-0.5, Math.min(0.5, (a - b) / (2 * curvature)));
}

/** NCC of the template's level-0 patch displaced by (dx, dy); -1 when that falls outside the image. */
export function scoreAt(pyramid: ImagePyramid, tpl: Template, dx: number, dy: number): number {
  const plane = pyramid.level(0);
  const p = tpl.patches[0]!;
  const x = p.x + dx;
  const y = p.y + dy;
  if (x < 0 || y < 0 || x + p.w > plane.width || y + p.h > plane.height) return -1;
  return nccAt(plane, p, x, y);
}
