import type { PlaneMask } from './region-mask';

/** Sets every masked sample of one plane to `value`. */
export function fillPlane(data: Uint8Array, offset: number, stride: number, mask: PlaneMask, value: number): void {
  for (let i = 0, row = offset + mask.y0 * stride; i < mask.start.length; i++, row += stride) {
    const s = mask.start[i]!;
    const e = mask.end[i]!;
    if (e > s) data.fill(value, row + s, row + e);
  }
}
