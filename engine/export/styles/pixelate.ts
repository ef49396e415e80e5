import type { PlaneMask } from './region-mask';
import { fillBytes, sumBytes } from './resample';

/**
 * Luma block edge for a region: at least 8 px, and large enough that the region is at most ~6
 * blocks across its short side, so a face is never more than ~6×6 blocks whatever its size.
 */
export function pixelateBlockSize(w: number, h: number): number {
  return Math.max(8, Math.ceil(Math.min(w, h) / 6));
}

// Grow-only scratch for block sums, reused across calls (export renders many regions a frame).
let sums = new Float64Array(0);
let counts = new Uint32Array(0);
let means = new Int32Array(0);
let runEnd = new Int32Array(0);

/**
 * Replaces every masked sample by the mean of the masked samples of its block. Blocks are given per
 * plane column / row (`blockX[x - mask.x0]`, `blockY[y - mask.y0]`), so chroma can reuse the luma
 * block grid exactly instead of an approximate half-size grid of its own.
 *
 * One read and one write per sample, each a word (four samples) at a time where it can (see
 * resample.ts): rows are walked one block-run at a time.
 */
export function pixelatePlane(
  data: Uint8Array,
  offset: number,
  stride: number,
  mask: PlaneMask,
  blockX: Int32Array,
  blockY: Int32Array,
  blocksAcross: number,
  blocksDown: number,
): void {
  const n = blocksAcross * blocksDown;
  const bw = mask.x1 - mask.x0;
  if (sums.length < n) {
    sums = new Float64Array(n);
    counts = new Uint32Array(n);
    means = new Int32Array(n);
  } else {
    sums.fill(0, 0, n);
    counts.fill(0, 0, n);
  }
  if (runEnd.length < bw) runEnd = new Int32Array(bw);
  // runEnd[j]: first column after j (plane coordinates) in a different block, so rows are walked
  // one block-run at a time instead of looking the block up per pixel.
  for (let j = bw - 1; j >= 0; j--) runEnd[j] = j + 1 < bw && blockX[j + 1] === blockX[j] ? runEnd[j + 1]! : mask.x0 + j + 1;

  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const { x0, y0, start, end } = mask;
  for (let i = 0, row = offset + y0 * stride; i < start.length; i++, row += stride) {
    const base = blockY[i]! * blocksAcross;
    for (let x = start[i]!, e = end[i]!; x < e; ) {
      const b = base + blockX[x - x0]!;
      const stop = Math.min(e, runEnd[x - x0]!);
      sums[b] = sums[b]! + sumBytes(data, view, row + x, row + stop);
      counts[b] = counts[b]! + (stop - x);
      x = stop;
    }
  }
  // Rounded means, as a byte repeated in all four of a word; blocks with no masked sample are never read.
  for (let b = 0; b < n; b++) if (counts[b]! > 0) means[b] = Math.round(sums[b]! / counts[b]!) * 0x01010101;
  for (let i = 0, row = offset + y0 * stride; i < start.length; i++, row += stride) {
    const base = blockY[i]! * blocksAcross;
    for (let x = start[i]!, e = end[i]!; x < e; ) {
      const stop = Math.min(e, runEnd[x - x0]!);
      fillBytes(data, view, row + x, row + stop, means[base + blockX[x - x0]!]!);
      x = stop;
    }
  }
}

/**
 * Block index of each luma column (or row) of a region starting at `origin`, `length` long.
 * Blocks are aligned to the region, not the frame, so the face is cut the same wherever it is.
 */
export function lumaBlocks(length: number, block: number): Int32Array {
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) out[i] = (i / block) | 0;
  return out;
}

/**
 * Block index of each chroma column (or row) [c0, c1) for a luma region [l0, l1): the block of
 * the first luma pixel the chroma sample covers, clamped into the region. A chroma sample that
 * straddles the region edge (odd start/end) joins the edge block.
 */
export function chromaBlocks(c0: number, c1: number, l0: number, l1: number, block: number): Int32Array {
  const out = new Int32Array(c1 - c0);
  for (let c = c0; c < c1; c++) {
    const l = Math.min(l1 - 1, Math.max(l0, 2 * c));
    out[c - c0] = ((l - l0) / block) | 0;
  }
  return out;
}
