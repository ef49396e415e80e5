import { fileArg } from '../../engine/ffmpeg/quote';
import { runFfmpeg } from '../../engine/ffmpeg/run';

/**
 * Small JPEG thumbnails for the top of the timeline, one per equal slice of the clip. Only key frames
 * are decoded (`-skip_frame nokey`), so even hours of footage take seconds; a thumbnail shows the key
 * frame nearest its slice, which is all a strip of pictures needs (short clips with few key frames
 * decode every frame instead); the strip reaches the clip's end either way. Thumbnails have the picture's display shape (square pixels), also where
 * the source's pixels are not square. Only numbers enter the filter.
 */
export async function thumbnails(path: string, video: { index: number; durationSeconds: number }, count: number, height: number, signal?: AbortSignal): Promise<{ intervalSeconds: number; images: string[] }> {
  const { durationSeconds } = video;
  const interval = Math.max(0.04, durationSeconds / count);
  const keyOnly = await strip(path, video.index, interval, count, height, true, signal);
  // Few key frames (a short clip, a long GOP): decode every frame; short clips cost little either way.
  const images = keyOnly.length < Math.min(count, 4) && durationSeconds <= 600 ? await strip(path, video.index, interval, count, height, false, signal) : keyOnly;
  // Decoding stops at the last key frame, seconds before the end: its picture stands for the slices after it.
  const slices = Math.min(count, Math.ceil(durationSeconds / interval - 1e-6));
  while (images.length && images.length < slices) images.push(images[images.length - 1]!);
  return { intervalSeconds: interval, images: images.map((b) => `data:image/jpeg;base64,${b.toString('base64')}`) };
}

async function strip(path: string, streamIndex: number, interval: number, count: number, height: number, keyOnly: boolean, signal?: AbortSignal): Promise<Buffer[]> {
  const run = runFfmpeg({
    args: ['-v', 'error', ...(keyOnly ? ['-skip_frame', 'nokey'] : []), '-i', fileArg(path), '-map', `0:${streamIndex}`, '-an', '-vf', `fps=${(1 / interval).toFixed(6)},scale=trunc(dar*${Math.round(height)}/2)*2:${Math.round(height)},setsar=1`, '-frames:v', String(count), '-c:v', 'mjpeg', '-q:v', '6', '-f', 'image2pipe', 'pipe:1'],
    signal,
    maxStdoutBytes: 64 * 1024 * 1024,
  });
  const { stdout } = await run.done;
  return splitJpegs(stdout);
}

/** Splits concatenated JPEGs at each end-of-image marker that is followed by a start-of-image (or the end). */
export function splitJpegs(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 2; i + 1 < data.length; i++) {
    if (data[i] === 0xff && data[i + 1] === 0xd9 && (i + 2 === data.length || (data[i + 2] === 0xff && data[i + 3] === 0xd8))) {
      out.push(data.subarray(start, i + 2));
      start = i + 2;
      i++;
    }
  }
  return out;
}
