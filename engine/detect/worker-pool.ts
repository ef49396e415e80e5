import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Detection } from './detection';
import type { WorkerReply, WorkerRequest } from './detect-worker';
import type { DetectSettings } from './settings';

/**
 * A fixed set of detector workers. Frames go to the least busy worker; each call resolves with that
 * frame's detections, so the caller can restore frame order whatever the timing.
 */
export class DetectorPool {
  private readonly workers: Array<{ worker: Worker; busy: number }> = [];
  private readonly pending = new Map<number, { resolve: (d: Detection[]) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;
  modelId = '';

  private constructor() {}

  static async create(size: number, options: { modelPath?: string; settings?: Partial<DetectSettings>; threadsPerWorker?: number } = {}): Promise<DetectorPool> {
    const pool = new DetectorPool();
    const script = workerScript();
    try {
      await Promise.all(
        Array.from({ length: Math.max(1, size) }, async () => {
          const worker = new Worker(script);
          const slot = { worker, busy: 0 };
          pool.workers.push(slot);
          const ready = new Promise<string>((resolve, reject) => {
            worker.once('message', (m: WorkerReply) => (m.type === 'ready' ? resolve(m.modelId) : reject(new Error(m.type === 'error' ? m.message : 'worker failed'))));
            worker.once('error', reject);
          });
          worker.postMessage({ type: 'init', modelPath: options.modelPath, settings: options.settings, threads: options.threadsPerWorker } satisfies WorkerRequest);
          pool.modelId = await ready;
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

  /** Detects faces in an RGB24 frame. The frame's buffer is handed to the worker (not copied). */
  detect(width: number, height: number, rgb: Uint8Array): Promise<Detection[]> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy++;
    return new Promise<Detection[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Transfer only when the view owns its whole buffer; otherwise the copy is unavoidable.
      const whole = rgb.byteOffset === 0 && rgb.byteLength === rgb.buffer.byteLength;
      const transfer = whole && rgb.buffer instanceof ArrayBuffer ? [rgb.buffer] : [];
      slot.worker.postMessage({ type: 'detect', id, width, height, rgb } satisfies WorkerRequest, transfer);
    });
  }

  private onReply(slot: { busy: number }, m: WorkerReply): void {
    if (m.type === 'ready') return;
    if (m.id === undefined) return this.fail(new Error(m.type === 'error' ? m.message : 'worker error'));
    const waiter = this.pending.get(m.id);
    if (!waiter) return;
    this.pending.delete(m.id);
    slot.busy--;
    if (m.type === 'detections') waiter.resolve(m.detections);
    else waiter.reject(new Error(`face detection failed: ${m.message}`));
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
