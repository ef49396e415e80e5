import { describe, expect, it } from 'vitest';
import type { Detection } from '../../engine/detect/detection';
import { nms } from '../../engine/detect/nms';
import { seededRandom } from '../helpers/random';

const det = (x: number, y: number, w: number, h: number, score: number): Detection => ({ x, y, w, h, score });

describe('nms', () => {
  it('keeps the best box of an overlapping group whole, with its landmarks', () => {
    const a = { ...det(100, 100, 50, 50, 0.9), landmarks: [110, 115, 140, 115, 125, 125, 112, 140, 138, 140] };
    const b = det(106, 104, 54, 48, 0.6);
    const c = det(96, 98, 50, 56, 0.3);
    expect(nms([b, c, a], 0.3)).toEqual([a]);
  });

  it('keeps boxes that overlap less than the threshold, best first', () => {
    const a = det(0, 0, 10, 10, 0.5);
    const b = det(8, 0, 10, 10, 0.7); // IoU 2/18 ≈ 0.11
    expect(nms([a, b], 0.3)).toEqual([b, a]);
  });

  it('suppresses only against kept boxes: a box removed by a stronger one does not remove a third', () => {
    const a = det(0, 0, 10, 10, 0.9);
    const b = det(5, 0, 10, 10, 0.8); // overlaps a (IoU 1/3) and c (1/3)
    const c = det(10, 0, 10, 10, 0.7); // touches a only at an edge
    expect(nms([c, b, a], 0.3)).toEqual([a, c]);
  });

  it('gives the same result whatever the input order', () => {
    const rand = seededRandom(7);
    const ds = Array.from({ length: 40 }, () => det(rand() * 200, rand() * 200, 20 + rand() * 30, 20 + rand() * 30, Math.round(rand() * 10) / 10));
    const want = nms(ds, 0.3);
    for (let k = 0; k < 5; k++) {
      const shuffled = [...ds].sort(() => rand() - 0.5);
      expect(nms(shuffled, 0.3)).toEqual(want);
    }
  });
});
