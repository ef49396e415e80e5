import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedactionPlan } from '../../common/plan';
import { boxAtFrame } from '../../common/track';
import { CancelledError, UserError } from '../../engine/errors';
import { exportRedacted } from '../../engine/export/export';
import { killAllRuns } from '../../engine/ffmpeg/run';
import { sha256File } from '../../engine/media/hash';
import { probe, type ProbeResult } from '../../engine/media/probe';
import { newPlan } from '../../engine/plan-file';
import { readReport } from '../../engine/report/export-report';
import { decodeFrames, ffmpeg, frameTimes, makeClip, monoPcm, rmsBetween, tempDir } from '../helpers/media';
import { manualTrack } from '../helpers/plans';

const tmp = tempDir();
afterAll(tmp.cleanup);

const W = 320;
const H = 240;
let clip: string;
let probed: ProbeResult;
let basePlan: RedactionPlan;
let sourceFrames: Buffer[];
let longClip: { path: string; plan: RedactionPlan };

beforeAll(async () => {
  clip = makeClip(join(tmp.dir, 'source clip.mp4'), { width: W, height: H, seconds: 2, audio: true });
  probed = await probe(clip);
  basePlan = newPlan(probed, await sha256File(clip));
  sourceFrames = decodeFrames(clip, W, H);
  // Long enough that cancellation lands mid-run.
  const long = makeClip(join(tmp.dir, 'long.mp4'), { width: 640, height: 360, seconds: 12, audio: true });
  const longProbe = await probe(long);
  longClip = {
    path: long,
    plan: { ...newPlan(longProbe, await sha256File(long)), tracks: [manualTrack('b', [{ frame: 0, x: 100, y: 100, w: 200, h: 150 }])] },
  };
});

/** A moving box from frame 10 to 40, gone from 41; lossless output so pixels can be compared exactly. */
function movingBoxPlan(style: RedactionPlan['output']['style'], shape: 'rectangle' | 'ellipse' = 'rectangle'): RedactionPlan {
  return {
    ...basePlan,
    tracks: [manualTrack('box', [{ frame: 10, x: 21, y: 33, w: 60, h: 41 }, { frame: 40, x: 201, y: 150, w: 80, h: 61 }, { frame: 41, outside: true }], { shape })],
    output: { style, crf: 0, preset: 'ultrafast' },
  };
}

/** A plan for the file as it is: its probe facts and hash, no regions. */
async function planFor(source: string): Promise<RedactionPlan> {
  return newPlan(await probe(source), await sha256File(source));
}

function lumaDiffers(a: Buffer, b: Buffer, x: number, y: number): boolean {
  return a[y * W + x] !== b[y * W + x];
}

function outputDirIsClean(dir: string): void {
  expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
}

