import type { PlaneMask } from './region-mask';

/**
 * Luma blur radius for a region. Three box passes of radius r are close to a Gaussian with
 * σ ≈ r; at r ≈ min(w, h) / 5 a face-sized region keeps only its broadest shading (eyes, nose
 * and mouth are gone), at any size. The floor of 4 covers tiny, distant faces.
 */
export function blurRadius(w: number, h: number): number {
  return Math.max(4, Math.ceil(Math.min(w, h) / 5));
}

const PASSES = 3;

// Grow-only scratch reused across calls: export blurs many regions per frame, no per-call garbage.
let grid = new Float32Array(0); // the (possibly shrunk) region to blur, row-major
let bufA = new Float32Array(0); // padded ping-pong buffers for the passes
let bufB = new Float32Array(0);
let lineA = new Float32Array(0);
let lineB = new Float32Array(0);
let sums = new Float64Array(0);
let wide = new Float32Array(0); // blurred rows stretched back to full width
let ix0 = new Int32Array(0); // per output column: left / right source column and weight
let ix1 = new Int32Array(0);
let tx = new Float32Array(0);

function grow<T extends Float32Array | Float64Array | Int32Array>(a: T, n: number, make: (n: number) => T): T {
  return a.length >= n ? a : make(n);
}

// Both directions work on padded buffers: the samples sit in the middle, with r copies of the
// first sample (row) before them and r + 1 of the last after. Clamping to the region's edge then
// costs nothing in the inner loops, and only the region's own samples ever feed the blur.

/**
 * PASSES horizontal box passes over one row of n samples held at a[r, r + n); the result ends in
 * the returned buffer at [r, r + n). Running sums: O(n + r) per pass.
 */
