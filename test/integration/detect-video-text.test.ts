import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { area, intersection, type Box } from '../../common/geometry';
import { readFileSync } from 'node:fs';
import { parsePlan } from '../../common/plan';
import { boxAtFrame } from '../../common/track';
import { detectVideo } from '../../engine/detect/detect-video';
import { TEXT_MODEL_ID } from '../../engine/text/model';
import { probe, type ProbeResult } from '../../engine/media/probe';
import { redactor } from '../helpers/cli';
import { ffmpeg, tempDir } from '../helpers/media';

/** A bold sans font for drawtext: fontconfig's match (DejaVu comes with ffmpeg's fontconfig on Debian). */
function fontFile(): string {
  const r = spawnSync('fc-match', ['-f', '%{file}', 'DejaVu Sans:bold'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout ? r.stdout : '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
}

/**
 * The real models on a generated 1280×720 clip: a white number plate (160 × 36 px, "CF 691 BN" in
 * black, drawn by drawtext) moves 8 px a frame across a street-grey picture for 2 s, no face.
 */
const FRAMES = 60;
const plateAt = (n: number): Box => ({ x: 100 + 8 * n, y: 420, w: 160, h: 36 });

const tmp = tempDir('redactor-detect-text-');
afterAll(tmp.cleanup);
let probed: ProbeResult;
let clip: string;

beforeAll(async () => {
  clip = join(tmp.dir, 'plate pan.mp4');
  const font = fontFile().replace(/[:\\']/g, '\\$&');
  ffmpeg([
    '-f', 'lavfi', '-i', `color=c=0x5a6068:size=1280x720:rate=30:duration=${FRAMES / 30}`,
    '-vf', [
      `drawbox=x=100+240*t:y=420:w=160:h=36:color=white:t=fill`,
      `drawtext=fontfile='${font}':text='CF 691 BN':fontsize=24:fontcolor=black:x=100+240*t+12:y=427`,
    ].join(','),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p', clip,
  ]);
  probed = await probe(clip);
});

const covered = (target: Box, boxes: Box[]) => Math.max(0, ...boxes.map((b) => area(intersection(b, target) ?? { x: 0, y: 0, w: 0, h: 0 }) / area(target)));

describe('detectVideo looking for text', () => {
  it('proposes a text track covering a moving number plate in every frame', async () => {
    expect(probed.video.frameCount).toBe(FRAMES);
    const r = await detectVideo(probed, { settings: { every: 2 } });
    expect(r.settings.find).toEqual(['faces', 'text']);
    const text = r.tracks.filter((t) => t.label === 'text');
    expect(text.length).toBeGreaterThanOrEqual(1);
    // No face in the picture: nothing else proposed.
    expect(r.tracks.filter((t) => t.label !== 'text')).toEqual([]);
    for (const t of text) {
      expect(t.id).toMatch(/^text-\d{4}$/);
      expect(t.reason).toBe('vehicle-registration');
      expect(t.decision).toBe('proposed');
      // Provenance names the text model, what was looked for, and the text settings in force.
      expect(t.provenance.detector).toMatch(new RegExp(`^${TEXT_MODEL_ID} `));
      const settings = JSON.parse(t.provenance.detector!.slice(t.provenance.detector!.indexOf(' ') + 1));
      expect(settings).toMatchObject({ find: ['faces', 'text'], every: 2, textEvery: 3, text: { maxSide: 960, upscale: true } });
    }
    expect(r.textDetector).toBe(text[0]!.provenance.detector);
    for (let n = 0; n < FRAMES; n++) {
      const boxes = text.map((t) => boxAtFrame(t, n)).filter((b): b is Box => b !== null);
      expect(covered(plateAt(n), boxes), `frame ${n}`).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('proposes no text when asked for faces only', async () => {
    const r = await detectVideo(probed, { settings: { every: 2, find: ['faces'] } });
    expect(r.tracks).toEqual([]);
    expect(r.textDetector).toBeUndefined();
    expect(r.detector).toMatch(/^yunet-n@/);
  });

  it("redactor detect --find: text only, or faces only, recorded in each track's provenance", async () => {
    const plan = join(tmp.dir, 'text.json');
    const r = await redactor(['detect', clip, '-o', plan, '--find', 'text', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).find).toEqual(['text']);
    const tracks = parsePlan(JSON.parse(readFileSync(plan, 'utf8'))).tracks;
    expect(tracks.length).toBeGreaterThanOrEqual(1);
    for (const t of tracks) {
      expect(t.label).toBe('text');
      expect(t.provenance.detector).toContain('"find":["text"]');
    }
    const faces = join(tmp.dir, 'faces.json');
    const f = await redactor(['detect', clip, '-o', faces, '--find', 'faces']);
    expect(f.code, f.stderr).toBe(0);
    expect(parsePlan(JSON.parse(readFileSync(faces, 'utf8'))).tracks).toEqual([]);
  });
});
