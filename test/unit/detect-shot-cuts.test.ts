import { describe, expect, it } from 'vitest';
import { CutDetector, coarseGrid, gridCorrelation, histogramDistance, greyHistogram, isCut, shotOf, shotSignature } from '../../engine/detect/shot-cuts';
import type { GrayImage } from '../../engine/detect/template-match';
import { seededRandom } from '../helpers/random';

function scene(seed: number, width = 320, height = 180, shift = 0): GrayImage {
  // Smooth random blobs, like a scene's layout of light and dark; `shift` pans the camera.
  const rnd = seededRandom(seed);
  const blobs = Array.from({ length: 12 }, () => ({ x: rnd() * width, y: rnd() * height, r: 20 + rnd() * 60, v: rnd() * 200 }));
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 30;
      for (const b of blobs) if ((x + shift - b.x) ** 2 + (y - b.y) ** 2 < b.r ** 2) v = b.v;
      data[y * width + x] = v;
    }
  }
  return { width, height, data, scale: 2 };
}

describe('shot cuts', () => {
  it('finds a cut between two scenes, not between a scene and itself panned a little', () => {
    const a = coarseGrid(scene(1));
    expect(gridCorrelation(a, a)).toBeCloseTo(1, 6);
    expect(isCut(shotSignature(scene(1)), shotSignature(scene(1, 320, 180, 6)))).toBe(false);
    expect(isCut(shotSignature(scene(1)), shotSignature(scene(2)))).toBe(true);
  });

  it('finds a cut blurred across two frames by the change in grey levels', () => {
    // Half of each scene, as motion blur blends a cut: the layout still looks like scene 1.
    const a = scene(1);
    const dark: GrayImage = { ...a, data: a.data.map((v) => v >> 2) };
    const blend: GrayImage = { ...a, data: a.data.map((v, i) => (v + dark.data[i]!) >> 1) };
    expect(gridCorrelation(coarseGrid(a), coarseGrid(blend))).toBeGreaterThan(0.9);
    expect(histogramDistance(greyHistogram(a), greyHistogram(blend))).toBeGreaterThan(0.2);
    expect(isCut(shotSignature(a), shotSignature(blend))).toBe(true);
  });

  it('finds a cut between two framings of one scene under one vignette, by the spike it makes', () => {
    // A stage filmed wide, then close: the same blobs at twice the size, both under a strong vignette
    // that dominates the layout and the grey levels. Within each shot the camera pans a pixel a frame.
    const vignetted = (img: GrayImage): GrayImage => {
      const data = img.data.map((v, i) => {
        const x = (i % img.width) / img.width - 0.5;
        const y = Math.floor(i / img.width) / img.height - 0.5;
        return Math.round(v * Math.max(0, 1 - 2.2 * (x * x + y * y)) + 60 * Math.max(0, 0.3 - x * x - y * y));
      });
      return { ...img, data };
    };
    const zoomed = (img: GrayImage, shift: number): GrayImage => {
      const data = new Uint8Array(img.data.length);
      for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) data[y * img.width + x] = img.data[Math.floor(y / 2 + img.height / 4) * img.width + Math.floor((x + shift) / 2 + img.width / 4)]!;
      return { ...img, data };
    };
    const frames = [
      ...Array.from({ length: 10 }, (_, k) => vignetted(scene(1, 320, 180, k))),
      ...Array.from({ length: 10 }, (_, k) => vignetted(zoomed(scene(1, 320, 180, 0), k))),
    ];
    // The change at the cut is below the absolute thresholds…
    expect(isCut(shotSignature(frames[9]!), shotSignature(frames[10]!))).toBe(false);
    // …but stands out against the shot's own frame-to-frame changes.
    const detector = new CutDetector();
    const cuts = frames.flatMap((f, i) => (detector.push(f) ? [i] : []));
    expect(cuts).toEqual([10]);
  });

  it('does not read a cut into the layout of a flat frame (lens cap, black)', () => {
    const flat: GrayImage = { width: 64, height: 36, data: new Uint8Array(64 * 36).fill(16), scale: 1 };
    expect(gridCorrelation(coarseGrid(scene(3)), coarseGrid(flat))).toBe(1);
  });

  it('gives the shot a frame belongs to', () => {
    expect(shotOf(5, [], 99)).toEqual({ first: 0, last: 99 });
    expect(shotOf(5, [10, 40], 99)).toEqual({ first: 0, last: 9 });
    expect(shotOf(10, [10, 40], 99)).toEqual({ first: 10, last: 39 });
    expect(shotOf(70, [10, 40], 99)).toEqual({ first: 40, last: 99 });
  });
});