function blurRow(a: Float32Array, b: Float32Array, n: number, r: number): Float32Array {
  const width = 2 * r + 1;
  const inv = 1 / width;
  let src = a;
  let dst = b;
  for (let p = 0; p < PASSES; p++) {
    src.fill(src[r]!, 0, r);
    src.fill(src[r + n - 1]!, r + n, n + width);
    let sum = 0;
    for (let k = 0; k < width; k++) sum += src[k]!;
    for (let i = 0; i < n; i++) {
      dst[r + i] = sum * inv;
      sum += src[i + width]! - src[i]!;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

/**
 * PASSES vertical box passes over a bw-wide image of bh rows held at rows [r, r + bh) of `a`
 * (row-major, bw per row). Each pass sweeps down the rows keeping one running sum per column,
 * so every access is sequential: no strided column walks. Returns the buffer holding the result.
 */
function blurColumns(a: Float32Array, b: Float32Array, bw: number, bh: number, r: number): Float32Array {
  const width = 2 * r + 1;
  const inv = 1 / width;
  let src = a;
  let dst = b;
  for (let p = 0; p < PASSES; p++) {
    for (let k = 0; k < r; k++) src.copyWithin(k * bw, r * bw, (r + 1) * bw);
    for (let k = r + bh; k < bh + width; k++) src.copyWithin(k * bw, (r + bh - 1) * bw, (r + bh) * bw);
    const sum = sums;
    sum.fill(0, 0, bw);
    for (let k = 0; k < width; k++) for (let j = 0, o = k * bw; j < bw; j++) sum[j] = sum[j]! + src[o + j]!;
    for (let i = 0; i < bh; i++) {
      const out = (r + i) * bw;
      const add = (i + width) * bw;
      const sub = i * bw;
      for (let j = 0; j < bw; j++) {
        const s = sum[j]!;
        dst[out + j] = s * inv;
        sum[j] = s + src[add + j]! - src[sub + j]!;
      }
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

/** Blurs the w×h image in `grid`; returns the buffer holding the result, row i at (r + i) · w. */
function blurGrid(w: number, h: number, r: number): Float32Array {
  const line = w + 2 * r + 1;
  lineA = grow(lineA, line, (n) => new Float32Array(n));
  lineB = grow(lineB, line, (n) => new Float32Array(n));
  const size = (h + 2 * r + 1) * w;
  bufA = grow(bufA, size, (n) => new Float32Array(n));
  bufB = grow(bufB, size, (n) => new Float32Array(n));
  sums = grow(sums, w, (n) => new Float64Array(n));
  for (let i = 0; i < h; i++) {
    lineA.set(grid.subarray(i * w, i * w + w), r);
    const out = blurRow(lineA, lineB, w, r);
    bufA.set(out.subarray(r, r + w), (r + i) * w);
  }
  return blurColumns(bufA, bufB, w, h, r);
}

/**
 * Blurs one plane within the mask's bounding box, in place, and writes back only masked samples.
 * The blur is PASSES box passes each way (≈ a Gaussian with σ ≈ radius), samples clamped to the box.
 *
 * Large radii are computed on a shrunk copy: the box is averaged down by f ≈ radius / 4, blurred
 * with radius / f, and stretched back bilinearly. The result is as smooth (the detail it removes is
 * far finer than f), and the cost drops from six passes per pixel to about one read and one write,
 * which keeps a 1080p export with many regions in step with the encoder.
 *
 * An ellipse is blurred as its whole box and then cut out, rather than with passes clamped to the
 * ellipse: clamping to a shape whose rows and columns differ in length leaves visible structure
 * at its sides, and the box corners it draws on are the track's own box, not unrelated picture.
 */
export function blurPlane(data: Uint8Array, offset: number, stride: number, mask: PlaneMask, radius: number): void {
  const { x0, y0, start, end } = mask;
  const bw = mask.x1 - x0;
  const bh = mask.y1 - y0;
  if (bw <= 0 || bh <= 0) return;
  const f = Math.max(1, Math.floor(radius / 4));
  const sw = Math.ceil(bw / f);
  const sh = Math.ceil(bh / f);
  const r = Math.max(1, Math.round(radius / f));
  grid = grow(grid, sw * sh, (n) => new Float32Array(n));
  shrink(data, offset + y0 * stride + x0, stride, bw, bh, f, sw, sh);
  const out = blurGrid(sw, sh, r);

  if (f === 1) {
    for (let i = 0, row = offset + y0 * stride; i < bh; i++, row += stride) {
      const o = (r + i) * bw - x0;
      // Values are convex combinations of bytes, so only rounding is needed, not clamping.
      for (let x = start[i]!, e = end[i]!; x < e; x++) data[row + x] = (out[o + x]! + 0.5) | 0;
    }
    return;
  }

  // Stretch back: bilinear, sample centres aligned ((x + ½) / f − ½), edges clamped. Rows are
  // first stretched across (sh × bw), then each output row blends two of them. Hot loops use
  // locals, not the module's scratch bindings, so V8 keeps them in registers.
  const n = Math.max(bw, bh);
  const s0 = (ix0 = grow(ix0, n, (k) => new Int32Array(k)));
  const s1 = (ix1 = grow(ix1, n, (k) => new Int32Array(k)));
  const st = (tx = grow(tx, n, (k) => new Float32Array(k)));
  const wd = (wide = grow(wide, sh * bw, (k) => new Float32Array(k)));
  lerpSources(bw, f, sw, s0, s1, st);
  for (let k = 0; k < sh; k++) {
    const src = (r + k) * sw;
    const dst = k * bw;
    for (let x = 0; x < bw; x++) {
      const a = out[src + s0[x]!]!;
      wd[dst + x] = a + (out[src + s1[x]!]! - a) * st[x]!;
    }
  }
  lerpSources(bh, f, sh, s0, s1, st);
  for (let i = 0, row = offset + y0 * stride; i < bh; i++, row += stride) {
    const t = st[i]!;
    const ra = s0[i]! * bw - x0;
    const rb = s1[i]! * bw - x0;
    for (let x = start[i]!, e = end[i]!; x < e; x++) {
      const va = wd[ra + x]!;
      data[row + x] = (va + (wd[rb + x]! - va) * t + 0.5) | 0;
    }
  }
}

/** Averages the bw×bh box at `base` into `grid` as sw×sh cells of f×f (edge cells partial). */
function shrink(data: Uint8Array, base: number, stride: number, bw: number, bh: number, f: number, sw: number, sh: number): void {
  const g = grid;
  if (f === 1) {
    for (let i = 0; i < bh; i++) for (let x = 0, row = base + i * stride, o = i * bw; x < bw; x++) g[o + x] = data[row + x]!;
    return;
  }
  g.fill(0, 0, sw * sh);
  for (let i = 0; i < bh; i++) {
    const row = base + i * stride;
    const o = ((i / f) | 0) * sw;
    for (let c = 0, x = 0; c < sw; c++) {
      let sum = 0;
      for (const xe = Math.min(bw, x + f); x < xe; x++) sum += data[row + x]!;
      g[o + c] = g[o + c]! + sum;
    }
  }
  for (let k = 0; k < sh; k++) {
    const ch = Math.min(f, bh - k * f);
    for (let c = 0; c < sw; c++) g[k * sw + c] = g[k * sw + c]! / (ch * Math.min(f, bw - c * f));
  }
}

/** For each output index i < len: the two shrunk-grid samples (of n) around its centre, and the weight of the second. */
function lerpSources(len: number, f: number, n: number, a: Int32Array, b: Int32Array, t: Float32Array): void {
  for (let i = 0; i < len; i++) {
    const v = Math.min(n - 1, Math.max(0, (i + 0.5) / f - 0.5));
    const lo = Math.min(n - 2, Math.floor(v));
    a[i] = Math.max(0, lo);
    b[i] = Math.min(n - 1, lo + 1);
    t[i] = n === 1 ? 0 : v - lo;
  }
}