describe('exportRedacted', () => {
  it('changes every pixel inside the region in the right frames, and nothing else', async () => {
    const plan = movingBoxPlan({ kind: 'solid', fill: '#FF00FF' });
    const out = join(tmp.dir, 'solid.mp4');
    await exportRedacted({ sourcePath: clip, plan, outputPath: out });
    const frames = decodeFrames(out, W, H);
    expect(frames).toHaveLength(sourceFrames.length);
    const track = plan.tracks[0]!;
    let insideChecked = 0;
    for (let f = 0; f < frames.length; f++) {
      const box = boxAtFrame(track, f);
      const src = sourceFrames[f]!;
      const dst = frames[f]!;
      if (!box) {
        expect(dst.equals(src), `frame ${f} has no region and must be untouched`).toBe(true);
        continue;
      }
      const x0 = Math.floor(box.x), y0 = Math.floor(box.y), x1 = Math.ceil(box.x + box.w), y1 = Math.ceil(box.y + box.h);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const inside = x >= x0 && x < x1 && y >= y0 && y < y1;
          // Chroma alignment may widen the region by one pixel on odd edges, never narrow it.
          const nearEdge = x >= x0 - 1 && x < x1 + 1 && y >= y0 - 1 && y < y1 + 1;
          if (inside) {
            // Solid magenta in BT.601 limited range has luma about 106.
            expect(Math.abs(dst[y * W + x]! - 106), `frame ${f} (${x},${y})`).toBeLessThanOrEqual(2);
            insideChecked++;
          } else if (!nearEdge && lumaDiffers(src, dst, x, y)) {
            throw new Error(`frame ${f}: pixel (${x},${y}) outside the region changed`);
          }
        }
      }
    }
    expect(insideChecked).toBeGreaterThan(31 * 60 * 41);
  });

  it.each(['blur', 'pixelate'] as const)('%s leaves outside pixels identical and destroys detail inside', async (kind) => {
    const plan = movingBoxPlan({ kind }, 'ellipse');
    const out = join(tmp.dir, `${kind}.mp4`);
    await exportRedacted({ sourcePath: clip, plan, outputPath: out });
    const frames = decodeFrames(out, W, H);
    const f = 25;
    const box = boxAtFrame(plan.tracks[0]!, f)!;
    const src = sourceFrames[f]!;
    const dst = frames[f]!;
    // Detail in the middle half of the ellipse: neighbouring pixel differences.
    const cx = box.x + box.w / 2, cy = box.y + box.h / 2;
    let detailSrc = 0;
    let detailDst = 0;
    let flatPairs = 0;
    let pairs = 0;
    for (let y = Math.ceil(cy - box.h / 4); y < cy + box.h / 4; y++) {
      for (let x = Math.ceil(cx - box.w / 4); x < cx + box.w / 4; x++) {
        // Squared: blurring a step edge keeps its total variation but spreads its energy thin.
        detailSrc += (src[y * W + x]! - src[y * W + x + 1]!) ** 2;
        detailDst += (dst[y * W + x]! - dst[y * W + x + 1]!) ** 2;
        pairs++;
        if (dst[y * W + x] === dst[y * W + x + 1]) flatPairs++;
      }
    }
    if (kind === 'blur') expect(detailDst).toBeLessThan(detailSrc * 0.1);
    // Pixelation leaves flat blocks: most neighbours are equal (exactly, since the export is lossless).
    else expect(flatPairs / pairs).toBeGreaterThan(0.8);
    // Outside the box (beyond a pixel of rounding) nothing changed.
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      if (x >= box.x - 1 && x <= box.x + box.w + 1 && y >= box.y - 1 && y <= box.y + box.h + 1) continue;
      if (lumaDiffers(src, dst, x, y)) throw new Error(`(${x},${y}) outside changed`);
    }
  });

  it('gives the same bytes through the copying reader (the Windows path) as through the local socket pair', async () => {
    const viaSocket = join(tmp.dir, 'via-socket.mp4');
    const viaPipe = join(tmp.dir, 'via-pipe.mp4');
    await exportRedacted({ sourcePath: longClip.path, plan: longClip.plan, outputPath: viaSocket });
    process.env.REDACTOR_PLAIN_STDOUT = '1';
    try {
      await exportRedacted({ sourcePath: longClip.path, plan: longClip.plan, outputPath: viaPipe });
    } finally {
      delete process.env.REDACTOR_PLAIN_STDOUT;
    }
    expect(await sha256File(viaPipe)).toBe(await sha256File(viaSocket));
  });

  it('keeps frame count, time stamps, duration and audio; writes a sealed report', async () => {
    const out = join(tmp.dir, 'default.mp4');
    const plan = { ...movingBoxPlan({ kind: 'blur' }), output: basePlan.output };
    const result = await exportRedacted({ sourcePath: clip, plan, outputPath: out });
    const p = await probe(out);
    expect(p.video.frameCount).toBe(probed.video.frameCount);
    expect(frameTimes(out)).toEqual(frameTimes(clip));
    expect(p.audio).toHaveLength(1);
    expect(Math.abs(p.audio[0]!.durationSeconds - probed.audio[0]!.durationSeconds)).toBeLessThan(0.03);
    // Audio with no redactions is copied bit for bit.
    const audioMd5 = (f: string) => ffmpeg(['-i', f, '-map', '0:a', '-c', 'copy', '-f', 'md5', '-']).toString();
    expect(audioMd5(out)).toBe(audioMd5(clip));
    const report = readReport(result.reportPath);
    expect(report.output.sha256).toBe(await sha256File(out));
    expect(report.input.sha256).toBe(basePlan.source.sha256);
    expect(report.commands.map((c) => c.role)).toEqual(['decode', 'redact', 'encode']);
    expect(report.commands[2]!.commandLine).toContain('libx264');
    expect(report.output.audio).toBe('copied');
    // Outside the region the picture matches a plain re-encode with the same settings.
    const plain = join(tmp.dir, 'plain.mp4');
    ffmpeg(['-i', clip, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-an', plain]);
    const a = decodeFrames(out, W, H)[5]!; // frame 5 has no region
    const b = decodeFrames(plain, W, H)[5]!;
    let se = 0;
    for (let i = 0; i < W * H; i++) se += (a[i]! - b[i]!) ** 2;
    const psnr = 10 * Math.log10((255 * 255) / Math.max(1e-9, se / (W * H)));
    expect(psnr).toBeGreaterThan(45);
  });

  it('keeps variable frame rate time stamps exactly', async () => {
    const vfr = join(tmp.dir, 'vfr.mp4');
    ffmpeg([
      '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=3',
      '-vf', "setpts='if(lt(N,30),N*512,if(lt(N,60),15360+(N-30)*1024,46080+(N-60)*300))'",
      '-fps_mode', 'passthrough', '-enc_time_base', '1/15360', '-video_track_timescale', '15360',
      '-c:v', 'libx264', '-preset', 'ultrafast', vfr,
    ]);
    const vp = await probe(vfr);
    expect(vp.video.variableFrameRate).toBe(true);
    const plan = { ...newPlan(vp, await sha256File(vfr)), tracks: [manualTrack('b', [{ frame: 0, x: 10, y: 10, w: 50, h: 50 }])] };
    const out = join(tmp.dir, 'vfr-out.mp4');
    await exportRedacted({ sourcePath: vfr, plan, outputPath: out });
    expect(frameTimes(out)).toEqual(frameTimes(vfr));
  });

  it('mutes and bleeps the plan’s audio ranges sample-exactly and leaves the rest', async () => {
    const plan: RedactionPlan = {
      ...basePlan,
      audio: [
        { id: 'm', start: 0.5, end: 0.9, mode: 'mute', reason: 'spoken-personal-data' },
        { id: 'b', start: 1.2, end: 1.6, mode: 'bleep', reason: 'spoken-personal-data' },
      ],
    };
    const out = join(tmp.dir, 'audio.mp4');
    const result = await exportRedacted({ sourcePath: clip, plan, outputPath: out });
    expect(result.report.output.audio).toBe('re-encoded');
    const src = monoPcm(clip);
    const dst = monoPcm(out);
    const rms = rmsBetween;
    expect(rms(dst, 0.52, 0.88)).toBeLessThan(30); // silence, allowing for AAC ringing
    expect(rms(dst, 0.1, 0.4)).toBeGreaterThan(rms(src, 0.1, 0.4) * 0.8);
    // The bleep replaces the voice: a 1 kHz tone, not the 440 Hz source.
    const zeroCrossings = (s: Int16Array, t0: number, t1: number) => {
      let n = 0;
      for (let i = Math.round(t0 * 48000); i < Math.round(t1 * 48000); i++) if ((s[i - 1]! < 0) !== (s[i]! < 0)) n++;
      return n / (t1 - t0) / 2;
    };
    expect(zeroCrossings(dst, 1.25, 1.55)).toBeGreaterThan(900);
    expect(zeroCrossings(dst, 1.25, 1.55)).toBeLessThan(1100);
  });

  // Recordings whose picture starts after their sound, and files whose clock starts late (cut or
  // remuxed with their time stamps kept): ffmpeg counts such a file from its earliest stream. The
  // first file's half second of sound before the picture is left out (no reviewer sees it on the
  // timeline), so both streams start together; the second's 0.02 s of AAC padding stays, in place.
  it.each([
    ['a picture that starts 0.5 s after its sound', (src: string, out: string) => ffmpeg(['-i', src, '-itsoffset', '0.5', '-i', src, '-map', '1:v', '-map', '0:a', '-c', 'copy', out]), 'left out'],
    ['a file whose clock starts at 10 s', (src: string, out: string) => ffmpeg(['-i', src, '-c', 'copy', '-output_ts_offset', '10', out]), 'kept'],
  ])('%s: picture in place against the sound, audio ranges timed from the first frame', async (name, make, soundBefore) => {
    const source = join(tmp.dir, `${name}.mp4`);
    make(clip, source);
    const plan: RedactionPlan = {
      ...(await planFor(source)),
      audio: [{ id: 'm', start: 0.5, end: 0.9, mode: 'mute', reason: 'spoken-personal-data' }],
    };
    const out = join(tmp.dir, `${name} out.mp4`);
    const result = await exportRedacted({ sourcePath: source, plan, outputPath: out });
    const leftOut = result.report.warnings.filter((w) => w.startsWith('sound outside the picture was left out'));
    expect(leftOut).toEqual(soundBefore === 'kept' ? [] : [expect.stringContaining('0.50 s before the first frame')]);
    // Where the first frame lies after the start of the sound, in each file.
    const lead = (f: string) => {
      const starts = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,start_time', '-of', 'csv=p=0', f], { encoding: 'utf8' }).stdout;
      const at = (kind: string) => Number(starts.split('\n').find((l) => l.startsWith(kind))!.split(',')[1]);
      return at('video') - at('audio');
    };
    expect(lead(source)).toBeGreaterThan(0.02);
    expect(Math.abs(lead(out) - (soundBefore === 'kept' ? lead(source) : 0))).toBeLessThan(0.001);
    const outTimes = frameTimes(out);
    const srcTimes = frameTimes(source);
    expect(outTimes.map((t) => t - outTimes[0]!)).toEqual(srcTimes.map((t) => t - srcTimes[0]!).map((t) => expect.closeTo(t, 5)));
    // Silent from 0.5 s to 0.9 s after the first frame (allowing for AAC ringing), and only there.
    const pcm = monoPcm(out);
    const rms = (t0: number, t1: number) => rmsBetween(pcm, lead(out) + t0, lead(out) + t1);
    expect(rms(0.52, 0.88)).toBeLessThan(30);
    expect(rms(0.1, 0.45)).toBeGreaterThan(1000);
    expect(rms(0.95, 1.3)).toBeGreaterThan(1000);
  });

  it('sound that runs on past the picture is left out of the export, and the report says so', async () => {
    const source = join(tmp.dir, 'sound runs on.mp4');
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=30:duration=2', '-f', 'lavfi', '-i', 'sine=duration=4', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', source]);
    const sp = await probe(source);
    expect(sp.audio[0]!.durationSeconds).toBeGreaterThan(3.9);
    const out = join(tmp.dir, 'sound runs on out.mp4');
    const result = await exportRedacted({ sourcePath: source, plan: newPlan(sp, await sha256File(source)), outputPath: out });
    expect(result.report.output.audio).toBe('re-encoded');
    expect(result.report.warnings).toContainEqual(expect.stringMatching(/^sound outside the picture was left out \(2\.0\d s after the last\)/));
    const durations = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,duration', '-of', 'csv=p=0', out], { encoding: 'utf8' }).stdout;
    const audioSeconds = Number(durations.split('\n').find((l) => l.startsWith('audio'))!.split(',')[1]);
    expect(audioSeconds).toBeGreaterThan(1.95);
    expect(audioSeconds).toBeLessThan(2.1);
  });

  it('trims a picture that starts after its sound: both start at zero, audio ranges still timed from the first frame', async () => {
    const source = join(tmp.dir, 'late picture for trim.mp4');
    ffmpeg(['-i', clip, '-itsoffset', '0.5', '-i', clip, '-map', '1:v', '-map', '0:a', '-c', 'copy', source]);
    const plan: RedactionPlan = {
      ...(await planFor(source)),
      trim: { startFrame: 12, endFrame: 47 },
      // 0.1–0.5 s into the trimmed clip, whose first frame is source frame 12 (0.4 s).
      audio: [{ id: 'm', start: 0.5, end: 0.9, mode: 'mute', reason: 'spoken-personal-data' }],
    };
    const out = join(tmp.dir, 'late picture trimmed.mp4');
    await exportRedacted({ sourcePath: source, plan, outputPath: out });
    const starts = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,start_time', '-of', 'csv=p=0', out], { encoding: 'utf8' }).stdout;
    for (const line of starts.trim().split('\n')) expect(Number(line.split(',')[1])).toBeCloseTo(0, 2);
    const pcm = monoPcm(out);
    const rms = (t0: number, t1: number) => rmsBetween(pcm, t0, t1);
    expect(rms(0.12, 0.48)).toBeLessThan(30);
    expect(rms(0.55, 1.0)).toBeGreaterThan(1000);
  });

  it('carries none of the source’s metadata: no tags, stream tags or chapters', async () => {
    const meta = join(tmp.dir, 'meta.txt');
    writeFileSync(meta, [
      ';FFMETADATA1', 'title=PCX4711 Smith, incident 77', 'comment=Arrest of John Doe', 'location=+51.5074-000.1278/',
      '[CHAPTER]', 'TIMEBASE=1/1000', 'START=0', 'END=1000', 'title=Witness Jane Roe',
      '[CHAPTER]', 'TIMEBASE=1/1000', 'START=1000', 'END=2000', 'title=12 High Street',
    ].join('\n'));
    const source = join(tmp.dir, 'tagged.mp4');
    ffmpeg(['-i', clip, '-i', meta, '-map', '0', '-map_metadata', '1', '-map_chapters', '1', '-metadata:s:v:0', 'handler_name=Camera of PCX4711', '-metadata:s:a:0', 'title=Radio channel of Jane Roe', '-c', 'copy', source]);
    const shows = (f: string) => spawnSync('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-show_chapters', '-of', 'json', f], { encoding: 'utf8' }).stdout;
    for (const secret of ['PCX4711', 'John Doe', 'Jane Roe', 'High Street', '51.5074']) expect(shows(source)).toContain(secret);
    expect(JSON.parse(shows(source)).chapters).toHaveLength(2);
    const out = join(tmp.dir, 'tagged out.mp4');
    await exportRedacted({ sourcePath: source, plan: await planFor(source), outputPath: out });
    const bytes = readFileSync(out).toString('latin1');
    for (const secret of ['PCX4711', 'John Doe', 'Jane Roe', 'High Street', '51.5074']) {
      expect(shows(out)).not.toContain(secret);
      expect(bytes).not.toContain(secret);
    }
    expect(JSON.parse(shows(out)).chapters).toEqual([]);
  });

  it.each([
    ['FLAC in Matroska (MP4 cannot carry it as it is)', 'flac', 'source.mkv', 'aac', 're-encoded', 'out.mp4'],
    ['Opus in Matroska', 'libopus', 'source.mkv', 'opus', 'copied', 'out.mp4'],
    ['Opus in Matroska, exported as QuickTime (which cannot carry it)', 'libopus', 'source.mkv', 'aac', 're-encoded', 'out.mov'],
    ['AC-3 in Matroska, exported as QuickTime', 'ac3', 'source.mkv', 'ac3', 'copied', 'out.mov'],
    ['PCM in QuickTime', 'pcm_s16le', 'source.mov', 'aac', 're-encoded', 'out.mp4'],
  ])('audio: %s', async (_name, codec, file, expected, how, outName) => {
    const source = join(tmp.dir, `${codec} ${file}`);
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=30:duration=1', '-f', 'lavfi', '-i', 'sine=duration=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', codec, source]);
    const out = join(tmp.dir, `${codec} ${outName}`);
    const result = await exportRedacted({ sourcePath: source, plan: await planFor(source), outputPath: out });
    expect(result.report.output.audio).toBe(how);
    // Only the first field: side data (AC-3's service type in QuickTime) adds an empty one.
    const codecs = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'a', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', out], { encoding: 'utf8' }).stdout.trim().split(',')[0];
    expect(codecs).toBe(expected);
  });

  it('takes hundreds of audio ranges (ffmpeg refused a sum of more than about 95)', async () => {
    const audio: RedactionPlan['audio'] = [];
    // 200 touching ranges that together mute 0.5–2.5 s, and 100 separate ones from 4 s on.
    for (let k = 0; k < 200; k++) audio.push({ id: `t${k}`, start: 0.5 + k * 0.01, end: 0.5 + (k + 1) * 0.01, mode: 'mute', reason: 'spoken-personal-data' });
    for (let k = 0; k < 100; k++) audio.push({ id: `s${k}`, start: 4 + k * 0.05, end: 4.02 + k * 0.05, mode: k % 2 ? 'mute' : 'bleep', reason: 'spoken-personal-data' });
    const out = join(tmp.dir, 'many ranges.mp4');
    await exportRedacted({ sourcePath: longClip.path, plan: { ...longClip.plan, audio }, outputPath: out });
    const pcm = monoPcm(out);
    const rms = (t0: number, t1: number) => rmsBetween(pcm, t0, t1);
    expect(rms(0.55, 2.45)).toBeLessThan(30);
    expect(rms(3, 3.8)).toBeGreaterThan(1000);
  });

  it('carries only the picture and the sound, and the report names every other stream left out', async () => {
    const subs = join(tmp.dir, 'subs.srt');
    writeFileSync(subs, '1\n00:00:00,000 --> 00:00:01,000\nPC 4711 on patrol\n');
    const source = join(tmp.dir, 'two cameras.mp4');
    ffmpeg(['-i', clip, '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=30:duration=2', '-i', subs, '-map', '0:v', '-map', '0:a', '-map', '1:v', '-map', '2:s', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'copy', '-c:s', 'mov_text', source]);
    const sp = await probe(source);
    expect(sp.otherStreams).toEqual(['video stream 2 (h264)', 'subtitle stream 3 (mov_text)']);
    const out = join(tmp.dir, 'two cameras out.mp4');
    const result = await exportRedacted({ sourcePath: source, plan: newPlan(sp, await sha256File(source)), outputPath: out });
    expect(result.report.warnings).toContain('not exported (only the picture and the sound are): video stream 2 (h264), subtitle stream 3 (mov_text)');
    const kinds = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', out], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(kinds).toEqual(['video', 'audio']);
    expect(readFileSync(out).toString('latin1')).not.toContain('PC 4711');
  });

  it('trims to the exact frames asked for', async () => {
    const plan = { ...movingBoxPlan({ kind: 'blur' }), trim: { startFrame: 12, endFrame: 35 } };
    const out = join(tmp.dir, 'trim.mp4');
    await exportRedacted({ sourcePath: clip, plan, outputPath: out });
    const frames = decodeFrames(out, W, H);
    expect(frames).toHaveLength(24);
    // Away from the region, output frame 0 is source frame 12 (lossless), not 11 or 13.
    const differing = (a: Buffer, b: Buffer, sourceFrame = 12) => {
      const box = boxAtFrame(plan.tracks[0]!, sourceFrame)!;
      let n = 0;
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
        if (x >= box.x - 2 && x <= box.x + box.w + 2 && y >= box.y - 2 && y <= box.y + box.h + 2) continue;
        if (a[y * W + x] !== b[y * W + x]) n++;
      }
      return n;
    };
    expect(differing(frames[0]!, sourceFrames[12]!)).toBe(0);
    expect(differing(frames[0]!, sourceFrames[11]!)).toBeGreaterThan(0);
    expect(differing(frames[0]!, sourceFrames[13]!)).toBeGreaterThan(0);
    expect(differing(frames[23]!, sourceFrames[35]!, 35)).toBe(0);
  });

  it('refuses a source whose hash differs from the plan, writing nothing', async () => {
    const plan = { ...basePlan, source: { ...basePlan.source, sha256: 'b'.repeat(64) } };
    const out = join(tmp.dir, 'mismatch.mp4');
    await expect(exportRedacted({ sourcePath: clip, plan, outputPath: out })).rejects.toThrow(/does not match the plan/);
    expect(existsSync(out)).toBe(false);
    outputDirIsClean(tmp.dir);
  });

  it('refuses to overwrite the original', async () => {
    await expect(exportRedacted({ sourcePath: clip, plan: basePlan, outputPath: clip, overwrite: true })).rejects.toThrow(/original/);
    expect(await sha256File(clip)).toBe(basePlan.source.sha256);
  });

  it('refuses an output named for a container it is not written in (Matroska), before any work and writing nothing', async () => {
    const out = join(tmp.dir, 'wrong.mkv');
    await expect(exportRedacted({ sourcePath: clip, plan: basePlan, outputPath: out })).rejects.toThrow(/cannot write wrong\.mkv: an export is written as MP4 \(\.mp4, \.m4v\) or QuickTime \(\.mov\)/);
    expect(existsSync(out)).toBe(false);
    outputDirIsClean(tmp.dir);
  });

  it('refuses to replace an existing file unless asked', async () => {
    const out = join(tmp.dir, 'exists.mp4');
    writeFileSync(out, 'keep me');
    await expect(exportRedacted({ sourcePath: clip, plan: basePlan, outputPath: out })).rejects.toThrow(/already exists/);
  });

  it('a cancelled export leaves nothing behind', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const controller = new AbortController();
      const out = join(dir, 'cancelled.mp4');
      const job = exportRedacted({
        sourcePath: longClip.path,
        plan: longClip.plan,
        outputPath: out,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'redacting' && p.done >= 5) controller.abort();
        },
      });
      await expect(job).rejects.toBeInstanceOf(CancelledError);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('an export whose ffmpeg dies leaves nothing behind', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const out = join(dir, 'killed.mp4');
      let killed = false;
      const job = exportRedacted({
        sourcePath: longClip.path,
        plan: longClip.plan,
        outputPath: out,
        onProgress: (p) => {
          if (!killed && p.phase === 'redacting' && p.done >= 5) {
            killed = true;
            killAllRuns();
          }
        },
      });
      await expect(job).rejects.toBeInstanceOf(UserError);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      cleanup();
    }
  });
});
