import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ffmpeg, makeClip, tempDir } from '../helpers/media';
import { chromiumAvailable, CHROMIUM, readStore, remoteRequests, startHarness, type Harness, openCase, showCaseList, videoReady } from './harness';

/**
 * Importing is a long job like any other: every file of a batch is listed with its progress and its
 * Cancel from the start, a cancelled one (running or still queued) adds nothing and stops its work in
 * main; and the same footage imported again (same SHA-256, any name) is not added twice.
 */
const tmp = tempDir('redactor-e2e-import-');
let h: Harness;
let small: string;
let long: string;
let avi: string;

const clipNames = (page: Page) => page.getByTestId('clip').evaluateAll((els) => els.map((e) => e.firstChild?.textContent ?? ''));
const stored = async (page: Page) => {
  const s = await readStore(page, ['clips', 'auditEvents']);
  return { clips: (s.clips as { name: string }[]).map((c) => c.name), events: (s.auditEvents as { event: { type: string } }[]).map((e) => e.event.type) };
};
/** ffprobe or ffmpeg processes reading `path` (Linux /proc): a cancelled import leaves none. */
const readersOf = (path: string) =>
  readdirSync('/proc').filter((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      return /ff(probe|mpeg)$/.test(args[0] ?? '') && args.some((a) => a.includes(path));
    } catch {
      return false; // it ended meanwhile
    }
  });

