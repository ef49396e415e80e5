import type { Box } from '../../common/geometry';
import type { RgbFrame } from './detection';
import type { Letterbox } from './tiling';

/**
 * Fills BlazeFace's input tensor from one tile of an RGB24 frame.
 *
 * The model takes NHWC float32 [1, 256, 256, 3], RGB, rows top to bottom, values in [-1, 1]
 * (MediaPipe's output_tensor_float_range; the Unity port's NNUtils preprocessing computes
 * rgb * 2 - 1). The tile is resized with bilinear sampling at pixel centres into the letterbox's
 * content area; the padding is black (-1). At the 2:1 of typical tiles bilinear is a 2×2 box filter;
 * the whole-frame pass (about 5:1) aliases a little, which matters less for the large faces it is for.
 *
 * Contrast normalisation, when a tile needs it, maps each interpolated value through a 256-entry
 * table. Scratch buffers live on the instance: nothing is allocated per pixel.
 */

export type ContrastMode = 'auto' | 'off';

/** What auto levels measured on a tile and chose to do, for logs and tests. */
export interface LevelsDecision {
  applied: boolean;
  /** Luminance percentiles of the tile, 0..255: black point, median, white point. */
  low: number;
  median: number;
  high: number;
  gain: number;
  gamma: number;
}

/** A tile whose median luminance is below this is treated as dark footage (about 25% grey). */
export const DARK_MEDIAN = 64;
/**
 * Noise in nearly black tiles must not be blown up into texture the model might take for faces.
 * On darkened benchmark photos a cap of 2.5 beat 4 (more recall on large faces, fewer false hits).
 */
export const MAX_GAIN = 2.5;
/** Tiles with less spread than this are flat (night sky, a wall, padding): left alone. */
export const MIN_SPREAD = 12;
/** The stretched median is lifted towards this with a gamma curve, never past it. */
export const TARGET_MEDIAN = 0.4;
/**
 * Strongest brightening allowed. Measured on darkened benchmark photos: gammas down to 0.4 lost large
 * faces (amplified noise, flattened shading); 0.75 kept them and still helped small ones.
 */
export const MIN_GAMMA = 0.75;
/**
 * Black and white points, as luminance percentiles. The white point sits high so that a lit face in a
 * dark scene, often the brightest thing in it, is not clipped.
 */
export const BLACK_PERCENTILE = 0.01;
export const WHITE_PERCENTILE = 0.999;

const BLACK = -1;
const INV_HALF_RANGE = 1 / 127.5;

export class TilePreprocessor {
  readonly inputSize: number;
  /** byte value → tensor value, with one spare entry so lookup() may read lut[v + 1] at v = 255. */
  private readonly lut = new Float32Array(257);
  private readonly histogram = new Uint32Array(256);
  private readonly colOffset: Int32Array; // byte offset of the left tap within a row
  private readonly colStep: Int32Array; // 3, or 0 at the right edge (both taps on the last column)
  private readonly colFrac: Float32Array;

  constructor(inputSize = 256) {
    this.inputSize = inputSize;
    this.colOffset = new Int32Array(inputSize);
    this.colStep = new Int32Array(inputSize);
    this.colFrac = new Float32Array(inputSize);
  }

  /**
   * Writes `tile` of `frame` into `out` (length inputSize² × 3) as placed by `lb`. Returns the
   * contrast decision made for the tile.
   */
  fill(frame: RgbFrame, tile: Box, lb: Letterbox, contrast: ContrastMode, out: Float32Array): LevelsDecision {
    const size = this.inputSize;
    if (out.length !== size * size * 3) throw new Error(`model input must hold ${size * size * 3} floats`);
    if (frame.data.length < frame.width * frame.height * 3) throw new Error('frame data is shorter than width × height × 3');
    if (![tile.x, tile.y, tile.w, tile.h].every(Number.isInteger)) throw new Error('tile must be whole pixels');
    if (tile.x < 0 || tile.y < 0 || tile.x + tile.w > frame.width || tile.y + tile.h > frame.height) {
      throw new Error('tile lies outside the frame');
    }
    const decision = contrast === 'auto' ? this.autoLevels(frame, tile) : this.identityLevels();
    const { lut, colOffset, colStep, colFrac } = this;
    const src = frame.data;
    const stride = frame.width * 3;
    const { padX, padY, contentW, contentH, scaleX, scaleY } = lb;

    // Horizontal taps, shared by every row.
    for (let u = 0; u < contentW; u++) {
      const sx = clamp((u + 0.5) / scaleX - 0.5, 0, tile.w - 1);
      const x0 = Math.floor(sx);
      colOffset[u] = (tile.x + x0) * 3;
      colStep[u] = x0 + 1 < tile.w ? 3 : 0;
      colFrac[u] = sx - x0;
    }

    out.fill(BLACK);
    const identity = !decision.applied;
    for (let v = 0; v < contentH; v++) {
      const sy = clamp((v + 0.5) / scaleY - 0.5, 0, tile.h - 1);
      const y0 = Math.floor(sy);
      const fy = sy - y0;
      const row0 = (tile.y + y0) * stride;
      const row1 = y0 + 1 < tile.h ? row0 + stride : row0;
      let o = ((padY + v) * size + padX) * 3;
      for (let u = 0; u < contentW; u++) {
        const fx = colFrac[u]!;
        const a = row0 + colOffset[u]!;
        const b = row1 + colOffset[u]!;
        const step = colStep[u]!;
        const w00 = (1 - fx) * (1 - fy);
        const w01 = fx * (1 - fy);
        const w10 = (1 - fx) * fy;
        const w11 = fx * fy;
        // Interpolate the bytes, then map the result once (cheaper than mapping four taps).
        const r = w00 * src[a]! + w01 * src[a + step]! + w10 * src[b]! + w11 * src[b + step]!;
        const g = w00 * src[a + 1]! + w01 * src[a + step + 1]! + w10 * src[b + 1]! + w11 * src[b + step + 1]!;
        const bl = w00 * src[a + 2]! + w01 * src[a + step + 2]! + w10 * src[b + 2]! + w11 * src[b + step + 2]!;
        if (identity) {
          out[o] = r * INV_HALF_RANGE - 1;
          out[o + 1] = g * INV_HALF_RANGE - 1;
          out[o + 2] = bl * INV_HALF_RANGE - 1;
        } else {
          out[o] = lookup(lut, r);
          out[o + 1] = lookup(lut, g);
          out[o + 2] = lookup(lut, bl);
        }
        o += 3;
      }
    }
    return decision;
  }

