import type { RgbFrame } from './detection';

/**
 * Local contrast normalisation of dark frames (CLAHE on the luma), so YuNet sees faces that a night
 * camera records a few grey levels above black. YuNet, trained on daylight photographs, misses most
 * faces on the bench's night clips as decoded (models/README.md: 47% of faces ≥ 24 px, frame by frame).
 *
 * The frame's luma is equalised per tile of an 8 × 8 grid, each tile's histogram clipped at
 * `clipLimit` times its mean (so noise in flat dark areas is not blown up), and each pixel's mapping
 * interpolated bilinearly between the four nearest tiles' (no seams). Colour follows the luma: every
 * channel is scaled by the pixel's luma gain, capped at MAX_GAIN.
 */

/** A frame is dark when its median luma is below this (0–255). */
export const DARK_MEDIAN = 64;
const GRID = 8;
const CLIP_LIMIT = 3;
const MAX_GAIN = 6;

/** BT.601 luma (×256 weights) of every pixel. */
export function lumaOf(frame: RgbFrame): Uint8Array {
  const { width, height, data } = frame;
  const y = new Uint8Array(width * height);
  for (let i = 0, s = 0; i < y.length; i++, s += 3) y[i] = (77 * data[s]! + 150 * data[s + 1]! + 29 * data[s + 2]!) >> 8;
  return y;
}

/**
 * Mapping (LUT of 256) of each tile of the grid, clipped-histogram equalisation; tile t's LUT is
 * `maps[256·t …]`, tiles in row-major order.
 */
function tileMappings(luma: Uint8Array, width: number, height: number, clipLimit: number): Uint8Array {
  const maps = new Uint8Array(GRID * GRID * 256);
  const hist = new Float64Array(256);
  for (let ty = 0; ty < GRID; ty++) {
    for (let tx = 0; tx < GRID; tx++) {
      const x0 = Math.floor((tx * width) / GRID);
      const x1 = Math.floor(((tx + 1) * width) / GRID);
      const y0 = Math.floor((ty * height) / GRID);
      const y1 = Math.floor(((ty + 1) * height) / GRID);
      hist.fill(0);
      for (let y = y0; y < y1; y++) for (let i = y * width + x0, end = y * width + x1; i < end; i++) hist[luma[i]!]!++;
      const n = Math.max(1, (x1 - x0) * (y1 - y0));
      const limit = (clipLimit * n) / 256;
      let excess = 0;
      for (let v = 0; v < 256; v++) {
        if (hist[v]! > limit) {
          excess += hist[v]! - limit;
          hist[v] = limit;
        }
      }
      const share = excess / 256;
      const base = (ty * GRID + tx) * 256;
      let cdf = 0;
      for (let v = 0; v < 256; v++) {
        cdf += hist[v]! + share;
        maps[base + v] = Math.min(255, Math.round((255 * cdf) / n));
      }
    }
  }
  return maps;
}

/** The frame with CLAHE applied to its luma (a new frame; the input is not changed). */
export function equalise(frame: RgbFrame, luma: Uint8Array = lumaOf(frame), clipLimit = CLIP_LIMIT): RgbFrame {
  const { width, height, data } = frame;
  const maps = tileMappings(luma, width, height, clipLimit);
  const out = new Uint8Array(width * height * 3);
  // Tile centres, in pixels: a pixel's mapping blends the four around it. The columns' tiles and
  // weights are the same on every row, so they are worked out once (this loop runs on every pixel of
  // every dark frame).
  const tileW = width / GRID;
  const tileH = height / GRID;
  const left = new Int32Array(width);
  const right = new Int32Array(width);
  const fxOf = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const gx = Math.min(GRID - 1, Math.max(0, (x + 0.5) / tileW - 0.5));
    const tx0 = Math.floor(gx);
    left[x] = tx0 * 256;
    right[x] = Math.min(GRID - 1, tx0 + 1) * 256;
    fxOf[x] = gx - tx0;
  }
  for (let y = 0; y < height; y++) {
    const gy = Math.min(GRID - 1, Math.max(0, (y + 0.5) / tileH - 0.5));
    const ty0 = Math.floor(gy);
    const upper = ty0 * GRID * 256;
    const lower = Math.min(GRID - 1, ty0 + 1) * GRID * 256;
    const fy = gy - ty0;
    for (let x = 0, i = y * width, s = 3 * i; x < width; x++, i++, s += 3) {
      const v = luma[i]!;
      const fx = fxOf[x]!;
      const a = left[x]! + v;
      const b = right[x]! + v;
      const top = maps[upper + a]! + (maps[upper + b]! - maps[upper + a]!) * fx;
      const bottom = maps[lower + a]! + (maps[lower + b]! - maps[lower + a]!) * fx;
      const mapped = top + (bottom - top) * fy;
      const gain = Math.min(MAX_GAIN, mapped / (v > 1 ? v : 1));
      out[s] = Math.min(255, data[s]! * gain);
      out[s + 1] = Math.min(255, data[s + 1]! * gain);
      out[s + 2] = Math.min(255, data[s + 2]! * gain);
    }
  }
  return { width, height, data: out };
}

/**
 * Median luma of every 4th pixel of every 4th row: whether a frame is dark is a property of the whole
 * picture, and a sixteenth of it decides it for a sixteenth of the cost of every pixel.
 */
export function sampledMedianLuma(frame: RgbFrame, step = 4): number {
  const { width, height, data } = frame;
  const hist = new Uint32Array(256);
  let n = 0;
  for (let y = 0; y < height; y += step) {
    for (let x = 0, s = 3 * y * width; x < width; x += step, s += 3 * step) {
      hist[(77 * data[s]! + 150 * data[s + 1]! + 29 * data[s + 2]!) >> 8]!++;
      n++;
    }
  }
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v]!;
    if (2 * seen >= n) return v;
  }
  return 255;
}

/** The frame as the model should see it: equalised when dark, else itself. */
export function normaliseIfDark(frame: RgbFrame): { frame: RgbFrame; applied: boolean } {
  if (sampledMedianLuma(frame) >= DARK_MEDIAN) return { frame, applied: false };
  return { frame: equalise(frame), applied: true };
}
