import { parentPort } from 'node:worker_threads';
import type { Detection } from './detection';
import { FaceDetector } from './detector';
import type { DetectSettings } from './settings';

/**
 * Worker thread: one inference session per worker, with `threads` intra-op threads (default 1; see
 * detect-video.ts for the measured split between workers and intra-op threads).
 */
export type WorkerRequest =
  | { type: 'init'; modelPath?: string; settings?: Partial<DetectSettings>; threads?: number }
  | { type: 'detect'; id: number; width: number; height: number; rgb: Uint8Array }
  /** Finish the frames already queued, release the session, end the thread. */
  | { type: 'close' };

export type WorkerReply =
  | { type: 'ready'; modelId: string }
  | { type: 'detections'; id: number; detections: Detection[] }
  | { type: 'error'; id?: number; message: string };

let detector: FaceDetector | null = null;
const port = parentPort;
/** Messages are handled one after another, so a close waits for every frame before it. */
let queue: Promise<void> = Promise.resolve();

port?.on('message', (msg: WorkerRequest) => {
  queue = queue.then(() => handle(msg)).catch((err: unknown) => {
    port.postMessage({ type: 'error', id: msg.type === 'detect' ? msg.id : undefined, message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
  });
});

async function handle(msg: WorkerRequest): Promise<void> {
  if (msg.type === 'init') {
    detector = await FaceDetector.create({ modelPath: msg.modelPath, settings: msg.settings, threads: msg.threads });
    port!.postMessage({ type: 'ready', modelId: detector.modelId } satisfies WorkerReply);
    return;
  }
  if (msg.type === 'close') {
    // Terminating a thread inside a native inference call aborts the process; end it cleanly instead.
    await detector?.dispose();
    detector = null;
    port!.close();
    return;
  }
  if (!detector) throw new Error('detector not initialised');
  const detections = await detector.detect({ width: msg.width, height: msg.height, data: msg.rgb });
  port!.postMessage({ type: 'detections', id: msg.id, detections } satisfies WorkerReply);
}
