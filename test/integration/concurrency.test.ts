import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactor } from '../helpers/cli';
import { decodeFrames, frameTimes, makeClip, tempDir } from '../helpers/media';

/**
 * Two exports and a detection at once on a 2-core machine (issue 5): each finishes, each output
 * verifies, and each is what the same job gives when run alone.
 */
const tmp = tempDir('redactor-concurrency-');
afterAll(tmp.cleanup);
let a: string;
let b: string;

beforeAll(async () => {
  a = makeClip(join(tmp.dir, 'a.mp4'), { width: 480, height: 270, seconds: 4 });
  b = makeClip(join(tmp.dir, 'b.mp4'), { width: 320, height: 240, seconds: 4, fps: '25' });
  for (const [clip, region] of [[a, '50,50,120,90'], [b, '200,100,60,60']] as const) {
    const r = await redactor(['plan', clip, '-o', `${clip}.plan.json`, '--region', region]);
    expect(r.code, r.stderr).toBe(0);
  }
});

const exportArgs = (clip: string, out: string) => ['export', clip, '--plan', `${clip}.plan.json`, '-o', out, '--style', 'solid', '-q'];

describe('concurrency', () => {
  it('two exports and a detection at once all finish correctly', { timeout: 600_000 }, async () => {
    const [ea, eb, d] = await Promise.all([
      redactor(exportArgs(a, join(tmp.dir, 'a-out.mp4'))),
      redactor(exportArgs(b, join(tmp.dir, 'b-out.mp4'))),
      redactor(['detect', a, '-o', join(tmp.dir, 'a-detect.json'), '-q']),
    ]);
    expect(ea.code, ea.stderr).toBe(0);
    expect(eb.code, eb.stderr).toBe(0);
    expect(d.code, d.stderr).toBe(0);
    for (const out of ['a-out.mp4', 'b-out.mp4']) {
      const v = await redactor(['verify', join(tmp.dir, out)]);
      expect(v.code, v.stdout).toBe(0);
    }
    expect(frameTimes(join(tmp.dir, 'a-out.mp4'))).toEqual(frameTimes(a));
    expect(frameTimes(join(tmp.dir, 'b-out.mp4'))).toEqual(frameTimes(b));

    // The same jobs alone give the same pictures and the same proposals: nothing was mixed up.
    expect((await redactor(exportArgs(a, join(tmp.dir, 'a-alone.mp4')))).code).toBe(0);
    expect((await redactor(['detect', a, '-o', join(tmp.dir, 'a-alone.json'), '-q'])).code).toBe(0);
    const together = decodeFrames(join(tmp.dir, 'a-out.mp4'), 480, 270);
    const alone = decodeFrames(join(tmp.dir, 'a-alone.mp4'), 480, 270);
    expect(together.length).toBe(alone.length);
    together.forEach((f, i) => expect(f.equals(alone[i]!), `frame ${i}`).toBe(true));
    const tracks = (p: string) => JSON.parse(readFileSync(join(tmp.dir, p), 'utf8')).tracks;
    expect(tracks('a-detect.json')).toEqual(tracks('a-alone.json'));
  });
});
