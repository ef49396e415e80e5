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

export const TRACK_LABELS = ['face', 'head', 'person', 'plate', 'screen', 'document', 'manual', 'other'] as const;
export type TrackLabel = (typeof TRACK_LABELS)[number];

export const TRACK_SHAPES = ['rectangle', 'ellipse'] as const;
export type TrackShape = (typeof TRACK_SHAPES)[number];

/** proposed: the detector suggests it, nobody has decided; redact / keep: a person decided. */
export const DECISIONS = ['proposed', 'redact', 'keep'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface Provenance {
  origin: 'detected' | 'manual';
  /** Model and settings for detected tracks, e.g. "blazeface-back-256@427cbbe0". */
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