  private identityLevels(): LevelsDecision {
    for (let i = 0; i < 257; i++) this.lut[i] = Math.min(i, 255) / 127.5 - 1;
    return { applied: false, low: 0, median: 0, high: 255, gain: 1, gamma: 1 };
  }

  /**
   * Per-tile auto levels for dark footage: if the tile's median luminance is dark, stretch its
   * luminance between the black and white points towards full range (gain capped) and lift the
   * midtones with a gentle gamma curve. Well-exposed tiles get the identity table, so daylight results do not change.
   * One curve for all three channels keeps hues.
   */
  private autoLevels(frame: RgbFrame, tile: Box): LevelsDecision {
    const { histogram } = this;
    histogram.fill(0);
    const src = frame.data;
    // About 8 000 samples (every few pixels) pin the percentiles well enough and keep this cheap.
    const step = Math.max(1, Math.floor(Math.sqrt((tile.w * tile.h) / 8192)));
    let count = 0;
    for (let y = tile.y; y < tile.y + tile.h; y += step) {
      let i = (y * frame.width + tile.x) * 3;
      for (let x = 0; x < tile.w; x += step, i += 3 * step) {
        histogram[(77 * src[i]! + 150 * src[i + 1]! + 29 * src[i + 2]!) >> 8]!++;
        count++;
      }
    }
    const low = percentile(histogram, count, BLACK_PERCENTILE);
    const median = percentile(histogram, count, 0.5);
    const high = percentile(histogram, count, WHITE_PERCENTILE);
    if (median >= DARK_MEDIAN || high - low < MIN_SPREAD) {
      const id = this.identityLevels();
      return { ...id, low, median, high };
    }
    const gain = Math.min(MAX_GAIN, 255 / Math.max(1, high - low));
    const stretchedMedian = clamp(((median - low) * gain) / 255, 1 / 255, 1);
    const gamma = stretchedMedian < TARGET_MEDIAN ? clamp(Math.log(TARGET_MEDIAN) / Math.log(stretchedMedian), MIN_GAMMA, 1) : 1;
    for (let i = 0; i < 256; i++) {
      const t = clamp(((i - low) * gain) / 255, 0, 1);
      this.lut[i] = 2 * Math.pow(t, gamma) - 1;
    }
    this.lut[256] = this.lut[255]!;
    return { applied: true, low, median, high, gain, gamma };
  }
}

/** The table at a fractional byte value, linearly interpolated. */
function lookup(lut: Float32Array, v: number): number {
  const i = v | 0;
  return lut[i]! + (v - i) * (lut[i + 1]! - lut[i]!);
}

/** The smallest value v with at least fraction p of the samples at or below it. */
function percentile(histogram: Uint32Array, count: number, p: number): number {
  const target = Math.max(1, Math.ceil(count * p));
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v]!;
    if (seen >= target) return v;
  }
  return 255;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Mirrors a square NHWC RGB model input left to right, in place. */
export function mirrorInput(data: Float32Array, size: number): void {
  if (data.length !== size * size * 3) throw new Error(`model input must hold ${size * size * 3} floats`);
  for (let row = 0; row < size * size * 3; row += size * 3) {
    for (let a = row, b = row + (size - 1) * 3; a < b; a += 3, b -= 3) {
      for (let c = 0; c < 3; c++) {
        const t = data[a + c]!;
        data[a + c] = data[b + c]!;
        data[b + c] = t;
      }
    }
  }
}

/** A box found in the mirrored input, put back where it lies in the input as it was. */
export function mirrorBox<B extends { x: number; w: number }>(box: B, size: number): B {
  return { ...box, x: size - box.x - box.w };
}
