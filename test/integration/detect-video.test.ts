import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Box } from '../../common/geometry';
import { intersection, area } from '../../common/geometry';
import { parsePlan } from '../../common/plan';
import { boxAtFrame } from '../../common/track';
import { detectVideo } from '../../engine/detect/detect-video';
import { DEFAULT_DETECT_SETTINGS } from '../../engine/detect/settings';
import { CancelledError } from '../../engine/errors';
import { probe, type ProbeResult } from '../../engine/media/probe';
import { redactor } from '../helpers/cli';
import { decodeFrames, ffmpeg, tempDir } from '../helpers/media';

/**
 * The real model on a short generated clip: the public-domain astronaut photograph, scaled to
 * 256×256, pans across a grey 640×360 frame for 2 s. The face's true box is known in every frame.
 */
const FACE_IN_PHOTO: Box = { x: 180, y: 82, w: 92, h: 98 }; // in the 512×512 photo (see detect-photo.test.ts)
const FRAMES = 60;
const faceAt = (n: number): Box => ({ x: 40 + 5 * n + FACE_IN_PHOTO.x / 2, y: 60 + FACE_IN_PHOTO.y / 2, w: FACE_IN_PHOTO.w / 2, h: FACE_IN_PHOTO.h / 2 });

const tmp = tempDir('redactor-detect-');
afterAll(tmp.cleanup);
let clip: string;
let probed: ProbeResult;

beforeAll(async () => {
  clip = join(tmp.dir, 'astronaut pan.mp4');
  ffmpeg([
    '-f', 'lavfi', '-i', `color=c=gray:size=640x360:rate=30:duration=${FRAMES / 30}`,
    '-i', join(__dirname, '..', 'fixtures', 'astronaut.png'),
    '-f', 'lavfi', '-i', `sine=duration=${FRAMES / 30}`,
    '-filter_complex', '[1:v]scale=256:256[p];[0:v][p]overlay=x=40+5*n:y=60:eval=frame[v]',
    '-map', '[v]', '-map', '2:a', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip,
  ]);
  probed = await probe(clip);
});

function coverage(face: Box, boxes: Box[]): number {
  return Math.max(0, ...boxes.map((b) => area(intersection(face, b) ?? { x: 0, y: 0, w: 0, h: 0 }) / area(face)));
}

