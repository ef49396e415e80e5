import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../engine/media/probe';
import { redactor } from '../helpers/cli';
import { ffmpeg, makeClip, tempDir } from '../helpers/media';

/**
 * Containers whose bookkeeping differs from MP4's: Matroska counts its length from time 0 and keeps
 * no per-stream durations, may carry cover art as an ordinary video track, and can be cut short without
 * an index to betray it; a fragmented MP4 has no edit list; an AVI index counts the empty chunks of
 * dropped frames.
 */
const tmp = tempDir('redactor-containers-');
afterAll(tmp.cleanup);
let clip: string;

beforeAll(() => {
  clip = makeClip(join(tmp.dir, 'clip.mp4'), { seconds: 3, fps: '25' });
});

async function exportWhole(source: string, name: string): Promise<{ report: { warnings: string[]; output: { frameCount: number } }; frames: number }> {
  const plan = join(tmp.dir, `${name}.plan.json`);
  expect((await redactor(['plan', source, '-o', plan, '--region', '10,10,60,60', '-q'])).code).toBe(0);
  const out = join(tmp.dir, `${name}.out.mp4`);
  const r = await redactor(['export', source, '--plan', plan, '-o', out, '-q']);
  expect(r.code, r.stderr).toBe(0);
  return { report: JSON.parse(readFileSync(`${out}.report.json`, 'utf8')), frames: (await probe(out)).video.frameCount };
}

describe('Matroska, fragmented MP4 and AVI bookkeeping', () => {
  it('a Matroska file whose first video track is a one-frame cover picture: the footage is exported, not the cover', async () => {
    const cover = join(tmp.dir, 'cover.png');
    ffmpeg(['-f', 'lavfi', '-i', 'color=red:size=64x64', '-frames:v', '1', cover]);
    const mkv = join(tmp.dir, 'cover-first.mkv');
    ffmpeg(['-i', cover, '-i', clip, '-map', '0', '-map', '1', '-c', 'copy', '-c:v:0', 'mjpeg', mkv]);
    const p = await probe(mkv);
    expect(p.video.width).toBe(320);
    expect(p.video.frameCount).toBe(75);
    expect(p.otherStreams.join()).toMatch(/video stream 0 \(mjpeg\)/);
    const { report, frames } = await exportWhole(mkv, 'cover-first');
    expect(frames).toBe(75);
    expect(report.output.frameCount).toBe(75);
  });

  it('a Matroska file starting at 10 s: its length is its streams\' span, and no sound is said to be left out', async () => {
    const mkv = join(tmp.dir, 'offset.mkv');
    ffmpeg(['-i', clip, '-c', 'copy', '-output_ts_offset', '10', mkv]);
    const p = await probe(mkv);
    expect(p.durationSeconds).toBeGreaterThan(2.9);
    expect(p.durationSeconds).toBeLessThan(3.1);
    expect(p.audio[0]!.durationSeconds).toBeGreaterThan(2.9);
    expect(p.endsEarly).toBeNull();
    const { report } = await exportWhole(mkv, 'offset');
    expect(report.warnings.join('\n')).not.toMatch(/sound outside the picture/);
  });

  it('a Matroska file cut short: every frame it has is exported, and the report says it ends early', async () => {
    const full = join(tmp.dir, 'full.mkv');
    ffmpeg(['-i', clip, '-c', 'copy', full]);
    const bytes = readFileSync(full);
    const cut = join(tmp.dir, 'cut.mkv');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const p = await probe(cut);
    expect(p.endsEarly).not.toBeNull();
    expect(p.endsEarly!.declaredSeconds).toBeGreaterThan(2.9);
    const { report, frames } = await exportWhole(cut, 'cut');
    expect(frames).toBe(p.video.frameCount);
    expect(report.warnings.join('\n')).toMatch(/the source ends .* before the length its container declares/);
    expect(report.warnings.join('\n')).not.toMatch(/sound outside the picture/);
    // The whole file: no such warning.
    expect((await probe(full)).endsEarly).toBeNull();
  });

  it('a constant-rate fragmented MP4 is constant rate (without an edit list its first frame is held for the sound\'s priming); a variable-rate one is variable', async () => {
    const frag = join(tmp.dir, 'fragmented.mp4');
    ffmpeg(['-i', clip, '-c', 'copy', '-movflags', 'frag_keyframe+empty_moov', frag]);
    const text = await redactor(['probe', frag]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/frames:\s+75 at 25\/1 fps, time base/);
    const p = await probe(frag);
    expect(p.video.variableFrameRate).toBe(false);
    const { report, frames } = await exportWhole(frag, 'fragmented');
    expect(frames).toBe(75);
    expect(report.output.frameCount).toBe(75);

    const vfr = join(tmp.dir, 'fragmented vfr.mp4');
    ffmpeg([
      '-i', clip, '-map', '0:v', '-map', '0:a', '-vf', "setpts='if(lt(N,25),N*512,12800+(N-25)*1024)'",
      '-fps_mode', 'passthrough', '-enc_time_base', '1/12800', '-video_track_timescale', '12800',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'copy', '-movflags', 'frag_keyframe+empty_moov', vfr,
    ]);
    expect((await probe(vfr)).video.variableFrameRate).toBe(true);
    expect((await redactor(['probe', vfr])).stdout).toMatch(/\(variable frame rate\)/);
  });

  it('an Xvid-style AVI (MPEG-4 with MP3) whose index counts a dropped frame is not called truncated', async () => {
    const avi = join(tmp.dir, 'dvr.avi');
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=4', '-f', 'lavfi', '-i', 'sine=duration=4', '-c:v', 'mpeg4', '-c:a', 'mp3', avi]);
    const p = await probe(avi);
    expect(p.video.frameCount).toBe(100);
    const { frames } = await exportWhole(avi, 'dvr');
    expect(frames).toBe(100);
  });
});
