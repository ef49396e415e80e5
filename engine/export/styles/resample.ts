import type { PlaneMask } from './region-mask';

/**
 * Moving a plane's box to a coarse grid and back: `shrink` averages f×f cells, `stretch` writes a
 * (blurred) grid back bilinearly. Each touches a pixel once, and both run in the export's frame
 * loop, on the cores x264 needs, so they are written for V8.
 *
 * V8 re-checks a typed array (map, length, base) on every access in such loops: the cost goes with
 * the number of accesses, not of arithmetic operations. So pixels move four at a time, as one
 * DataView word (any alignment, little-endian by request), and the arithmetic works on the word's
 * bytes in 16-bit lanes: (w & 0xff00ff) holds bytes 0 and 2, ((w >>> 8) & 0xff00ff) bytes 1 and 3.
 * Words are read and written signed (getInt32, setInt32) so that V8 keeps them in int32 registers.
 */

/** Fixed point of the ramps in `stretch`: 16 fraction bits, plus ½ so that `>>> 16` rounds. */
const ONE = 65536;
const HALF = 32768;
const LANES = 0xff00ff;
/** ½ in both lanes of an 8-bit-weighted blend (a·u + b·t with u + t = 256). */
const ROUND = 0x800080;

// Grow-only scratch: the grid rows stretched across the box (bytes, each row whole words).
let wide = new Uint8Array(0);
let wideView = new DataView(wide.buffer);

/** Sum of the bytes [p, pe): a word at a time, then a 2- and a 1-byte tail. */
export function sumBytes(data: Uint8Array, view: DataView, p: number, pe: number): number {
  let sum = 0;
  while (pe - p >= 4) {
    // Each lane gains at most 2 · 255 per word: emptied every 128 words, it cannot overflow.
    const stop = pe - p > 512 ? p + 512 : pe;
    let q = 0;
    for (; p + 4 <= stop; p += 4) {
      const w = view.getInt32(p, true);
      q += (w & LANES) + ((w >>> 8) & LANES);
    }
    sum += (q & 0xffff) + (q >>> 16);
  }
  if (p + 2 <= pe) {
    const w = view.getUint16(p, true);
    sum += (w & 0xff) + (w >>> 8);
    p += 2;
  }
  if (p < pe) sum += data[p]!;
  return sum;
}

/** Sets bytes [p, pe) to the low byte of `word`, which holds it in all four bytes. */
export function fillBytes(data: Uint8Array, view: DataView, p: number, pe: number, word: number): void {
  for (; p + 4 <= pe; p += 4) view.setInt32(p, word, true);
  for (; p < pe; p++) data[p] = word;
}

/**
 * Averages the bw×bh box at `at` into `grid` (row-major, sw × sh) as cells of f×f (f ≤ 64), the last
 * row and column of cells partial.
 */
export function shrink(data: Uint8Array, view: DataView, at: number, stride: number, bw: number, bh: number, f: number, grid: Float64Array, sw: number): void {
  const full = 1 / (f * f);
  // One cell at a time, summed in registers: one store per cell.
  for (let k = 0, ia = 0; ia < bh; k++, ia += f) {
    const ib = ia + f < bh ? ia + f : bh;
    for (let c = 0, xa = 0; xa < bw; c++, xa += f) {
      const n = xa + f < bw ? f : bw - xa;
      const words = n & ~3;
      let sum = 0;
      // Two rows per step, which halves the loop overhead (a lone last row goes to sumBytes). Per step
      // a lane gains at most 2 · 255 · (2 · 16 + 3) < 2¹⁵ for f ≤ 64: no overflow, q stays int32.
      for (let i = ia, p0 = at + ia * stride + xa; i < ib; i += 2, p0 += 2 * stride) {
        if (i + 1 === ib) {
          sum += sumBytes(data, view, p0, p0 + n);
          break;
        }
        let q = 0;
        let p = p0;
        for (const pw = p0 + words; p < pw; p += 4) {
          const w = view.getInt32(p, true);
          const v = view.getInt32(p + stride, true);
          q += (w & LANES) + ((w >>> 8) & LANES) + (v & LANES) + ((v >>> 8) & LANES);
        }
        if (n - words >= 2) {
          const w = view.getUint16(p, true);
          const v = view.getUint16(p + stride, true);
          q += (w & 0xff) + (w >>> 8) + (v & 0xff) + (v >>> 8);
          p += 2;
        }
        if ((n & 1) !== 0) q += data[p]! + data[p + stride]!;
        sum += (q & 0xffff) + (q >>> 16);
      }
      grid[k * sw + c] = sum * (n === f && ib - ia === f ? full : 1 / ((ib - ia) * n));
    }
  }
}

