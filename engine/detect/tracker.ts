import { type Box, iou } from '../../common/geometry';
import type { Track, TrackLabel, TrackShape } from '../../common/track';
import type { Detection } from './detection';
import { cutTemplate, type GrayImage, ImagePyramid, matchTemplate, scoreAt, type Template } from './template-match';
import { boxAround, centreOf, clamp, negate, predictBox, updateVelocity, ZERO_VELOCITY } from './track-motion';
import { atEdge, edgeContact, type FrameSize, restoreClippedSizes } from './edge-size';
import { CutDetector, shotOf } from './shot-cuts';
import { withoutDuplicates } from './track-duplicates';
import { denseTrackBoxes, keyframesFor, type Observation, type TrackHistory } from './track-output';

export type { GrayImage } from './template-match';
/** Detections are passed in source px. */
export type { Detection } from './detection';

/**
 * FaceTracker: turns per-frame face detections into tracks, online and deterministically.
 *
 * Per analysed frame: predict every live track (damped constant velocity), associate detections
 * greedily by cost (1 − IoU + centre distance in face sizes, gated; established tracks first), update matched tracks; an
 * unmatched track follows the image content (template matching of its last appearance, verified
 * against its appearance at the last detection), else coasts on its prediction for a few frames,
 * then turns dormant: not drawn, but a detection near its prediction within maxGapFrames of its
 * last detection re-links it (an occlusion), and the frames between are interpolated.
 *
 * Tentative rule: a detection scoring ≥ confirmScore starts a confirmed track at once; a weaker one
 * starts a tentative track, confirmed by its confirmHits-th detection within tentativeMaxGapFrames
 * of the previous one. Tracks still tentative when they end are dropped: an isolated weak detection
 * is most likely a false positive. Tentative tracks coast only (no content following: cheap).
 *
 * On confirmation the track is also followed backwards through recently buffered images, so the
 * frames before the detector first caught the face are covered too.
 *
 * finish() pads, extends and simplifies every confirmed track into keyframes (track-output.ts).
 */

export interface TrackerSettings {
  /** Provenance: model and settings of the detector, e.g. "yunet-n@104ee26c". */
  detector: string;
  shape?: TrackShape;
  /**
   * Padding left and right, as a fraction of the face box's width. Measured on the dev photographs:
   * annotated faces reach beyond YuNet's box by up to 0.23 (left) and 0.20 (right) of its width for
   * 95% of faces (0.15 and 0.12 for 90%); 95% rather than 90% took the bench clips' exposed
   * face-frames ≥ 24 px from 4,712 to 4,204 for 0.6 points more over-redaction.
   */
  padding?: number;
  /** Padding above and below, as a fraction of the box's height: up to 0.18 above, 0.17 below (95%). */
  paddingVertical?: number;
  extendBeforeFrames?: number;
  extendAfterFrames?: number;
  /** Frames a confirmed track lives without a detection (content following keeps it located). */
  maxGapFrames?: number;
  /**
   * Frames after its last detection that a track is still drawn by content following: a short time.
   * Followed longer, a track from an offset or false detection drifts onto hands, a hat or the
   * background (real footage: a ghost of a dancer's head followed for 50 frames). After it the track
   * turns dormant, re-linkable until maxGapFrames.
   */
  maxFollowFrames?: number;
  /** Frames a track may coast on its prediction alone, without detection or content match. */
  maxCoastFrames?: number;
  /** Padding added per side, per frame away from an observation, as a fraction of the box. */
  coastGrowthPerFrame?: number;
  /** Padding added per side, per frame of content following since the last detection (size is not measured). */
  followGrowthPerFrame?: number;
  /** Cap on the added uncertainty padding, per side. */
  maxGrowth?: number;
  /** A detection at or above this score makes a confirmed track immediately. */
  confirmScore?: number;
  /** Detections that confirm a tentative track. */
  confirmHits?: number;
  /** Frames a tentative track waits for its next detection. */
  tentativeMaxGapFrames?: number;
  /** Association gate: centre distance in face sizes (grows with frames since the last observation). */
  maxCentreDistance?: number;
  /** Velocity kept per frame of prediction. */
  velocityDamping?: number;
  /** NCC a content match needs against the track's last appearance. */
  matchScore?: number;
  /** NCC the same position needs against the appearance at the last detection: stops slow drift. */
  anchorScore?: number;
  /** Templates flatter than this (grey-level standard deviation) are not followed. */
  minTemplateStd?: number;
  /** Frames to follow a newly confirmed track backwards through buffered images; 0 disables. */
  backtrackFrames?: number;
  /** Keyframe simplification tolerance, source px. */
  keyframeTolerancePx?: number;
  /** Source frame size; when omitted, taken from the images (width × scale). Ends tracks that leave it. */
  frameWidth?: number;
  frameHeight?: number;
  idPrefix?: string;
  /** The label every track gets: the tracker follows one kind of thing (faces, or text). */
  label?: TrackLabel;
  /**
   * The reason a track gets when its detections suggest none; otherwise the reason most of its
   * detections suggest (ties: the first suggested).
   */
  reason?: string;
}

