import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs ffmpeg synchronously for test set-up; throws with its stderr on failure. */
export function ffmpeg(args: string[]): Buffer {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', ...args], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

export function tempDir(prefix = 'redactor-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ClipSpec {
  width?: number;
  height?: number;
  fps?: string;
  seconds?: number;
  audio?: boolean;
  /** lavfi video source; testsrc2 has texture everywhere, so any pixel change is visible. */
  source?: string;
  extra?: string[];
}

/** Generates an H.264 (+AAC) MP4 with ffmpeg's test sources. */
export function makeClip(path: string, spec: ClipSpec = {}): string {
  const { width = 320, height = 240, fps = '30', seconds = 2, audio = true, source = 'testsrc2' } = spec;
  ffmpeg([
    '-f', 'lavfi', '-i', `${source}=size=${width}x${height}:rate=${fps}:duration=${seconds}`,
    ...(audio ? ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`] : []),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '30',
    ...(audio ? ['-c:a', 'aac', '-b:a', '96k'] : []),
    ...(spec.extra ?? []),
    path,
  ]);
  return path;
}

/**
 * A grey 640×360 30 fps clip with the public-domain astronaut photo (test/fixtures/astronaut.png)
 * scaled to 256 px and sliding right by `x(n)`, an ffmpeg expression of the frame number.
 */
export function makeFaceClip(path: string, spec: { seconds: number; x: string; audio?: boolean }): string {
  const audio = spec.audio ?? false;
  ffmpeg([
    '-f', 'lavfi', '-i', `color=c=gray:size=640x360:rate=30:duration=${spec.seconds}`,
    '-i', join(__dirname, '..', 'fixtures', 'astronaut.png'),
    ...(audio ? ['-f', 'lavfi', '-i', `sine=duration=${spec.seconds}`] : []),
    '-filter_complex', `[1:v]scale=256:256[p];[0:v][p]overlay=x=${spec.x}:y=60:eval=frame[v]`,
    '-map', '[v]', ...(audio ? ['-map', '2:a'] : []),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p',
    ...(audio ? ['-c:a', 'aac', '-shortest'] : []),
    path,
  ]);
  return path;
}

/** Decodes every frame of a clip to yuv420p planes. */
export function decodeFrames(path: string, width: number, height: number): Buffer[] {
  const raw = ffmpeg(['-i', path, '-map', '0:v:0', '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1']);
  const size = width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
  const frames: Buffer[] = [];
  for (let o = 0; o + size <= raw.length; o += size) frames.push(raw.subarray(o, o + size));
  return frames;
}

/** Presentation times (seconds) of every video frame, from ffprobe. */
export function frameTimes(path: string): number[] {
  const r = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.split('\n').filter(Boolean).map(Number).sort((a, b) => a - b);
}

/** The first audio stream of a file as 48 kHz mono samples. */
export function monoPcm(path: string): Int16Array {
  const b = ffmpeg(['-i', path, '-map', '0:a', '-f', 's16le', '-ac', '1', '-ar', '48000', 'pipe:1']);
  return new Int16Array(b.buffer, b.byteOffset, b.length / 2);
}

/** Root-mean-square level of `pcm` (48 kHz) from t0 to t1 seconds. */
export function rmsBetween(pcm: Int16Array, t0: number, t1: number): number {
  const a = Math.round(t0 * 48000);
  const b = Math.round(t1 * 48000);
  let sum = 0;
  for (let i = a; i < b; i++) sum += pcm[i]! ** 2;
  return Math.sqrt(sum / (b - a));
}
