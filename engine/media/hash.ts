import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { CancelledError } from '../errors';

export interface HashProgress {
  bytesDone: number;
  bytesTotal: number;
}

/**
 * Streaming SHA-256 of a file. The file is opened read-only ('r'); originals are never opened for
 * writing anywhere in the engine.
 */
export async function sha256File(
  path: string,
  options: { signal?: AbortSignal; onProgress?: (p: HashProgress) => void; size?: number } = {},
): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(path, { flags: 'r', highWaterMark: 1 << 20, signal: options.signal });
  let done = 0;
  let lastReport = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      done += chunk.length;
      if (options.onProgress && (done - lastReport >= 16 << 20 || done === options.size)) {
        lastReport = done;
        options.onProgress({ bytesDone: done, bytesTotal: options.size ?? done });
      }
    }
  } catch (err) {
    if (options.signal?.aborted) throw new CancelledError('hashing');
    throw err;
  }
  options.onProgress?.({ bytesDone: done, bytesTotal: options.size ?? done });
  return hash.digest('hex');
}

export function sha256Bytes(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
