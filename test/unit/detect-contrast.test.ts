import { describe, expect, it } from 'vitest';
import { DARK_MEDIAN, equalise, lumaOf, normaliseIfDark, sampledMedianLuma } from '../../engine/detect/contrast';
import { seededRandom } from '../helpers/random';

/** The "face": a 12 × 12 square, a little brighter than the night around it. */
const inFace = (x: number, y: number) => x >= 130 && x < 142 && y >= 78 && y < 90;
const aroundFace = (x: number, y: number) => x >= 122 && x < 150 && y >= 72 && y < 96 && !inFace(x, y);

/** A w × h frame: a dim gradient with the slightly brighter face square, plus noise. */
function nightFrame(w: number, h: number, base: number): { width: number; height: number; data: Uint8Array } {
  const rand = seededRandom(3);
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = base + (x * 8) / w + (inFace(x, y) ? 10 : 0) + rand() * 3;
      data.set([v * 1.1, v, v * 0.9].map((c) => Math.min(255, Math.round(c))), 3 * (y * w + x));
    }
  }
  return { width: w, height: h, data };
}

const mean = (a: Uint8Array, pick: (i: number) => boolean) => {
  let s = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) if (pick(i)) (s += a[i]!), n++;
  return s / n;
};

describe('contrast normalisation of dark frames', () => {
  it('spreads a dark frame’s grey levels so a dim face stands out, and keeps its colour order', () => {
    const frame = nightFrame(320, 192, 20);
    expect(sampledMedianLuma(frame)).toBeLessThan(DARK_MEDIAN);
    const { frame: out, applied } = normaliseIfDark(frame);
    expect(applied).toBe(true);
    const before = lumaOf(frame);
    const after = lumaOf(out);
    const face = (i: number) => inFace(i % 320, Math.floor(i / 320));
    const around = (i: number) => aroundFace(i % 320, Math.floor(i / 320));
    const contrastBefore = mean(before, face) - mean(before, around);
    const contrastAfter = mean(after, face) - mean(after, around);
    expect(contrastAfter).toBeGreaterThan(2 * contrastBefore);
    // Red stays above blue where it was (colour follows the luma gain).
    const i = 3 * (84 * 320 + 136);
    expect(out.data[i]!).toBeGreaterThan(out.data[i + 2]!);
    // The input is not changed.
    expect(frame.data[i]).toBe(nightFrame(320, 192, 20).data[i]);
  });

  it('judges darkness from a sample that gives the median of every pixel', () => {
    for (const base of [20, 61, 120]) {
      const frame = nightFrame(320, 192, base);
      const luma = [...lumaOf(frame)].sort((a, b) => a - b);
      expect(Math.abs(sampledMedianLuma(frame) - luma[Math.floor(luma.length / 2)]!)).toBeLessThanOrEqual(1);
    }
  });

  it('leaves a frame that is not dark as it is', () => {
    const frame = nightFrame(64, 64, 120);
    const r = normaliseIfDark(frame);
    expect(r.applied).toBe(false);
    expect(r.frame).toBe(frame);
  });

  it('does not blow up a flat black frame', () => {
    const black = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3) };
    expect(Math.max(...equalise(black).data)).toBe(0);
  });
});
