import type { Detection } from './detection';

/**
 * Turns BlazeFace's raw outputs into boxes in model-input pixels (0..256).
 *
 * Per anchor the model gives one logit and 16 regressors: [dx, dy, w, h, then 6 key points as
 * (x, y)], all in input pixels. The box centre is the anchor centre plus (dx, dy); width and height
 * are absolute because the anchors are fixed-size (MediaPipe: x/y/w/h_scale 256, anchor size 1).
 * Rows run top to bottom, as in the input tensor. The caller maps boxes back to the frame.
 */

export const REGRESSORS_PER_ANCHOR = 16;

/** MediaPipe clips logits to ±100 before the sigmoid (score_clipping_thresh), so exp never overflows. */
export const LOGIT_CLIP = 100;

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function scoreFromLogit(logit: number, clip = LOGIT_CLIP): number {
  return sigmoid(Math.min(clip, Math.max(-clip, logit)));
}

/** The logit whose score is `p`; lets the decoder skip the exp for the many anchors below threshold. */
export function logitOf(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  return Math.log(p / (1 - p));
}

/**
 * Decodes one output head. `anchors` holds all anchor centres interleaved (see generateAnchors);
 * `firstAnchor` is the index of this head's first anchor in it. Detections scoring at least
 * `scoreThreshold` are appended to `out`, which is returned.
 */
export function decodeHead(
  scores: ArrayLike<number>,
  regressors: ArrayLike<number>,
  anchors: Float32Array,
  firstAnchor: number,
  scoreThreshold: number,
  out: Detection[] = [],
): Detection[] {
  const n = scores.length;
  if (regressors.length !== n * REGRESSORS_PER_ANCHOR) {
    throw new Error(`BlazeFace output mismatch: ${n} scores but ${regressors.length} regressors`);
  }
  if ((firstAnchor + n) * 2 > anchors.length) throw new Error('BlazeFace output has more rows than anchors');
  const minLogit = logitOf(scoreThreshold);
  for (let i = 0; i < n; i++) {
    const logit = scores[i]!;
    if (!(logit >= minLogit)) continue; // also drops NaN
    const r = i * REGRESSORS_PER_ANCHOR;
    const a = (firstAnchor + i) * 2;
    const cx = anchors[a]! + regressors[r]!;
    const cy = anchors[a + 1]! + regressors[r + 1]!;
    const w = regressors[r + 2]!;
    const h = regressors[r + 3]!;
    if (!(w > 0 && h > 0)) continue; // degenerate regressions are not faces
    out.push({ x: cx - w / 2, y: cy - h / 2, w, h, score: scoreFromLogit(logit) });
  }
  return out;
}
