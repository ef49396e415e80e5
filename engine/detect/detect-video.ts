import { availableParallelism } from 'node:os';
import { ALL_DETECT_KINDS, DETECT_KINDS, type DetectKind } from '../../common/detect-kinds';
import { progressMeter, type ProgressFigures } from '../../common/progress';
import type { Track } from '../../common/track';
import { CancelledError, throwIfAborted, UserError } from '../errors';
import { analysisFrames } from '../media/frame-stream';
import type { ProbeResult } from '../media/probe';
import type { Detection } from './detection';
import { resolveDetectSettings, type DetectSettings } from './settings';
import { greyHalf } from './grey';
import { FaceTracker, type GrayImage, type TrackerSettings } from './tracker';
import { DetectorPool } from './worker-pool';
import type { TextDetection } from '../text/text-detection';

/**
 * Detection over a whole clip: ffmpeg streams frames at the analysis size, a pool of detector
 * workers finds faces and text regions (each worker holds both models), and two trackers (in order,
 * on this thread; a few ms a frame) link them into tracks: one for faces, one for text. The result is
 * proposals: provenance detected, decision proposed.
 */
export interface DetectVideoSettings {
  /** What to look for; both by default. */
  find: DetectKind[];
  /** Analyse every N-th frame; the tracker covers the frames between. */
  every: number;
  /** Width of the analysed picture (height follows the aspect); capped at the source width. */
  analysisWidth: number;
  /** Detector worker threads. */
  workers: number;
  /** onnxruntime intra-op threads in each worker. */
  threadsPerWorker: number;
  detector: Partial<DetectSettings>;
  tracker: Partial<Omit<TrackerSettings, 'detector'>>;
  /**
   * Look for text on every N-th analysed frame only: the text model costs about six times the face
   * model per frame; the tracker follows text regions between.
   */
  textEvery: number;
  /** The text model's input size (long side) and whether smaller frames are brought up to it. */
  text: { maxSide?: number; upscale?: boolean };
  textTracker: Partial<Omit<TrackerSettings, 'detector'>>;
}

/**
 * The text tracker's settings: the face tracker's, with text's label, id prefix and default reason.
 * Text boxes are already grown to the plate or sign that carries the characters, so they get little
 * padding, and they do not grow while followed or coasting (a face's box grows for its uncertain size):
 * grown, one false box on a dark dashboard became a track over the whole frame for 90 frames. A track
 * needs two detections unless one scores 0.99 (false text on the night clip scored 0.98, close plates
 * 0.99–1.00). Measured with bench/text-replay.mjs: BENCHMARKS.md, "Over-redaction on the face clips".
 */
export const TEXT_TRACKER_SETTINGS: Readonly<Partial<Omit<TrackerSettings, 'detector'>>> = Object.freeze({
  label: 'text',
  idPrefix: 'text-',
  reason: 'personal-data-visual',
  padding: 0.05,
  paddingVertical: 0.1,
  confirmScore: 0.99,
  followGrowthPerFrame: 0,
  coastGrowthPerFrame: 0.005,
  maxGrowth: 0.1,
});

export const DEFAULT_DETECT_VIDEO_SETTINGS: DetectVideoSettings = {
  every: 2,
  analysisWidth: 1280,
  workers: Math.min(2, availableParallelism()),
  threadsPerWorker: 1,
  detector: {},
  tracker: {},
  find: [...ALL_DETECT_KINDS],
  textEvery: 3,
  text: {},
  textTracker: {},
};

/** In frames of the source (analysed or not): a clip analysed every 2nd frame is done at its frame count. */
export type DetectProgress = ProgressFigures & { unit: 'frames' };

export interface DetectVideoResult {
  /** Face and text tracks, sorted by first frame. */
  tracks: Track[];
  /** Model identity and every setting, for provenance and the audit trail (the face model's; with text: both, ' + ' between). */
  detector: string;
  /** The text model's identity and settings when text was looked for. */
  textDetector?: string;
  settings: DetectVideoSettings;
  framesAnalysed: number;
  detections: number;
}

export interface ProvisionalProposals {
  tracks: Track[];
  /** Source frames covered so far (the last analysed frame + 1). */
  framesDone: number;
}

/** Defaults for provisional proposals: often enough to see them arrive, rarely enough to cost nothing. */
export const PROVISIONAL_EVERY_FRAMES = 25;
export const PROVISIONAL_MIN_INTERVAL_MS = 500;

