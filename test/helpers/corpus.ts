import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpeg, makeClip } from './media';

/**
 * A corpus of bad and awkward inputs, generated on demand (nothing is committed). Every clip is tiny
 * and short unless its size is the point. Each builder writes into `dir` and returns the path.
 */

/** Byte offset and size of every top-level MP4 box, in file order. */
export function mp4Boxes(data: Buffer): Array<{ type: string; offset: number; size: number }> {
  const boxes = [];
  let o = 0;
  while (o + 8 <= data.length) {
    let size = data.readUInt32BE(o);
    const type = data.toString('latin1', o + 4, o + 8);
    if (size === 1) size = Number(data.readBigUInt64BE(o + 8));
    else if (size === 0) size = data.length - o;
    boxes.push({ type, offset: o, size });
    if (size < 8) break;
    o += size;
  }
  return boxes;
}

function box(data: Buffer, type: string) {
  const b = mp4Boxes(data).find((x) => x.type === type);
  if (!b) throw new Error(`no ${type} box`);
  return b;
}

/** A 1 s 160×120 clip with audio, moov at the front (faststart) or at the end (ffmpeg's default). */
export function baseClip(dir: string, name: string, moov: 'front' | 'end'): string {
  return makeClip(join(dir, name), { width: 160, height: 120, seconds: 1, extra: moov === 'front' ? ['-movflags', '+faststart'] : [] });
}

export function zeroBytes(dir: string): string {
  const p = join(dir, 'zero.mp4');
  writeFileSync(p, Buffer.alloc(0));
  return p;
}

/** Truncated inside the moov box (moov at the front, so the index itself is cut). */
export function truncatedInMoov(dir: string): string {
  const src = baseClip(dir, 'moov-front-src.mp4', 'front');
  const data = readFileSync(src);
  const moov = box(data, 'moov');
  const p = join(dir, 'truncated-in-moov.mp4');
  writeFileSync(p, data.subarray(0, moov.offset + (moov.size >> 1)));
  return p;
}

/** Moov at the front, file cut in the middle of mdat: the index promises frames that are gone. */
export function truncatedInMdat(dir: string): string {
  const src = baseClip(dir, 'moov-front-src2.mp4', 'front');
  const data = readFileSync(src);
  const mdat = box(data, 'mdat');
  const p = join(dir, 'truncated-in-mdat.mp4');
  writeFileSync(p, data.subarray(0, mdat.offset + (mdat.size >> 1)));
  return p;
}

/** Moov at the end (a recording cut off before it was finalised): no index at all. */
export function truncatedMoovAtEnd(dir: string): string {
  const src = baseClip(dir, 'moov-end-src.mp4', 'end');
  const data = readFileSync(src);
  const mdat = box(data, 'mdat');
  const p = join(dir, 'truncated-moov-at-end.mp4');
  writeFileSync(p, data.subarray(0, mdat.offset + Math.floor(mdat.size * 0.8)));
  return p;
}

/**
 * A stretch cut out with stream copy (`ffmpeg -ss 1.5 -i … -c copy`), the usual way a clip is shared:
 * the MP4 keeps the frames from the key frame before the cut, flagged discard, behind an edit list
 * that starts at the cut. Returns the file and its source, whose frame `firstShown` is its first frame.
 */
export function cutWithStreamCopy(dir: string): { file: string; source: string; firstShown: number } {
  const source = makeClip(join(dir, 'cut-src.mp4'), { width: 320, height: 240, seconds: 5, extra: ['-g', '60'] });
  const file = join(dir, 'cut with stream copy.mp4');
  ffmpeg(['-ss', '1.5', '-i', source, '-t', '2', '-c', 'copy', file]);
  return { file, source, firstShown: 45 };
}

/** Plain text saved with a video extension. */
export function notVideoWithVideoExtension(dir: string): string {
  const p = join(dir, 'notes.mp4');
  writeFileSync(p, 'Statement of PC 1234, taken at 14:02.\n'.repeat(50));
  return p;
}

/** A valid Matroska clip named .mp4: the content, not the name, decides. */
export function matroskaNamedMp4(dir: string): string {
  const p = join(dir, 'really-mkv.mp4');
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-f', 'matroska', p]);
  return p;
}

export function audioOnly(dir: string): string {
  const p = join(dir, 'audio-only.mp4');
  ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', p]);
  return p;
}

export function videoOnly(dir: string): string {
  return makeClip(join(dir, 'video-only.mp4'), { width: 160, height: 120, seconds: 1, audio: false });
}

/**
 * Garbage written over the middle of the picture data (a damaged download): the container is fine,
 * the packets are not.
 */
export function corruptPackets(dir: string): string {
  const src = makeClip(join(dir, 'corrupt-src.mp4'), { width: 320, height: 240, seconds: 2, audio: false, extra: ['-g', '1000'] });
  const data = readFileSync(src);
  const mdat = box(data, 'mdat');
  let x = 12345;
  for (let i = mdat.offset + (mdat.size >> 1); i < mdat.offset + (mdat.size >> 1) + 4096; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    data[i] = x >>> 24;
  }
  const p = join(dir, 'corrupt-packets.mp4');
  writeFileSync(p, data);
  return p;
}

/** Variable frame rate: three stretches at 30, 15 and ~51 fps on a 1/15360 time base. */
export function variableFrameRate(dir: string): string {
  const p = join(dir, 'vfr.mp4');
  ffmpeg([
    '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=30:duration=2',
    '-vf', "setpts='if(lt(N,20),N*512,if(lt(N,40),10240+(N-20)*1024,30720+(N-40)*300))/15360/TB'",
    '-fps_mode', 'passthrough', '-enc_time_base', '1/15360', '-video_track_timescale', '15360',
    '-c:v', 'libx264', '-preset', 'ultrafast', p,
  ]);
  return p;
}

