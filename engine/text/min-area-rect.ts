/** A point in pixels. */
export interface Point {
  x: number;
  y: number;
}

/**
 * A rectangle at any angle: centre, side lengths (`long` ≥ `short`) and the unit direction of the long
 * side. OpenCV's `minAreaRect` returns the same thing as (centre, size, angle).
 */
export interface RotatedRect {
  cx: number;
  cy: number;
  long: number;
  short: number;
  /** Unit vector along the long side. */
  ux: number;
  uy: number;
}

const cross = (o: Point, a: Point, b: Point) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);

/** Convex hull (Andrew's monotone chain), counter-clockwise, without collinear points. */
export function convexHull(points: readonly Point[]): Point[] {
  const p = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (p.length < 3) return p;
  const lower: Point[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Point[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0) upper.pop();
    upper.push(q);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/**
 * The smallest-area rectangle holding all `points`. One side of it lies along an edge of the convex
 * hull, so each hull edge is tried (hulls of text regions have tens of points: quadratic is fine).
 */
export function minAreaRect(points: readonly Point[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 0) throw new Error('minAreaRect of no points');
  let best: { area: number; rect: RotatedRect } | null = null;
  const edges = hull.length === 1 ? 1 : hull.length;
  for (let i = 0; i < edges; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    let ux = b.x - a.x;
    let uy = b.y - a.y;
    const len = Math.hypot(ux, uy);
    if (len === 0) {
      ux = 1;
      uy = 0;
    } else {
      ux /= len;
      uy /= len;
    }
    let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
    for (const p of hull) {
      const u = p.x * ux + p.y * uy;
      const v = -p.x * uy + p.y * ux;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const du = maxU - minU;
    const dv = maxV - minV;
    const area = du * dv;
    if (best && area >= best.area) continue;
    const cu = (minU + maxU) / 2;
    const cv = (minV + maxV) / 2;
    const cx = cu * ux - cv * uy;
    const cy = cu * uy + cv * ux;
    const rect: RotatedRect = du >= dv ? { cx, cy, long: du, short: dv, ux, uy } : { cx, cy, long: dv, short: du, ux: -uy, uy: ux };
    best = { area, rect };
  }
  return best!.rect;
}

/** The rectangle's four corners. */
export function corners(r: RotatedRect): Point[] {
  const hx = (r.ux * r.long) / 2, hy = (r.uy * r.long) / 2; // half the long side
  const vx = (-r.uy * r.short) / 2, vy = (r.ux * r.short) / 2; // half the short side
  return [
    { x: r.cx - hx - vx, y: r.cy - hy - vy },
    { x: r.cx + hx - vx, y: r.cy + hy - vy },
    { x: r.cx + hx + vx, y: r.cy + hy + vy },
    { x: r.cx - hx + vx, y: r.cy - hy + vy },
  ];
}
