import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Bytes } from '../../engine/media/hash';
import { redactor } from '../helpers/cli';
import * as corpus from '../helpers/corpus';
import { decodeFrames, frameTimes, makeClip, tempDir } from '../helpers/media';
import { samplePlan } from '../helpers/plans';

/**
 * The corpus of bad and awkward inputs (issue 5), run through the command line as an officer would.
 * Bad input: one clear line, the documented exit code, nothing left in the output folder, the input
 * untouched. Awkward but valid input: comes out right (orientation, frame count, time stamps, audio).
 */
const tmp = tempDir('redactor-corpus-');
afterAll(tmp.cleanup);
const inDir = join(tmp.dir, 'in');
mkdirSync(inDir);
let outCount = 0;
function freshOutDir(): string {
  const d = join(tmp.dir, `out-${outCount++}`);
  mkdirSync(d);
  return d;
}

const fileHash = (p: string) => sha256Bytes(readFileSync(p));

interface StreamInfo {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  sample_aspect_ratio?: string;
  sample_rate?: string;
  field_order?: string;
  side_data_list?: unknown[];
}
function streams(path: string): StreamInfo[] {
  const r = spawnSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', path], { encoding: 'utf8' });
  return JSON.parse(r.stdout).streams;
}

/** A plan that matches the file's bytes (so export gets past the hash check and meets the file itself). */
function planFor(file: string): string {
  const data = readFileSync(file);
  const plan = samplePlan();
  plan.source = { ...plan.source, size: data.length, sha256: sha256Bytes(data) };
  const p = join(tmp.dir, `plan-${outCount++}.json`);
  writeFileSync(p, JSON.stringify(plan));
  return p;
}

async function expectRefused(args: string[], outDir: string, input: string, code: number, pattern: RegExp) {
  const before = fileHash(input);
  const r = await redactor([...args, '-q']);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(code);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^redactor: error: /);
  expect(lines[0]).toMatch(pattern);
  expect(readdirSync(outDir)).toEqual([]);
  expect(fileHash(input)).toBe(before);
}

const BAD: Array<{ name: string; make: (dir: string) => string; message: RegExp }> = [
  { name: 'zero bytes', make: corpus.zeroBytes, message: /empty \(0 bytes\)/ },
  { name: 'truncated inside the moov box', make: corpus.truncatedInMoov, message: /truncated|no frames|not a readable media file/ },
  { name: 'truncated inside mdat (moov at the front)', make: corpus.truncatedInMdat, message: /is truncated: its index lists 30 frames but only \d+ are in the file/ },
  { name: 'truncated before its moov (moov at the end)', make: corpus.truncatedMoovAtEnd, message: /not a readable media file/ },
  { name: 'text with a video extension', make: corpus.notVideoWithVideoExtension, message: /not a readable media file/ },
  { name: 'audio only', make: corpus.audioOnly, message: /has no video stream/ },
];

describe('bad input: one clear line, the right exit code, no output, input untouched', () => {
  const files = new Map<string, string>();
  beforeAll(() => {
    for (const b of BAD) files.set(b.name, b.make(inDir));
  });
  for (const b of BAD) {
    it(b.name, async () => {
      const file = files.get(b.name)!;
      let out = freshOutDir();
      await expectRefused(['probe', file], out, file, 3, b.message);
      await expectRefused(['export', file, '--plan', planFor(file), '-o', join(out, 'x.mp4')], out, file, 3, b.message);
      await expectRefused(['detect', file, '-o', join(out, 'plan.json')], out, file, 3, b.message);
      out = freshOutDir();
      await expectRefused(['auto', file, '-o', join(out, 'x.mp4')], out, file, 3, b.message);
    });
  }

  it('corrupt packets in the middle: probe reads the index, but nothing is exported or detected from a damaged picture', async () => {
    const file = corpus.corruptPackets(inDir);
    expect((await redactor(['probe', file])).code).toBe(0);
    const out = freshOutDir();
    const plan = join(tmp.dir, 'corrupt-plan.json');
    expect((await redactor(['plan', file, '-o', plan, '--region', '10,10,40,40'])).code).toBe(0);
    await expectRefused(['export', file, '--plan', plan, '-o', join(out, 'x.mp4')], out, file, 3, /damaged/);
    await expectRefused(['detect', file, '--every', '1', '-o', join(out, 'p.json')], out, file, 3, /damaged/);
    await expectRefused(['auto', file, '-o', join(out, 'x.mp4')], out, file, 3, /damaged/);
  });
});