type ResolvedSettings = Required<Omit<TrackerSettings, 'frameWidth' | 'frameHeight'>> &
  Pick<TrackerSettings, 'frameWidth' | 'frameHeight'>;

export const DEFAULT_TRACKER_SETTINGS: Readonly<Omit<ResolvedSettings, 'detector'>> = Object.freeze({
  shape: 'rectangle',
  padding: 0.22,
  paddingVertical: 0.18,
  extendBeforeFrames: 10,
  extendAfterFrames: 10,
  maxGapFrames: 45,
  maxFollowFrames: 15,
  maxCoastFrames: 8,
  coastGrowthPerFrame: 0.02,
  followGrowthPerFrame: 0.003,
  maxGrowth: 0.5,
  confirmScore: 0.85,
  confirmHits: 2,
  tentativeMaxGapFrames: 15,
  maxCentreDistance: 1,
  velocityDamping: 0.95,
  matchScore: 0.6,
  anchorScore: 0.4,
  minTemplateStd: 2,
  backtrackFrames: 45,
  keyframeTolerancePx: 2,
  idPrefix: 'face-',
  label: 'face',
  reason: 'third-party-face',
});

/** Confidence of a content-followed frame: this × NCC × the score of the last detection. */
const FOLLOWED_CONFIDENCE = 0.8;
/** An unmatched detection overlapping a live track this much is its duplicate, not a new face. */
const DUPLICATE_IOU = 0.5;
/** Picture changes this close after a cut (frames) belong to the same transition. */
const TRANSITION_FRAMES = 4;
/** A template clipped by the image edge to less than this fraction is not worth following. */
const MIN_TEMPLATE_COVERAGE = 0.6;

interface Appearance {
  tpl: Template;
  /** The face box it was cut at, source px. */
  box: Box;
  image: { width: number; height: number; scale: number };
}

interface LiveTrack {
  seq: number;
  confirmed: boolean;
  observations: Observation[];
  velocitySamples: number;
  hits: number;
  firstDetectionFrame: number;
  lastDetectionFrame: number;
  lastDetectionScore: number;
  lastAliveFrame: number;
  /** Lost (coasted too long) but re-linkable by a detection until maxGapFrames: occlusions end. */
  dormant: boolean;
  /** Appearance at the latest observation, and at the latest detection. */
  recent: Appearance | null;
  anchor: Appearance | null;
  /** Reasons suggested by the track's detections, with counts, in order of first suggestion. */
  reasons: Map<string, number>;
}

interface BufferedFrame {
  frame: number;
  pyramid: ImagePyramid;
}

