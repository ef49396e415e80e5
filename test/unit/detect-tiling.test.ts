import { describe, expect, it } from 'vitest';
import { type Tile, type TileLayout, clipToFrame, frameToInput, inputToFrame, letterboxFor, planTiles } from '../../engine/detect/tiling';

const layout = (cols: number, rows: number, overlap = 0.25, wholeFramePass = true): TileLayout => ({ cols, rows, overlap, wholeFramePass });

/** Every pixel of the frame lies in at least one tile (checked pixel by pixel). */
function uncovered(width: number, height: number, tiles: readonly Tile[]): number {
  const seen = new Uint8Array(width * height);
  for (const t of tiles) {
    for (let y = t.y; y < t.y + t.h; y++) seen.fill(1, y * width + t.x, y * width + t.x + t.w);
  }
  return seen.length - seen.reduce((a, v) => a + v, 0);
}

function expectInside(width: number, height: number, tiles: readonly Tile[]) {
  for (const t of tiles) {
    expect(Number.isInteger(t.x) && Number.isInteger(t.y) && Number.isInteger(t.w) && Number.isInteger(t.h)).toBe(true);
    expect(t.x).toBeGreaterThanOrEqual(0);
    expect(t.y).toBeGreaterThanOrEqual(0);
    expect(t.x + t.w).toBeLessThanOrEqual(width);
    expect(t.y + t.h).toBeLessThanOrEqual(height);
  }
}

const onlyTiles = (ts: readonly Tile[]) => ts.filter((t) => t.kind === 'tile');

describe('planTiles', () => {
  it('cuts 1280×720 into 3×2 square tiles covering the frame, plus the whole frame', () => {
    const all = planTiles(1280, 720, layout(3, 2));
    const tiles = onlyTiles(all);
    expect(tiles).toHaveLength(6);
    expect(all.filter((t) => t.kind === 'frame')).toEqual([{ kind: 'frame', x: 0, y: 0, w: 1280, h: 720 }]);
    // 1280 / (3 − 2 × 0.25) = 512 across; 720 / (2 − 0.25) ≈ 411 down; square at the larger.
    for (const t of tiles) expect([t.w, t.h]).toEqual([512, 512]);
    expectInside(1280, 720, all);
    expect(uncovered(1280, 720, tiles)).toBe(0);
  });

  it('overlaps neighbours by at least the fraction asked', () => {
    for (const [w, h, cols, rows, overlap] of [
      [1280, 720, 3, 2, 0.25],
      [1920, 1080, 4, 3, 0.2],
      [1000, 1000, 2, 2, 0.5],
      [3840, 600, 5, 1, 0.1],
    ] as const) {
      const tiles = onlyTiles(planTiles(w, h, layout(cols, rows, overlap)));
      const xs = [...new Set(tiles.map((t) => t.x))].sort((a, b) => a - b);
      const ys = [...new Set(tiles.map((t) => t.y))].sort((a, b) => a - b);
      const { w: tw, h: th } = tiles[0]!;
      for (let i = 1; i < xs.length; i++) expect(xs[i - 1]! + tw - xs[i]!).toBeGreaterThanOrEqual(Math.floor(overlap * tw));
      for (let i = 1; i < ys.length; i++) expect(ys[i - 1]! + th - ys[i]!).toBeGreaterThanOrEqual(Math.floor(overlap * th));
      expect(uncovered(w, h, tiles)).toBe(0);
      expectInside(w, h, tiles);
      // First and last tiles sit flush with the frame edges.
      expect(xs[0]).toBe(0);
      expect(xs.at(-1)! + tw).toBe(w);
      expect(ys[0]).toBe(0);
      expect(ys.at(-1)! + th).toBe(h);
    }
  });

  it('turns the layout for portrait frames', () => {
    const tiles = onlyTiles(planTiles(720, 1280, layout(3, 2)));
    expect(new Set(tiles.map((t) => t.x)).size).toBe(2);
    expect(new Set(tiles.map((t) => t.y)).size).toBe(3);
    for (const t of tiles) expect([t.w, t.h]).toEqual([512, 512]);
    expect(uncovered(720, 1280, tiles)).toBe(0);
  });

  it('uses the frame itself, once, for a 1×1 layout or a frame smaller than the model input', () => {
    expect(planTiles(1280, 720, layout(1, 1))).toEqual([{ kind: 'tile', x: 0, y: 0, w: 1280, h: 720 }]);
    expect(planTiles(200, 150, layout(3, 2))).toEqual([{ kind: 'tile', x: 0, y: 0, w: 200, h: 150 }]);
    expect(planTiles(1, 1, layout(3, 2))).toEqual([{ kind: 'tile', x: 0, y: 0, w: 1, h: 1 }]);
  });

  it('drops tiles rather than make them smaller than the model input', () => {
    const tiles = onlyTiles(planTiles(480, 360, layout(3, 2)));
    expect(tiles.length).toBeGreaterThan(1);
    expect(tiles.length).toBeLessThan(6);
    for (const t of tiles) expect(Math.max(t.w, t.h)).toBeGreaterThanOrEqual(256);
    expect(uncovered(480, 360, tiles)).toBe(0);
    // A very wide strip: tiles are as tall as the frame, and not repeated.
    const strip = onlyTiles(planTiles(3000, 200, layout(3, 2)));
    expect(strip).toHaveLength(3);
    expect(new Set(strip.map((t) => `${t.x},${t.y}`)).size).toBe(3);
    for (const t of strip) expect(t.h).toBe(200);
  });

  it('rejects nonsense', () => {
    expect(() => planTiles(0, 720, layout(3, 2))).toThrow();
    expect(() => planTiles(1280.5, 720, layout(3, 2))).toThrow();
    expect(() => planTiles(1280, 720, layout(3, 2, 1))).toThrow();
    expect(() => planTiles(1280, 720, layout(3, 2, -0.1))).toThrow();
  });
});

