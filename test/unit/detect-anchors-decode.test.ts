import { describe, expect, it } from 'vitest';
import { anchorCount, generateAnchors } from '../../engine/detect/blazeface-anchors';
import { REGRESSORS_PER_ANCHOR, decodeHead, logitOf, scoreFromLogit, sigmoid } from '../../engine/detect/blazeface-decode';

/**
 * MediaPipe's SsdAnchorsCalculator as configured for face_detection_back (num_layers 4, strides
 * 16/32/32/32, one aspect ratio plus the interpolated scale, fixed anchor size, offset 0.5), written
 * the way MediaPipe writes it, to check the compact two-grid generator against.
 */
function mediapipeAnchors(): Array<[number, number]> {
  const strides = [16, 32, 32, 32];
  const inputSize = 256;
  const anchors: Array<[number, number]> = [];
  let layer = 0;
  while (layer < strides.length) {
    let perCell = 0;
    let last = layer;
    while (last < strides.length && strides[last] === strides[layer]) {
      perCell += 2; // aspect ratio 1.0, and interpolated_scale_aspect_ratio 1.0
      last++;
    }
    const fm = Math.ceil(inputSize / strides[layer]!);
    for (let y = 0; y < fm; y++) {
      for (let x = 0; x < fm; x++) {
        for (let a = 0; a < perCell; a++) anchors.push([(x + 0.5) / fm, (y + 0.5) / fm]);
      }
    }
    layer = last;
  }
  return anchors;
}

describe('BlazeFace anchors', () => {
  it('are the 896 anchors MediaPipe generates, in the same order', () => {
    const ours = generateAnchors();
    const theirs = mediapipeAnchors();
    expect(anchorCount()).toBe(896);
    expect(theirs).toHaveLength(896);
    expect(ours).toHaveLength(896 * 2);
    for (let i = 0; i < 896; i++) {
      expect(ours[2 * i]! / 256).toBeCloseTo(theirs[i]![0], 6);
      expect(ours[2 * i + 1]! / 256).toBeCloseTo(theirs[i]![1], 6);
    }
  });

  it('put the 16×16 grid (2 per cell) first and the 8×8 grid (6 per cell) after it', () => {
    const a = generateAnchors();
    const at = (i: number) => [a[2 * i], a[2 * i + 1]];
    expect(at(0)).toEqual([8, 8]);
    expect(at(1)).toEqual([8, 8]);
    expect(at(2)).toEqual([24, 8]); // next cell to the right
    expect(at(32)).toEqual([8, 24]); // first cell of the second row
    expect(at(511)).toEqual([248, 248]);
    for (let i = 512; i < 518; i++) expect(at(i)).toEqual([16, 16]);
    expect(at(518)).toEqual([48, 16]);
    expect(at(895)).toEqual([240, 240]);
  });
});

describe('BlazeFace decoding', () => {
  const anchors = generateAnchors();

  /** One head's worth of outputs, every anchor far below any threshold. */
  function emptyHead(n: number) {
    return { scores: new Float32Array(n).fill(-20), regressors: new Float32Array(n * REGRESSORS_PER_ANCHOR) };
  }

  it('places a box at anchor centre + offset, with absolute size, in input pixels', () => {
    // The second head (8×8 grid) starts at anchor 512. Its row 88 is cell 14 (88 / 6), i.e. grid x 6,
    // y 1, whose centre is (6.5 × 32, 1.5 × 32) = (208, 48).
    const head = emptyHead(384);
    head.scores[88] = 2;
    head.regressors.set([3, -5, 40, 44, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 88 * REGRESSORS_PER_ANCHOR);
    const out = decodeHead(head.scores, head.regressors, anchors, 512, 0.5);
    expect(out).toHaveLength(1);
    const d = out[0]!;
    expect(d.x).toBeCloseTo(208 + 3 - 20, 5);
    expect(d.y).toBeCloseTo(48 - 5 - 22, 5);
    expect(d.w).toBeCloseTo(40, 5);
    expect(d.h).toBeCloseTo(44, 5);
    expect(d.score).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
  });

  it('uses the first head’s anchors for the first head', () => {
    const head = emptyHead(512);
    head.scores[35] = 3; // cell 17 = grid x 1, y 1 → centre (24, 24)
    head.regressors.set([0, 0, 10, 10], 35 * REGRESSORS_PER_ANCHOR);
    const [d] = decodeHead(head.scores, head.regressors, anchors, 0, 0.5);
    expect(d).toMatchObject({ x: 19, y: 19, w: 10, h: 10 });
  });

  it('keeps scores at the threshold and drops those below it, NaN and degenerate boxes', () => {
    const head = emptyHead(384);
    const set = (i: number, logit: number, w = 20) => {
      head.scores[i] = logit;
      head.regressors.set([0, 0, w, w], i * REGRESSORS_PER_ANCHOR);
    };
    set(0, logitOf(0.61));
    set(1, logitOf(0.59));
    set(2, Number.NaN);
    set(3, 5, 0); // zero width
    set(4, 5, -3);
    set(5, 0); // exactly 0.5 (0 is exact in float32)
    const scores = (t: number) => decodeHead(head.scores, head.regressors, anchors, 512, t).map((d) => d.score);
    expect(scores(0.6)).toEqual([expect.closeTo(0.61, 5)]);
    expect(scores(0.5)).toEqual([expect.closeTo(0.61, 5), expect.closeTo(0.59, 5), 0.5]);
    expect(scores(0.62)).toEqual([]);
  });

  it('appends to the list it is given, so heads accumulate', () => {
    const a = emptyHead(512);
    const b = emptyHead(384);
    a.scores[0] = 4;
    a.regressors.set([0, 0, 8, 8], 0);
    b.scores[383] = 4;
    b.regressors.set([0, 0, 8, 8], 383 * REGRESSORS_PER_ANCHOR);
    const out = decodeHead(a.scores, a.regressors, anchors, 0, 0.5);
    decodeHead(b.scores, b.regressors, anchors, 512, 0.5, out);
    expect(out.map((d) => [d.x + d.w / 2, d.y + d.h / 2])).toEqual([
      [8, 8],
      [240, 240],
    ]);
  });

  it('rejects outputs whose shapes do not agree', () => {
    expect(() => decodeHead(new Float32Array(10), new Float32Array(10 * 15), anchors, 0, 0.5)).toThrow(/mismatch/);
    expect(() => decodeHead(new Float32Array(10), new Float32Array(160), anchors, 890, 0.5)).toThrow(/anchors/);
  });
});

describe('scores', () => {
  it('are the sigmoid of the logit, clipped so extreme logits stay finite and ordered', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(scoreFromLogit(Math.log(3))).toBeCloseTo(0.75, 12);
    expect(scoreFromLogit(1e6)).toBe(sigmoid(100));
    expect(scoreFromLogit(-1e6)).toBe(sigmoid(-100));
    expect(scoreFromLogit(-1e6)).toBeGreaterThan(0);
    expect(scoreFromLogit(-1e6)).toBeLessThan(scoreFromLogit(-50));
  });

  it('logitOf inverts the sigmoid', () => {
    for (const p of [0.01, 0.3, 0.5, 0.75, 0.99]) expect(sigmoid(logitOf(p))).toBeCloseTo(p, 12);
    expect(logitOf(0)).toBe(-Infinity);
    expect(logitOf(1)).toBe(Infinity);
  });
});
