import { availableParallelism } from 'node:os';
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

/**
 * Detection over a whole clip: ffmpeg streams frames at the analysis size, a pool of detector
 * workers finds faces, and the tracker (in order, on this thread; a few ms a frame) links them into
 * tracks. The result is proposals: provenance detected, decision proposed.
 */
export interface DetectVideoSettings {
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
}

export const DEFAULT_DETECT_VIDEO_SETTINGS: DetectVideoSettings = {
  every: 2,
  analysisWidth: 1280,
  workers: Math.min(2, availableParallelism()),
  threadsPerWorker: 1,
  detector: {},
  tracker: {},
};

/** In frames of the source (analysed or not): a clip analysed every 2nd frame is done at its frame count. */
export type DetectProgress = ProgressFigures & { unit: 'frames' };

export interface DetectVideoResult {
  tracks: Track[];
  /** Model identity and every setting, for provenance and the audit trail. */
  detector: string;
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

export async function detectVideo(
  probed: ProbeResult,
  options: {
    settings?: Partial<DetectVideoSettings>;
    signal?: AbortSignal;
    onProgress?: (p: DetectProgress) => void;
    modelPath?: string;
    /** Every analysed frame's raw detections in source pixels, in frame order (the leak check uses these). */
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
  const { signal } = options;
  const v = probed.video;
  const analysisWidth = Math.min(v.width, settings.analysisWidth) & ~1;
  const analysisHeight = Math.max(2, Math.round((v.height * analysisWidth) / v.width / 2) * 2);
  const scale = v.width / analysisWidth;
  const lastFrame = v.frameCount - 1;

  throwIfAborted(signal, 'the detection');
  // Every detector setting as used, defaults included: a proposal must say how it was found even after
  // a default changes (the score threshold did, within one tool version).
  const detector = resolveDetectSettings(settings.detector);
  const pool = await DetectorPool.create(settings.workers, { modelPath: options.modelPath, settings: detector, threadsPerWorker: settings.threadsPerWorker });
  const detectorId = `${pool.modelId} ${JSON.stringify({ every: settings.every, analysisWidth, detector })}`;
  /** Every proposal, provisional or final, names the model and settings that found it. */
  const withDetector = (tracks: Track[]): Track[] => {
    for (const t of tracks) t.provenance = { ...t.provenance, detector: detectorId };
    return tracks;
  };
  const tracker = new FaceTracker({ ...settings.tracker, detector: pool.modelId, frameWidth: v.width, frameHeight: v.height });
  const window = 2 * pool.size;
  const inFlight: Array<{ index: number; grey: GrayImage | null; result: Promise<Detection[]> }> = [];
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
    const inSource = found.map((d) => ({ x: d.x * scale, y: d.y * scale, w: d.w * scale, h: d.h * scale, score: d.score }));
    options.onDetections?.(next.index, inSource);
    if (next.grey) tracker.push(next.index, inSource, next.grey);
    framesAnalysed++;
    detections += found.length;
    const now = performance.now();
    sinceProvisional++;
    if (options.onProvisional && !options.detectionsOnly && sinceProvisional >= provisionalEvery && now - lastProvisional >= provisionalGap && next.index + settings.every <= lastFrame) {
      sinceProvisional = 0;
      lastProvisional = now;
      options.onProvisional({ tracks: withDetector(tracker.snapshot()), framesDone: next.index + 1 });
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
      inFlight.push({ index: frame.index, grey, result: pool.detect(frame.width, frame.height, frame.rgb) });
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
  const tracks = options.detectionsOnly ? [] : withDetector(tracker.finish(Math.max(lastFrame, 0)));
  return { tracks, detector: detectorId, settings: { ...settings, analysisWidth, detector }, framesAnalysed, detections };
}
