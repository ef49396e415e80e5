import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../../engine/ffmpeg/run';
import { openStdoutReader } from '../../engine/ffmpeg/stdout-reader';
import { NutFrameSplitter, NutFormatError, type NutUnit } from '../../engine/media/nut-frames';
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

  it('reads in place (frame payloads straight into their buffers) give the same units as copied chunks', () => {
    const clip = makeClip(join(tmp.dir, 'inplace.mp4'), { seconds: 0.5, audio: false });
    const data = nutOf(clip);
    const expected = split(data, 65536).units;
    // A reader that takes whatever the target holds, at most a pseudo-random amount per read.
    let seed = 7;
    const s = new NutFrameSplitter();
    const units: NutUnit[] = [];
    for (let offset = 0; offset < data.length; ) {
      const target = s.readTarget();
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const count = Math.min(target.length, data.length - offset, 1 + (seed % 200_000));
      data.copy(target, 0, offset, offset + count);
      offset += count;
      units.push(...s.wrote(count));
    }
    expect(s.atBoundary).toBe(true);
    expect(units.map((u) => u.kind)).toEqual(expected.map((u) => u.kind));
    expect(Buffer.concat(units.map((u) => Buffer.from(u.bytes))).equals(data)).toBe(true);
  });

  // The local socket pair (onread) everywhere but Windows; the copying reader there, forced here.
  for (const plain of [false, true]) {
    it(`ffmpeg's stdout arrives whole, read into the buffers the reader chose (${plain ? 'copying reader over a plain pipe' : 'local socket pair'})`, async () => {
      const clip = makeClip(join(tmp.dir, 'socket.mp4'), { seconds: 0.5, audio: false });
      const args = ['-nostdin', '-v', 'error', '-i', clip, '-map', '0:v:0', '-fps_mode', 'passthrough', '-c:v', 'rawvideo', '-pix_fmt', 'yuv420p', '-f', 'nut', 'pipe:1'];
      const expected = nutOf(clip);
      const received = Buffer.alloc(expected.length + 1);
      let filled = 0;
      let pauses = 0;
      if (plain) process.env.REDACTOR_PLAIN_STDOUT = '1';
      const stdout = await openStdoutReader({
        readTarget: () => received.subarray(filled, filled + 10_000),
        onRead: (count) => {
          filled += count;
          // Pause now and then: reading must carry on from where it stopped once resumed.
          if (filled % 3 === 0) {
            pauses++;
            setTimeout(() => reader.resume(), 1);
            return false;
          }
          return true;
        },
      });
      delete process.env.REDACTOR_PLAIN_STDOUT;
      expect('stdoutTo' in stdout.runOptions).toBe(!plain);
      const run = runFfmpeg({ args, ...stdout.runOptions });
      const reader = stdout.attach(run);
      const ended = new Promise((resolve) => reader.on('end', resolve));
      reader.resume();
      await Promise.all([run.done, ended]);
      expect(filled).toBe(expected.length);
      expect(received.subarray(0, filled).equals(expected)).toBe(true);
      expect(pauses).toBeGreaterThan(0);
    });
  }

  it('rejects bytes that are not NUT', () => {
    expect(() => new NutFrameSplitter().push(Buffer.from('this is not a nut stream at all'))).toThrow(NutFormatError);
  });
});
