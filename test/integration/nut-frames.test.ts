import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NutFrameSplitter, NutFormatError } from '../../engine/media/nut-frames';
import { ffmpeg, makeClip, tempDir } from '../helpers/media';

const tmp = tempDir();
afterAll(tmp.cleanup);

function nutOf(clip: string, extra: string[] = []): Buffer {
  return ffmpeg(['-i', clip, '-map', '0:v:0', '-fps_mode', 'passthrough', ...extra, '-c:v', 'rawvideo', '-pix_fmt', 'yuv420p', '-f', 'nut', 'pipe:1']);
}

function split(data: Buffer, chunk: number) {
  const s = new NutFrameSplitter();
  const units = [];
  for (let i = 0; i < data.length; i += chunk) units.push(...s.push(data.subarray(i, i + chunk)));
  return { units, atBoundary: s.atBoundary };
}

describe('NutFrameSplitter', () => {
  it('finds every raw frame, whatever the chunking, and loses no byte', () => {
    // Odd sizes make the chroma planes round up; x264 cannot store them, FFV1 can.
    const clip = join(tmp.dir, 'odd.mkv');
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=321x181:rate=30:duration=1', '-c:v', 'ffv1', '-pix_fmt', 'yuv420p', clip]);
    const data = nutOf(clip);
    const frameSize = 321 * 181 + 2 * 161 * 91;
    for (const chunk of [1, 7, 4096, 65536, data.length]) {
      const { units, atBoundary } = split(data, chunk);
      const frames = units.filter((u) => u.kind === 'frame');
      expect(frames).toHaveLength(30);
      for (const f of frames) expect(f.payload.length).toBe(frameSize);
      expect(Buffer.concat(units.map((u) => u.bytes)).equals(data)).toBe(true);
      expect(atBoundary).toBe(true);
    }
  });

  it('payloads are the decoded pictures', () => {
    const clip = makeClip(join(tmp.dir, 'pic.mp4'), { seconds: 0.2, audio: false });
    const raw = ffmpeg(['-i', clip, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1']);
    const { units } = split(nutOf(clip), 65536);
    const payloads = Buffer.concat(units.flatMap((u) => (u.kind === 'frame' ? [u.payload] : [])));
    expect(payloads.equals(raw)).toBe(true);
  });

  it('rejects bytes that are not NUT', () => {
    expect(() => new NutFrameSplitter().push(Buffer.from('this is not a nut stream at all'))).toThrow(NutFormatError);
  });
});
