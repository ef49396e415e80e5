import type { DenseBox } from './track-output';

/**
 * Drops tracks that shadow a stronger one. The detector sometimes boxes one head twice (a second,
 * offset box as a face turns or blurs), and each box can confirm a track of its own that content
 * following then carries along the same head: on real footage of one dancer this made three tracks for
 * one face. A track is a duplicate when, in at least DUPLICATE_SHARE of its frames, a stronger track's
 * box holds at least HELD_SHARE of its box. Strength is the number of detections a track had (then
 * the order it began in): the track the detector saw most is the face's track.
 *
 * A track only partly shadowed is kept whole: a reviewer merges or trims it, and until then it
 * over-redacts, never discloses.
 */
const DUPLICATE_SHARE = 0.6;
const HELD_SHARE = 0.5;

export interface CandidateTrack {
  dense: readonly DenseBox[];
  hits: number;
  seq: number;
}

function heldShare(a: DenseBox, b: DenseBox): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? (w * h) / (a.w * a.h) : 0;
}

/** The tracks that are not duplicates of a stronger one, in their original order. */
export function withoutDuplicates<T extends CandidateTrack>(tracks: readonly T[]): T[] {
  const byStrength = [...tracks].sort((a, b) => b.hits - a.hits || a.seq - b.seq);
  const keptBoxes = new Map<number, DenseBox[]>(); // frame → boxes of kept tracks
  const kept = new Set<T>();
  for (const t of byStrength) {
    if (t.dense.length === 0) continue;
    let shadowed = 0;
    for (const box of t.dense) {
      if ((keptBoxes.get(box.frame) ?? []).some((k) => heldShare(box, k) >= HELD_SHARE)) shadowed++;
    }
    if (shadowed >= DUPLICATE_SHARE * t.dense.length) continue;
    kept.add(t);
    for (const box of t.dense) {
      const list = keptBoxes.get(box.frame);
      if (list) list.push(box);
      else keptBoxes.set(box.frame, [box]);
    }
  }
  return tracks.filter((t) => kept.has(t));
}