function resolveSettings(s: TrackerSettings): ResolvedSettings {
  if (typeof s.detector !== 'string' || s.detector.length === 0) throw new TypeError('tracker settings need a detector name');
  const r: ResolvedSettings = { ...DEFAULT_TRACKER_SETTINGS, ...stripUndefined(s), detector: s.detector };
  const fractions = ['padding', 'paddingVertical', 'coastGrowthPerFrame', 'followGrowthPerFrame', 'maxGrowth', 'confirmScore', 'velocityDamping'] as const;
  for (const k of fractions) if (!(r[k] >= 0 && r[k] <= 1)) throw new RangeError(`tracker setting ${k} must be in [0, 1], got ${r[k]}`);
  const counts = ['extendBeforeFrames', 'extendAfterFrames', 'maxGapFrames', 'maxFollowFrames', 'maxCoastFrames', 'tentativeMaxGapFrames', 'backtrackFrames'] as const;
  for (const k of counts) if (!(Number.isInteger(r[k]) && r[k] >= 0)) throw new RangeError(`tracker setting ${k} must be an integer ≥ 0, got ${r[k]}`);
  if (!(Number.isInteger(r.confirmHits) && r.confirmHits >= 1)) throw new RangeError(`confirmHits must be an integer ≥ 1, got ${r.confirmHits}`);
  for (const k of ['maxCentreDistance', 'keyframeTolerancePx', 'minTemplateStd'] as const) {
    if (!(r[k] >= 0 && Number.isFinite(r[k]))) throw new RangeError(`tracker setting ${k} must be ≥ 0, got ${r[k]}`);
  }
  for (const k of ['matchScore', 'anchorScore'] as const) if (!(r[k] >= -1 && r[k] <= 1)) throw new RangeError(`${k} must be in [-1, 1]`);
  return r;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Valid detections, clamped scores, in a fixed order: the output must not depend on the detector's ordering. */
function normaliseDetections(detections: ReadonlyArray<Detection>): Detection[] {
  const out: Detection[] = [];
  for (const d of detections) {
    if (![d.x, d.y, d.w, d.h, d.score].every(Number.isFinite)) throw new RangeError('detection has a non-finite value');
    if (d.w <= 0 || d.h <= 0) continue;
    out.push({ x: d.x, y: d.y, w: d.w, h: d.h, score: clamp(d.score, 0, 1), ...(d.reason ? { reason: d.reason } : {}) });
  }
  return out.sort((a, b) => a.x - b.x || a.y - b.y || a.w - b.w || a.h - b.h || b.score - a.score);
}

function lastObservation(t: LiveTrack): Observation {
  return t.observations[t.observations.length - 1]!;
}

function countReason(t: LiveTrack, d: Detection): void {
  if (d.reason) t.reasons.set(d.reason, (t.reasons.get(d.reason) ?? 0) + 1);
}

/** The reason most detections suggested; the earliest suggested wins a tie. Undefined when none did. */
export function majorityReason(reasons: ReadonlyMap<string, number>): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const [reason, count] of reasons) {
    if (count > bestCount) {
      best = reason;
      bestCount = count;
    }
  }
  return best;
}

/** Association cost, or null outside the gate. */
function associationCost(pred: Box, det: Box, gate: number): number | null {
  const ratio = Math.sqrt((det.w * det.h) / (pred.w * pred.h));
  if (ratio < 0.5 || ratio > 2) return null;
  const a = centreOf(pred);
  const b = centreOf(det);
  const size = (Math.sqrt(pred.w * pred.h) + Math.sqrt(det.w * det.h)) / 2;
  const distance = Math.hypot(a.x - b.x, a.y - b.y) / size;
  if (distance > gate) return null;
  return 1 - iou(pred, det) + distance;
}

export class FaceTracker {
  private readonly s: ResolvedSettings;
  private live: LiveTrack[] = [];
  private readonly ended: LiveTrack[] = [];
  private buffer: BufferedFrame[] = [];
  private nextSeq = 0;
  private lastFrame = -1;
  private finished = false;
  private frameSize: { width: number; height: number } | null = null;
  /** First frames of shots after hard cuts, increasing: no track is extended or coasted across one. */
  private readonly cuts: number[] = [];
  /** For each cut, the first frame of the transition it belongs to (itself, unless it follows another closely). */
  private readonly transitionStarts = new Map<number, number>();
  private readonly cutDetector = new CutDetector();

  constructor(settings: TrackerSettings) {
    this.s = resolveSettings(settings);
    if (this.s.frameWidth !== undefined && this.s.frameHeight !== undefined) {
      this.frameSize = { width: this.s.frameWidth, height: this.s.frameHeight };
    }
  }

