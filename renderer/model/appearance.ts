import type { Card } from './gallery';

/**
 * What a region looks like, from the picture its gallery card already shows, to suggest regions that
 * look alike as one person even when they are far apart in time or place (the other suggestion, in
 * `gallery.ts`, needs one to start where the other ended). Only a suggestion: the reviewer merges.
 *
 * Two parts, both of which must agree: the layout of light and dark (the picture at 8×8 in grey,
 * normalised, so brightness and contrast do not count) and the colours (a histogram of chromaticity,
 * r and g of r+g+b, so lighting level does not count).
 */
export interface Appearance {
  /** 64 grey values, mean 0 and length 1 (all 0 for a flat picture). */
  grey: Float32Array;
  /** 64 chromaticity bins summing to 1 (all 0 when every pixel is too dark to say). */
  colour: Float32Array;
}

const GRID = 8;
/** Pixels darker than this (r+g+b) say nothing about colour. */
const DARK = 48;

/**
 * The appearance of `rect` (default: the whole picture) in RGBA pixels, as a canvas's getImageData
 * gives them. Null when the rectangle is under 8×8 pixels.
 */
export function appearanceOf(rgba: ArrayLike<number>, width: number, height: number, rect = { x: 0, y: 0, w: width, h: height }): Appearance | null {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(width, Math.floor(rect.x + rect.w));
  const y1 = Math.min(height, Math.floor(rect.y + rect.h));
  if (x1 - x0 < GRID || y1 - y0 < GRID) return null;
  const sums = new Float64Array(GRID * GRID);
  const counts = new Float64Array(GRID * GRID);
  const colour = new Float32Array(GRID * GRID);
  let coloured = 0;
  for (let y = y0; y < y1; y++) {
    const gy = Math.min(GRID - 1, Math.floor(((y - y0) * GRID) / (y1 - y0)));
    for (let x = x0; x < x1; x++) {
      const i = (y * width + x) * 4;
      const r = rgba[i]!;
      const g = rgba[i + 1]!;
      const b = rgba[i + 2]!;
      const cell = gy * GRID + Math.min(GRID - 1, Math.floor(((x - x0) * GRID) / (x1 - x0)));
      sums[cell] = sums[cell]! + 0.299 * r + 0.587 * g + 0.114 * b;
      counts[cell] = counts[cell]! + 1;
      const s = r + g + b;
      if (s < DARK) continue;
      const rc = Math.min(GRID - 1, Math.floor((r / s) * GRID));
      const gc = Math.min(GRID - 1, Math.floor((g / s) * GRID));
      colour[rc * GRID + gc] = colour[rc * GRID + gc]! + 1;
      coloured++;
    }
  }
  const grey = new Float32Array(GRID * GRID);
  let mean = 0;
  for (let c = 0; c < grey.length; c++) mean += (grey[c] = sums[c]! / counts[c]!);
  mean /= grey.length;
  let norm = 0;
  for (let c = 0; c < grey.length; c++) norm += (grey[c] = grey[c]! - mean) ** 2;
  norm = Math.sqrt(norm);
  // A flat picture (under one grey level of variation) has no layout to compare.
  for (let c = 0; c < grey.length; c++) grey[c] = norm > 1 ? grey[c]! / norm : 0;
  if (coloured) for (let c = 0; c < colour.length; c++) colour[c] = colour[c]! / coloured;
  return { grey, colour };
}

/**
 * How alike two appearances are, 0 to 1: the lower of the layouts' correlation (below 0 counts as 0)
 * and the colour histograms' intersection. A flat or colourless picture is like nothing.
 */
export function similarity(a: Appearance, b: Appearance): number {
  let corr = 0;
  let inter = 0;
  for (let i = 0; i < a.grey.length; i++) corr += a.grey[i]! * b.grey[i]!;
  for (let i = 0; i < a.colour.length; i++) inter += Math.min(a.colour[i]!, b.colour[i]!);
  return Math.max(0, Math.min(corr, inter));
}

/**
 * The lowest similarity suggested as one person. Chosen on the test pictures
 * (test/unit/renderer-appearance.test.ts): the same face moved, resized and relit scores 0.81 and more
 * there, other face-sized parts of the photograph 0.22 and less. Not tuned on real footage, and never
 * measured against another person's face (two people of like colouring and pose may well score above it):
 * a suggestion to look at, no more.
 */
export const LOOK_ALIKE = 0.75;

/**
 * Similarities already computed, by the two appearances: as crops arrive one by one, only the pairs with
 * a new one are computed (300 regions are 45 000 pairs).
 */
export class SimilarityMemo {
  private readonly by = new WeakMap<Appearance, Map<Appearance, number>>();
  get(a: Appearance, b: Appearance): number {
    let m = this.by.get(a);
    if (!m) this.by.set(a, (m = new Map()));
    let s = m.get(b);
    if (s === undefined) m.set(b, (s = similarity(a, b)));
    return s;
  }
}

export interface LookAlike {
  /** The earlier region and the later one. */
  a: string;
  b: string;
  similarity: number;
}

/**
 * Regions that look alike: for each region, the most similar one that ended before it started (merging
 * needs regions apart in time), at any gap, if at least `min` alike. Pairs in `skip` (already suggested,
 * for example by place, either way round) and regions already suggested as continuing an earlier one
 * are left out. Only a suggestion: the reviewer decides.
 */
export function lookAlikes(cards: readonly Pick<Card, 'id' | 'first' | 'last'>[], looks: ReadonlyMap<string, Appearance>, opts: { min?: number; skip?: ReadonlyArray<{ a: string; b: string }>; memo?: SimilarityMemo } = {}): LookAlike[] {
  const min = opts.min ?? LOOK_ALIKE;
  const skip = opts.skip ?? [];
  const continued = new Set(skip.map((p) => p.b));
  const skipped = new Set(skip.flatMap((p) => [`${p.a} ${p.b}`, `${p.b} ${p.a}`]));
  // Earlier regions first, so each region is compared only with those that ended before it started.
  const byLast = cards.filter((c) => looks.has(c.id)).sort((x, y) => x.last - y.last);
  const out: LookAlike[] = [];
  for (const b of cards) {
    const lb = looks.get(b.id);
    if (!lb || continued.has(b.id)) continue;
    let best: LookAlike | null = null;
    for (const a of byLast) {
      if (a.last >= b.first) break;
      const s = opts.memo ? opts.memo.get(looks.get(a.id)!, lb) : similarity(looks.get(a.id)!, lb);
      if (s >= min && (!best || s > best.similarity) && !skipped.has(`${a.id} ${b.id}`)) best = { a: a.id, b: b.id, similarity: s };
    }
    if (best) out.push(best);
  }
  return out;
}
