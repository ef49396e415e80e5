import { fileArg } from '../../engine/ffmpeg/quote';
import { runFfmpeg } from '../../engine/ffmpeg/run';

/** Peaks for the timeline's waveform: at most this many buckets, whatever the clip's length. */
export const MAX_PEAK_BUCKETS = 20_000;
const RATE = 8000;

/**
 * The loudest sample (0–1) of each bucket of the first audio stream, decoded to 8 kHz mono by ffmpeg
 * and folded as it streams, so a four-hour clip costs no more memory than a short one.
 */
export async function audioPeaks(path: string, durationSeconds: number, signal?: AbortSignal): Promise<{ bucketSeconds: number; peaks: number[] }> {
  const bucketSeconds = Math.max(0.01, durationSeconds / MAX_PEAK_BUCKETS);
  const perBucket = Math.max(1, Math.round(bucketSeconds * RATE));
  const run = runFfmpeg({
    args: ['-v', 'error', '-i', fileArg(path), '-map', '0:a:0', '-ac', '1', '-ar', String(RATE), '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1'],
    signal,
    streamStdout: true,
  });
  const peaks: number[] = [];
  let peak = 0;
  let count = 0;
  let carry: Buffer | null = null;
  for await (const chunk of run.stdout! as AsyncIterable<Buffer>) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const whole = buf.length & ~1;
    for (let i = 0; i < whole; i += 2) {
      const v = Math.abs(buf.readInt16LE(i));
      if (v > peak) peak = v;
      if (++count === perBucket) {
        peaks.push(peak / 32768);
        peak = 0;
        count = 0;
      }
    }
    carry = whole < buf.length ? buf.subarray(whole) : null;
  }
  await run.done;
  if (count) peaks.push(peak / 32768);
  return { bucketSeconds: perBucket / RATE, peaks: peaks.map((p) => Math.round(p * 1000) / 1000) };
}