/**
 * A clip whose stored picture is white on its left half and black on its right, with a display
 * matrix rotating it `degrees` clockwise. ffmpeg 5.1 cannot write rotation (no -display_rotation, the
 * rotate tag is ignored), so the video track's tkhd matrix is patched here, as a phone writes it.
 */
export function rotated(dir: string, degrees: 90 | 180 | 270, size = { width: 96, height: 64 }): string {
  const p = join(dir, `rotated-${degrees}.mp4`);
  const { width, height } = size;
  ffmpeg([
    '-f', 'lavfi', '-i', `color=c=black:size=${width}x${height}:rate=10:duration=1`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1',
    '-vf', `drawbox=x=0:y=0:w=${width / 2}:h=${height}:color=white:t=fill`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', p,
  ]);
  setRotation(p, degrees);
  return p;
}

/** Writes the display matrix for a clockwise rotation into the first (video) track's tkhd box. */
export function setRotation(path: string, degrees: 0 | 90 | 180 | 270): void {
  const data = readFileSync(path);
  const at = data.indexOf('tkhd', 0, 'latin1');
  if (at < 0) throw new Error('no tkhd box');
  const version = data[at + 4]!;
  // version, flags, times and ids, duration, reserved, layer, group, volume, reserved; then the matrix.
  const matrixAt = at + 4 + 4 + (version === 1 ? 32 : 20) + 8 + 8;
  const one = 0x10000;
  const [a, b, c, d] = { 0: [one, 0, 0, one], 90: [0, one, -one, 0], 180: [-one, 0, 0, -one], 270: [0, -one, one, 0] }[degrees];
  const matrix = [a!, b!, 0, c!, d!, 0, 0, 0, 0x40000000];
  matrix.forEach((v, i) => data.writeInt32BE(v, matrixAt + 4 * i));
  writeFileSync(path, data);
}

/** 161×121: H.264 4:4:4 allows odd sizes, which 4:2:0 output cannot hold. */
export function oddSize(dir: string): string {
  const p = join(dir, 'odd-161x121.mp4');
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=161x121:rate=25:duration=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv444p', p]);
  return p;
}

/** 3840×2160, a few frames only: the size is the point. */
export function fourK(dir: string): string {
  return makeClip(join(dir, '4k.mp4'), { width: 3840, height: 2160, fps: '10', seconds: 0.3, source: 'testsrc2' });
}

export function tenBit(dir: string): string {
  return makeClip(join(dir, '10bit.mp4'), { width: 160, height: 120, seconds: 1, extra: ['-pix_fmt', 'yuv420p10le', '-profile:v', 'high10'] });
}

/** Full-range ("JPEG") H.264, as some cameras record: yuvj420p, tagged pc. */
export function fullRange(dir: string): string {
  return makeClip(join(dir, 'full-range.mp4'), { width: 160, height: 120, seconds: 1, extra: ['-pix_fmt', 'yuvj420p'] });
}

/** Interlaced H.264 at 576i, as CCTV and broadcast record, with `first` field shown first. */
export function interlaced(dir: string, first: 'top' | 'bottom'): string {
  return makeClip(join(dir, `interlaced-${first}.mp4`), { width: 720, height: 576, fps: '25', seconds: 0.4, extra: ['-flags', '+ildct+ilme', '-x264-params', first === 'top' ? 'tff=1' : 'bff=1'] });
}

/** Motion JPEG 4:2:2 in AVI, as older cameras and webcams record: full range, PCM sound. */
export function motionJpeg(dir: string): string {
  const p = join(dir, 'mjpeg-422.avi');
  ffmpeg([
    '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=1',
    '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1',
    '-c:v', 'mjpeg', '-q:v', '2', '-pix_fmt', 'yuvj422p', '-c:a', 'pcm_s16le', p,
  ]);
  return p;
}

export function hasEncoder(name: string): boolean {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' });
  return new RegExp(`\\s${name}\\s`).test(r.stdout);
}

export function hevc(dir: string): string {
  const p = join(dir, 'hevc.mp4');
  ffmpeg([
    '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=1',
    '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1',
    '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-tag:v', 'hvc1', '-c:a', 'aac', p,
  ]);
  return p;
}

/** Two audio streams (e.g. body camera and a radio feed) with different tones. */
export function multiAudio(dir: string): string {
  const p = join(dir, 'two-audio.mp4');
  ffmpeg([
    '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=1',
    '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1',
    '-f', 'lavfi', '-i', 'sine=frequency=1000:duration=1:sample_rate=16000',
    '-map', '0', '-map', '1', '-map', '2',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', p,
  ]);
  return p;
}

/**
 * A long clip made cheaply: a tiny low-rate segment encoded once, then repeated by stream copy
 * (`-stream_loop`), so an hour costs seconds. `fps` frames a second at `size`.
 */
export function longClip(dir: string, seconds: number, opts: { width?: number; height?: number; fps?: number; name?: string } = {}): string {
  const { width = 64, height = 48, fps = 2, name = `long-${seconds}s.mp4` } = opts;
  const segment = join(dir, `segment-${width}x${height}-${fps}.mp4`);
  const segSeconds = 60;
  ffmpeg([
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}:duration=${segSeconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=8000:duration=${segSeconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', String(fps * 10), '-c:a', 'aac', '-b:a', '16k', segment,
  ]);
  const p = join(dir, name);
  const loops = Math.ceil(seconds / segSeconds) - 1;
  ffmpeg(['-stream_loop', String(loops), '-i', segment, '-c', 'copy', '-t', String(seconds), p]);
  return p;
}

export function copyAs(src: string, dir: string, name: string): string {
  const p = join(dir, name);
  copyFileSync(src, p);
  return p;
}
