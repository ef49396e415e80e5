import { type Box, lerpBox } from './geometry';
import type { RedactionStyle } from './style';

/**
 * A track is one region followed over time, after CVAT's model: keyframes keyed by frame number,
 * linear interpolation between them, and an `outside` flag that ends (or pauses) the region.
 *
 * Semantics at frame f:
 *  - before the first keyframe: no region;
 *  - at or after a keyframe k (the last one at or before f):
 *      - if k.outside: no region;
 *      - else if a next keyframe n exists and !n.outside: linear interpolation between k and n;
 *      - else: k's box holds (until the next keyframe, or the end of the clip).
 *
 * A track that must end therefore ends with an `outside` keyframe. Holding the last box is the
 * safe default: a forgotten end over-redacts, it never discloses.
 */
export interface Keyframe extends Box {
  frame: number;
  outside: boolean;
  /** Who placed this keyframe: the detector, or a person. */
  source: 'detected' | 'manual';
  /** Detector confidence in [0, 1] for detected keyframes. */
  confidence?: number;
}

export const TRACK_LABELS = ['face', 'head', 'person', 'plate', 'screen', 'document', 'text', 'manual', 'other'] as const;
export type TrackLabel = (typeof TRACK_LABELS)[number];

export const TRACK_SHAPES = ['rectangle', 'ellipse'] as const;
export type TrackShape = (typeof TRACK_SHAPES)[number];

