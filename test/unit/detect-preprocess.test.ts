import { describe, expect, it } from 'vitest';
import type { RgbFrame } from '../../engine/detect/detection';
import { mirrorBox, mirrorInput, TilePreprocessor } from '../../engine/detect/preprocess';
import { letterboxFor } from '../../engine/detect/tiling';

const SIZE = 256;

/** A frame built from 2×2 blocks of one colour each, so a 2:1 downscale reproduces the blocks exactly. */
function blockFrame(width: number, height: number, colour: (bx: number, by: number) => [number, number, number]): RgbFrame {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(colour(x >> 1, y >> 1), (y * width + x) * 3);
  }
  return { width, height, data };
}

const pattern = (bx: number, by: number): [number, number, number] => [bx % 256, by % 256, (bx * 7 + by * 3) % 256];
const tensorValue = (byte: number) => byte / 127.5 - 1;

function pixel(out: Float32Array, u: number, v: number): number[] {
  const o = (v * SIZE + u) * 3;
  return [out[o]!, out[o + 1]!, out[o + 2]!];
}

describe('TilePreprocessor', () => {
  it('writes NHWC, RGB, top row first, scaled to [-1, 1]', () => {
    const frame = blockFrame(512, 512, pattern);
    const tile = { x: 0, y: 0, w: 512, h: 512 };
    const out = new Float32Array(SIZE * SIZE * 3);
    new TilePreprocessor(SIZE).fill(frame, tile, letterboxFor(tile), 'off', out);
    for (const [u, v] of [
      [0, 0],
      [255, 0],
      [0, 255],
      [17, 200],
      [255, 255],
    ] as const) {
      const want = pattern(u, v).map(tensorValue);
      pixel(out, u, v).forEach((got, c) => expect(got).toBeCloseTo(want[c]!, 5));
    }
  });

  it('crops the tile it is given', () => {
    const frame = blockFrame(1280, 720, pattern);
    const tile = { x: 384, y: 208, w: 512, h: 512 };
    const out = new Float32Array(SIZE * SIZE * 3);
    new TilePreprocessor(SIZE).fill(frame, tile, letterboxFor(tile), 'off', out);
    // Input pixel (u, v) is frame block (192 + u, 104 + v).
    for (const [u, v] of [
      [0, 0],
      [100, 50],
      [255, 255],
    ] as const) {
      const want = pattern(192 + u, 104 + v).map(tensorValue);
      pixel(out, u, v).forEach((got, c) => expect(got).toBeCloseTo(want[c]!, 5));
    }
  });

  it('letterboxes a wide tile: picture centred, black bands above and below', () => {
    const frame = blockFrame(512, 256, () => [200, 100, 50]);
    const tile = { x: 0, y: 0, w: 512, h: 256 };
    const lb = letterboxFor(tile);
    expect(lb).toMatchObject({ padY: 64, contentH: 128 });
    const out = new Float32Array(SIZE * SIZE * 3).fill(123); // stale data must not survive
    new TilePreprocessor(SIZE).fill(frame, tile, lb, 'off', out);
    expect(pixel(out, 10, 63)).toEqual([-1, -1, -1]);
    expect(pixel(out, 10, 192)).toEqual([-1, -1, -1]);
    pixel(out, 10, 64).forEach((got, c) => expect(got).toBeCloseTo(tensorValue([200, 100, 50][c]!), 5));
    pixel(out, 10, 191).forEach((got, c) => expect(got).toBeCloseTo(tensorValue([200, 100, 50][c]!), 5));
  });

  it('interpolates between pixels when scaling', () => {
    // 2 columns (black, white) stretched over 256: a ramp from black to white.
    const frame: RgbFrame = { width: 2, height: 2, data: new Uint8Array([0, 0, 0, 255, 255, 255, 0, 0, 0, 255, 255, 255]) };
    const tile = { x: 0, y: 0, w: 2, h: 2 };
    const out = new Float32Array(SIZE * SIZE * 3);
    new TilePreprocessor(SIZE).fill(frame, tile, letterboxFor(tile), 'off', out);
    const row = Array.from({ length: SIZE }, (_, u) => pixel(out, u, 128)[0]!);
    expect(row[0]).toBe(-1);
    expect(row[255]).toBe(1);
    expect(row[128]).toBeCloseTo(0, 1);
    for (let u = 1; u < SIZE; u++) expect(row[u]!).toBeGreaterThanOrEqual(row[u - 1]!);
  });

  describe('auto contrast', () => {
    const dark = blockFrame(512, 512, (bx, by) => {
      const v = Math.round(((bx + by) / 510) * 60); // a dim gradient, 0..60
      return [v, v, v];
    });
    const tile = { x: 0, y: 0, w: 512, h: 512 };

    it('brightens a dark tile, keeping the order of values and the range', () => {
      const pre = new TilePreprocessor(SIZE);
      const off = new Float32Array(SIZE * SIZE * 3);
      const auto = new Float32Array(SIZE * SIZE * 3);
      pre.fill(dark, tile, letterboxFor(tile), 'off', off);
      const decision = pre.fill(dark, tile, letterboxFor(tile), 'auto', auto);
      expect(decision.applied).toBe(true);
      expect(decision.median).toBeLessThan(40);
      const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
      expect(mean(auto)).toBeGreaterThan(mean(off) + 0.3);
      expect(auto.reduce((m, v) => Math.min(m, v), Infinity)).toBeGreaterThanOrEqual(-1);
      expect(auto.reduce((m, v) => Math.max(m, v), -Infinity)).toBeLessThanOrEqual(1);
      // Monotonic: a brighter pixel stays brighter.
      const ramp = Array.from({ length: SIZE }, (_, u) => pixel(auto, u, u)[0]!);
      for (let u = 1; u < SIZE; u++) expect(ramp[u]!).toBeGreaterThanOrEqual(ramp[u - 1]!);
    });

    it('leaves well-exposed and flat tiles exactly as "off" does', () => {
      const pre = new TilePreprocessor(SIZE);
      const normal = blockFrame(512, 512, pattern);
      const black = blockFrame(512, 512, () => [3, 3, 3]);
      for (const frame of [normal, black]) {
        const off = new Float32Array(SIZE * SIZE * 3);
        const auto = new Float32Array(SIZE * SIZE * 3);
        pre.fill(frame, tile, letterboxFor(tile), 'off', off);
        expect(pre.fill(frame, tile, letterboxFor(tile), 'auto', auto).applied).toBe(false);
        expect(auto.every((v, i) => v === off[i])).toBe(true);
      }
    });
  });

  it('refuses tiles outside the frame and wrongly sized buffers', () => {
    const frame = blockFrame(64, 64, pattern);
    const pre = new TilePreprocessor(SIZE);
    const out = new Float32Array(SIZE * SIZE * 3);
    const tile = { x: 32, y: 0, w: 64, h: 64 };
    expect(() => pre.fill(frame, tile, letterboxFor(tile), 'off', out)).toThrow(/outside/);
    const ok = { x: 0, y: 0, w: 64, h: 64 };
    expect(() => pre.fill(frame, ok, letterboxFor(ok), 'off', new Float32Array(10))).toThrow();
  });
});

describe('mirror image', () => {
  it('mirrors the model input left to right, pixel by pixel, keeping each pixel\'s channels', () => {
    const input = new Float32Array(SIZE * SIZE * 3).map((_, i) => i);
    const before = input.slice();
    mirrorInput(input, SIZE);
    for (const [u, v] of [[0, 0], [1, 0], [127, 5], [128, 5], [255, 255], [3, 200]] as const) {
      expect(pixel(input, u, v)).toEqual(pixel(before, SIZE - 1 - u, v));
    }
    mirrorInput(input, SIZE);
    expect(input).toEqual(before);
    expect(() => mirrorInput(new Float32Array(10), SIZE)).toThrow();
  });

  it('puts a box found in the mirror back where it lies in the input', () => {
    expect(mirrorBox({ x: 10, y: 20, w: 30, h: 40, score: 0.9 }, SIZE)).toEqual({ x: 216, y: 20, w: 30, h: 40, score: 0.9 });
    // A box mirrored twice is where it began.
    const b = { x: 100.5, y: 3, w: 55.25, h: 60 };
    expect(mirrorBox(mirrorBox(b, SIZE), SIZE)).toEqual(b);
  });
});
