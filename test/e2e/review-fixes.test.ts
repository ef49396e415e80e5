import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeFaceClip, tempDir } from '../helpers/media';
import { chromiumAvailable, createCaseWithClip, startHarness, type Harness, videoReady } from './harness';
import { drag, onVideo } from './pointer';

/**
 * Bugs found reviewing the workspace (issue 20), each fixed: Ctrl+G kept the last place typed ("#10"
 * then "#40" went to "#10#40"), switching a reason's code cleared its free text, and a keep reason
 * chosen for one region carried over to the next one kept with R.
 */
const tmp = tempDir('redactor-e2e-review-fixes-');
let h: Harness;
let clip: string;

const frameText = (page: Page) => page.getByTestId('frame-number').textContent();
const reasonText = (page: Page) => page.getByTestId('selected-reason').textContent();

/** Draws a region at (x, y) on the video (it is then selected, to be redacted). */
async function drawRegion(page: Page, x: number, y: number): Promise<void> {
  await page.getByTestId('draw').click();
  await drag(page, await onVideo(page, x, y), await onVideo(page, x + 100, y + 100));
  await page.getByTestId('selected-track').waitFor();
}

describe.skipIf(!chromiumAvailable())('review fixes in Chromium (real services)', () => {
  beforeAll(async () => {
    clip = join(tmp.dir, 'bodycam 0120.mp4');
    makeFaceClip(clip, { seconds: 3, x: '40+2*n' });
    h = await startHarness({ dataDir: join(tmp.dir, 'proxies') });
  });
  afterAll(async () => {
    await h?.close();
    tmp.cleanup();
  });

  it('Ctrl+G opens an empty field each time', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await createCaseWithClip(h, 'Op Goto', clip);
    await videoReady(page);
    await page.keyboard.press('Control+g');
    await page.keyboard.type('#10');
    await page.keyboard.press('Enter');
    await expect.poll(() => frameText(page)).toBe('frame 10 / 89');
    await page.keyboard.press('Control+g');
    expect(await page.getByTestId('go-to').inputValue()).toBe('');
    await page.keyboard.type('#40');
    await page.keyboard.press('Enter');
    await expect.poll(() => frameText(page)).toBe('frame 40 / 89');
  });

  it('each region kept with R starts from its own keep reason', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await createCaseWithClip(h, 'Op Keep', clip);
    await videoReady(page);

    // One region kept as an officer on duty, with R.
    await drawRegion(page, 100, 100);
    await page.getByTestId('keep-reason').selectOption('officer-on-duty');
    await page.keyboard.press('r');
    await expect.poll(() => reasonText(page)).toBe('Reason: Officer on duty');
    // The next region kept with R takes the default, not the last region's reason.
    await drawRegion(page, 400, 150);
    await expect.poll(() => page.getByTestId('keep-reason').inputValue()).toBe('not-a-face');
    await page.keyboard.press('r');
    await expect.poll(() => reasonText(page)).toBe('Reason: Not a face');
  });

  it('switching the keep reason between codes keeps the typed text', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await createCaseWithClip(h, 'Op Other', clip);
    await videoReady(page);
    await drawRegion(page, 100, 100);
    await page.keyboard.press('r');
    await expect.poll(() => reasonText(page)).toBe('Reason: Not a face');

    // "Other" with its text, then "Not a face", then "Other" again: the text is still there.
    await page.getByTestId('keep-reason').selectOption('other');
    await page.getByTestId('keep-reason-text').fill('a poster, not a person');
    await page.getByTestId('keep-reason').selectOption('not-a-face');
    await page.getByTestId('keep-reason').selectOption('other');
    expect(await page.getByTestId('keep-reason-text').inputValue()).toBe('a poster, not a person');
    await page.getByTestId('keep-reason-text').press('Enter');
    await expect.poll(() => reasonText(page)).toBe('Reason: Other: a poster, not a person');
  });
});