  /** Feeds one analysed frame. Frame indices must increase; they may step by more than one. */
  push(frameIndex: number, detections: ReadonlyArray<Detection>, image?: GrayImage): void {
    if (this.finished) throw new Error('FaceTracker: push after finish');
    if (!Number.isInteger(frameIndex) || frameIndex <= this.lastFrame) {
      throw new RangeError(`frame indices must be increasing integers ≥ 0: got ${frameIndex} after ${this.lastFrame}`);
    }
    this.lastFrame = frameIndex;
    const dets = normaliseDetections(detections);
    if (image && this.isCutAt(frameIndex, image)) this.endShot(frameIndex);
    const pyramid = image ? this.bufferImage(frameIndex, image) : null;

    const predictions = this.live.map((t) => this.currentBox(t, frameIndex));
    const trackOf = new Map<number, number>(); // detection index → live track index
    const detOf = new Map<number, number>();
    for (const [ti, di] of this.associate(predictions, dets, frameIndex)) {
      trackOf.set(di, ti);
      detOf.set(ti, di);
    }

    const survivors: LiveTrack[] = [];
    this.live.forEach((t, ti) => {
      const di = detOf.get(ti);
      let alive = true;
      if (di !== undefined) this.observeDetection(t, dets[di]!, frameIndex, pyramid);
      else alive = this.carryOn(t, predictions[ti]!, frameIndex, pyramid);
      if (alive) survivors.push(t);
      else if (t.confirmed) this.ended.push(t);
    });

    dets.forEach((d, di) => {
      if (trackOf.has(di)) return;
      const duplicate = survivors.some((t) => iou(this.currentBox(t, frameIndex), d) > DUPLICATE_IOU);
      if (!duplicate) survivors.push(this.startTrack(d, frameIndex, pyramid));
    });
    this.live = survivors;
  }

  /** Ends every track; returns the confirmed ones as plan tracks, sorted by first frame. */
  finish(lastFrameIndex: number): Track[] {
    if (this.finished) throw new Error('FaceTracker: finish called twice');
    if (!Number.isInteger(lastFrameIndex) || lastFrameIndex < this.lastFrame) {
      throw new RangeError(`lastFrameIndex ${lastFrameIndex} is before the last pushed frame ${this.lastFrame}`);
    }
    this.finished = true;
    this.buffer = [];
    return this.build(lastFrameIndex, this.s.idPrefix);
  }

  /**
   * The confirmed tracks so far, built as `finish` would if the clip ended at the last pushed frame,
   * without changing any state: provisional proposals to show while detection runs. Live tracks may
   * still grow, merge with later detections or be backtracked, so these are replaced, never kept.
   */
  snapshot(idPrefix = `${this.s.idPrefix}provisional-`): Track[] {
    if (this.finished) throw new Error('FaceTracker: snapshot after finish');
    if (this.lastFrame < 0) return [];
    return this.build(this.lastFrame, idPrefix);
  }

  private build(lastFrameIndex: number, idPrefix: string): Track[] {
    const candidates = [...this.ended, ...this.live.filter((t) => t.confirmed)].map((t) => {
      const history = this.withinShot(this.frameSize ? this.atEdges(t, this.frameSize) : t, lastFrameIndex);
      return { seq: t.seq, hits: t.hits, reason: majorityReason(t.reasons) ?? this.s.reason, dense: denseTrackBoxes(history, this.s, lastFrameIndex) };
    });
    const built = withoutDuplicates(candidates)
      .map((t) => ({ seq: t.seq, reason: t.reason, keyframes: keyframesFor(t.dense, this.s.keyframeTolerancePx, lastFrameIndex) }))
      .filter((t) => t.keyframes.length > 0)
      .sort((a, b) => a.keyframes[0]!.frame - b.keyframes[0]!.frame || a.seq - b.seq);
    return built.map((t, i) => ({
      id: `${idPrefix}${String(i + 1).padStart(4, '0')}`,
      label: this.s.label,
      shape: this.s.shape,
      reason: t.reason,
      provenance: { origin: 'detected', detector: this.s.detector },
      decision: 'proposed',
      keyframes: t.keyframes,
    }));
  }

  private bufferImage(frameIndex: number, image: GrayImage): ImagePyramid {
    const size = image.width * image.height;
    // Keep a private copy when buffering: callers commonly reuse one frame buffer.
    const owned = this.s.backtrackFrames > 0 ? { ...image, data: image.data.slice(0, size) } : image;
    const pyramid = new ImagePyramid(owned);
    if (this.s.frameWidth === undefined || this.s.frameHeight === undefined) {
      this.frameSize = { width: this.s.frameWidth ?? image.width * image.scale, height: this.s.frameHeight ?? image.height * image.scale };
    }
    if (this.s.backtrackFrames > 0) {
      // Long enough for a tentative track to be confirmed and then followed back its full distance.
      const span = this.s.backtrackFrames + (this.s.confirmHits - 1) * this.s.tentativeMaxGapFrames;
      this.buffer = this.buffer.filter((b) => b.frame >= frameIndex - span);
      this.buffer.push({ frame: frameIndex, pyramid });
    }
    return pyramid;
  }