describe('detectVideo on a generated clip', () => {
  it('proposes a track covering the face in every frame, and is deterministic', async () => {
    expect(probed.video.frameCount).toBe(FRAMES);
    const first = await detectVideo(probed, { settings: { find: ['faces'], every: 3 } });
    // One face, one track.
    expect(first.tracks).toHaveLength(1);
    for (const t of first.tracks) {
      expect(t.decision).toBe('proposed');
      expect(t.provenance.origin).toBe('detected');
      expect(t.provenance.detector).toMatch(/^yunet-n@104ee26c /);
      expect(t.keyframes.every((k) => k.outside || typeof k.confidence === 'number')).toBe(true);
    }
    // Provenance names every detector setting as used, defaults included, not just those overridden.
    expect(first.settings.detector).toEqual({ ...DEFAULT_DETECT_SETTINGS });
    expect(JSON.parse(first.detector.slice(first.detector.indexOf(' ') + 1))).toEqual({ find: ['faces'], every: 3, analysisWidth: 640, detector: { ...DEFAULT_DETECT_SETTINGS } });
    for (let n = 0; n < FRAMES; n++) {
      const boxes = first.tracks.map((t) => boxAtFrame(t, n)).filter((b): b is Box => b !== null);
      expect(coverage(faceAt(n), boxes), `frame ${n}`).toBeGreaterThanOrEqual(0.95);
    }
    // Compact: far fewer keyframes than frames for a face in uniform motion.
    const main = first.tracks.reduce((a, b) => (b.keyframes.length > a.keyframes.length ? b : a));
    expect(main.keyframes.length).toBeLessThan(FRAMES / 3);
    // The second run also hands out provisional proposals as it goes: the final result is unchanged.
    const provisional: Array<{ framesDone: number; tracks: typeof first.tracks }> = [];
    const second = await detectVideo(probed, { settings: { find: ['faces'], every: 3 }, provisional: { everyFrames: 2, minIntervalMs: 0 }, onProvisional: (p) => provisional.push(p) });
    expect(second.tracks).toEqual(first.tracks);
    expect(provisional.length).toBeGreaterThanOrEqual(5);
    expect(provisional.map((p) => p.framesDone)).toEqual([...provisional.map((p) => p.framesDone)].sort((a, b) => a - b));
    expect(provisional.every((p) => p.framesDone < FRAMES)).toBe(true);
    // Once the face is confirmed the provisional track covers it up to the frame reached, and no further.
    const late = provisional[provisional.length - 1]!;
    expect(late.tracks.length).toBeGreaterThanOrEqual(1);
    for (const t of late.tracks) {
      expect(t.provenance.detector).toBe(first.tracks[0]!.provenance.detector);
      expect(Math.max(...t.keyframes.map((k) => k.frame))).toBeLessThan(late.framesDone);
    }
    const n = late.framesDone - 1;
    expect(coverage(faceAt(n), late.tracks.map((t) => boxAtFrame(t, n)).filter((b): b is Box => b !== null))).toBeGreaterThanOrEqual(0.95);
  });

  it('maps boxes found in a smaller analysis picture back to the source’s pixels', async () => {
    // The same pan at twice the size, analysed at 640 px wide: boxes must come back ×2.
    const big = join(tmp.dir, 'astronaut pan 720p.mp4');
    ffmpeg([
      '-f', 'lavfi', '-i', `color=c=gray:size=1280x720:rate=30:duration=1`,
      '-i', join(__dirname, '..', 'fixtures', 'astronaut.png'),
      '-filter_complex', '[1:v]scale=512:512[p];[0:v][p]overlay=x=80+10*n:y=120:eval=frame[v]',
      '-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p', big,
    ]);
    const p = await probe(big);
    const r = await detectVideo(p, { settings: { every: 3, analysisWidth: 640 } });
    expect(r.settings.analysisWidth).toBe(640);
    expect(r.tracks).toHaveLength(1);
    for (let n = 0; n < 30; n++) {
      const face = { x: 80 + 10 * n + FACE_IN_PHOTO.x, y: 120 + FACE_IN_PHOTO.y, w: FACE_IN_PHOTO.w, h: FACE_IN_PHOTO.h };
      const box = boxAtFrame(r.tracks[0]!, n)!;
      expect(coverage(face, [box]), `frame ${n}`).toBeGreaterThanOrEqual(0.95);
      // Head-sized in source pixels, not half or twice it.
      expect(box.w / face.w).toBeGreaterThan(0.9);
      expect(box.w / face.w).toBeLessThan(2);
    }
  });

  it('ends a track at a hard cut: nothing of it is carried into the next shot', async () => {
    // The pan for 1 s, then a cut to a close-up of the photo's lower half (no face) under the same
    // grey and a vignette, as a second camera on the same scene.
    const cut = join(tmp.dir, 'cut.mp4');
    ffmpeg([
      '-f', 'lavfi', '-i', 'color=c=gray:size=640x360:rate=30:duration=1',
      '-i', join(__dirname, '..', 'fixtures', 'astronaut.png'),
      '-filter_complex',
      '[1:v]split[p1][p2];[p1]scale=256:256[p];[0:v][p]overlay=x=40+5*n:y=60:eval=frame,split[s1][bg];' +
        '[p2]crop=512:256:0:256,scale=640:320[close];[bg][close]overlay=0:20,trim=end_frame=30,setpts=PTS-STARTPTS[s2];' +
        '[s1]trim=end_frame=30,setpts=PTS-STARTPTS[a];[a][s2]concat=n=2:v=1,vignette=PI/4[v]',
      '-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p', cut,
    ]);
    const p = await probe(cut);
    expect(p.video.frameCount).toBe(60);
    const r = await detectVideo(p, { settings: { find: ['faces'], every: 2 } });
    expect(r.tracks.length).toBeGreaterThanOrEqual(1);
    for (const t of r.tracks) {
      for (let n = 30; n < 60; n++) expect(boxAtFrame(t, n), `${t.id} at frame ${n}`).toBeNull();
    }
    // The face is covered up to the cut.
    for (let n = 0; n < 30; n++) {
      const boxes = r.tracks.map((t) => boxAtFrame(t, n)).filter((b): b is Box => b !== null);
      expect(coverage(faceAt(n), boxes), `frame ${n}`).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('gives the same raw detections without tracking (the leak check), and no tracks', async () => {
    const collect = async (detectionsOnly: boolean) => {
      const seen: Array<[number, number]> = [];
      const r = await detectVideo(probed, { settings: { find: ['faces'], every: 3 }, detectionsOnly, onDetections: (f, ds) => seen.push([f, ds.length]) });
      return { r, seen };
    };
    const tracked = await collect(false);
    const raw = await collect(true);
    expect(raw.seen).toEqual(tracked.seen);
    expect(raw.seen.some(([, n]) => n > 0)).toBe(true);
    expect(raw.r.tracks).toEqual([]);
    expect(tracked.r.tracks.length).toBeGreaterThanOrEqual(1);
  });

  it('reports progress and can be cancelled', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const job = detectVideo(probed, {
      settings: { every: 1 },
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.done);
        expect(p.total).toBe(FRAMES);
        controller.abort();
      },
    });
    await expect(job).rejects.toBeInstanceOf(CancelledError);
    expect(seen.length).toBeGreaterThan(0);
  });
});