describe.skipIf(!chromiumAvailable())('import jobs in Chromium (real services)', () => {
  beforeAll(async () => {
    small = makeClip(join(tmp.dir, 'small.mp4'), { seconds: 1 });
    // 50 minutes of a tiny picture, copied (not encoded) so it is made in seconds: probing its 90,000
    // packets takes seconds, long enough to be cancelled mid-run.
    const unit = makeClip(join(tmp.dir, 'unit.mp4'), { width: 160, height: 120, seconds: 2, audio: false });
    long = join(tmp.dir, 'long shift.mp4');
    ffmpeg(['-stream_loop', '1500', '-i', unit, '-c', 'copy', long]);
    // Chromium cannot play MJPEG: this clip needs a playable copy, which takes seconds to make.
    avi = makeClip(join(tmp.dir, 'old camera.avi'), { seconds: 30, width: 640, height: 480, audio: false, extra: ['-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p'] });
    h = await startHarness({ dataDir: join(tmp.dir, 'app data') });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    tmp.cleanup();
  });

  it('a cancelled import, running or queued, adds nothing and stops its work', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await showCaseList(page);
    await page.getByTestId('new-case-name').fill('Import jobs');
    await page.getByTestId('create-case').click();
    await expect.poll(() => page.getByTestId('case-name').textContent()).toBe('Import jobs');

    // Two files at once: both listed from the start, the second queued behind the first.
    const queued = join(tmp.dir, 'queued.mp4');
    copyFileSync(small, queued);
    h.nextOpen = [long, queued];
    await page.getByTestId('import').click();
    const running = page.getByTestId('import-progress').filter({ hasText: 'long shift.mp4' });
    const waiting = page.getByTestId('import-progress').filter({ hasText: 'queued.mp4' });
    await expect.poll(() => waiting.textContent()).toMatch(/^queued\.mp4: queued/);
    await expect.poll(() => running.textContent()).toMatch(/^long shift\.mp4: probing/);

    await waiting.getByTestId('cancel-import').click();
    await running.getByTestId('cancel-import').click();
    await expect.poll(() => page.getByTestId('import-progress').count(), { timeout: 30_000 }).toBe(0);
    expect((await page.getByTestId('import-notice').textContent())!.split('\n')).toEqual(['long shift.mp4: import cancelled; nothing was added.', 'queued.mp4: import cancelled; nothing was added.']);
    expect(await page.getByRole('alert').count()).toBe(0);
    await expect.poll(() => readersOf(long), { timeout: 5000 }).toEqual([]);
    expect(await clipNames(page)).toEqual([]);
    expect(await stored(page)).toEqual({ clips: [], events: [] });
    expect(h.pageErrors).toEqual([]);
  }, 180_000);

  it('the same footage again, under another name, is not added twice: the clip it is opens instead', async () => {
    const { page } = h;
    h.nextOpen = [small];
    await page.getByTestId('import').click();
    await page.getByTestId('video').waitFor();
    expect(await clipNames(page)).toEqual(['small.mp4']);
    const before = await stored(page);
    expect(before).toEqual({ clips: ['small.mp4'], events: ['import'] });

    const copy = join(tmp.dir, 'copy of small.mp4');
    copyFileSync(small, copy);
    h.nextOpen = [copy];
    await page.getByTestId('import').click();
    await expect.poll(() => page.getByTestId('import-notice').textContent(), { timeout: 30_000 }).toBe('copy of small.mp4 is already in this case as “small.mp4” (same SHA-256): not imported again.');
    expect(await clipNames(page)).toEqual(['small.mp4']);
    expect(await page.locator('.clip.active').count()).toBe(1);
    expect(await stored(page)).toEqual(before);
    // A reload finds the case as it was.
    await page.reload();
    await openCase(page, 'Import jobs');
    expect(await clipNames(page)).toEqual(['small.mp4']);
    expect(h.pageErrors).toEqual([]);
    expect(remoteRequests(h.requests, h.origin)).toEqual([]);
  }, 180_000);

  // Jobs when the reviewer moves on.
  it('leaving the case cancels its import: nothing joins the case out of sight', async () => {
    const { page } = h;
    await showCaseList(page);
    await page.getByTestId('new-case-name').fill('Walked away');
    await page.getByTestId('create-case').click();
    await expect.poll(() => page.getByTestId('case-name').textContent()).toBe('Walked away');
    const before = await stored(page);
    h.nextOpen = [long];
    await page.getByTestId('import').click();
    await expect.poll(() => page.getByTestId('import-progress').textContent()).toMatch(/^long shift\.mp4: probing/);
    await page.getByTestId('back-to-cases').click();
    await expect.poll(() => readersOf(long), { timeout: 5000 }).toEqual([]);
    await openCase(page, 'Walked away');
    // Long enough for an import that went on to have hashed the file and stored its clip.
    await page.waitForTimeout(3000);
    expect(await clipNames(page)).toEqual([]);
    expect(await stored(page)).toEqual(before);
  }, 180_000);

  it('leaving a clip stops its playable copy; a cancelled copy can be made again from the player', async () => {
    const { page } = h;
    h.nextOpen = [small, avi];
    await page.getByTestId('import').click();
    await page.getByTestId('job-proxy').waitFor({ timeout: 60_000 });
    expect(await clipNames(page)).toEqual(['small.mp4', 'old camera.avi']);
    await expect.poll(() => readersOf(avi).length, { timeout: 10_000 }).toBeGreaterThan(0);
    // Another clip: the copy stops (its ffmpeg, and the waveform's and thumbnails', are gone).
    await page.getByTestId('clip').first().click();
    await expect.poll(() => readersOf(avi), { timeout: 5000 }).toEqual([]);
    // Back: one copy starts afresh. Cancelled, the player offers to make it again.
    await page.getByTestId('clip').nth(1).click();
    await page.getByTestId('job-proxy').waitFor();
    await page.getByTestId('job-proxy').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^Making a playable copy was cancelled/);
    await expect.poll(() => readersOf(avi), { timeout: 5000 }).toEqual([]);
    await page.getByTestId('make-proxy').click();
    await page.getByTestId('video').waitFor({ timeout: 120_000 });
    await videoReady(page, 60_000);
    expect(await page.getByRole('alert').count()).toBe(0);
    // The copy deleted from the app's folder (a cleared cache): on the next visit it is made again. It
    // lies in its case's folder under the app's data folder.
    const cases = join(tmp.dir, 'app data', 'cases');
    const proxies = readdirSync(cases).map((k) => join(cases, k, 'proxies')).find((d) => existsSync(d) && readdirSync(d).length > 0)!;
    for (const f of readdirSync(proxies)) rmSync(join(proxies, f));
    await page.reload();
    await page.getByTestId('job-proxy').waitFor({ timeout: 60_000 });
    await videoReady(page, 120_000);
    expect(readdirSync(proxies)).toHaveLength(1);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(h.pageErrors).toEqual([]);
  }, 300_000);

  it('an original gone from its place says so, instead of a black player', async () => {
    const { page } = h;
    const moved = join(tmp.dir, 'on the drive.mp4');
    copyFileSync(small, moved);
    await showCaseList(page);
    await page.getByTestId('new-case-name').fill('Drive unplugged');
    await page.getByTestId('create-case').click();
    h.nextOpen = [moved];
    await page.getByTestId('import').click();
    await page.getByTestId('video').waitFor();
    await videoReady(page);
    renameSync(moved, `${moved}.away`);
    await page.reload();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 }).toBe(`This clip cannot be played: its original, ${moved}, is missing, moved or unreadable (is the evidence drive connected?). Nothing in the case has changed; reconnect the file and open the clip again.`);
    expect(h.pageErrors).toEqual([]);
  }, 120_000);
});

describe.skipIf(chromiumAvailable())('import jobs (no Chromium)', () => {
  it.skip(`skipped: no Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium"`, () => {});
});
