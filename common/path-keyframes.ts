import type { Box } from './geometry';

/**
 * The fewest boxes of a followed path from which linear interpolation gives every box within
 * `tolerance` source px: the keyframes written for it. The first and last always stay.
 */
export function keyframesOfPath<T extends Box & { frame: number }>(path: readonly T[], tolerance = 1.5): T[] {
  if (path.length <= 2) return path.slice();
  const out: T[] = [path[0]!];
  let from = 0;
  for (let to = 2; to < path.length; to++) {
    const a = path[from]!;
    const b = path[to]!;
    let fits = true;
    for (let k = from + 1; k < to && fits; k++) {
      const p = path[k]!;
      const t = (p.frame - a.frame) / (b.frame - a.frame);
      for (const key of ['x', 'y', 'w', 'h'] as const) {
        if (Math.abs(a[key] + (b[key] - a[key]) * t - p[key]) > tolerance) fits = false;
      }
    }
    if (!fits) {
      from = to - 1;
      out.push(path[from]!);
    }
  }
  out.push(path[path.length - 1]!);
  return out;
}
