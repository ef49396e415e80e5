import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TextDetection, TextDetector, TextDetectorOptions } from '../text/text-detector';
import type { Detection } from './detection';
import type { WorkerReply, WorkerRequest } from './detect-worker';
import type { DetectSettings } from './settings';

/** One frame's findings: faces and text regions, each empty when not asked for. */
export interface FrameFindings {
  faces: Detection[];
  text: TextDetection[];
}

/**
 * A fixed set of detector workers, each holding the face model and, when `text` is given, the text
 * model. Frames go to the least busy worker; each call resolves with that frame's findings, so the
 * caller can restore frame order whatever the timing.
 */
export class DetectorPool {
  private readonly workers: Array<{ worker: Worker; busy: number }> = [];
  private readonly pending = new Map<number, { resolve: (d: FrameFindings) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;
  modelId = '';
  /** The text model's identity and settings in force; empty when the pool was made without text. */
  textModelId = '';
  textSettings: TextDetector['settings'] | null = null;

  private constructor() {}

  static async create(
    size: number,
    options: { modelPath?: string; settings?: Partial<DetectSettings>; threadsPerWorker?: number; text?: Omit<TextDetectorOptions, 'threads'> } = {},
  ): Promise<DetectorPool> {
    const pool = new DetectorPool();
    const script = workerScript();
    try {
      await Promise.all(
        Array.from({ length: Math.max(1, size) }, async () => {
          const worker = new Worker(script);
          const slot = { worker, busy: 0 };
          pool.workers.push(slot);
          const ready = new Promise<Extract<WorkerReply, { type: 'ready' }>>((resolve, reject) => {
            worker.once('message', (m: WorkerReply) => (m.type === 'ready' ? resolve(m) : reject(new Error(m.type === 'error' ? m.message : 'worker failed'))));
            worker.once('error', reject);
          });
          worker.postMessage({ type: 'init', modelPath: options.modelPath, settings: options.settings, threads: options.threadsPerWorker, text: options.text } satisfies WorkerRequest);
          const reply = await ready;
          pool.modelId = reply.modelId;
          pool.textModelId = reply.textModelId ?? '';
          pool.textSettings = reply.textSettings ?? null;
          worker.on('message', (m: WorkerReply) => pool.onReply(slot, m));
          worker.on('error', (err) => pool.fail(err));
          worker.on('exit', (code) => pool.fail(new Error(`detector worker exited (code ${code})`)));
        }),
      );
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  /** Frames in flight across all workers. */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Detects faces and/or text (default: faces only) in an RGB24 frame. The frame's buffer is handed
   * to the worker (not copied).
   */
  detect(width: number, height: number, rgb: Uint8Array, find: { faces: boolean; text: boolean } = { faces: true, text: false }): Promise<FrameFindings> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy++;
    return new Promise<FrameFindings>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Transfer only when the view owns its whole buffer; otherwise the copy is unavoidable.
      const whole = rgb.byteOffset === 0 && rgb.byteLength === rgb.buffer.byteLength;
      const transfer = whole && rgb.buffer instanceof ArrayBuffer ? [rgb.buffer] : [];
      slot.worker.postMessage({ type: 'detect', id, width, height, rgb, faces: find.faces, text: find.text } satisfies WorkerRequest, transfer);
    });
  }

  private onReply(slot: { busy: number }, m: WorkerReply): void {
    if (m.type === 'ready') return;
    if (m.id === undefined) return this.fail(new Error(m.type === 'error' ? m.message : 'worker error'));
    const waiter = this.pending.get(m.id);
    if (!waiter) return;
    this.pending.delete(m.id);
    slot.busy--;
    if (m.type === 'detections') waiter.resolve({ faces: m.detections, text: m.text });
    else waiter.reject(new Error(`detection failed: ${m.message}`));
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const waiter of this.pending.values()) waiter.reject(err);
    this.pending.clear();
  }

  /** Lets each worker finish its queued frames and release its session, then waits for it to exit. */
  async close(): Promise<void> {
    this.fail(new Error('detector pool closed'));
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.worker.once('exit', () => resolve());
            w.worker.postMessage({ type: 'close' } satisfies WorkerRequest);
          }),
      ),
    );
  }
}

/** The compiled worker: beside this file in dist/, or in dist/ when running from sources under Vitest. */
function workerScript(): string {
  const beside = join(__dirname, 'detect-worker.js');
  if (existsSync(beside)) return beside;
  const built = join(__dirname, '..', '..', 'dist', 'engine', 'detect', 'detect-worker.js');
  if (existsSync(built)) return built;
  throw new Error('the detector worker is not built: run "npm run build"');
}
