import { InferenceSession, Tensor } from 'onnxruntime-node';
import { normaliseIfDark } from './contrast';
import type { Detection, RgbFrame } from './detection';
import { YUNET_N, defaultModelPath, modelIdentity, readVerifiedModel } from './model-file';
import { nms } from './nms';
import { type DetectSettings, resolveDetectSettings } from './settings';
import { YUNET_INPUT, YUNET_OUTPUTS, decodeYuNet, fillInput, inputGeometry, toFramePixels } from './yunet';

export type { Detection, RgbFrame } from './detection';

export interface FaceDetectorOptions {
  /** Defaults to the vendored models/yunet_n_dynamic.onnx. */
  modelPath?: string;
  settings?: Partial<DetectSettings>;
  /** onnxruntime intra-op threads for this session (default 1: the pool runs one session per worker). */
  threads?: number;
}

/**
 * Finds faces in RGB24 frames with YuNet-n: the frame (equalised first when dark) is looked at once
 * per pass, at its own size and shrunk, the passes' detections merged by NMS and mapped back to
 * frame pixels. One call at a time: the caller decides the parallelism (one detector per worker),
 * and results do not depend on thread timing.
 */
export class FaceDetector {
  readonly modelId: string;
  readonly settings: Readonly<DetectSettings>;
  private readonly session: InferenceSession;
  /** Input buffers by padded size: frame sizes rarely change within a run. */
  private readonly inputs = new Map<string, Float32Array>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(session: InferenceSession, settings: DetectSettings) {
    this.session = session;
    this.modelId = modelIdentity(YUNET_N);
    this.settings = Object.freeze({ ...settings, passes: [...settings.passes] });
  }

  /** Loads and verifies the model (refusing a file whose SHA-256 differs) and opens a CPU session. */
  static async create(options: FaceDetectorOptions = {}): Promise<FaceDetector> {
    const settings = resolveDetectSettings(options.settings);
    const bytes = readVerifiedModel(options.modelPath ?? defaultModelPath(YUNET_N), YUNET_N.sha256);
    const session = await InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
    const missing = [YUNET_INPUT, ...YUNET_OUTPUTS].filter((n) => !session.inputNames.includes(n) && !session.outputNames.includes(n));
    if (missing.length > 0) {
      await session.release();
      throw new Error(`face model lacks expected tensors: ${missing.join(', ')}`);
    }
    return new FaceDetector(session, settings);
  }

  /** Faces in `frame`, in frame pixels, clipped to the frame, highest score first. */
  detect(frame: RgbFrame): Promise<Detection[]> {
    const run = this.queue.then(() => this.detectNow(frame));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async dispose(): Promise<void> {
    await this.queue;
    await this.session.release();
  }

  private async detectNow(input: RgbFrame): Promise<Detection[]> {
    const s = this.settings;
    const frame = s.contrastNormalise === 'auto' ? normaliseIfDark(input).frame : input;
    const found: Detection[] = [];
    for (const shrink of s.passes) {
      for (const d of await this.pass(frame, shrink)) found.push(toFramePixels(d, shrink));
    }
    const out: Detection[] = [];
    for (const d of nms(found, s.nmsIou)) {
      if (!countsAsFace(d, frame.height, s)) continue;
      const clipped = clipToFrame(d, frame.width, frame.height);
      if (clipped) out.push(clipped);
    }
    return out;
  }

  /** One look at the frame shrunk `shrink` times: detections in that pass's input pixels. */
  private async pass(frame: RgbFrame, shrink: number): Promise<Detection[]> {
    const g = inputGeometry(frame.width, frame.height, shrink);
    // A pass smaller than the model's coarsest cell finds nothing: skip it.
    if (g.width < 32 || g.height < 32) return [];
    const key = `${g.padW}x${g.padH}`;
    let data = this.inputs.get(key);
    if (!data) this.inputs.set(key, (data = new Float32Array(3 * g.padW * g.padH)));
    fillInput(frame, shrink, data);
    const outputs = await this.session.run({ [YUNET_INPUT]: new Tensor('float32', data, [1, 3, g.padH, g.padW]) });
    const arrays: Record<string, Float32Array> = {};
    for (const name of YUNET_OUTPUTS) arrays[name] = outputs[name]!.data as Float32Array;
    // Faces found in the zero padding are outside the picture; clipping below drops or trims them.
    return decodeYuNet(arrays, g.padW, g.padH, this.settings.scoreThreshold);
  }
}

/** Whether a detection is kept: large enough, and scoring high enough for its size. */
export function countsAsFace(d: Detection, frameHeight: number, s: Pick<DetectSettings, 'scoreThreshold' | 'largeFaceScoreThreshold' | 'largeFaceFraction' | 'minFaceSize'>): boolean {
  if (Math.min(d.w, d.h) < s.minFaceSize || d.score < s.scoreThreshold) return false;
  return d.h <= s.largeFaceFraction * frameHeight || d.score >= s.largeFaceScoreThreshold;
}

/** The part of `d` inside the frame, or null if none; landmarks are kept as found. */
export function clipToFrame(d: Detection, width: number, height: number): Detection | null {
  const x0 = Math.max(0, d.x);
  const y0 = Math.max(0, d.y);
  const x1 = Math.min(width, d.x + d.w);
  const y1 = Math.min(height, d.y + d.h);
  if (x1 <= x0 || y1 <= y0) return null;
  return { ...d, x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
