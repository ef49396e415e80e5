import { describe, expect, it } from 'vitest';
import { iou } from '../../common/geometry';
import type { Detection } from '../../engine/detect/detection';
import { weightedNms } from '../../engine/detect/nms';
import { seededRandom } from '../helpers/random';

const det = (x: number, y: number, w: number, h: number, score: number): Detection => ({ x, y, w, h, score });

/**
 * Score-weighted mean of the corners, grown to hold the strongest box (the first) whole; written out
 * independently of the implementation.
 */
function blend(ds: Detection[]): Omit<Detection, 'score'> {
  const s = ds.reduce((a, d) => a + d.score, 0);
  const mean = (f: (d: Detection) => number) => ds.reduce((a, d) => a + f(d) * d.score, 0) / s;
  const top = ds[0]!;
  const x0 = Math.min(top.x, mean((d) => d.x));
  const y0 = Math.min(top.y, mean((d) => d.y));
  const x1 = Math.max(top.x + top.w, mean((d) => d.x + d.w));
  const y1 = Math.max(top.y + top.h, mean((d) => d.y + d.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}


describe('weightedNms', () => {
  it('blends overlapping boxes by score and keeps the highest score', () => {
    const a = det(100, 100, 50, 50, 0.9);
    const b = det(106, 104, 54, 48, 0.6);
    const c = det(96, 98, 50, 56, 0.3);
    expect(iou(a, b)).toBeGreaterThan(0.3);
    expect(iou(a, c)).toBeGreaterThan(0.3);
    const out = weightedNms([b, c, a], 0.3);
    expect(out).toHaveLength(1);
    const want = blend([a, b, c]);
    expect(out[0]!.score).toBe(0.9);
    for (const k of ['x', 'y', 'w', 'h'] as const) expect(out[0]![k]).toBeCloseTo(want[k], 10);
    // Weighted, not a plain mean of the corners.
    expect(Math.abs(out[0]!.y - (a.y + b.y + c.y) / 3)).toBeGreaterThan(0.1);
  });

  it('never blends the strongest box off part of what it covers', () => {
    // A nearly as strong box further right and taller: the mean alone would leave the strongest box's
    // left 7 pixels uncovered.
    const a = det(100, 100, 50, 50, 0.6);
    const b = det(115, 95, 55, 60, 0.59);
    expect(iou(a, b)).toBeGreaterThan(0.3);
    const [out] = weightedNms([b, a], 0.3);
    expect(out!.x).toBe(100);
    expect(out!.y).toBeCloseTo((0.6 * 100 + 0.59 * 95) / 1.19, 10); // the mean, where it already holds a
    expect(out!.x + out!.w).toBeCloseTo((0.6 * 150 + 0.59 * 170) / 1.19, 10);
    expect(out!.y + out!.h).toBeCloseTo((0.6 * 150 + 0.59 * 155) / 1.19, 10);
    expect(out!.score).toBe(0.6);
  });

  it('keeps boxes that do not overlap enough, unchanged', () => {
    const a = det(0, 0, 40, 40, 0.8);
    const b = det(30, 0, 40, 40, 0.7); // IoU 10×40 / (2×1600 − 400) ≈ 0.14
    const far = det(500, 300, 20, 20, 0.55);
    expect(iou(a, b)).toBeLessThan(0.3);
    const out = weightedNms([far, b, a], 0.3);
    expect(out).toEqual([a, b, far]);
    // The same pair merges once the threshold is below their overlap.
    expect(weightedNms([a, b], 0.1)).toHaveLength(1);
  });

  it('groups around the strongest box only: a chain does not merge end to end', () => {
    const a = det(0, 0, 100, 100, 0.9);
    const b = det(40, 0, 100, 100, 0.8); // overlaps a (IoU 0.43) and c
    const c = det(80, 0, 100, 100, 0.7); // overlaps b, barely a (IoU 0.11)
    const out = weightedNms([c, b, a], 0.3);
    expect(out).toHaveLength(2);
    const want = blend([a, b]);
    expect(out[0]!.score).toBe(0.9);
    for (const k of ['x', 'y', 'w', 'h'] as const) expect(out[0]![k]).toBeCloseTo(want[k], 10);
    expect(out[1]).toEqual(c);
  });

  it('gives the same result whatever the input order, and does not touch its input', () => {
    const r = seededRandom(7);
    const boxes: Detection[] = [];
    for (let i = 0; i < 40; i++) {
      // Clusters of jittered boxes, as anchors and tiles produce them, plus equal scores to tie.
      const cx = [100, 400, 700][i % 3]! + r() * 30;
      const cy = [100, 300][i % 2]! + r() * 30;
      const s = 20 + r() * 40;
      boxes.push(det(cx, cy, s, s, i % 5 === 0 ? 0.7 : 0.5 + r() * 0.5));
    }
    const snapshot = structuredClone(boxes);
    const reference = weightedNms(boxes, 0.3);
    expect(boxes).toEqual(snapshot);
    expect(reference.length).toBeGreaterThan(1);
    expect(reference.length).toBeLessThan(boxes.length);
    for (let trial = 0; trial < 20; trial++) {
      const shuffled = [...boxes];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      expect(weightedNms(shuffled, 0.3)).toEqual(reference);
    }
    // Output is strongest first.
    for (let i = 1; i < reference.length; i++) expect(reference[i]!.score).toBeLessThanOrEqual(reference[i - 1]!.score);
  });

  it('handles nothing, and one box', () => {
    expect(weightedNms([], 0.3)).toEqual([]);
    expect(weightedNms([det(1, 2, 3, 4, 0.5)], 0.3)).toEqual([det(1, 2, 3, 4, 0.5)]);
  });
});
