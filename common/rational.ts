/** An exact ratio, as ffprobe reports time bases and frame rates ("1/90000", "30000/1001"). */
export interface Rational {
  num: number;
  den: number;
}

export function parseRational(text: string): Rational | null {
  const m = /^(-?\d+)(?:[/:](\d+))?$/.exec(text.trim());
  if (!m) return null;
  const num = Number(m[1]);
  const den = m[2] === undefined ? 1 : Number(m[2]);
  if (!Number.isFinite(num) || !Number.isFinite(den) || den === 0) return null;
  return { num, den };
}

export function toNumber(r: Rational): number {
  return r.num / r.den;
}

export function formatRational(r: Rational): string {
  return `${r.num}/${r.den}`;
}