/** proposed: the detector suggests it, nobody has decided; redact / keep: a person decided. */
export const DECISIONS = ['proposed', 'redact', 'keep'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface Provenance {
  origin: 'detected' | 'manual';
  /** Model and settings for detected tracks, e.g. "yunet-n@104ee26c". */
  detector?: string;
  createdBy?: string;
  /** User names of everyone who edited it, in order of first edit. */
  editedBy?: string[];
}

export interface Track {
  id: string;
  label: TrackLabel;
  shape: TrackShape;
  /** Overrides the plan's default style for this track. */
  style?: RedactionStyle;
  /** Reason code, e.g. "third-party-face"; free text for "other". */
  reason: string;
  reasonText?: string;
  provenance: Provenance;
  decision: Decision;
  /** Who set the decision, and when (ISO 8601). */
  decidedBy?: string;
  decidedAt?: string;
  /** Marked as the requester of a subject access request (common/subject-access.ts); ignored by other exports. */
  requester?: true;
  /** Sorted by frame, unique frames. */
  keyframes: Keyframe[];
}

/** Index of the last keyframe at or before `frame`, or -1. Binary search: tracks can be long. */
export function keyframeIndexAtOrBefore(keyframes: readonly Keyframe[], frame: number): number {
  let lo = 0;
  let hi = keyframes.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (keyframes[mid]!.frame <= frame) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** The track's box at `frame`, or null where the track is absent. */
export function boxAtFrame(track: Pick<Track, 'keyframes'>, frame: number): Box | null {
  const kfs = track.keyframes;
  const i = keyframeIndexAtOrBefore(kfs, frame);
  if (i < 0) return null;
  const k = kfs[i]!;
  if (k.outside) return null;
  const n = kfs[i + 1];
  if (k.frame === frame || !n || n.outside) return { x: k.x, y: k.y, w: k.w, h: k.h };
  return lerpBox(k, n, (frame - k.frame) / (n.frame - k.frame));
}

/** First and last frame (inclusive) in which the track shows a region, ignoring pauses; null if never. */
export function trackSpan(track: Pick<Track, 'keyframes'>, lastFrameOfClip: number): { first: number; last: number } | null {
  const kfs = track.keyframes;
  const firstShown = kfs.findIndex((k) => !k.outside);
  if (firstShown < 0) return null;
  let lastShown = kfs.length - 1;
  while (kfs[lastShown]!.outside) lastShown--;
  const end = kfs[lastShown + 1];
  return { first: kfs[firstShown]!.frame, last: end ? end.frame - 1 : lastFrameOfClip };
}

/** Whether this track is redacted on export. Undecided proposals are redacted: failing safe. */
export function isRedacted(track: Pick<Track, 'decision'>): boolean {
  return track.decision !== 'keep';
}

/*
 * Pure keyframe edits used by the editor's commands. Each keeps CVAT semantics and changes the
 * region only where the edit says: frames outside the edited range keep exactly the box they had
 * (up to floating-point rounding where a cut has to pin an interpolated box as a keyframe).
 */

/** A keyframe that pins `box` at `frame` on the path that `from` starts, keeping its provenance. */
function pinnedKeyframe(from: Keyframe, frame: number, box: Box): Keyframe {
  return { frame, x: box.x, y: box.y, w: box.w, h: box.h, outside: false, source: from.source };
}

function endKeyframe(frame: number, box: Box): Keyframe {
  return { frame, x: box.x, y: box.y, w: box.w, h: box.h, outside: true, source: 'manual' };
}

/** Inserts `kf`, replacing any keyframe at the same frame; keeps the order. */
export function withKeyframe(keyframes: Keyframe[], kf: Keyframe): Keyframe[] {
  const i = keyframeIndexAtOrBefore(keyframes, kf.frame);
  const out = keyframes.slice();
  if (i >= 0 && keyframes[i]!.frame === kf.frame) out[i] = kf;
  else out.splice(i + 1, 0, kf);
  return out;
}

/** Removes the keyframe at `frame` (if any). */
export function withoutKeyframe(keyframes: Keyframe[], frame: number): Keyframe[] {
  return keyframes.filter((k) => k.frame !== frame);
}

/**
 * The keyframes of a track cut down to frames [first, last]: identical boxes inside, no region
 * outside. Where a cut falls between two keyframes, the interpolated box is pinned as a keyframe so
 * the path inside does not change; the region ends with an `outside` keyframe at last + 1.
 */
export function keyframesWithin(keyframes: Keyframe[], first: number, last = Infinity): Keyframe[] {
  if (last < first) return [];
  const track = { keyframes };
  const out: Keyframe[] = [];
  const startBox = boxAtFrame(track, first);
  const i0 = keyframeIndexAtOrBefore(keyframes, first);
  if (startBox && keyframes[i0]!.frame !== first) out.push(pinnedKeyframe(keyframes[i0]!, first, startBox));
  for (const k of keyframes) if (k.frame >= first && k.frame <= last) out.push(k);
  if (Number.isFinite(last)) {
    const endBox = boxAtFrame(track, last);
    if (endBox) {
      const j = keyframeIndexAtOrBefore(keyframes, last);
      const next = keyframes[j + 1];
      const interpolating = keyframes[j]!.frame !== last && next !== undefined && !next.outside;
      if (interpolating && out[out.length - 1]!.frame !== last) out.push(pinnedKeyframe(keyframes[j]!, last, endBox));
      out.push(endKeyframe(last + 1, endBox));
    }
  }
  // Leading outside keyframes say nothing: the track is absent before its first keyframe anyway.
  const firstShown = out.findIndex((k) => !k.outside);
  return firstShown < 0 ? [] : out.slice(firstShown);
}

/**
 * The keyframes with the track's span set to [first, last]: trims by cutting (keyframesWithin),
 * extends the start by holding the first box from `first`, extends the end by moving the final
 * `outside` keyframe to last + 1. Frames inside both the old and the new span keep their boxes.
 */
export function keyframesForSpan(keyframes: Keyframe[], first: number, last: number): Keyframe[] {
  const span = trackSpan({ keyframes }, Infinity);
  if (!span) throw new RangeError('the track is never shown');
  let out: Keyframe[] = keyframes.slice();
  if (first > span.first) {
    out = keyframesWithin(out, first);
  } else if (first < span.first) {
    const shown = out.find((k) => !k.outside)!;
    out = [{ ...pinnedKeyframe(shown, first, shown), source: 'manual' }, ...out.filter((k) => k.frame >= span.first)];
  }
  if (last < span.last) {
    out = keyframesWithin(out, -Infinity, last);
  } else if (last > span.last) {
    let lastShown = out.length - 1;
    while (out[lastShown]!.outside) lastShown--;
    out = [...out.slice(0, lastShown + 1), endKeyframe(last + 1, out[lastShown]!)];
  }
  return out;
}

/**
 * The keyframes of two tracks that do not overlap in time, joined into one: each part keeps its
 * boxes, the gap between them (if any) stays empty. Throws RangeError if the spans overlap.
 */
export function joinKeyframes(a: Keyframe[], b: Keyframe[]): Keyframe[] {
  const sa = trackSpan({ keyframes: a }, Infinity);
  const sb = trackSpan({ keyframes: b }, Infinity);
  if (!sa) return keyframesWithin(b, -Infinity);
  if (!sb) return keyframesWithin(a, -Infinity);
  const [early, late, se, sl] = sa.first <= sb.first ? [a, b, sa, sb] : [b, a, sb, sa];
  if (se.last >= sl.first) throw new RangeError('the tracks overlap in time');
  let lastShown = early.length - 1;
  while (early[lastShown]!.outside) lastShown--;
  const out = early.slice(early.findIndex((k) => !k.outside), lastShown + 1);
  const held = early[lastShown]!;
  if (se.last + 1 < sl.first) {
    out.push(endKeyframe(se.last + 1, held));
  } else if (held.frame < se.last) {
    // Adjacent: pin the held box on the last frame so it does not slide towards the next part.
    out.push(pinnedKeyframe(held, se.last, held));
  }
  return [...out, ...late.slice(late.findIndex((k) => !k.outside))];
}
