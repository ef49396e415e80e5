/** Axis-aligned box in source pixels. x, y are the top-left corner. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function area(b: Box): number {
  return Math.max(0, b.w) * Math.max(0, b.h);
}

export function intersection(a: Box, b: Box): Box | null {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.w, b.x + b.w);
  const y1 = Math.min(a.y + a.h, b.y + b.h);
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

export function iou(a: Box, b: Box): number {
  const i = intersection(a, b);
  if (!i) return 0;
  const ia = area(i);
  return ia / (area(a) + area(b) - ia);
}

export function lerpBox(a: Box, b: Box, t: number): Box {
  return {
    x: a.x + (b.x - a.x) * t,
    y: a.y + (b.y - a.y) * t,
    w: a.w + (b.w - a.w) * t,
    h: a.h + (b.h - a.h) * t,
  };
}

/** Grows a box on every side: by `fraction` of its width at the sides, `verticalFraction` of its height above and below. */
export function padBox(b: Box, fraction: number, verticalFraction = fraction): Box {
  const dx = b.w * fraction;
  const dy = b.h * verticalFraction;
  return { x: b.x - dx, y: b.y - dy, w: b.w + 2 * dx, h: b.h + 2 * dy };
}

/**
 * The integer pixel rectangle that covers every pixel the box touches, clipped to the frame.
 * Rounds outwards: a redaction may cover a fraction of a pixel more, never less.
 */
export interface PixelRect {
  x0: number;
  y0: number;
  x1: number; // exclusive
  y1: number; // exclusive
}

export function coveringPixels(b: Box, width: number, height: number): PixelRect | null {
  const x0 = Math.max(0, Math.floor(b.x));
  const y0 = Math.max(0, Math.floor(b.y));
  const x1 = Math.min(width, Math.ceil(b.x + b.w));
  const y1 = Math.min(height, Math.ceil(b.y + b.h));
  if (x1 <= x0 || y1 <= y0) return null;
  return { x0, y0, x1, y1 };
}
