import { describe, expect, it } from 'vitest';
import { fillInput, inputSizeFor } from '../../engine/text/preprocess';

describe('model input size (PaddleOCR DetResizeForTest, limit type max)', () => {
  it('shrinks the long side to the limit and rounds each side to a multiple of 32', () => {
    expect(inputSizeFor(1920, 1080, 960)).toEqual({ width: 960, height: 544 }); // 540 → 544
    expect(inputSizeFor(1280, 720, 960)).toEqual({ width: 960, height: 544 });
    expect(inputSizeFor(416, 416, 960)).toEqual({ width: 416, height: 416 }); // smaller: kept
    expect(inputSizeFor(416, 416, 960, true)).toEqual({ width: 960, height: 960 }); // or brought up
    expect(inputSizeFor(600, 387, 960)).toEqual({ width: 608, height: 384 });
    expect(inputSizeFor(10, 10, 960)).toEqual({ width: 32, height: 32 });
  });
});

describe('model input values', () => {
  it('is BGR, planar, (v / 255 − mean) / std', () => {
    const w = 4, h = 2;
    const data = new Uint8Array(w * h * 3);
    for (let i = 0; i < w * h; i++) data.set([200, 100, 50], i * 3); // R, G, B
    const out = new Float32Array(3 * w * h);
    fillInput({ width: w, height: h, data }, { x: 0, y: 0, w, h }, w, h, out);
    expect(out[0]).toBeCloseTo((50 / 255 - 0.485) / 0.229, 5); // plane 0: blue
    expect(out[w * h]).toBeCloseTo((100 / 255 - 0.456) / 0.224, 5); // plane 1: green
    expect(out[2 * w * h + 7]).toBeCloseTo((200 / 255 - 0.406) / 0.225, 5); // plane 2: red
  });

  it('halves a picture by averaging each 2 × 2 block (bilinear, pixel centres aligned)', () => {
    const w = 4, h = 4;
    const data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.fill(x * 10 + y * 40, (y * w + x) * 3, (y * w + x) * 3 + 3);
    const out = new Float32Array(3 * 2 * 2);
    fillInput({ width: w, height: h, data }, { x: 0, y: 0, w, h }, 2, 2, out);
    const blue = (v: number) => (v / 255 - 0.485) / 0.229;
    // Output pixel (1, 1) covers source pixels x 2–3, y 2–3: values 100, 110, 140, 150.
    expect(out[3]).toBeCloseTo(blue(125), 4);
    expect(out[0]).toBeCloseTo(blue(25), 4);
  });

  it('refuses a frame shorter than its size or a crop outside it', () => {
    const out = new Float32Array(3 * 32 * 32);
    expect(() => fillInput({ width: 32, height: 32, data: new Uint8Array(10) }, { x: 0, y: 0, w: 32, h: 32 }, 32, 32, out)).toThrow(/shorter/);
    expect(() => fillInput({ width: 32, height: 32, data: new Uint8Array(32 * 32 * 3) }, { x: 8, y: 0, w: 32, h: 32 }, 32, 32, out)).toThrow(/outside/);
  });
});
