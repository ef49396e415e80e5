import { InferenceSession, Tensor } from 'onnxruntime-node';
import { BLAZEFACE_BACK_GRIDS, BLAZEFACE_INPUT_SIZE, anchorCount, generateAnchors } from './blazeface-anchors';
import { decodeHead } from './blazeface-decode';
import type { Detection, RgbFrame } from './detection';
import { BLAZEFACE_BACK_256, defaultModelPath, modelIdentity, readVerifiedModel } from './model-file';
import { weightedNms } from './nms';
import { mirrorBox, mirrorInput, TilePreprocessor } from './preprocess';
import { type DetectSettings, resolveDetectSettings } from './settings';
import { type Tile, clipToFrame, inputToFrame, letterboxFor, planTiles } from './tiling';

export type { Detection, RgbFrame } from './detection';

export interface FaceDetectorOptions {
  /** Defaults to the vendored models/blazeface-back-256.onnx. */
  modelPath?: string;
  settings?: Partial<DetectSettings>;
}

const INPUT_NAME = 'input:0';
/**
 * The model has one (scores, regressors) pair per anchor grid, in grid order: Identity:0 and
 * Identity_2:0 for the 16×16 grid, Identity_1:0 and Identity_3:0 for the 8×8 grid.
 */
const HEADS = [
  { scores: 'Identity:0', regressors: 'Identity_2:0' },
  { scores: 'Identity_1:0', regressors: 'Identity_3:0' },
] as const;

/**
 * Below about this size (model-input pixels) BlazeFace still fires but its box size is unreliable:
 * a 4-pixel face comes back as a 10-pixel box. The tiles look at the same faces at two or more times
 * the whole-frame pass's resolution, so the whole-frame pass leaves such small faces to them instead
 * of adding an oversized duplicate box.
 */
export const WHOLE_FRAME_MIN_INPUT_PX = 12;

/**
 * Finds faces in RGB24 frames with BlazeFace ("back", 256×256), looking at overlapping tiles and at
 * the whole frame, then blending duplicates with weighted NMS. One thread, sequential: the caller
 * decides the parallelism (one detector per worker), and results do not depend on thread timing.
 */
export class FaceDetector {
  readonly modelId: string;
  readonly settings: Readonly<DetectSettings>;
  private readonly session: InferenceSession;
  private readonly anchors = generateAnchors();
  private readonly preprocessor = new TilePreprocessor(BLAZEFACE_INPUT_SIZE);
  private readonly inputData = new Float32Array(BLAZEFACE_INPUT_SIZE * BLAZEFACE_INPUT_SIZE * 3);
  private readonly inputTensor = new Tensor('float32', this.inputData, [1, BLAZEFACE_INPUT_SIZE, BLAZEFACE_INPUT_SIZE, 3]);
  private tileCache: { width: number; height: number; tiles: readonly Tile[] } | null = null;
  /** detect() shares one input buffer, so calls are run one after another. */
  private queue: Promise<unknown> = Promise.resolve();
  private runs = 0;

  private constructor(session: InferenceSession, modelId: string, settings: DetectSettings) {
    this.session = session;
    this.modelId = modelId;
    this.settings = Object.freeze({ ...settings }); // tilesFor() caches on them
  }

