import { describe, expect, it } from 'vitest';
import { coarseLevelFor, cutTemplate, type GrayImage, halvePlane, ImagePyramid, matchTemplate } from '../../engine/detect/template-match';

/** Smooth random texture (bilinear over a coarse random grid), so sub-pixel shifts are meaningful. */
function smoothTexture(width: number, height: number, seed: number, cell: number, dx = 0, dy = 0): Uint8Array {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const gw = Math.ceil(width / cell) + 3;
  const gh = Math.ceil(height / cell) + 3;
  const grid = Array.from({ length: gw * gh }, () => rnd() * 255);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Sample the texture at (x − dx, y − dy): the whole picture moved by (dx, dy).
      const gx = (x - dx) / cell + 1;
      const gy = (y - dy) / cell + 1;
      const ix = Math.floor(gx);
      const iy = Math.floor(gy);
      const fx = gx - ix;
      const fy = gy - iy;
      const g = (i: number, j: number) => grid[j * gw + i]!;
      out[y * width + x] = Math.round(g(ix, iy) * (1 - fx) * (1 - fy) + g(ix + 1, iy) * fx * (1 - fy) + g(ix, iy + 1) * (1 - fx) * fy + g(ix + 1, iy + 1) * fx * fy);
    }
  }
  return out;
}

const W = 200;
const H = 150;
const image = (dx: number, dy: number): GrayImage => ({ width: W, height: H, data: smoothTexture(W, H, 5, 5, dx, dy), scale: 1 });

describe('template matching', () => {
  it('halves with a 2×2 average', () => {
    const p = halvePlane({ width: 4, height: 2, data: Uint8Array.from([0, 2, 10, 10, 4, 6, 20, 21]) });
    expect(p).toEqual({ width: 2, height: 1, data: Uint8Array.from([3, 15]) });
  });

  it('searches coarse for large patches, at full resolution for small ones', () => {
    expect(coarseLevelFor(12, 12)).toBe(0);
    expect(coarseLevelFor(64, 64)).toBe(2);
    expect(coarseLevelFor(200, 10)).toBe(1); // never thinner than 4 px
  });

  it('finds a displaced patch to a fraction of a pixel, far from the expected place', () => {
    const tpl = cutTemplate(new ImagePyramid(image(0, 0)), { x: 80, y: 60, w: 40, h: 40 })!;
    expect(tpl).not.toBeNull();
    for (const [dx, dy] of [[0, 0], [7.3, -4.6], [-13.5, 9.2], [18, 11]] as const) {
      const m = matchTemplate(new ImagePyramid(image(dx, dy)), tpl, 0, 0, 30)!;
      expect(m.score).toBeGreaterThan(0.95);
      expect(Math.abs(m.dx - dx)).toBeLessThan(0.35);
      expect(Math.abs(m.dy - dy)).toBeLessThan(0.35);
    }
  });

  it('refuses flat patches and patches outside the image', () => {
    const flat: GrayImage = { width: 50, height: 50, data: new Uint8Array(2500).fill(90), scale: 1 };
    expect(cutTemplate(new ImagePyramid(flat), { x: 10, y: 10, w: 20, h: 20 })).toBeNull();
    expect(cutTemplate(new ImagePyramid(image(0, 0)), { x: 190, y: 10, w: 20, h: 20 })).toBeNull();
  });

  it('scores low where the patch is not', () => {
    const tpl = cutTemplate(new ImagePyramid(image(0, 0)), { x: 80, y: 60, w: 40, h: 40 })!;
    const other: GrayImage = { width: W, height: H, data: smoothTexture(W, H, 99, 5), scale: 1 };
    const m = matchTemplate(new ImagePyramid(other), tpl, 0, 0, 20);
    expect(m!.score).toBeLessThan(0.6);
  });
});
