import { InferenceSession, Tensor } from 'onnxruntime-node';
import { DB_DEFAULTS, type DbParams, dbPostprocess } from './db-postprocess';
import { readVerifiedModel } from '../detect/model-file';
import { PPOCR_V4_DET, TEXT_MODEL_ID, defaultTextModelPath } from './model';
import { fillInput, inputSizeFor } from './preprocess';
import type { TextDetection, TextFrame, TextLine } from './text-detection';
import { REGION_DEFAULTS, type RegionParams, textRegions } from './text-regions';

export type { TextDetection, TextFrame, TextLine, TextReason } from './text-detection';

export interface TextDetectorOptions {
  /** Defaults to the vendored models/ch_PP-OCRv4_det_infer.onnx. */
  modelPath?: string;
  /** onnxruntime intra-op threads (default 1: the caller decides the parallelism, as for faces). */
  threads?: number;
  /** The model input's long side: larger frames are shrunk to it (PaddleOCR's default 960). */
  maxSide?: number;
  /**
   * Bring smaller frames up to `maxSide` too (default true; PaddleOCR's default is false): small text
   * needs pixels. On the plate photographs it found 74% of plates against 63% (bench:text).
   */
  upscale?: boolean;
  db?: Partial<DbParams>;
  regions?: Partial<RegionParams>;
}

export interface TextDetectorSettings {
  maxSide: number;
  upscale: boolean;
  db: DbParams;
  regions: RegionParams;
}

const INPUT_NAME = 'x';
const OUTPUT_NAME = 'sigmoid_0.tmp_0';

/**
 * Finds text (number plates, documents, screens) in RGB24 frames with PaddleOCR's PP-OCRv4 detector:
 * PaddleOCR's resize and normalisation (preprocess.ts), the model, its DB post-processing
 * (db-postprocess.ts), then lines joined, grown to what carries them and given a suggested reason
 * (text-regions.ts). Calls run one after another on one session.
 */
export class TextDetector {
  readonly modelId = TEXT_MODEL_ID;
  private queue: Promise<unknown> = Promise.resolve();
  private input = new Float32Array(0);

  private constructor(
    private readonly session: InferenceSession,
    private readonly options: Readonly<Required<Pick<TextDetectorOptions, 'maxSide' | 'upscale'>> & Pick<TextDetectorOptions, 'db' | 'regions'>>,
  ) {}

  /** Loads and verifies the model (refusing a file whose SHA-256 differs) and opens a CPU session. */
  static async create(options: TextDetectorOptions = {}): Promise<TextDetector> {
    const maxSide = options.maxSide ?? 960;
    if (!(Number.isInteger(maxSide) && maxSide >= 32 && maxSide <= 8192)) throw new RangeError(`maxSide must be an integer in [32, 8192], got ${maxSide}`);
    const threads = options.threads ?? 1;
    if (!(Number.isInteger(threads) && threads >= 1 && threads <= 64)) throw new RangeError(`threads must be an integer in [1, 64], got ${threads}`);
    const bytes = readVerifiedModel(options.modelPath ?? defaultTextModelPath(), PPOCR_V4_DET.sha256);
    const session = await InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
    if (!session.inputNames.includes(INPUT_NAME) || !session.outputNames.includes(OUTPUT_NAME)) {
      await session.release();
      throw new Error(`text model lacks the expected tensors ${INPUT_NAME} → ${OUTPUT_NAME}`);
    }
    return new TextDetector(session, { maxSide, upscale: options.upscale ?? true, db: options.db, regions: options.regions });
  }

  /** Every setting in force, defaults included: for a proposal's provenance, as the face detector records its own. */
  get settings(): TextDetectorSettings {
    return {
      maxSide: this.options.maxSide,
      upscale: this.options.upscale,
      db: { ...DB_DEFAULTS, ...this.options.db },
      regions: { ...REGION_DEFAULTS, ...this.options.regions },
    };
  }

  /** Text regions in `frame`: boxes in frame pixels grown to the plate or line, highest score first. */
  async detect(frame: TextFrame): Promise<TextDetection[]> {
    return textRegions(await this.detectLines(frame), frame.width, frame.height, this.options.regions);
  }

  /** The lines of characters the model finds, in frame pixels, before joining and growing (for benchmarks). */
  async detectLines(frame: TextFrame): Promise<TextLine[]> {
    return linesFromMap(await this.probabilityMap(frame), this.options.db);
  }

  /** The model's text probability map for a frame, with the input's scale (for benchmarks and diagnostics). */
  probabilityMap(frame: TextFrame): Promise<ProbabilityMap> {
    const run = this.queue.then(() => this.mapNow(frame));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.session.release();
  }

  private async mapNow(frame: TextFrame): Promise<ProbabilityMap> {
    const { width, height } = frame;
    const size = inputSizeFor(width, height, this.options.maxSide, this.options.upscale);
    const n = 3 * size.width * size.height;
    if (this.input.length !== n) this.input = new Float32Array(n);
    fillInput(frame, { x: 0, y: 0, w: width, h: height }, size.width, size.height, this.input);
    const outputs = await this.session.run({ [INPUT_NAME]: new Tensor('float32', this.input, [1, 3, size.height, size.width]) });
    const map = outputs[OUTPUT_NAME]!;
    const [, , mh, mw] = map.dims as number[];
    if (mh !== size.height || mw !== size.width) throw new Error(`text model gave a ${mw}×${mh} map for a ${size.width}×${size.height} input`);
    return { data: map.data as Float32Array, width: mw, height: mh, scaleX: width / mw, scaleY: height / mh };
  }
}

/** Probability of text per model-input pixel; frame x = map x × scaleX. */
export interface ProbabilityMap {
  data: Float32Array;
  width: number;
  height: number;
  scaleX: number;
  scaleY: number;
}

/** DB post-processing of a map, mapped back to frame pixels. */
export function linesFromMap(m: ProbabilityMap, db?: Partial<DbParams>): TextLine[] {
  const sx = m.scaleX, sy = m.scaleY;
  return dbPostprocess(m.data, m.width, m.height, db).map((r) => ({
    box: { x: r.box.x * sx, y: r.box.y * sy, w: r.box.w * sx, h: r.box.h * sy },
    score: r.score,
    // The rectangle's sides scaled along their own directions (sx and sy differ slightly after rounding to 32).
    length: r.rect.long * Math.hypot(r.rect.ux * sx, r.rect.uy * sy),
    thickness: r.rect.short * Math.hypot(r.rect.uy * sx, r.rect.ux * sy),
  }));
}
