import type { GrayImage } from './template-match';

/** Grey copy at half the analysis size: enough for content following, quarter of the work. */
export function greyHalf(rgb: Uint8Array, width: number, height: number, scale: number): GrayImage {
  const w = width >> 1;
  const h = height >> 1;
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const r0 = 2 * y * width * 3;
    const r1 = r0 + width * 3;
    for (let x = 0; x < w; x++) {
      const a = r0 + 6 * x;
      const b = r1 + 6 * x;
      // BT.601 luma weights (×256), averaged over the 2×2 block.
      const sum =
        77 * (rgb[a]! + rgb[a + 3]! + rgb[b]! + rgb[b + 3]!) +
        150 * (rgb[a + 1]! + rgb[a + 4]! + rgb[b + 1]! + rgb[b + 4]!) +
        29 * (rgb[a + 2]! + rgb[a + 5]! + rgb[b + 2]! + rgb[b + 5]!);
      data[y * w + x] = sum >> 10;
    }
  }
  return { width: w, height: h, data, scale: scale * 2 };
}
