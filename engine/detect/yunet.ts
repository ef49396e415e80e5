import type { Detection, RgbFrame } from './detection';

/**
 * YuNet-n's interface (models/README.md): one input `input`, float32 NCHW [1, 3, H, W], BGR, values
 * 0–255 as they are, H and W multiples of 32 (the picture padded with zeros at the bottom and right);
 * for each stride S of 8, 16 and 32 four outputs over the (H/S)·(W/S) cells in row-major order:
 * `cls_S` and `obj_S` [1, N, 1], `bbox_S` [1, N, 4], `kps_S` [1, N, 10]. After OpenCV's
 * `FaceDetectorYN::postProcess`, written here in the project's own code.
 */
export const YUNET_INPUT = 'input';
export const YUNET_STRIDES = [8, 16, 32] as const;
export const YUNET_OUTPUTS = YUNET_STRIDES.flatMap((s) => [`cls_${s}`, `obj_${s}`, `bbox_${s}`, `kps_${s}`]);

/** The network's stride: inputs are padded up to a multiple of it. */
const DIVISOR = 32;

export function paddedSize(n: number): number {
  return Math.ceil(n / DIVISOR) * DIVISOR;
}

/** The input for a frame looked at shrunk `shrink` times: the picture's size and the padded input's. */
export function inputGeometry(width: number, height: number, shrink: number): { width: number; height: number; padW: number; padH: number } {
  const w = Math.ceil(width / shrink);
  const h = Math.ceil(height / shrink);
  return { width: w, height: h, padW: paddedSize(w), padH: paddedSize(h) };
}

/**
 * Fills `out` (length 3·padW·padH, planes B, G, R) from an RGB24 frame shrunk by the integer factor
 * `shrink`: each input pixel is the mean of a shrink × shrink block (the last ones of a row or column
 * average what is left), and the padding is zero.
 */
export function fillInput(frame: RgbFrame, shrink: number, out: Float32Array): void {
  const { width: W, height: H, data } = frame;
  const g = inputGeometry(W, H, shrink);
  const plane = g.padW * g.padH;
  if (out.length !== 3 * plane) throw new RangeError(`input buffer holds ${out.length} values, not 3 × ${g.padW} × ${g.padH}`);
  if (data.length < W * H * 3) throw new RangeError('frame data is shorter than width × height × 3');
  // Only the padding needs clearing: every picture value is written below (a whole-buffer fill cost
  // about a third of this function at 720p).
  for (let c = 0; c < 3; c++) {
    const base = c * plane;
    for (let y = 0; y < g.height; y++) out.fill(0, base + y * g.padW + g.width, base + (y + 1) * g.padW);
    out.fill(0, base + g.height * g.padW, base + plane);
  }
  const b0 = 0;
  const g0 = plane;
  const r0 = 2 * plane;
  if (shrink === 1) {
    for (let y = 0; y < H; y++) {
      let s = y * W * 3;
      const end = y * g.padW + W;
      for (let o = y * g.padW; o < end; o++, s += 3) {
        out[b0 + o] = data[s + 2]!;
        out[g0 + o] = data[s + 1]!;
        out[r0 + o] = data[s]!;
      }
    }
    return;
  }
  if (shrink === 2 && W % 2 === 0 && H % 2 === 0) {
    // The half-size pass on an analysis frame (always even-sided): whole 2 × 2 blocks, unrolled; the
    // general loop below took about twice as long.
    const row = W * 3;
    for (let y = 0; y < g.height; y++) {
      let a = 2 * y * row;
      let b = a + row;
      const start = y * g.padW;
      const end = start + g.width;
      for (let o = start; o < end; o++, a += 6, b += 6) {
        out[r0 + o] = (data[a]! + data[a + 3]! + data[b]! + data[b + 3]!) * 0.25;
        out[g0 + o] = (data[a + 1]! + data[a + 4]! + data[b + 1]! + data[b + 4]!) * 0.25;
        out[b0 + o] = (data[a + 2]! + data[a + 5]! + data[b + 2]! + data[b + 5]!) * 0.25;
      }
    }
    return;
  }
  for (let y = 0; y < g.height; y++) {
    const y0 = y * shrink;
    const y1 = Math.min(H, y0 + shrink);
    for (let x = 0; x < g.width; x++) {
      const x0 = x * shrink;
      const x1 = Math.min(W, x0 + shrink);
      let r = 0;
      let gr = 0;
      let b = 0;
      for (let yy = y0; yy < y1; yy++) {
        for (let xx = x0, s = (yy * W + x0) * 3; xx < x1; xx++, s += 3) {
          r += data[s]!;
          gr += data[s + 1]!;
          b += data[s + 2]!;
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = y * g.padW + x;
      out[b0 + o] = b / n;
      out[g0 + o] = gr / n;
      out[r0 + o] = r / n;
    }
  }
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/**
 * Faces scoring at least `threshold` in the model's outputs for a padW × padH input, in input pixels:
 * score = √(cls · obj); box centre ((c + b0)·S, (r + b1)·S) and size (e^b2·S, e^b3·S); landmark k at
 * ((c + k2k)·S, (r + k2k+1)·S). Not suppressed: the caller merges passes, then runs NMS.
 */
export function decodeYuNet(outputs: Readonly<Record<string, Float32Array>>, padW: number, padH: number, threshold: number): Detection[] {
  const found: Detection[] = [];
  for (const S of YUNET_STRIDES) {
    const cols = padW / S;
    const rows = padH / S;
    const cls = outputs[`cls_${S}`];
    const obj = outputs[`obj_${S}`];
    const bbox = outputs[`bbox_${S}`];
    const kps = outputs[`kps_${S}`];
    if (!cls || !obj || !bbox || !kps) throw new Error(`face model gave no outputs for stride ${S}`);
    const n = cols * rows;
    if (cls.length !== n || obj.length !== n || bbox.length !== 4 * n || kps.length !== 10 * n) {
      throw new Error(`face model's stride-${S} outputs do not match a ${padW}×${padH} input`);
    }
    for (let i = 0; i < n; i++) {
      const score = Math.sqrt(clamp01(cls[i]!) * clamp01(obj[i]!));
      if (score < threshold) continue;
      const r = Math.floor(i / cols);
      const c = i - r * cols;
      const cx = (c + bbox[4 * i]!) * S;
      const cy = (r + bbox[4 * i + 1]!) * S;
      const w = Math.exp(bbox[4 * i + 2]!) * S;
      const h = Math.exp(bbox[4 * i + 3]!) * S;
      const landmarks: number[] = [];
      for (let k = 0; k < 5; k++) landmarks.push((c + kps[10 * i + 2 * k]!) * S, (r + kps[10 * i + 2 * k + 1]!) * S);
      found.push({ x: cx - w / 2, y: cy - h / 2, w, h, score, landmarks });
    }
  }
  return found;
}

/** A detection in input pixels of a pass shrunk `shrink` times, in frame pixels. */
export function toFramePixels(d: Detection, shrink: number): Detection {
  if (shrink === 1) return d;
  return { x: d.x * shrink, y: d.y * shrink, w: d.w * shrink, h: d.h * shrink, score: d.score, ...(d.landmarks ? { landmarks: d.landmarks.map((v) => v * shrink) } : {}) };
}
