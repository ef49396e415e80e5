import { describe, expect, it } from 'vitest';
import { dbPostprocess, unclip } from '../../engine/text/db-postprocess';
import { convexHull, minAreaRect } from '../../engine/text/min-area-rect';

/** A `width` × `height` probability map at `background`, with `paint(x, y)` giving a value or undefined. */
function map(width: number, height: number, paint: (x: number, y: number) => number | undefined, background = 0.05): Float32Array {
  const m = new Float32Array(width * height).fill(background);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) m[y * width + x] = paint(x, y) ?? background;
  return m;
}
const rect = (x0: number, y0: number, w: number, h: number, v: number) => (x: number, y: number) => (x >= x0 && x < x0 + w && y >= y0 && y < y0 + h ? v : undefined);

describe('DB post-processing (PaddleOCR recipe)', () => {
  it('turns one region into one box, scored by its mean probability and unclipped by area × 1.5 / perimeter', () => {
    // 40 × 10 pixels at 0.9: distance = 400 × 1.5 / 100 = 6 on every side.
    const out = dbPostprocess(map(100, 60, rect(20, 20, 40, 10, 0.9)), 100, 60);
    expect(out).toHaveLength(1);
    const r = out[0]!;
    expect(r.score).toBeCloseTo(0.9, 5);
    expect(r.rect.long).toBeCloseTo(52, 5);
    expect(r.rect.short).toBeCloseTo(22, 5);
    expect(r.box.x).toBeCloseTo(14, 5);
    expect(r.box.y).toBeCloseTo(14, 5);
    expect(r.box.w).toBeCloseTo(52, 5);
    expect(r.box.h).toBeCloseTo(22, 5);
  });

  it('scores a region by the mean inside it, not its peak', () => {
    // Left half 0.95, right half 0.45: mean 0.7, kept; the 0.05 background does not count.
    const out = dbPostprocess(map(80, 40, (x, y) => (y >= 10 && y < 20 && x >= 10 && x < 50 ? (x < 30 ? 0.95 : 0.45) : undefined)), 80, 40);
    expect(out).toHaveLength(1);
    expect(out[0]!.score).toBeCloseTo(0.7, 5);
  });

  it('keeps two regions apart when a gap below the threshold separates them', () => {
    const a = rect(10, 10, 30, 8, 0.9);
    const b = rect(42, 10, 30, 8, 0.8); // two columns at the background between them
    const out = dbPostprocess(map(100, 40, (x, y) => a(x, y) ?? b(x, y)), 100, 40);
    expect(out).toHaveLength(2);
    const [left, right] = [...out].sort((p, q) => p.box.x - q.box.x);
    expect(left!.score).toBeCloseTo(0.9, 5);
    expect(right!.score).toBeCloseTo(0.8, 5);
    // Unclipping grows them into each other's space, but they stay two proposals.
    expect(left!.box.x + left!.box.w).toBeGreaterThan(right!.box.x);
  });

  it('joins pixels that touch only at a corner (8-connected, as OpenCV contours)', () => {
    const a = rect(10, 10, 10, 6, 0.9);
    const b = rect(20, 16, 10, 6, 0.9);
    expect(dbPostprocess(map(50, 40, (x, y) => a(x, y) ?? b(x, y)), 50, 40)).toHaveLength(1);
  });

  it('drops a region whose mean probability is below the box threshold (0.6), keeping the strong one', () => {
    const weak = rect(10, 10, 30, 8, 0.5); // above 0.3, so a region, but too weak a one
    const strong = rect(10, 30, 30, 8, 0.9);
    const out = dbPostprocess(map(60, 50, (x, y) => weak(x, y) ?? strong(x, y)), 60, 50);
    expect(out).toHaveLength(1);
    expect(out[0]!.score).toBeCloseTo(0.9, 5);
    // The same weak region counts with a lower box threshold.
    expect(dbPostprocess(map(60, 50, (x, y) => weak(x, y) ?? strong(x, y)), 60, 50, { boxThreshold: 0.45 })).toHaveLength(2);
  });

  it('drops pixels at or below the pixel threshold (0.3) and regions thinner than 3 pixels', () => {
    expect(dbPostprocess(map(60, 40, rect(10, 10, 30, 8, 0.3)), 60, 40)).toHaveLength(0);
    expect(dbPostprocess(map(60, 40, rect(10, 10, 30, 2, 0.9)), 60, 40)).toHaveLength(0);
    expect(dbPostprocess(map(60, 40, rect(10, 10, 30, 3, 0.9)), 60, 40)).toHaveLength(1);
  });

  it('measures a slanted line along its own direction, as minAreaRect does', () => {
    // A band 8 pixels thick and about 60 long at 30°.
    const a = (30 * Math.PI) / 180;
    const ux = Math.cos(a), uy = Math.sin(a);
    const paint = (x: number, y: number) => {
      const u = (x + 0.5 - 50) * ux + (y + 0.5 - 50) * uy;
      const v = -(x + 0.5 - 50) * uy + (y + 0.5 - 50) * ux;
      return Math.abs(u) <= 30 && Math.abs(v) <= 4 ? 0.9 : undefined;
    };
    const out = dbPostprocess(map(100, 100, paint), 100, 100, { unclipRatio: 0 });
    expect(out).toHaveLength(1);
    const r = out[0]!.rect;
    expect(r.short).toBeGreaterThan(7);
    expect(r.short).toBeLessThan(11); // its axis-aligned box is about 34 tall
    expect(r.long).toBeGreaterThan(59);
    expect(r.long).toBeLessThan(64);
    expect(Math.abs(r.uy / r.ux)).toBeCloseTo(Math.tan(a), 1);
  });

  it('refuses a map shorter than its size', () => {
    expect(() => dbPostprocess(new Float32Array(10), 5, 5)).toThrow(/25|5×5/);
  });
});

describe('min-area rectangle and unclip', () => {
  it('finds the rotated square around a diamond', () => {
    const pts = [{ x: 10, y: 0 }, { x: 20, y: 10 }, { x: 10, y: 20 }, { x: 0, y: 10 }, { x: 10, y: 10 }];
    expect(convexHull(pts)).toHaveLength(4);
    const r = minAreaRect(pts);
    expect(r.long).toBeCloseTo(Math.SQRT2 * 10, 6);
    expect(r.short).toBeCloseTo(Math.SQRT2 * 10, 6);
    expect(r.cx).toBeCloseTo(10, 6);
    expect(r.cy).toBeCloseTo(10, 6);
  });

  it('grows a rectangle by area × ratio / perimeter on each side', () => {
    const r = unclip({ cx: 0, cy: 0, long: 30, short: 10, ux: 1, uy: 0 }, 2);
    // 300 × 2 / 80 = 7.5
    expect(r.long).toBeCloseTo(45, 9);
    expect(r.short).toBeCloseTo(25, 9);
  });
});