/** plan → export (solid magenta) → verify, through the command line; returns the output path. */
async function exportThrough(file: string, regions: string[], edit?: (plan: any) => void): Promise<string> {
  const out = freshOutDir();
  const plan = join(out, 'plan.json');
  const p = await redactor(['plan', file, '-o', plan, ...regions.flatMap((r) => ['--region', r])]);
  expect(p.code, p.stderr).toBe(0);
  if (edit) {
    const json = JSON.parse(readFileSync(plan, 'utf8'));
    edit(json);
    writeFileSync(plan, JSON.stringify(json));
  }
  const output = join(out, 'redacted.mp4');
  const before = fileHash(file);
  const e = await redactor(['export', file, '--plan', plan, '-o', output, '--style', 'solid', '--fill', '#FF00FF', '-q']);
  expect(e.code, e.stderr).toBe(0);
  const v = await redactor(['verify', output]);
  expect(v.code, v.stdout).toBe(0);
  expect(fileHash(file)).toBe(before);
  return output;
}

/** Luma PSNR of frame 7 of two clips (160×120 unless said), below row `top` (clear of a region in the top corner). */
function lumaPsnrBelowRegion(out: string, source: string, width = 160, height = 120, top = 20): number {
  const a = decodeFrames(out, width, height);
  const b = decodeFrames(source, width, height);
  expect(a).toHaveLength(b.length);
  let se = 0;
  let n = 0;
  for (let y = top; y < height; y++) for (let x = 0; x < width; x++, n++) se += (a[7]![y * width + x]! - b[7]![y * width + x]!) ** 2;
  return 10 * Math.log10((255 * 255) / Math.max(1e-9, se / n));
}

