import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeFaceClip, tempDir } from '../helpers/media';
import { chromiumAvailable, CHROMIUM, createCaseWithClip, remoteRequests, startHarness, type Harness, videoReady } from './harness';

/**
 * Review coverage from real playback (issue 4; the rule is renderer/model/review-tracking.ts): the
 * reviewer plays the clip at normal speed for a stretch in Debian's Chromium (H.264 plays natively;
 * requestVideoFrameCallback reports the frames shown), and the share watched rises while the played
 * stretch stops being marked unwatched on the timeline; what was not played stays unwatched.
 */
const tmp = tempDir('redactor-e2e-playback-');
let h: Harness;
let clip: string;
const FRAMES = 120;

/** The timeline's unwatched stretches as inclusive [first, last] pairs. */
async function unwatched(page: Page): Promise<Array<[number, number]>> {
  const attr = (await page.getByTestId('timeline').getAttribute('data-unwatched')) ?? '';
  return attr
    .split(' ')
    .filter(Boolean)
    .map((s) => s.split('-').map(Number) as [number, number]);
}

const frameNumber = async (page: Page) => Number((await page.getByTestId('frame-number').textContent())!.match(/frame (\d+)/)![1]);

describe.skipIf(!chromiumAvailable())('review coverage from playback in Chromium (real services)', () => {
  beforeAll(async () => {
    clip = join(tmp.dir, 'bodycam 0150.mp4');
    makeFaceClip(clip, { seconds: FRAMES / 30, x: '40+2*n' });
    h = await startHarness({ dataDir: join(tmp.dir, 'proxies') });
  });
  afterAll(async () => {
    await h?.close();
    tmp.cleanup();
  });

  it('playing at normal speed marks the stretch played as watched, and only that', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await createCaseWithClip(h, 'Op Reel 8/2026', clip);
    await videoReady(page);
    expect(await unwatched(page)).toEqual([[0, FRAMES - 1]]);

    // Play from frame 0 at normal speed (space), and pause (space) once past the middle.
    await page.keyboard.press('Space');
    await expect.poll(() => frameNumber(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(FRAMES / 2);
    await page.keyboard.press('Space');
    await expect.poll(() => page.evaluate('document.querySelector("video").paused')).toBe(true);
    const stopped = await frameNumber(page);
    expect(stopped).toBeLessThan(FRAMES - 1);

    // Frames shown at 1× up to the pause are watched, nothing after it. On a quiet machine that is the
    // whole stretch 0..stopped. On a loaded one Chromium drops frames (they never reach the screen, so
    // they are rightly not counted: measured here under a load of 13 on 2 cores, gaps of 3 to 9 frames),
    // so the test asks for a watched run of at least a third of a second, not for every frame.
    await expect.poll(() => unwatched(page), { timeout: 10_000 }).not.toEqual([[0, FRAMES - 1]]);
    const after = await unwatched(page);
    const tail = after.at(-1)!;
    expect(tail[1]).toBe(FRAMES - 1);
    expect(tail[0]).toBeLessThanOrEqual(stopped + 1);
    // The watched runs: what lies between the unwatched stretches, all before the pause.
    const runs: Array<[number, number]> = [];
    let next = 0;
    for (const [a, b] of after) {
      if (a > next) runs.push([next, a - 1]);
      next = b + 1;
    }
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every(([, b]) => b <= stopped)).toBe(true);
    expect(Math.max(...runs.map(([a, b]) => b - a + 1))).toBeGreaterThanOrEqual(10);
    const watchedFrames = runs.reduce((n, [a, b]) => n + b - a + 1, 0);

    // The export dialog's share watched rose from nothing to what was played.
    await page.getByTestId('open-export').click();
    const coverage = (await page.getByTestId('coverage').textContent())!;
    expect(coverage).toMatch(new RegExp(`Watched ${watchedFrames} of ${FRAMES} frames`));
    await page.getByRole('button', { name: 'Close' }).click();

    // U and Shift+U go to the start of the next and previous unwatched stretch, wrapping round.
    const starts = after.map(([a]) => a);
    await page.keyboard.press('Home');
    await expect.poll(() => frameNumber(page)).toBe(0);
    await page.keyboard.press('u');
    await expect.poll(() => frameNumber(page)).toBe(starts.find((f) => f > 0) ?? starts[0]);
    await page.keyboard.press('Shift+U');
    await expect.poll(() => frameNumber(page)).toBe(starts.filter((f) => f < (starts.find((g) => g > 0) ?? starts[0]!)).at(-1) ?? starts.at(-1));

    expect(h.pageErrors).toEqual([]);
    expect(remoteRequests(h.requests, h.origin)).toEqual([]);
  });
});

describe.skipIf(chromiumAvailable())('review coverage from playback (no Chromium)', () => {
  it.skip(`skipped: no Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium"`, () => {});
});
