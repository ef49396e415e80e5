import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { thumbnails } from '../../electron/services/thumbnails';
import { probe } from '../../engine/media/probe';
import { makeClip, tempDir } from '../helpers/media';

/** The timeline's thumbnail strip reaches the clip's end (it stopped at the last key frame, issue 20). */
const tmp = tempDir('redactor-thumbs-');
afterAll(tmp.cleanup);

describe('thumbnails', () => {
  it('cover every slice of a 12 s clip whose last key frame is at 10 s', async () => {
    // 25 fps, a key frame every 250 frames: key frames at 0 and 10 s only.
    const clip = makeClip(join(tmp.dir, 'gop.mp4'), { seconds: 12, fps: '25', audio: false, extra: ['-g', '250', '-keyint_min', '250', '-sc_threshold', '0'] });
    const p = await probe(clip);
    // As the app asks (app-services): the file's duration, 60 slices.
    const r = await thumbnails(clip, { index: p.video!.index, durationSeconds: p.durationSeconds }, 60, 36);
    expect(r.intervalSeconds).toBeCloseTo(0.2, 6);
    // One per slice: the last starts at 11.8 s, not 10.2 s.
    expect(r.images).toHaveLength(60);
  });
});