  /** Greedy assignment on ascending cost; ties broken by track creation order, then detection order. */
  private associate(predictions: Box[], dets: Detection[], frameIndex: number): Array<[number, number]> {
    // Established tracks (confirmed, not dormant) choose first; tentative and dormant ones take what
    // is left. With a softer preference, a face that began to move fast (its track's prediction
    // lagging) gave its detection to a tentative track started by a weak box beside it, confirming a
    // second track on one face (detect-replay: 3,776 face-frames ≥ 24 px exposed against 3,967).
    const pairs: Array<{ tier: number; cost: number; ti: number; di: number }> = [];
    this.live.forEach((t, ti) => {
      const sinceObserved = frameIndex - lastObservation(t).frame;
      const gate = this.s.maxCentreDistance * Math.min(3, 1 + 0.1 * (sinceObserved - 1));
      const tier = t.confirmed && !t.dormant ? 0 : 1;
      dets.forEach((d, di) => {
        const cost = associationCost(predictions[ti]!, d, gate);
        if (cost !== null) pairs.push({ tier, cost, ti, di });
      });
    });
    pairs.sort((a, b) => a.tier - b.tier || a.cost - b.cost || this.live[a.ti]!.seq - this.live[b.ti]!.seq || a.di - b.di);
    const usedT = new Set<number>();
    const usedD = new Set<number>();
    const out: Array<[number, number]> = [];
    for (const p of pairs) {
      if (usedT.has(p.ti) || usedD.has(p.di)) continue;
      usedT.add(p.ti);
      usedD.add(p.di);
      out.push([p.ti, p.di]);
    }
    return out;
  }

  private startTrack(d: Detection, frameIndex: number, pyramid: ImagePyramid | null): LiveTrack {
    const box = { x: d.x, y: d.y, w: d.w, h: d.h };
    const appearance = pyramid ? this.appearanceAt(pyramid, box) : null;
    const t: LiveTrack = {
      seq: this.nextSeq++,
      confirmed: false,
      observations: [{ frame: frameIndex, box, velocity: { ...ZERO_VELOCITY }, confidence: d.score, growth: 0 }],
      velocitySamples: 0,
      hits: 1,
      firstDetectionFrame: frameIndex,
      lastDetectionFrame: frameIndex,
      lastDetectionScore: d.score,
      lastAliveFrame: frameIndex,
      dormant: false,
      recent: appearance,
      anchor: appearance,
      reasons: new Map(),
    };
    countReason(t, d);
    this.maybeConfirm(t, d.score);
    return t;
  }

  private observeDetection(t: LiveTrack, d: Detection, frameIndex: number, pyramid: ImagePyramid | null): void {
    const box = { x: d.x, y: d.y, w: d.w, h: d.h };
    this.addObservation(t, frameIndex, box, d.score, 0);
    t.hits++;
    countReason(t, d);
    t.lastDetectionFrame = frameIndex;
    t.lastDetectionScore = d.score;
    t.dormant = false;
    const appearance = pyramid ? this.appearanceAt(pyramid, box) : null;
    // Keep the older appearance when this one cannot be cut (flat, or clipped by the frame edge).
    if (appearance) {
      t.recent = appearance;
      t.anchor = appearance;
    }
    this.maybeConfirm(t, d.score);
  }

  private addObservation(t: LiveTrack, frame: number, box: Box, confidence: number, growth: number): void {
    const last = lastObservation(t);
    const velocity = updateVelocity(last.velocity, t.velocitySamples, last.box, box, frame - last.frame);
    t.velocitySamples++;
    t.observations.push({ frame, box, velocity, confidence, growth });
    t.lastAliveFrame = frame;
  }

  private maybeConfirm(t: LiveTrack, score: number): void {
    if (t.confirmed || (t.hits < this.s.confirmHits && score < this.s.confirmScore)) return;
    t.confirmed = true;
    this.backtrack(t);
  }