async function probeJson(file: string) {
  const r = await redactor(['probe', file, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('awkward but valid input comes out right', () => {
  for (const degrees of [90, 180, 270] as const) {
    it(`rotation ${degrees}°: upright output, regions where the plan puts them in displayed orientation`, async () => {
      // Stored 96×64: left half white, right half black.
      const file = corpus.rotated(inDir, degrees);
      const p = await probeJson(file);
      const swap = degrees !== 180;
      const [W, H] = swap ? [64, 96] : [96, 64];
      expect(p.video.rotation).toBe(degrees);
      expect([p.video.width, p.video.height]).toEqual([W, H]);
      // A 16×16 box near the displayed top-left corner.
      const out = await exportThrough(file, ['4,4,16,16']);
      const v = streams(out).find((s) => s.codec_type === 'video')!;
      expect([v.width, v.height]).toEqual([W, H]);
      expect(v.side_data_list ?? []).toEqual([]); // stored upright: no display matrix left to apply
      expect(frameTimes(out)).toEqual(frameTimes(file));
      const frames = decodeFrames(out, W, H);
      expect(frames).toHaveLength(10);
      const Y = (x: number, y: number) => frames[5]![y * W + x]!;
      // The stored left half, turned clockwise, is displayed at the top (90), right (180) or bottom (270).
      const whiteAt = { 90: [W / 2, H / 4], 180: [(3 * W) / 4, H / 2], 270: [W / 2, (3 * H) / 4] }[degrees];
      const blackAt = { 90: [W / 2, (3 * H) / 4], 180: [W / 4, H / 2], 270: [W / 2, H / 4] }[degrees];
      expect(Y(whiteAt[0]!, whiteAt[1]!)).toBeGreaterThan(200);
      expect(Y(blackAt[0]!, blackAt[1]!)).toBeLessThan(40);
      // Magenta (BT.601 limited: Y≈106, V≈222) inside the box, at displayed coordinates.
      const vPlane = W * H + (W / 2) * (H / 2);
      expect(Y(12, 12)).toBeGreaterThan(80);
      expect(Y(12, 12)).toBeLessThan(130);
      expect(frames[5]![vPlane + 6 * (W / 2) + 6]).toBeGreaterThan(200);
    });
  }

  it('variable frame rate: every time stamp kept', async () => {
    const file = corpus.variableFrameRate(inDir);
    expect((await probeJson(file)).video.variableFrameRate).toBe(true);
    const out = await exportThrough(file, ['10,10,40,40']);
    expect(frameTimes(out)).toEqual(frameTimes(file));
  });

  it('a clip cut with stream copy: only the frames it shows, the region on the right ones', async () => {
    const { file, source, firstShown } = corpus.cutWithStreamCopy(inDir);
    const shown = (f: string) => Number(spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', f], { encoding: 'utf8' }).stdout.trim());
    const count = shown(file);
    expect(count).toBe(60);
    expect((await probeJson(file)).video.frameCount).toBe(count);
    // A region on the first 10 frames only.
    const out = await exportThrough(file, ['10,10,40,40,0,9']);
    expect(shown(out)).toBe(count);
    const frames = decodeFrames(out, 320, 240);
    const sourceFrames = decodeFrames(source, 320, 240);
    const lumaAt = (f: Buffer, x: number, y: number) => f[y * 320 + x]!;
    // Magenta fill (luma ≈ 106) in frames 0–9 and not in frame 10.
    expect(Math.abs(lumaAt(frames[9]!, 30, 30) - 106)).toBeLessThan(8);
    expect(Math.abs(lumaAt(frames[10]!, 30, 30) - 106)).toBeGreaterThan(8);
    // Frame 20 of the export is most like source frame firstShown + 20 (testsrc2 changes every frame).
    const difference = (a: Buffer, b: Buffer) => {
      let d = 0;
      for (let i = 0; i < 320 * 240; i++) d += Math.abs(a[i]! - b[i]!);
      return d;
    };
    const candidates = [-2, -1, 0, 1, 2].map((k) => firstShown + 20 + k);
    const best = candidates.reduce((a, b) => (difference(frames[20]!, sourceFrames[b]!) < difference(frames[20]!, sourceFrames[a]!) ? b : a));
    expect(best).toBe(firstShown + 20);
  });

  it('odd width and height: padded to even, frame count kept', async () => {
    const file = corpus.oddSize(inDir);
    const out = await exportThrough(file, ['150,110,11,11']);
    const v = streams(out).find((s) => s.codec_type === 'video')!;
    expect([v.width, v.height]).toEqual([162, 122]);
    expect(frameTimes(out)).toEqual(frameTimes(file));
  });

  it('4K: full size, every frame', async () => {
    const file = corpus.fourK(inDir);
    const out = await exportThrough(file, ['3000,1500,400,300']);
    const v = streams(out).find((s) => s.codec_type === 'video')!;
    expect([v.width, v.height]).toEqual([3840, 2160]);
    expect(frameTimes(out)).toEqual(frameTimes(file));
  });

  it('10-bit 4:2:0: exported as 8-bit 4:2:0 with the picture intact outside the region', async () => {
    const file = corpus.tenBit(inDir);
    expect((await probeJson(file)).video.pixelFormat).toBe('yuv420p10le');
    const out = await exportThrough(file, ['0,0,16,16']);
    expect(streams(out).find((s) => s.codec_type === 'video')!.pix_fmt).toBe('yuv420p');
    expect(lumaPsnrBelowRegion(out, file)).toBeGreaterThan(35);
    expect(decodeFrames(out, 160, 120)[7]![8 * 160 + 8]).toBeGreaterThan(80); // magenta, not the test picture's dark corner
  });

  it('non-square pixels (720×576 shown at 768×576): the pixel shape is kept, so the picture keeps its proportions', async () => {
    const file = makeClip(join(inDir, 'anamorphic.mp4'), { width: 720, height: 576, fps: '25', seconds: 0.4, extra: ['-vf', 'setsar=16/15'] });
    const out = await exportThrough(file, ['100,100,50,50']);
    const v = streams(out).find((s) => s.codec_type === 'video')!;
    expect([v.width, v.height, v.sample_aspect_ratio]).toEqual([720, 576, '16:15']);
  });

  it('interlaced (576i, either field first): exported interlaced with the same field first, every frame, the region filled', async () => {
    for (const first of ['top', 'bottom'] as const) {
      const file = corpus.interlaced(inDir, first);
      expect((await probeJson(file)).video.firstField, file).toBe(first);
      const out = await exportThrough(file, ['0,0,64,64']);
      const v = streams(out).find((s) => s.codec_type === 'video')!;
      expect(v.field_order, file).toBe(first === 'top' ? 'tt' : 'bb');
      expect(frameTimes(out), file).toEqual(frameTimes(file));
      expect(decodeFrames(out, 720, 576)[4]![16 * 720 + 16], file).toBeGreaterThan(80);
      expect(lumaPsnrBelowRegion(out, file, 720, 576, 80), file).toBeGreaterThan(35);
    }
    // A progressive source stays progressive.
    const progressive = await exportThrough(corpus.fullRange(inDir), []);
    expect(streams(progressive).find((s) => s.codec_type === 'video')!.field_order ?? 'progressive').toBe('progressive');
  });

  it('full range (H.264 yuvj420p, Motion JPEG 4:2:2): kept full range, the picture intact outside the region', async () => {
    for (const file of [corpus.fullRange(inDir), corpus.motionJpeg(inDir)]) {
      const out = await exportThrough(file, ['0,0,16,16']);
      expect(streams(out).find((s) => s.codec_type === 'video')!.pix_fmt, file).toBe('yuvj420p');
      // Both decode through the same full-to-limited conversion, so a squeezed export shows as lost contrast.
      expect(lumaPsnrBelowRegion(out, file), file).toBeGreaterThan(35);
      // The fill is magenta as the viewer sees it: converted to RGB it is still #FF00FF.
      const rgb = spawnSync('ffmpeg', ['-v', 'error', '-i', out, '-vf', 'crop=8:8:4:4', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']).stdout;
      for (const [i, want] of [[0, 255], [1, 0], [2, 255]] as const) expect(Math.abs(rgb[i]! - want), file).toBeLessThan(12);
    }
  });

  it.skipIf(!corpus.hasEncoder('libx265'))('HEVC in: H.264 out, every frame, audio kept', async () => {
    const file = corpus.hevc(inDir);
    expect((await probeJson(file)).video.codec).toBe('hevc');
    const out = await exportThrough(file, ['10,10,40,40']);
    const s = streams(out);
    expect(s.map((x) => `${x.codec_type}:${x.codec_name}`)).toEqual(['video:h264', 'audio:aac']);
    expect(frameTimes(out)).toEqual(frameTimes(file));
  });

  it('several audio streams: all kept, copied or re-encoded with a redaction in each', async () => {
    const file = corpus.multiAudio(inDir);
    const copied = await exportThrough(file, []);
    expect(streams(copied).filter((s) => s.codec_type === 'audio').map((s) => s.sample_rate)).toEqual(['44100', '16000']);
    const muted = await exportThrough(file, [], (plan) => {
      plan.audio = [{ id: 'a', start: 0.2, end: 0.6, mode: 'mute', reason: 'spoken-personal-data' }];
    });
    expect(streams(muted).filter((s) => s.codec_type === 'audio').map((s) => s.sample_rate)).toEqual(['44100', '16000']);
    // Both streams silent inside the range, sounding outside it.
    for (const stream of [0, 1]) {
      const r = spawnSync('ffmpeg', ['-v', 'error', '-i', muted, '-map', `0:a:${stream}`, '-f', 's16le', '-ac', '1', '-ar', '8000', 'pipe:1'], { maxBuffer: 1 << 24 });
      const pcm = new Int16Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length >> 1);
      const peak = (from: number, to: number) => pcm.slice(from * 8000, to * 8000).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(peak(0.3, 0.5)).toBe(0);
      expect(peak(0.7, 0.9)).toBeGreaterThan(1000);
    }
  });

  it('a Matroska file named .mp4, and a video with no audio, export normally', async () => {
    const mkv = await exportThrough(corpus.matroskaNamedMp4(inDir), ['5,5,20,20']);
    expect(frameTimes(mkv)).toHaveLength(25);
    const silent = await exportThrough(corpus.videoOnly(inDir), ['5,5,20,20']);
    expect(streams(silent).map((s) => s.codec_type)).toEqual(['video']);
  });

  it('a one-hour clip made cheaply: exact frame count and time stamps', async () => {
    const file = corpus.longClip(inDir, 3600);
    const p = await probeJson(file);
    expect(p.durationSeconds).toBeGreaterThan(3599);
    const out = await exportThrough(file, ['2,2,20,20']);
    const a = frameTimes(out);
    const b = frameTimes(file);
    expect(a.length).toBe(p.video.frameCount);
    expect(a).toEqual(b);
  });

  it('detect and auto handle rotation, HEVC and 10-bit: output upright, a valid plan for the displayed picture', async () => {
    const inputs = [corpus.rotated(inDir, 90), corpus.tenBit(inDir), ...(corpus.hasEncoder('libx265') ? [corpus.hevc(inDir)] : [])];
    for (const file of inputs) {
      const out = freshOutDir();
      const d = await redactor(['detect', file, '-o', join(out, 'plan.json'), '-q']);
      expect(d.code, d.stderr).toBe(0);
      const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
      const p = await probeJson(file);
      expect([plan.source.video.width, plan.source.video.height]).toEqual([p.video.width, p.video.height]);
      const a = await redactor(['auto', file, '-o', join(out, 'auto.mp4'), '-q']);
      expect(a.code, a.stderr).toBe(0);
      const v = streams(join(out, 'auto.mp4')).find((s) => s.codec_type === 'video')!;
      expect([v.width, v.height]).toEqual([p.video.width + (p.video.width % 2), p.video.height + (p.video.height % 2)]);
      expect((await redactor(['verify', join(out, 'auto.mp4')])).code).toBe(0);
    }
  });
});
