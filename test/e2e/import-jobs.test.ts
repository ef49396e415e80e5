import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ffmpeg, makeClip, tempDir } from '../helpers/media';
import { chromiumAvailable, CHROMIUM, readStore, remoteRequests, startHarness, type Harness, openCase, showCaseList } from './harness';

/**
 * Importing is a long job like any other: every file of a batch is listed with its progress and its
 * Cancel from the start, a cancelled one (running or still queued) adds nothing and stops its work in
 * main; and the same footage imported again (same SHA-256, any name) is not added twice.
 */
const tmp = tempDir('redactor-e2e-import-');
let h: Harness;
let small: string;
let long: string;

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
    h = await startHarness({ proxyDir: join(tmp.dir, 'proxies') });
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
});

describe.skipIf(chromiumAvailable())('import jobs (no Chromium)', () => {
  it.skip(`skipped: no Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium"`, () => {});
});