  /** Loads and verifies the model (refusing a file whose SHA-256 differs) and opens a CPU session. */
  static async create(options: FaceDetectorOptions = {}): Promise<FaceDetector> {
    const settings = resolveDetectSettings(options.settings);
    const bytes = readVerifiedModel(options.modelPath ?? defaultModelPath());
    const session = await InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3, // the converted graph has unused initialisers ORT warns about on every load
    });
    const missing = [INPUT_NAME, ...HEADS.flatMap((h) => [h.scores, h.regressors])].filter(
      (n) => !session.inputNames.includes(n) && !session.outputNames.includes(n),
    );
    if (missing.length > 0) {
      await session.release();
      throw new Error(`face model lacks expected tensors: ${missing.join(', ')}`);
    }
    return new FaceDetector(session, modelIdentity(BLAZEFACE_BACK_256.sha256), settings);
  }

  /** The rectangles looked at for a frame of this size (cached: frame size rarely changes). */
  tilesFor(width: number, height: number): readonly Tile[] {
    const c = this.tileCache;
    if (c && c.width === width && c.height === height) return c.tiles;
    const s = this.settings;
    const tiles = planTiles(width, height, { cols: s.cols, rows: s.rows, overlap: s.overlap, wholeFramePass: s.wholeFramePass });
    this.tileCache = { width, height, tiles };
    return tiles;
  }

  /** Faces in `frame`, in frame pixels, clipped to the frame, highest score first. */
  detect(frame: RgbFrame): Promise<Detection[]> {
    return this.serialise(() => this.detectNow(frame));
  }

  /** Raw detections of one rectangle of the frame (no NMS, no size filter), in frame pixels. For diagnostics. */
  detectTile(frame: RgbFrame, tile: Tile): Promise<Detection[]> {
    return this.serialise(() => this.detectInTile(frame, tile));
  }

  private serialise<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async dispose(): Promise<void> {
    await this.queue;
    await this.session.release();
  }

  private async detectNow(frame: RgbFrame): Promise<Detection[]> {
    const { width, height } = frame;
    const s = this.settings;
    const found: Detection[] = [];
    const tiles = this.tilesFor(width, height);
    for (const tile of tiles) {
      const minInputSide = tile.kind === 'frame' && tiles.length > 1 ? WHOLE_FRAME_MIN_INPUT_PX : 0;
      for (const d of await this.detectInTile(frame, tile, minInputSide)) found.push(d);
    }
    const out: Detection[] = [];
    for (const d of weightedNms(found, s.nmsIou)) {
      if (Math.min(d.w, d.h) < s.minFaceSize) continue;
      const clipped = clipToFrame(d, width, height);
      if (clipped) out.push(clipped);
    }
    return out;
  }

  /**
   * Raw detections of one tile (before NMS), mapped to frame pixels; those smaller than
   * `minInputSide` model-input pixels are left out, and those too weak for the tile (tileRule).
   */
  private async detectInTile(frame: RgbFrame, tile: Tile, minInputSide = 0): Promise<Detection[]> {
    const lb = letterboxFor(tile, BLAZEFACE_INPUT_SIZE);
    const levels = this.preprocessor.fill(frame, tile, lb, this.settings.contrastNormalise, this.inputData);
    const rule = tileRule(this.settings, levels.applied, Math.min(frame.width, frame.height));
    const inInput = await this.runModel(rule.decodeFrom);
    if (looksInMirror(this.settings.mirrorPass, tile.kind, levels.applied)) {
      mirrorInput(this.inputData, BLAZEFACE_INPUT_SIZE);
      for (const d of await this.runModel(rule.decodeFrom)) inInput.push(mirrorBox(d, BLAZEFACE_INPUT_SIZE));
    }
    return inInput
      .filter((d) => Math.min(d.w, d.h) >= minInputSide)
      .map((d) => inputToFrame(d, tile, lb))
      .filter(rule.keeps)
      .map(rule.fits);
  }

  /** How many times the model has run (tiles, whole frame and mirrors), for benchmarks and tests. */
  get modelRuns(): number {
    return this.runs;
  }

  /** The model on the input as it stands: detections from `decodeFrom` up, in model-input pixels. */
  private async runModel(decodeFrom: number): Promise<Detection[]> {
    this.runs += 1;
    const outputs = await this.session.run({ [INPUT_NAME]: this.inputTensor });
    const found: Detection[] = [];
    let firstAnchor = 0;
    for (const head of HEADS) {
      const scores = outputs[head.scores]!.data as Float32Array;
      decodeHead(scores, outputs[head.regressors]!.data as Float32Array, this.anchors, firstAnchor, decodeFrom, found);
      firstAnchor += scores.length;
    }
    if (firstAnchor !== anchorCount(BLAZEFACE_BACK_GRIDS)) throw new Error(`face model gave ${firstAnchor} anchors`);
    return found;
  }
}

/**
 * Whether the model also looks at a tile's mirror image: the whole frame unless the pass is off, every
 * tile auto levels brightened from 'dark-tiles' on (in the dark, true faces score lower and a second
 * look finds many), every tile at 'every-tile'.
 */
export function looksInMirror(pass: DetectSettings['mirrorPass'], kind: Tile['kind'], darkTile: boolean): boolean {
  if (pass === 'off') return false;
  if (kind === 'frame' || pass === 'every-tile') return true;
  return pass === 'dark-tiles' && darkTile;
}

/**
 * Which detections of a tile count, and their boxes. In a tile auto levels brightened, faces up to
 * darkMaxFaceFraction of the frame's shorter side (`shortSide`) count from darkScoreThreshold and
 * their boxes are enlarged by darkBoxScale; everything else counts from scoreThreshold, boxed as
 * found. `decodeFrom` is the lowest score any detection may have.
 */
export function tileRule(s: DetectSettings, darkTile: boolean, shortSide: number): { decodeFrom: number; keeps: (d: Detection) => boolean; fits: (d: Detection) => Detection } {
  const weakFrom = darkTile ? Math.min(s.scoreThreshold, s.darkScoreThreshold) : s.scoreThreshold;
  const smallUpTo = s.darkMaxFaceFraction * shortSide;
  const small = (d: Detection) => Math.max(d.w, d.h) <= smallUpTo;
  const k = s.darkBoxScale;
  return {
    decodeFrom: weakFrom,
    keeps: (d) => d.score >= s.scoreThreshold || (d.score >= weakFrom && small(d)),
    fits: (d) => (darkTile && k !== 1 && small(d) ? { ...d, x: d.x - (d.w * (k - 1)) / 2, y: d.y - (d.h * (k - 1)) / 2, w: d.w * k, h: d.h * k } : d),
  };
}