/**
 * Writes `grid` (sw × sh cells of f) back over the masked samples of the box, bilinearly: cell c's
 * value sits at column (c + ½)f − ½, and likewise down; beyond the outer centres it is held.
 *
 * Each grid row is first stretched across the box into `wide`: between two cell centres that is a
 * linear ramp. Each output row then blends the two wide rows around it with an 8-bit weight, a word
 * at a time; rows in pairs when they blend the same two, so each pair of source words is read once.
 */
export function stretch(data: Uint8Array, view: DataView, base: number, stride: number, mask: PlaneMask, f: number, grid: Float64Array, sw: number, sh: number): void {
  const { x0, start, end } = mask;
  const bw = mask.x1 - x0;
  const bh = start.length;
  if (f === 1) {
    // Cells are pixels: the grid is the result.
    for (let i = 0, row = base; i < bh; i++, row += stride)
      for (let x = start[i]!, e = end[i]!, o = i * sw - x0; x < e; x++) data[row + x] = (grid[o + x]! + 0.5) | 0;
    return;
  }
  const ww = (bw + 3) & ~3;
  if (wide.length < sh * ww) {
    wide = new Uint8Array(sh * ww);
    wideView = new DataView(wide.buffer);
  }
  const wb = wide;
  const wv = wideView;
  // Column run j spans from centre j − 1 to centre j (run 0 and run sw are the held ends); run j + 1
  // starts at column ((2j + 1)f) >> 1, the first at or right of centre j.
  const inv = 1 / f;
  for (let j = 0, xa = 0; xa < bw; j++) {
    const xb = j === sw ? bw : Math.min(bw, ((2 * j + 1) * f) >> 1);
    const ja = j > 0 ? j - 1 : 0;
    const jb = j < sw ? j : sw - 1;
    const step = ja === jb ? 0 : inv;
    const tx = ja === jb ? 0 : (2 * xa + 1 - f) / (2 * f) - ja;
    for (let k = 0; k < sh; k++) {
      const a = grid[k * sw + ja]!;
      const d = grid[k * sw + jb]! - a;
      // `| 0` keeps the ramp in int32 registers rather than floats.
      ramp(wb, wv, k * ww + xa, k * ww + xb, (Math.round((a + d * tx) * ONE) + HALF) | 0, Math.round(d * step * ONE) | 0);
    }
    xa = xb;
  }
  const top = sh - 1;
  for (let i = 0, row = base + x0; i < bh; ) {
    // Row i lies between grid rows ka and ka + 1 (or is held at an end), weight t of the second.
    const py = (2 * i + 1 - f) / (2 * f);
    const ka = py <= 0 ? 0 : py >= top ? top : py | 0;
    const oa = ka * ww;
    const ob = ka < top ? oa + ww : oa;
    const t = py <= 0 || py >= top ? 0 : Math.round((py - ka) * 256) | 0;
    const s = start[i]! - x0;
    const e = end[i]! - x0;
    const py2 = (2 * i + 3 - f) / (2 * f);
    if (i + 1 < bh && py2 > 0 && py2 < top && (py2 | 0) === ka) {
      const t2 = Math.round((py2 - ka) * 256) | 0;
      const s2 = start[i + 1]! - x0;
      const e2 = end[i + 1]! - x0;
      // Both rows' whole words in common together, the rest of each row on its own.
      const ps = ((s > s2 ? s : s2) + 3) & ~3;
      const pe = (e < e2 ? e : e2) & ~3;
      if (ps < pe) {
        blendPair(view, wv, row, row + stride, ps, pe, oa, ob, t, t2);
        blend(data, view, wb, wv, row, s, ps, oa, ob, t);
        blend(data, view, wb, wv, row, pe, e, oa, ob, t);
        blend(data, view, wb, wv, row + stride, s2, ps, oa, ob, t2);
        blend(data, view, wb, wv, row + stride, pe, e2, oa, ob, t2);
      } else {
        blend(data, view, wb, wv, row, s, e, oa, ob, t);
        blend(data, view, wb, wv, row + stride, s2, e2, oa, ob, t2);
      }
      i += 2;
      row += 2 * stride;
    } else {
      blend(data, view, wb, wv, row, s, e, oa, ob, t);
      i++;
      row += stride;
    }
  }
}