  /** Keeps an unmatched track alive by content following or coasting; false when it has ended. */
  private carryOn(t: LiveTrack, pred: Box, frameIndex: number, pyramid: ImagePyramid | null): boolean {
    const sinceDetection = frameIndex - t.lastDetectionFrame;
    if (!t.confirmed) return sinceDetection <= this.s.tentativeMaxGapFrames;
    if (sinceDetection > this.s.maxGapFrames || this.leftFrame(pred)) return false;
    if (t.dormant) return true;
    if (sinceDetection > this.s.maxFollowFrames) {
      t.dormant = true;
      return true;
    }
    const last = lastObservation(t);
    const found = pyramid ? this.follow(t.recent, t.anchor, last, pred, frameIndex, pyramid) : null;
    if (found) {
      const growth = Math.min(this.s.maxGrowth, this.s.followGrowthPerFrame * sinceDetection);
      this.addObservation(t, frameIndex, found.box, FOLLOWED_CONFIDENCE * found.score * t.lastDetectionScore, growth);
      t.recent = this.appearanceAt(pyramid!, found.box) ?? t.recent;
      return true;
    }
    if (frameIndex - last.frame > this.s.maxCoastFrames) {
      t.dormant = true;
      return true;
    }
    t.lastAliveFrame = frameIndex;
    return true;
  }

  /**
   * Finds the face by content near `pred`: template match of the recent appearance, accepted only
   * if good, and if the appearance at the last detection agrees at the same place (no drift).
   */
  private follow(
    recent: Appearance | null,
    anchor: Appearance | null,
    last: Observation,
    pred: Box,
    frameIndex: number,
    pyramid: ImagePyramid,
  ): { box: Box; score: number } | null {
    const img = pyramid.image;
    if (!recent || !anchor || !sameGeometry(recent, img) || !sameGeometry(anchor, img)) return null;
    const scale = img.scale;
    const rc = centreOf(recent.box);
    const pc = centreOf(pred);
    const lc = centreOf(last.box);
    const size = Math.max(recent.tpl.rect.w, recent.tpl.rect.h);
    const dt = Math.abs(frameIndex - last.frame);
    const predictedShift = Math.hypot(pc.x - lc.x, pc.y - lc.y) / scale;
    const radius = 4 + size * (0.5 + 0.1 * Math.min(dt, 10)) + 0.5 * predictedShift;
    const m = matchTemplate(pyramid, recent.tpl, (pc.x - rc.x) / scale, (pc.y - rc.y) / scale, radius);
    if (!m || m.score < this.s.matchScore) return null;
    const cx = rc.x + m.dx * scale;
    const cy = rc.y + m.dy * scale;
    const ac = centreOf(anchor.box);
    const anchorScore = scoreAt(pyramid, anchor.tpl, Math.round((cx - ac.x) / scale), Math.round((cy - ac.y) / scale));
    if (anchorScore < this.s.anchorScore) return null;
    // Content gives the position, not the size: take the predicted size, within reason. It may grow
    // step by step (a face coming closer), but never shrink below 0.8 of the size last measured, at
    // the detection: bounded only by the last followed box, a shrinking prediction compounded frame
    // after frame (measured: a face followed for 26 frames went from 90 to 26 px and was exposed).
    const w = clamp(pred.w, 0.8 * anchor.box.w, 1.25 * Math.max(recent.box.w, anchor.box.w));
    const h = clamp(pred.h, 0.8 * anchor.box.h, 1.25 * Math.max(recent.box.h, anchor.box.h));
    return { box: boxAround(cx, cy, w, h), score: m.score };
  }

  /** Follows a newly confirmed track back in time through the buffered images, until content is lost. */
  private backtrack(t: LiveTrack): void {
    const first = t.observations[0]!;
    const start = this.buffer.findIndex((b) => b.frame === first.frame);
    if (start < 0) return;
    const anchor = this.appearanceAt(this.buffer[start]!.pyramid, first.box);
    let recent = anchor;
    let cur: Observation = first;
    let velocity = negate(t.observations[1]?.velocity ?? ZERO_VELOCITY);
    let samples = t.observations.length > 1 ? 1 : 0;
    if (!anchor) return;
    const earlier: Observation[] = [];
    for (let i = start - 1; i >= 0; i--) {
      const { frame, pyramid } = this.buffer[i]!;
      const back = first.frame - frame;
      if (back > this.s.backtrackFrames) break;
      const dt = cur.frame - frame;
      const pred = predictBox(cur.box, samples ? velocity : ZERO_VELOCITY, dt, this.s.velocityDamping);
      const found = this.follow(recent, anchor, cur, pred, frame, pyramid);
      if (!found) break;
      // Velocity in backward time while following back; stored forward, like every observation's.
      velocity = updateVelocity(velocity, samples++, cur.box, found.box, dt);
      const growth = Math.min(this.s.maxGrowth, this.s.followGrowthPerFrame * back);
      cur = { frame, box: found.box, velocity: negate(velocity), confidence: FOLLOWED_CONFIDENCE * found.score * first.confidence, growth };
      earlier.push(cur);
      recent = this.appearanceAt(pyramid, found.box) ?? recent;
    }
    if (earlier.length === 0) return;
    t.observations = [...earlier.reverse(), ...t.observations];
  }

