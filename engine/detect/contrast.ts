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

export function medianOf(values: Uint8Array): number {
  const hist = new Uint32Array(256);
  for (let i = 0; i < values.length; i++) hist[values[i]!] = hist[values[i]!]! + 1;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v]!;
    if (2 * seen >= values.length) return v;
  }
  return 255;
}

/** Mapping (LUT of 256) of each tile of the grid, clipped-histogram equalisation. */
function tileMappings(luma: Uint8Array, width: number, height: number, clipLimit: number): Uint8Array[] {
  const maps: Uint8Array[] = [];
  for (let ty = 0; ty < GRID; ty++) {
    for (let tx = 0; tx < GRID; tx++) {
      const x0 = Math.floor((tx * width) / GRID);
      const x1 = Math.floor(((tx + 1) * width) / GRID);
      const y0 = Math.floor((ty * height) / GRID);
      const y1 = Math.floor(((ty + 1) * height) / GRID);
      const hist = new Float64Array(256);
      for (let y = y0; y < y1; y++) for (let x = x0, i = y * width + x0; x < x1; x++, i++) hist[luma[i]!] = hist[luma[i]!]! + 1;
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
      const map = new Uint8Array(256);
      let cdf = 0;
      for (let v = 0; v < 256; v++) {
        cdf += hist[v]! + share;
        map[v] = Math.min(255, Math.round((255 * cdf) / n));
      }
      maps.push(map);
    }
  }
  return maps;
}

/** The frame with CLAHE applied to its luma (a new frame; the input is not changed). */
export function equalise(frame: RgbFrame, luma: Uint8Array = lumaOf(frame), clipLimit = CLIP_LIMIT): RgbFrame {
  const { width, height, data } = frame;
  const maps = tileMappings(luma, width, height, clipLimit);
  const out = new Uint8Array(width * height * 3);
  // Tile centres, in pixels: a pixel's mapping blends the four around it.
  const tileW = width / GRID;
  const tileH = height / GRID;
  for (let y = 0; y < height; y++) {
    const gy = Math.min(GRID - 1, Math.max(0, (y + 0.5) / tileH - 0.5));
    const ty0 = Math.floor(gy);
    const ty1 = Math.min(GRID - 1, ty0 + 1);
    const fy = gy - ty0;
    for (let x = 0; x < width; x++) {
      const gx = Math.min(GRID - 1, Math.max(0, (x + 0.5) / tileW - 0.5));
      const tx0 = Math.floor(gx);
      const tx1 = Math.min(GRID - 1, tx0 + 1);
      const fx = gx - tx0;
      const i = y * width + x;
      const v = luma[i]!;
      const top = maps[ty0 * GRID + tx0]![v]! * (1 - fx) + maps[ty0 * GRID + tx1]![v]! * fx;
      const bottom = maps[ty1 * GRID + tx0]![v]! * (1 - fx) + maps[ty1 * GRID + tx1]![v]! * fx;
      const mapped = top * (1 - fy) + bottom * fy;
      const gain = Math.min(MAX_GAIN, mapped / Math.max(1, v));
      const s = 3 * i;
      out[s] = Math.min(255, data[s]! * gain);
      out[s + 1] = Math.min(255, data[s + 1]! * gain);
      out[s + 2] = Math.min(255, data[s + 2]! * gain);
    }
  }
  return { width, height, data: out };
}

/** The frame as the model should see it: equalised when dark, else itself. */
export function normaliseIfDark(frame: RgbFrame): { frame: RgbFrame; applied: boolean } {
  const luma = lumaOf(frame);
  if (medianOf(luma) >= DARK_MEDIAN) return { frame, applied: false };
  return { frame: equalise(frame, luma), applied: true };
}