/**
 * Writes bytes [p, pe) as acc, acc + dx, … (fixed point): whole words where it can, 2 + 1 at the end.
 * Every acc stays within 0 … 2²⁴, so each byte is bits 16–23 and needs no clamping.
 */
function ramp(data: Uint8Array, view: DataView, p: number, pe: number, acc: number, dx: number): void {
  for (; p + 4 <= pe; p += 4) {
    const a1 = acc + dx;
    const a2 = a1 + dx;
    const a3 = a2 + dx;
    view.setInt32(p, (acc >>> 16) | ((a1 >>> 8) & 0xff00) | (a2 & 0xff0000) | ((a3 << 8) & 0xff000000), true);
    acc = a3 + dx;
  }
  if (p + 2 <= pe) {
    const a1 = acc + dx;
    view.setUint16(p, (acc >>> 16) | ((a1 >>> 8) & 0xff00), true);
    acc = a1 + dx;
    p += 2;
  }
  if (p < pe) data[p] = acc >>> 16;
}

/**
 * Columns [x, e) of the output row at `row` (x relative to the box): wide rows at oa and ob blended
 * with weight t / 256 on the second. Bytes up to a word boundary of the wide row, then words.
 * Per lane a·(256 − t) + b·t + 128 ≤ 255·256 + 128 < 2¹⁶: no lane overflows into the next.
 */
function blend(data: Uint8Array, view: DataView, wb: Uint8Array, wv: DataView, row: number, x: number, e: number, oa: number, ob: number, t: number): void {
  const u = 256 - t;
  for (; x < e && (x & 3) !== 0; x++) data[row + x] = (wb[oa + x]! * u + wb[ob + x]! * t + 128) >> 8;
  for (; x + 4 <= e; x += 4) {
    const a = wv.getInt32(oa + x, true);
    const b = wv.getInt32(ob + x, true);
    // `(…) | 0`: the lane sums wrap into the sign bit harmlessly and stay int32.
    const even = (((Math.imul(a & LANES, u) + Math.imul(b & LANES, t) + ROUND) | 0) >>> 8) & LANES;
    const odd = ((Math.imul((a >>> 8) & LANES, u) + Math.imul((b >>> 8) & LANES, t) + ROUND) | 0) & ~LANES;
    view.setInt32(row + x, even | odd, true);
  }
  for (; x < e; x++) data[row + x] = (wb[oa + x]! * u + wb[ob + x]! * t + 128) >> 8;
}

/** Words [x, e) (x, e multiples of 4) of two output rows blending the same wide rows, weights t and t2. */
function blendPair(view: DataView, wv: DataView, row: number, row2: number, x: number, e: number, oa: number, ob: number, t: number, t2: number): void {
  const u = 256 - t;
  const u2 = 256 - t2;
  for (; x < e; x += 4) {
    const a = wv.getInt32(oa + x, true);
    const b = wv.getInt32(ob + x, true);
    const ae = a & LANES;
    const be = b & LANES;
    const ao = (a >>> 8) & LANES;
    const bo = (b >>> 8) & LANES;
    const even = (((Math.imul(ae, u) + Math.imul(be, t) + ROUND) | 0) >>> 8) & LANES;
    const odd = ((Math.imul(ao, u) + Math.imul(bo, t) + ROUND) | 0) & ~LANES;
    view.setInt32(row + x, even | odd, true);
    const even2 = (((Math.imul(ae, u2) + Math.imul(be, t2) + ROUND) | 0) >>> 8) & LANES;
    const odd2 = ((Math.imul(ao, u2) + Math.imul(bo, t2) + ROUND) | 0) & ~LANES;
    view.setInt32(row2 + x, even2 | odd2, true);
  }
}
