import type { ColourMatrix, ColourRange } from '../yuv-frame';

/**
 * RGB ↔ Y'CbCr for solid fills. The fill must survive encode → decode as the same colour, so the
 * conversion uses the stream's own matrix and range (the ones a player will use to decode it).
 * Coefficients are the ITU ones ffmpeg/swscale uses (BT.601 and BT.709, non-constant luminance).
 */

export interface Yuv {
  y: number;
  u: number;
  v: number;
}

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** Luma weights of red and blue; green is 1 − kr − kb. */
const WEIGHTS: Record<ColourMatrix, { kr: number; kb: number }> = {
  bt601: { kr: 0.299, kb: 0.114 },
  bt709: { kr: 0.2126, kb: 0.0722 },
};

/** Code values for the black point and the luma / chroma excursions (8-bit). */
function scale(range: ColourRange): { yOff: number; yScale: number; cScale: number } {
  // Limited ('tv'): Y 16–235, Cb/Cr 16–240. Full ('pc', JPEG): all three use 0–255.
  return range === 'tv' ? { yOff: 16, yScale: 219, cScale: 224 } : { yOff: 0, yScale: 255, cScale: 255 };
}

const clamp8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** 8-bit RGB (0–255) to 8-bit Y, U (Cb), V (Cr), rounded and clamped. */
export function rgbToYuv(rgb: Rgb, matrix: ColourMatrix, range: ColourRange): Yuv {
  const { kr, kb } = WEIGHTS[matrix];
  const r = rgb.r / 255;
  const g = rgb.g / 255;
  const b = rgb.b / 255;
  const y = kr * r + (1 - kr - kb) * g + kb * b;
  const pb = (b - y) / (2 * (1 - kb)); // in [-0.5, 0.5]
  const pr = (r - y) / (2 * (1 - kr));
  const s = scale(range);
  return { y: clamp8(s.yOff + s.yScale * y), u: clamp8(128 + s.cScale * pb), v: clamp8(128 + s.cScale * pr) };
}

/** Inverse of rgbToYuv (what a decoder does); used to check the round trip. */
export function yuvToRgb(yuv: Yuv, matrix: ColourMatrix, range: ColourRange): Rgb {
  const { kr, kb } = WEIGHTS[matrix];
  const s = scale(range);
  const y = (yuv.y - s.yOff) / s.yScale;
  const pb = (yuv.u - 128) / s.cScale;
  const pr = (yuv.v - 128) / s.cScale;
  const r = y + 2 * (1 - kr) * pr;
  const b = y + 2 * (1 - kb) * pb;
  const g = (y - kr * r - kb * b) / (1 - kr - kb);
  return { r: clamp8(r * 255), g: clamp8(g * 255), b: clamp8(b * 255) };
}
