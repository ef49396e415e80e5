import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeFaceClip, tempDir } from '../helpers/media';
import { faceInPieces } from './face-in-pieces';
import { chromiumAvailable, startHarness, type Harness } from './harness';

/**
 * Triage effort through the gallery (issue 20): a clip with at least 40 proposals (a detected face cut
 * into pieces, as gallery-flow.test.ts does), all decided: 30 redacted, the rest kept as officers on
 * duty. The keys and clicks the triage itself takes are counted (not the setup) and printed, for
 * BENCHMARKS.md; before the gallery it took 122–129 keys and 35 clicks.
 */
const tmp = tempDir('redactor-e2e-triage-');
let h: Harness;
let clip: string;

const decisions = async (page: Page) => page.getByTestId('card').locator('.badge').allTextContents();

describe.skipIf(!chromiumAvailable())('triage effort in Chromium (real services)', () => {
  beforeAll(async () => {
    clip = join(tmp.dir, 'concourse 7.mp4');
    makeFaceClip(clip, { seconds: 2, x: '40+5*n' });
    h = await startHarness({ dataDir: join(tmp.dir, 'proxies') });
  });
  afterAll(async () => {
    await h?.close();
    tmp.cleanup();
  });

  it('decides 40+ proposals in a handful of keys and clicks', async () => {
    const { page } = h;
    // Setup, not counted: the face's proposal cut at frames 58 down to 20, one frame apart.
    const { n } = await faceInPieces(h, 'Triage effort', clip, Array.from({ length: 39 }, (_, i) => 20 + i));
    expect(n).toBeGreaterThanOrEqual(40);
    expect(await page.getByTestId('gallery-filter-undecided').textContent()).toBe(`Undecided ${n}`);

    // The triage, counted.
    let keys = 0;
    let clicks = 0;
    const card = (i: number) => page.getByTestId('card').nth(i);
    // The first 30 redacted: click, Shift-click, A.
    await card(0).click();
    await card(29).click({ modifiers: ['Shift'] });
    clicks += 2;
    expect(await page.getByTestId('gallery-chosen').textContent()).toBe('30 chosen');
    await page.keyboard.press('a');
    keys += 1;
    await expect.poll(() => decisions(page)).toEqual([...Array(30).fill('redact'), ...Array(n - 30).fill('undecided')]);
    // The rest kept as officers on duty: the reason chosen (open the list, pick: two clicks), then the
    // 31st card clicked, Shift+End to the last, R.
    await page.getByTestId('gallery-keep-reason').selectOption('officer-on-duty');
    clicks += 2;
    await card(30).click();
    clicks += 1;
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('r');
    keys += 2;
    await expect.poll(() => decisions(page)).toEqual([...Array(30).fill('redact'), ...Array(n - 30).fill('keep')]);
    expect(await page.getByTestId('gallery-filter-undecided').textContent()).toBe('Undecided 0');

    // Kept with the reason chosen in the gallery (opening a card did not reset it).
    await card(n - 1).click();
    await expect.poll(() => page.getByTestId('selected-reason').textContent()).toBe('Reason: Officer on duty');
    console.log(`triage effort: ${n} proposals decided with ${keys} keys and ${clicks} clicks`);
    expect(keys + clicks).toBeLessThanOrEqual(10);
    expect(h.pageErrors).toEqual([]);
  });
});
