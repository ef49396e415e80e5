import type { Box } from '../../common/geometry';
import type { TextFrame } from './text-detection';

/** PaddleOCR's `NormalizeImage` constants, applied to an OpenCV (BGR) image: index 0 is blue. */
const MEAN_BGR = [0.485, 0.456, 0.406] as const;
const STD_BGR = [0.229, 0.224, 0.225] as const;
/** The model's feature pyramid halves the picture five times: each input side is a multiple of 32. */
export const INPUT_MULTIPLE = 32;

/**
 * The model input size for a picture, as PaddleOCR's `DetResizeForTest` (limit type "max") chooses
 * it: the long side brought down to `maxSide` when longer (and up to it when `upscale`, for small
 * pictures whose text would otherwise be too few pixels), each side then rounded to a multiple of 32.
 */
export function inputSizeFor(width: number, height: number, maxSide: number, upscale = false): { width: number; height: number } {
  const long = Math.max(width, height);
  const ratio = long > maxSide || upscale ? maxSide / long : 1;
  const side = (n: number) => Math.max(Math.round(Math.trunc(n * ratio) / INPUT_MULTIPLE) * INPUT_MULTIPLE, INPUT_MULTIPLE);
  return { width: side(width), height: side(height) };
}

/**
 * Fills `out` (NCHW, 3 × inH × inW) from the `crop` rectangle of an RGB24 frame: resized bilinearly
 * (pixel centres aligned, as OpenCV's INTER_LINEAR), channels in BGR order, (v / 255 − mean) / std.
 */
export function fillInput(frame: TextFrame, crop: Box, inW: number, inH: number, out: Float32Array): void {
  const { width, height, data } = frame;
  if (data.length < width * height * 3) throw new Error(`frame data is shorter than ${width} × ${height} × 3`);
  if (out.length < 3 * inW * inH) throw new Error(`input buffer is shorter than 3 × ${inW} × ${inH}`);
  const cx = Math.round(crop.x), cy = Math.round(crop.y);
  const cw = Math.round(crop.w), ch = Math.round(crop.h);
  if (cx < 0 || cy < 0 || cw < 1 || ch < 1 || cx + cw > width || cy + ch > height) throw new Error('crop lies outside the frame');
  const x0 = new Int32Array(inW), x1 = new Int32Array(inW), fx = new Float32Array(inW);
  for (let i = 0; i < inW; i++) {
    const s = Math.min(Math.max((i + 0.5) * (cw / inW) - 0.5, 0), cw - 1);
    const f = Math.floor(s);
    x0[i] = (cx + f) * 3;
    x1[i] = (cx + Math.min(f + 1, cw - 1)) * 3;
    fx[i] = s - f;
  }
  const plane = inW * inH;
  // Per channel: out = v × scale + offset, with v in bytes (B, G, R planes read RGB bytes 2, 1, 0).
  const sB = 1 / (255 * STD_BGR[0]), sG = 1 / (255 * STD_BGR[1]), sR = 1 / (255 * STD_BGR[2]);
  const oB = -MEAN_BGR[0] / STD_BGR[0], oG = -MEAN_BGR[1] / STD_BGR[1], oR = -MEAN_BGR[2] / STD_BGR[2];
  for (let j = 0; j < inH; j++) {
    const s = Math.min(Math.max((j + 0.5) * (ch / inH) - 0.5, 0), ch - 1);
    const f = Math.floor(s);
    const fy = s - f;
    const r0 = (cy + f) * width * 3;
    const r1 = (cy + Math.min(f + 1, ch - 1)) * width * 3;
    let o = j * inW;
    for (let i = 0; i < inW; i++, o++) {
      const a = fx[i]!;
      const w00 = (1 - a) * (1 - fy), w01 = a * (1 - fy), w10 = (1 - a) * fy, w11 = a * fy;
      const p00 = r0 + x0[i]!, p01 = r0 + x1[i]!, p10 = r1 + x0[i]!, p11 = r1 + x1[i]!;
      const r = data[p00]! * w00 + data[p01]! * w01 + data[p10]! * w10 + data[p11]! * w11;
      const g = data[p00 + 1]! * w00 + data[p01 + 1]! * w01 + data[p10 + 1]! * w10 + data[p11 + 1]! * w11;
      const b = data[p00 + 2]! * w00 + data[p01 + 2]! * w01 + data[p10 + 2]! * w10 + data[p11 + 2]! * w11;
      out[o] = b * sB + oB;
      out[plane + o] = g * sG + oG;
      out[2 * plane + o] = r * sR + oR;
    }
  }
}