  /** The track's appearance inside `box`, or null if too flat or mostly outside the image. */
  private appearanceAt(pyramid: ImagePyramid, box: Box): Appearance | null {
    const img = pyramid.image;
    const x0 = Math.round(box.x / img.scale);
    const y0 = Math.round(box.y / img.scale);
    const x1 = Math.round((box.x + box.w) / img.scale);
    const y1 = Math.round((box.y + box.h) / img.scale);
    const cx0 = Math.max(0, x0);
    const cy0 = Math.max(0, y0);
    const cx1 = Math.min(img.width, x1);
    const cy1 = Math.min(img.height, y1);
    if (cx1 <= cx0 || cy1 <= cy0) return null;
    if ((cx1 - cx0) * (cy1 - cy0) < MIN_TEMPLATE_COVERAGE * (x1 - x0) * (y1 - y0)) return null;
    const tpl = cutTemplate(pyramid, { x: cx0, y: cy0, w: cx1 - cx0, h: cy1 - cy0 }, this.s.minTemplateStd);
    return tpl ? { tpl, box: { ...box }, image: { width: img.width, height: img.height, scale: img.scale } } : null;
  }

  private currentBox(t: LiveTrack, frameIndex: number): Box {
    const last = lastObservation(t);
    if (last.frame === frameIndex) return last.box;
    return predictBox(last.box, last.velocity, frameIndex - last.frame, this.s.velocityDamping);
  }

  private isCutAt(frameIndex: number, image: GrayImage): boolean {
    const cut = this.cutDetector.push(image);
    // Motion blur and encoders smear a cut over a few frames, each unlike the last (measured: blur
    // clips changed over 3). Each change ends a shot, so nothing begun on a smeared frame lives on;
    // but the new shot's faces may be extended back to the transition's first frame.
    if (cut) {
      const previousCut = this.cuts[this.cuts.length - 1];
      const sameTransition = previousCut !== undefined && frameIndex - previousCut <= TRANSITION_FRAMES;
      this.transitionStarts.set(frameIndex, sameTransition ? this.transitionStarts.get(previousCut)! : frameIndex);
      this.cuts.push(frameIndex);
    }
    return cut;
  }

  /**
   * A hard cut ends every track: a face in the next shot is another face, even at the same place, and
   * nothing is followed back across the cut.
   */
  private endShot(frameIndex: number): void {
    for (const t of this.live) if (t.confirmed) this.ended.push(t);
    this.live = [];
    this.buffer = this.buffer.filter((b) => b.frame >= frameIndex);
  }

  /** The history with the shot it was observed in: extensions and coasting stop at hard cuts. */
  private withinShot(h: TrackHistory, lastFrameIndex: number): TrackHistory {
    const obs = h.observations;
    const first = shotOf(obs[0]!.frame, this.cuts, lastFrameIndex).first;
    const shot = { first: this.transitionStarts.get(first) ?? first, last: shotOf(obs[obs.length - 1]!.frame, this.cuts, lastFrameIndex).last };
    return { ...h, shot, lastAliveFrame: Math.min(h.lastAliveFrame, shot.last) };
  }

  /** The track's history with the sizes of edge-cut observations restored and its edge ends marked. */
  private atEdges(t: LiveTrack, frame: FrameSize): TrackHistory {
    const observations = restoreClippedSizes(t.observations, frame);
    const touches = (o: Observation) => atEdge(edgeContact(o.box, frame));
    return { ...t, observations, startsAtEdge: touches(observations[0]!), endsAtEdge: touches(observations[observations.length - 1]!) };
  }

  private leftFrame(b: Box): boolean {
    const f = this.frameSize;
    return f !== null && (b.x + b.w <= 0 || b.y + b.h <= 0 || b.x >= f.width || b.y >= f.height);
  }
}

function sameGeometry(a: Appearance, img: GrayImage): boolean {
  return a.image.width === img.width && a.image.height === img.height && a.image.scale === img.scale;
}
