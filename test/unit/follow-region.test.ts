import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, type ProbeResult } from '../../engine/media/probe';
import { keyframesOfPath } from '../../common/path-keyframes';
import { followRegion } from '../../engine/track/follow-region';
import { ffmpeg, tempDir } from '../helpers/media';

/**
 * Assisted tracking on generated clips: the astronaut photo slides right 5 px a frame over grey; at
 * frame 30 the picture cuts to the photo standing still on navy (a shot cut); in a second clip the photo vanishes after
 * frame 19 under a grey patch (content lost). The face box at frame 0 is (130, 101, 46, 49) plus 5 px a frame.
 */
const tmp = tempDir('redactor-follow-');
const FACE = { x: 130, y: 101, w: 46, h: 49 };
const at = (frame: number) => ({ ...FACE, x: FACE.x + 5 * frame });
let cut: ProbeResult;
let vanish: ProbeResult;

function faceClip(path: string, filter: string): string {
  ffmpeg([
    '-f', 'lavfi', '-i', 'color=c=gray:size=640x360:rate=30:duration=2',
    '-f', 'lavfi', '-i', 'color=c=navy:size=640x360:rate=30:duration=2',
    '-f', 'lavfi', '-i', 'color=c=gray:size=60x60:rate=30:duration=2',
    '-i', join(__dirname, '..', 'fixtures', 'astronaut.png'),
    '-filter_complex', filter,
    '-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p', '-g', '12', path,
  ]);
  return path;
}

beforeAll(async () => {
  // The cut: from frame 30, the photo stands still at x = 300 on navy.
  cut = await probe(faceClip(join(tmp.dir, 'cut.mp4'), "[3:v]scale=256:256,split[p][q];[0:v][p]overlay=x=40+5*n:y=60:eval=frame[a];[1:v][q]overlay=x=300:y=60[b];[a][b]overlay=enable='gte(n\\,30)'[v]"));
  // Lost: from frame 20 a grey patch covers the face, the rest of the picture as before.
  vanish = await probe(faceClip(join(tmp.dir, 'vanish.mp4'), "[3:v]scale=256:256[p];[0:v][p]overlay=x=40+5*n:y=60:eval=frame[a];[a][2:v]overlay=x=123+5*n:y=95:eval=frame:enable='gte(n\\,20)'[v]"));
}, 60_000);
afterAll(() => tmp.cleanup());

describe('following a region', () => {
  it('forward from frame 10 follows the face to the cut before frame 30', async () => {
    const progress: number[] = [];
    const r = await followRegion(cut, { startFrame: 10, box: at(10), direction: 'forward', onProgress: (p) => progress.push(p.done) });
    expect(r.stopped).toBe('cut');
    expect(r.path.map((p) => p.frame)).toEqual(Array.from({ length: 19 }, (_, i) => 11 + i));
    for (const p of r.path) {
      expect(Math.abs(p.x - at(p.frame).x)).toBeLessThan(3);
      expect(Math.abs(p.y - FACE.y)).toBeLessThan(3);
      expect([p.w, p.h]).toEqual([FACE.w, FACE.h]);
    }
    expect(progress.length).toBeGreaterThan(0);
  });

  it('back from frame 25 follows the face to the first frame', async () => {
    const r = await followRegion(cut, { startFrame: 25, box: at(25), direction: 'back' });
    expect(r.stopped).toBe('end');
    expect(r.path.map((p) => p.frame)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    for (const p of r.path) expect(Math.abs(p.x - at(p.frame).x)).toBeLessThan(3);
  });

  it('back from after the cut stops at the cut', async () => {
    const still = { ...FACE, x: FACE.x + 260 };
    const r = await followRegion(cut, { startFrame: 40, box: still, direction: 'back' });
    expect(r.stopped).toBe('cut');
    expect(r.path.map((p) => p.frame)).toEqual(Array.from({ length: 10 }, (_, i) => 30 + i));
  });

  it('stops where the content is lost, and at the limit asked for', async () => {
    const lost = await followRegion(vanish, { startFrame: 5, box: at(5), direction: 'forward' });
    expect(lost.stopped).toBe('lost');
    expect(lost.path.at(-1)!.frame).toBe(19);
    const limited = await followRegion(vanish, { startFrame: 5, box: at(5), direction: 'forward', maxFrames: 4 });
    expect(limited.stopped).toBe('limit');
    expect(limited.path.map((p) => p.frame)).toEqual([6, 7, 8, 9]);
  });

  it('refuses a plain box, a frame outside the clip, and stops when cancelled', async () => {
    await expect(followRegion(vanish, { startFrame: 30, box: { x: 500, y: 300, w: 40, h: 40 }, direction: 'forward' })).rejects.toThrow(/too plain to follow/);
    await expect(followRegion(vanish, { startFrame: 60, box: at(0), direction: 'forward' })).rejects.toThrow(/not in this clip/);
    const abort = new AbortController();
    abort.abort();
    await expect(followRegion(cut, { startFrame: 10, box: at(10), direction: 'forward', signal: abort.signal })).rejects.toThrow(/cancelled/i);
  });
});

describe('keyframes of a followed path', () => {
  const p = (frame: number, x: number) => ({ frame, x, y: 0, w: 10, h: 10 });
  it('keeps the ends and the turns, within the tolerance', () => {
    const straight = Array.from({ length: 10 }, (_, i) => p(i, 5 * i));
    expect(keyframesOfPath(straight).map((k) => k.frame)).toEqual([0, 9]);
    const turn = [...Array.from({ length: 6 }, (_, i) => p(i, 5 * i)), ...Array.from({ length: 5 }, (_, i) => p(6 + i, 25 - 5 * (i + 1)))];
    expect(keyframesOfPath(turn).map((k) => k.frame)).toEqual([0, 5, 10]);
    const wobble = straight.map((k, i) => ({ ...k, x: k.x + (i % 2 ? 1 : 0) }));
    expect(keyframesOfPath(wobble).map((k) => k.frame)).toEqual([0, 9]);
    expect(keyframesOfPath(wobble, 0.5).length).toBeGreaterThan(2);
    expect(keyframesOfPath([p(3, 1)])).toEqual([p(3, 1)]);
  });
});
