import { describe, expect, it } from 'vitest';
import { boxAtFrame, type Keyframe } from '../../common/track';
import { type FrameBox, keyframeIndices, simplifyBoxes } from '../../engine/detect/track-simplify';
import { seededRandom } from '../helpers/random';

function asKeyframes(boxes: FrameBox[]): Keyframe[] {
  return boxes.map((b) => ({ ...b, outside: false, source: 'detected' }));
}


function wobblyPath(n: number): FrameBox[] {
  const rnd = seededRandom(7);
  return Array.from({ length: n }, (_, f) => ({
    frame: f,
    x: 100 + 4 * f + 30 * Math.sin(f / 9) + (rnd() - 0.5),
    y: 200 + 50 * Math.sin(f / 23) + (rnd() - 0.5),
    w: 60 + 20 * Math.sin(f / 40) + (rnd() - 0.5),
    h: 70 + (rnd() - 0.5),
  }));
}

function maxEdgeError(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }): number {
  return Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y), Math.abs(a.x + a.w - b.x - b.w), Math.abs(a.y + a.h - b.y - b.h));
}

describe('keyframe simplification', () => {
  it('keeps only the two ends of linear motion, growth included', () => {
    const dense = Array.from({ length: 120 }, (_, f) => ({ frame: f, x: 10 + 3 * f, y: 20 - 0.5 * f, w: 50 + 0.2 * f, h: 60 }));
    expect(keyframeIndices(dense, 2)).toEqual([0, 119]);
    expect(simplifyBoxes(dense, 2)).toHaveLength(2);
  });

  it('reproduces every frame within the tolerance through boxAtFrame', () => {
    const dense = wobblyPath(300);
    for (const tol of [0.5, 2, 5]) {
      const kept = simplifyBoxes(dense, tol);
      // Above the ±1 px edge jitter the simplification must actually simplify.
      if (tol >= 2) expect(kept.length).toBeLessThan(dense.length / 3);
      const track = { keyframes: asKeyframes(kept) };
      for (const d of dense) {
        const b = boxAtFrame(track, d.frame);
        expect(b).not.toBeNull();
        expect(maxEdgeError(b!, d)).toBeLessThanOrEqual(tol + 1e-9);
      }
    }
  });

  it('with contain, the interpolated box contains every dense box', () => {
    const dense = wobblyPath(300);
    const track = { keyframes: asKeyframes(simplifyBoxes(dense, 2, true)) };
    for (const d of dense) {
      const b = boxAtFrame(track, d.frame)!;
      expect(b.x).toBeLessThanOrEqual(d.x + 1e-9);
      expect(b.y).toBeLessThanOrEqual(d.y + 1e-9);
      expect(b.x + b.w).toBeGreaterThanOrEqual(d.x + d.w - 1e-9);
      expect(b.y + b.h).toBeGreaterThanOrEqual(d.y + d.h - 1e-9);
      expect(maxEdgeError(b, d)).toBeLessThanOrEqual(4 + 1e-9);
    }
  });

  it('keeps a keyframe where the direction changes', () => {
    const dense = Array.from({ length: 101 }, (_, f) => ({ frame: f, x: f <= 50 ? 5 * f : 250 - 3 * (f - 50), y: 100, w: 40, h: 40 }));
    expect(keyframeIndices(dense, 2)).toEqual([0, 50, 100]);
  });

  it('keeps a keyframe where only the size changes course', () => {
    const dense = Array.from({ length: 61 }, (_, f) => ({ frame: f, x: 100, y: 100, w: f <= 30 ? 40 + f : 100 - f, h: 40 }));
    expect(keyframeIndices(dense, 2)).toEqual([0, 30, 60]);
  });

  it('rejects boxes out of frame order', () => {
    expect(() => keyframeIndices([{ frame: 2, x: 0, y: 0, w: 1, h: 1 }, { frame: 1, x: 0, y: 0, w: 1, h: 1 }], 2)).toThrow(RangeError);
  });
});
