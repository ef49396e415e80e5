import { parentPort } from 'node:worker_threads';
import { TextDetector, type TextDetection, type TextDetectorOptions } from '../text/text-detector';
import { keepText } from '../text/text-keep';
import type { Detection } from './detection';
import { FaceDetector } from './detector';
import type { DetectSettings } from './settings';

/**
 * Worker thread: one face and (when asked for) one text inference session per worker, each with
 * `threads` intra-op threads (default 1; see detect-video.ts for the measured split between workers
 * and intra-op threads). A frame goes to the models it asks for, one after the other.
 */
export type WorkerRequest =
  | {
      type: 'init';
      modelPath?: string;
      settings?: Partial<DetectSettings>;
      threads?: number;
      /** Opens the text session too; absent: faces only. */
      text?: Omit<TextDetectorOptions, 'threads'>;
    }
  | { type: 'detect'; id: number; width: number; height: number; rgb: Uint8Array; faces: boolean; text: boolean }
  /** Finish the frames already queued, release the sessions, end the thread. */
  | { type: 'close' };

export type WorkerReply =
  | { type: 'ready'; modelId: string; textModelId?: string; textSettings?: TextDetector['settings'] }
  | { type: 'detections'; id: number; detections: Detection[]; text: TextDetection[] }
  | { type: 'error'; id?: number; message: string };

let detector: FaceDetector | null = null;
let textDetector: TextDetector | null = null;
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
    if (msg.text) textDetector = await TextDetector.create({ ...msg.text, threads: msg.threads });
    port!.postMessage({ type: 'ready', modelId: detector.modelId, textModelId: textDetector?.modelId, textSettings: textDetector?.settings } satisfies WorkerReply);
    return;
  }
  if (msg.type === 'close') {
    // Terminating a thread inside a native inference call aborts the process; end it cleanly instead.
    await detector?.dispose();
    await textDetector?.close();
    detector = null;
    textDetector = null;
    port!.close();
    return;
  }
  if (!detector) throw new Error('detector not initialised');
  if (msg.text && !textDetector) throw new Error('text detector not initialised');
  const frame = { width: msg.width, height: msg.height, data: msg.rgb };
  const detections = msg.faces ? await detector.detect(frame) : [];
  // Text the model reads on a face found in the same picture is dropped (text-keep.ts).
  const text = msg.text ? keepText(await textDetector!.detect(frame), detections) : [];
  port!.postMessage({ type: 'detections', id: msg.id, detections, text } satisfies WorkerReply);
}