describe('redactor detect and auto', () => {
  it('detect writes a valid plan of proposals', async () => {
    const plan = join(tmp.dir, 'plan.json');
    const r = await redactor(['detect', clip, '-o', plan, '--every', '2', '--threshold', '0.55', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const parsed = parsePlan(JSON.parse(readFileSync(plan, 'utf8')));
    expect(parsed.tracks.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(r.stdout).tracks).toBe(parsed.tracks.length);
    // The options reach the detector, and its provenance names them.
    const detector = parsed.tracks[0]!.provenance.detector!;
    expect(JSON.parse(detector.slice(detector.indexOf(' ') + 1)).detector).toMatchObject({ scoreThreshold: 0.55, passes: [1, 2, 4] });
    const bad = await redactor(['detect', clip, '-o', join(tmp.dir, 'bad.json'), '--threshold', '1.5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--threshold/);
    expect(existsSync(join(tmp.dir, 'bad.json'))).toBe(false);
  });

  it('auto redacts the face in every frame, over a folder, with reports', async () => {
    const inputs = join(tmp.dir, 'inbox');
    const outputs = join(tmp.dir, 'outbox');
    mkdirSync(inputs);
    copyFileSync(clip, join(inputs, 'a.mp4'));
    writeFileSync(join(inputs, 'notes.txt'), 'not a clip');
    const r = await redactor(['auto', inputs, '-o', outputs, '--style', 'solid', '--fill', '#FF00FF']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(outputs).sort()).toEqual(['a.redacted.mp4', 'a.redacted.mp4.report.json']);
    const frames = decodeFrames(join(outputs, 'a.redacted.mp4'), 640, 360);
    expect(frames).toHaveLength(FRAMES);
    // Magenta luma ≈ 106 (BT.601 limited) over at least 95% of the face in every frame.
    frames.forEach((f, n) => {
      const face = faceAt(n);
      let filled = 0;
      let total = 0;
      for (let y = Math.ceil(face.y); y < face.y + face.h; y++) for (let x = Math.ceil(face.x); x < face.x + face.w; x++) {
        total++;
        if (Math.abs(f[y * 640 + x]! - 106) <= 3) filled++;
      }
      expect(filled / total, `frame ${n}`).toBeGreaterThanOrEqual(0.95);
    });
    expect((await redactor(['verify', join(outputs, 'a.redacted.mp4')])).code).toBe(0);
    // auto runs the leak check by default: the detector finds no face outside the regions it proposed.
    const report = JSON.parse(readFileSync(join(outputs, 'a.redacted.mp4.report.json'), 'utf8'));
    expect(report.leakCheck, JSON.stringify(report.leakCheck?.leaks?.slice(0, 3))).toMatchObject({ clean: true, framesChecked: FRAMES });
    expect(r.stdout).toMatch(/leak check clean/);
  });

  it('auto continues past a bad clip and says which failed', async () => {
    const inputs = join(tmp.dir, 'mixed');
    mkdirSync(inputs);
    copyFileSync(clip, join(inputs, 'good.mp4'));
    writeFileSync(join(inputs, 'broken.mp4'), 'garbage');
    const out = join(tmp.dir, 'mixed-out');
    const r = await redactor(['auto', inputs, '-o', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/broken\.mp4: .*not a readable media file/);
    expect(existsSync(join(out, 'good.redacted.mp4'))).toBe(true);
    expect(existsSync(join(out, 'broken.redacted.mp4'))).toBe(false);
  });
});
