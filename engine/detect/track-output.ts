import { type Box, lerpBox, padBox } from '../../common/geometry';
import type { Keyframe } from '../../common/track';
import { negate, predictBox, type Velocity, ZERO_VELOCITY } from './track-motion';
import { type FrameBox, simplifyBoxes } from './track-simplify';

/**
 * Turns a finished track's observations into keyframes: a box for every frame of the track's span
 * (observed, interpolated between observations, or extrapolated into the extensions), padded and
 * grown with uncertainty, then simplified to the few keyframes that reproduce it.
 */

/** A frame where the face's position is known from the image: a detection, or content following. */
export interface Observation {
  frame: number;
  /** Unpadded face box, source px. */
  box: Box;
  /** Velocity estimate after this observation. */
  velocity: Velocity;
  confidence: number;
  /** Extra padding fraction per side for what this observation did not measure (size, when followed). */
  growth: number;
}

export interface TrackHistory {
  /** In increasing frame order; at least one. */
  observations: readonly Observation[];
  firstDetectionFrame: number;
  lastDetectionFrame: number;
  /** Last frame the tracker still held the track (it may coast past the last observation). */
  lastAliveFrame: number;
  /**
   * Whether the track begins or ends at the frame edge: a face entering or leaving the picture is
   * seen by the detector only once mostly inside, and lost while still partly visible.
   */
  startsAtEdge?: boolean;
  endsAtEdge?: boolean;
  /** First and last frame of the shot(s) the track was observed in: extensions stop at hard cuts. */
  shot?: { first: number; last: number };
}

export interface OutputSettings {
  padding: number;
  paddingVertical: number;
  extendBeforeFrames: number;
  extendAfterFrames: number;
  coastGrowthPerFrame: number;
  maxGrowth: number;
  velocityDamping: number;
  keyframeTolerancePx: number;
}

export interface DenseBox extends FrameBox {
  confidence: number;
}

/** Extensions of a track that begins or ends at the frame edge are this many times longer. */
const EDGE_EXTENSION_FACTOR = 3;

// Frames with no observation of their own are less certain than the observations around them.
const EXTRAPOLATED_CONFIDENCE = 0.5;

function roundConfidence(c: number): number {
  return Math.round(Math.min(1, Math.max(0, c)) * 1000) / 1000;
}

/** One padded box per frame from the start to the end of the track's span (both clamped to the clip). */
export function denseTrackBoxes(h: TrackHistory, s: OutputSettings, lastFrameIndex: number): DenseBox[] {
  const obs = h.observations;
  const first = obs[0]!;
  const last = obs[obs.length - 1]!;
  const before = s.extendBeforeFrames * (h.startsAtEdge ? EDGE_EXTENSION_FACTOR : 1);
  const after = s.extendAfterFrames * (h.endsAtEdge ? EDGE_EXTENSION_FACTOR : 1);
  // At the edge the extension runs from the last frame the face was held, by content or coasting,
  // rather than from the last detection: the detector stops seeing a face long before it is gone.
  const startFrom = h.startsAtEdge ? first.frame : h.firstDetectionFrame;
  const endFrom = h.endsAtEdge ? Math.max(last.frame, h.lastAliveFrame) : h.lastDetectionFrame;
  const start = Math.max(0, h.shot?.first ?? 0, Math.min(first.frame, startFrom - before));
  const end = Math.min(lastFrameIndex, h.shot?.last ?? lastFrameIndex, Math.max(last.frame, h.lastAliveFrame, endFrom + after));
  // Going back in time from the first observation, use the first velocity actually measured.
  const backwards = negate(obs[1]?.velocity ?? ZERO_VELOCITY);
  const grown = (base: number, frames: number) => Math.min(s.maxGrowth, base + s.coastGrowthPerFrame * frames);
  const out: DenseBox[] = [];
  let j = 0;
  for (let f = start; f <= end; f++) {
    let box: Box;
    let growth: number;
    let confidence: number;
    if (f < first.frame) {
      const dt = first.frame - f;
      box = predictBox(first.box, backwards, dt, s.velocityDamping);
      growth = grown(first.growth, dt);
      confidence = first.confidence * EXTRAPOLATED_CONFIDENCE;
    } else if (f > last.frame) {
      const dt = f - last.frame;
      box = predictBox(last.box, last.velocity, dt, s.velocityDamping);
      growth = grown(last.growth, dt);
      confidence = last.confidence * EXTRAPOLATED_CONFIDENCE;
    } else {
      while (obs[j + 1] && obs[j + 1]!.frame <= f) j++;
      const a = obs[j]!;
      const b = obs[j + 1];
      if (a.frame === f || !b) {
        box = a.box;
        growth = a.growth;
        confidence = a.confidence;
      } else {
        const t = (f - a.frame) / (b.frame - a.frame);
        box = lerpBox(a.box, b.box, t);
        growth = grown(a.growth + (b.growth - a.growth) * t, Math.min(f - a.frame, b.frame - f));
        confidence = Math.min(a.confidence, b.confidence);
      }
    }
    out.push({ frame: f, ...padBox(box, s.padding + growth, s.paddingVertical + growth), confidence: roundConfidence(confidence) });
  }
  return out;
}

/**
 * Keyframes for a dense box run: simplified so that interpolation contains every dense box, then
 * an `outside` keyframe right after the run unless the run reaches the clip's last frame.
 */
export function keyframesFor(dense: readonly DenseBox[], tolerancePx: number, lastFrameIndex: number): Keyframe[] {
  if (dense.length === 0) return [];
  const keyframes: Keyframe[] = simplifyBoxes(dense, tolerancePx, true).map((b) => ({
    frame: b.frame,
    x: b.x,
    y: b.y,
    w: b.w,
    h: b.h,
    outside: false,
    source: 'detected',
    confidence: b.confidence,
  }));
  const tail = keyframes[keyframes.length - 1]!;
  if (tail.frame < lastFrameIndex) {
    keyframes.push({ frame: tail.frame + 1, x: tail.x, y: tail.y, w: tail.w, h: tail.h, outside: true, source: 'detected' });
  }
  return keyframes;
}