/**
 * The picture detection analyses: at most `maxWidth` wide (never wider than the source), even sides,
 * the source's aspect; `scale` maps its pixels back to the source's.
 */
export function analysisSize(source: { width: number; height: number }, maxWidth: number): { width: number; height: number; scale: number } {
  const width = Math.min(source.width, maxWidth) & ~1;
  const height = Math.max(2, Math.round((source.height * width) / source.width / 2) * 2);
  return { width, height, scale: source.width / width };
}

export async function detectVideo(
  probed: ProbeResult,
  options: {
    settings?: Partial<DetectVideoSettings>;
    signal?: AbortSignal;
    onProgress?: (p: DetectProgress) => void;
    modelPath?: string;
    /** The text model file (default: the vendored one found from this module). */
    textModelPath?: string;
    /** Every analysed frame's raw face detections in source pixels, in frame order (the leak check uses these). */
    onDetections?: (frameIndex: number, detections: Detection[]) => void;
    /** Raw detections only (through onDetections): no tracking, and no tracks in the result. */
    detectionsOnly?: boolean;
    /** The exact ffmpeg command line that decodes the frames. */
    onCommandLine?: (commandLine: string) => void;
    /**
     * Provisional proposals while the run goes on: the tracker's confirmed tracks so far (as if the clip
     * ended at the last analysed frame), at most every `provisional.everyFrames` analysed frames and
     * `provisional.minIntervalMs` apart, and never more often than 20 times the last snapshot's cost.
     * Read-only: the final tracks are the same with or without it.
     */
    onProvisional?: (p: ProvisionalProposals) => void;
    provisional?: { everyFrames?: number; minIntervalMs?: number };
  } = {},
): Promise<DetectVideoResult> {
  const settings: DetectVideoSettings = { ...DEFAULT_DETECT_VIDEO_SETTINGS, ...options.settings };
  const find = DETECT_KINDS.filter((k) => settings.find.includes(k));
  if (!find.length) throw new RangeError(`nothing to find: give one or more of ${DETECT_KINDS.join(', ')}`);
  if (!(Number.isInteger(settings.textEvery) && settings.textEvery >= 1)) throw new RangeError(`textEvery must be an integer ≥ 1, got ${settings.textEvery}`);
  const findFaces = find.includes('faces');
  const findText = find.includes('text');
  const { signal } = options;
  const v = probed.video;
  const { width: analysisWidth, height: analysisHeight, scale } = analysisSize(v, settings.analysisWidth);
  const lastFrame = v.frameCount - 1;

  throwIfAborted(signal, 'the detection');
  // Every detector setting as used, defaults included: a proposal must say how it was found even after
  // a default changes (the score threshold did, within one tool version).
  const detector = resolveDetectSettings(settings.detector);
  const pool = await DetectorPool.create(settings.workers, {
    modelPath: options.modelPath,
    settings: detector,
    threadsPerWorker: settings.threadsPerWorker,
    ...(findText ? { text: { ...settings.text, modelPath: options.textModelPath } } : {}),
  });
  const faceId = `${pool.modelId} ${JSON.stringify({ find, every: settings.every, analysisWidth, detector })}`;
  const textId = findText ? `${pool.textModelId} ${JSON.stringify({ find, every: settings.every, textEvery: settings.textEvery, analysisWidth, text: pool.textSettings })}` : undefined;
  /** Every proposal, provisional or final, names the model and settings that found it. */
  const withDetector = (tracks: Track[], id: string): Track[] => {
    for (const t of tracks) t.provenance = { ...t.provenance, detector: id };
    return tracks;
  };
  const frameSize = { frameWidth: v.width, frameHeight: v.height };
  const tracker = findFaces ? new FaceTracker({ ...settings.tracker, detector: pool.modelId, ...frameSize }) : null;
  const textTracker = findText ? new FaceTracker({ ...TEXT_TRACKER_SETTINGS, ...settings.textTracker, detector: pool.textModelId, ...frameSize }) : null;
  const allTracks = (build: (t: FaceTracker) => Track[]): Track[] => {
    const faces = tracker ? withDetector(build(tracker), faceId) : [];
    const text = textTracker ? withDetector(build(textTracker), textId!) : [];
    return [...faces, ...text].sort((a, b) => (a.keyframes[0]?.frame ?? 0) - (b.keyframes[0]?.frame ?? 0));
  };
  let analysedCount = 0;
  const window = 2 * pool.size;
  const inFlight: Array<{ index: number; grey: GrayImage | null; text: boolean; result: ReturnType<DetectorPool['detect']> }> = [];
  let framesAnalysed = 0;
  let detections = 0;
  let lastReport = 0;
  const meter = progressMeter();
  const provisionalEvery = Math.max(1, options.provisional?.everyFrames ?? PROVISIONAL_EVERY_FRAMES);
  const provisionalInterval = Math.max(0, options.provisional?.minIntervalMs ?? PROVISIONAL_MIN_INTERVAL_MS);
  let sinceProvisional = 0;
  let lastProvisional = -Infinity;
  let provisionalGap = provisionalInterval;

  const consumeOldest = async () => {
    const next = inFlight.shift()!;
    const found = await next.result;
    const inSource = found.faces.map((d) => ({ x: d.x * scale, y: d.y * scale, w: d.w * scale, h: d.h * scale, score: d.score }));
    options.onDetections?.(next.index, inSource);
    if (next.grey) tracker?.push(next.index, inSource, next.grey);
    if (next.grey && next.text) textTracker?.push(next.index, found.text.map((d) => textInSource(d, scale)), next.grey);
    framesAnalysed++;
    detections += found.faces.length + found.text.length;
    const now = performance.now();
    sinceProvisional++;
    if (options.onProvisional && !options.detectionsOnly && sinceProvisional >= provisionalEvery && now - lastProvisional >= provisionalGap && next.index + settings.every <= lastFrame) {
      sinceProvisional = 0;
      lastProvisional = now;
      options.onProvisional({ tracks: allTracks((t) => t.snapshot()), framesDone: next.index + 1 });
      // A snapshot rebuilds every track so far, which grows with the clip: keep it under 5% of the run.
      provisionalGap = Math.max(provisionalInterval, 20 * (performance.now() - now));
    }
    if (options.onProgress && (now - lastReport > 200 || next.index + settings.every > lastFrame)) {
      lastReport = now;
      // The last analysed frame covers the frames after it too: report the whole clip done.
      const done = next.index + settings.every > lastFrame ? v.frameCount : next.index + 1;
      options.onProgress({ done, total: v.frameCount, unit: 'frames', ...meter('detecting', done, v.frameCount) });
    }
  };

  try {
    for await (const frame of analysisFrames({ path: probed.path, streamIndex: v.index, width: analysisWidth, height: analysisHeight, every: settings.every, signal, onCommandLine: options.onCommandLine })) {
      const grey = options.detectionsOnly ? null : greyHalf(frame.rgb, frame.width, frame.height, scale);
      const text = findText && analysedCount++ % settings.textEvery === 0;
      inFlight.push({ index: frame.index, grey, text, result: pool.detect(frame.width, frame.height, frame.rgb, { faces: findFaces, text }) });
      if (inFlight.length >= window) await consumeOldest();
    }
    while (inFlight.length) await consumeOldest();
    throwIfAborted(signal, 'the detection');
    // A damaged file decodes to fewer frames than it holds; every later proposal would then sit on
    // the wrong frame, so refuse rather than propose misplaced regions.
    const expected = Math.ceil(v.frameCount / settings.every);
    if (framesAnalysed !== expected) {
      throw new UserError('input', `decoded ${framesAnalysed} analysis frames where the source should give ${expected}: the file may be damaged. Nothing was written.`);
    }
  } catch (err) {
    // Unobserved rejections of frames still in flight are expected now; silence them.
    for (const f of inFlight) f.result.catch(() => {});
    if (signal?.aborted) throw new CancelledError('the detection');
    throw err;
  } finally {
    await pool.close();
  }
  const tracks = options.detectionsOnly ? [] : allTracks((t) => t.finish(Math.max(lastFrame, 0)));
  return {
    tracks,
    detector: textId ? (findFaces ? `${faceId} + ${textId}` : textId) : faceId,
    ...(textId ? { textDetector: textId } : {}),
    settings: { ...settings, find, analysisWidth, detector },
    framesAnalysed,
    detections,
  };
}

/** A text region as a tracker detection in source pixels, carrying the reason its shape suggests. */
function textInSource(d: TextDetection, scale: number): Detection {
  return { x: d.box.x * scale, y: d.box.y * scale, w: d.box.w * scale, h: d.box.h * scale, score: d.score, reason: d.reason };
}