describe('letterbox and mapping', () => {
  it('fits a wide frame across the input and centres it vertically', () => {
    const lb = letterboxFor({ x: 0, y: 0, w: 1280, h: 720 });
    expect(lb).toMatchObject({ contentW: 256, contentH: 144, padX: 0, padY: 56 });
    expect(lb.scaleX).toBeCloseTo(0.2, 12);
    // The frame's centre is the input's centre.
    const c = frameToInput({ x: 640, y: 360, w: 0, h: 0 }, { x: 0, y: 0, w: 1280, h: 720 }, lb);
    expect([c.x, c.y]).toEqual([128, 128]);
  });

  it('scales up a tile smaller than the input', () => {
    const lb = letterboxFor({ x: 0, y: 0, w: 200, h: 150 });
    expect(lb).toMatchObject({ contentW: 256, contentH: 192, padX: 0, padY: 32 });
    expect(lb.scaleX).toBeCloseTo(1.28, 12);
  });

  it('maps a tile’s input pixels to the right place in the frame', () => {
    const tile = { x: 384, y: 208, w: 512, h: 512 };
    const lb = letterboxFor(tile);
    // A box in the middle of the input is in the middle of the tile, at twice the size.
    const d = inputToFrame({ x: 118, y: 108, w: 20, h: 40, score: 0.7 }, tile, lb);
    expect(d).toEqual({ x: 384 + 236, y: 208 + 216, w: 40, h: 80, score: 0.7 });
  });

  it('round-trips frame → input → frame for every tile of several layouts', () => {
    const box = { x: 123.25, y: 77.5, w: 31, h: 40.75, score: 0.9 };
    for (const [w, h] of [
      [1280, 720],
      [720, 1280],
      [200, 150],
      [1923, 1081],
    ] as const) {
      for (const tile of planTiles(w, h, layout(3, 2))) {
        const lb = letterboxFor(tile);
        const back = inputToFrame(frameToInput(box, tile, lb), tile, lb);
        for (const k of ['x', 'y', 'w', 'h'] as const) expect(back[k]).toBeCloseTo(box[k], 9);
        expect(back.score).toBe(0.9);
      }
    }
  });

  it('clips detections to the frame and drops those wholly outside', () => {
    expect(clipToFrame({ x: -10, y: 700, w: 30, h: 40, score: 1 }, 1280, 720)).toEqual({ x: 0, y: 700, w: 20, h: 20, score: 1 });
    expect(clipToFrame({ x: 1300, y: 10, w: 30, h: 40, score: 1 }, 1280, 720)).toBeNull();
  });
});
