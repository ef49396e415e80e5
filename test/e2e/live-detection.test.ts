import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeFaceClip, tempDir } from '../helpers/media';
import { putClipRow, storedRows, storedTrail } from './stored';
import { chromiumAvailable, CHROMIUM, createCaseWithClip, remoteRequests, ROOT, startHarness, type Harness, openCase } from './harness';

/**
 * Detection from the app, live: proposals appear on the timeline while the job runs (provisional
 * lanes), a cancelled run leaves nothing in the case (also after a reload), and a finished run
 * replaces the provisional lanes with its final tracks. A run outlives a reload of the page.
 */
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const tmp = tempDir('redactor-e2e-live-');
let h: Harness;
let clip: string;
let other: string;

/** The timeline's lanes and provisional lanes, and whether the detection job is shown, read at one instant. */
const state = (page: Page): Promise<{ lanes: number; provisional: number; running: boolean }> =>
  page.evaluate(`(() => {
    const t = document.querySelector('[data-testid=timeline]');
    return { lanes: Number(t.dataset.lanes), provisional: Number(t.querySelector('canvas').dataset.provisional), running: !!document.querySelector('[data-testid=job-detect]') };
  })()`);

beforeAll(() => {
  if (!chromiumAvailable()) return;
  // 20 s: the astronaut's face drifts slowly across a grey frame, so detection takes a while.
  clip = join(tmp.dir, 'long walk.mp4');
  makeFaceClip(clip, { seconds: 20, x: '40+n/2' });
  other = join(tmp.dir, 'other.mp4');
  makeFaceClip(other, { seconds: 2, x: '300' });
});
afterAll(tmp.cleanup);

describe.skipIf(!chromiumAvailable())('live detection in Chromium (real services, real model)', () => {
  beforeAll(async () => {
    // Provisional proposals every 5 analysed frames, so several arrive within the run.
    h = await startHarness({ dataDir: join(tmp.dir, 'proxies'), provisional: { everyFrames: 5, minIntervalMs: 0 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows proposals as they arrive; cancel keeps nothing; a full run replaces them with the final tracks', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await createCaseWithClip(h, 'Live detection', clip);
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 0 / 599');

    // First run: provisional lanes appear while the job is still running; then cancel it.
    const drawButton = async () => (await page.getByTestId('draw').boundingBox())!;
    const drawBefore = await drawButton();
    await page.getByTestId('detect').click();
    await expect.poll(async () => { const s = await state(page); return s.running && s.lanes === 0 && s.provisional > 0; }, { timeout: 120_000, interval: 50 }).toBe(true);
    // The job says how far it is and how long is left (frames of the source, its rate, time left)...
    const figures = page.getByTestId('job-detect').getByTestId('job-figures');
    await expect.poll(() => figures.textContent(), { timeout: 60_000 }).toMatch(/^ \d{1,3}(,\d{3})? \/ 600 frames · \d{1,2}% · \d+\.\d fps · \d+:\d\d left$/);
    // ...and starting it moved nothing on the toolbar: its Cancel sits with its progress.
    expect(await drawButton()).toEqual(drawBefore);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, '07-provisional-proposals.png') });
    await page.getByRole('button', { name: 'Cancel detection' }).click();
    await expect.poll(() => state(page), { timeout: 60_000 }).toEqual({ lanes: 0, provisional: 0, running: false });
    expect(await page.getByRole('alert').textContent()).toMatch(/cancelled/);

    // Nothing of the cancelled run was saved.
    await page.reload();
    await openCase(page, 'Live detection');
    await page.getByTestId('clip').first().click();
    await page.getByTestId('video').waitFor();
    await expect.poll(() => state(page)).toEqual({ lanes: 0, provisional: 0, running: false });

    // Second run to the end: seen while running, then the final tracks in their place.
    await page.getByTestId('detect').click();
    const seen: number[] = [];
    await expect
      .poll(
        async () => {
          const s = await state(page);
          if (s.running && s.provisional > 0) seen.push(s.provisional);
          return s.running;
        },
        { timeout: 300_000, interval: 50 },
      )
      .toBe(false);
    expect(seen.length).toBeGreaterThan(0);
    const final = await state(page);
    expect(final.provisional).toBe(0);
    expect(final.lanes).toBeGreaterThanOrEqual(1);
    // Detection's final tracks were saved: they survive a reload.
    await page.reload();
    await openCase(page, 'Live detection');
    await page.getByTestId('clip').first().click();
    await expect.poll(async () => (await state(page)).lanes).toBe(final.lanes);

    expect(h.pageErrors).toEqual([]);
    expect(remoteRequests(h.requests, h.origin)).toEqual([]);
  }, 600_000);

  it('carries on while the reviewer opens another clip: back on it, its progress, then its proposals, show', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await createCaseWithClip(h, 'Two clips', clip);
    h.nextOpen = [other];
    await page.getByTestId('import').click();
    await expect.poll(() => page.getByTestId('clip').count(), { timeout: 30_000 }).toBe(2);
    await page.getByTestId('clip').first().click();
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 0 / 599');

    await page.getByTestId('detect').click();
    await expect.poll(async () => (await state(page)).running, { timeout: 120_000, interval: 50 }).toBe(true);
    // The other clip: its own editor, with no detection of its own.
    await page.getByTestId('clip').nth(1).click();
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 0 / 59');
    expect(await state(page)).toEqual({ lanes: 0, provisional: 0, running: false });
    // Back: the run is still shown, with its Cancel, and Detect cannot start a second one on the clip.
    await page.getByTestId('clip').first().click();
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 0 / 599');
    const back = await state(page);
    expect(back.running).toBe(true);
    expect(await page.getByTestId('detect').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Cancel detection' }).count()).toBe(1);
    // It ends with its tracks on this clip's timeline, without a reload, and undoable here.
    await expect.poll(async () => (await state(page)).running, { timeout: 300_000, interval: 100 }).toBe(false);
    await expect.poll(async () => (await state(page)).lanes).toBeGreaterThanOrEqual(1);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await state(page)).lanes).toBe(0);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => (await state(page)).lanes).toBeGreaterThanOrEqual(1);
    // The other clip has none of them.
    await page.getByTestId('clip').nth(1).click();
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 0 / 59');
    expect((await state(page)).lanes).toBe(0);

    expect(h.pageErrors).toEqual([]);
  }, 600_000);
});

/** The page's stored detection runs (not yet applied). */
const storedRuns = (page: Page) => storedRows<{ clipId: string; jobId: string }>(page, 'detectionRuns');

describe.skipIf(!chromiumAvailable())('a detection run and a reload of the page (real services, real model)', () => {
  beforeAll(async () => {
    h = await startHarness({ dataDir: join(tmp.dir, 'proxies-reload') });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('goes on in main while the page reloads; the reloaded page shows it running, then adds its proposals once', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await createCaseWithClip(h, 'Reload mid-run', clip);
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 0 / 599');
    await page.getByTestId('detect').click();
    await expect.poll(async () => (await state(page)).running, { timeout: 120_000, interval: 50 }).toBe(true);
    expect(await storedRuns(page)).toHaveLength(1);

    // The page goes (a reload, or a crash and reload); the run does not.
    await page.reload();
    await openCase(page, 'Reload mid-run');
    await page.getByTestId('clip').first().click();
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 0 / 599');
    expect((await state(page)).running).toBe(true);
    expect(await page.getByRole('button', { name: 'Cancel detection' }).count()).toBe(1);
    expect(await page.getByTestId('detect').isDisabled()).toBe(true);

    // It ends here, with its proposals on the timeline, undoable, recorded once, and nothing left pending.
    await expect.poll(async () => (await state(page)).running, { timeout: 300_000, interval: 100 }).toBe(false);
    await expect.poll(async () => (await state(page)).lanes).toBeGreaterThanOrEqual(1);
    const lanes = (await state(page)).lanes;
    expect(await storedRuns(page)).toEqual([]);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await state(page)).lanes).toBe(0);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => (await state(page)).lanes).toBe(lanes);
    const detections = (await storedTrail(page)).filter((e) => e.type === 'detection');
    expect(detections).toHaveLength(1);

    // Saved: another reload shows the same lanes, and takes up nothing.
    await page.reload();
    await openCase(page, 'Reload mid-run');
    await page.getByTestId('clip').first().click();
    await expect.poll(async () => (await state(page)).lanes).toBe(lanes);
    expect((await state(page)).running).toBe(false);
    expect(h.pageErrors).toEqual([]);
  }, 600_000);

  it('a run that ended while no page was open goes into the case when the page comes back, recorded under the user', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await createCaseWithClip(h, 'Ended unseen', other);
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 0 / 59');
    await page.getByTestId('detect').click();
    await expect.poll(async () => (await storedRuns(page)).length, { timeout: 30_000, interval: 20 }).toBe(1);
    const { jobId, clipId } = (await storedRuns(page))[0]!;
    // The page goes away, and main finishes the run with nobody to tell.
    await page.goto('about:blank');
    const ended = await h.services.invoke('detectionResult', { jobId });
    expect(ended.ok).toBe(true);
    // Back: the result is there at once, and goes in as soon as the app knows who is working.
    await page.goto(`${h.origin}/`);
    await openCase(page, 'Ended unseen');
    await page.getByTestId('clip').first().click();
    await expect.poll(async () => (await state(page)).lanes, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    const info = await h.services.invoke('appInfo', {});
    const user = info.ok ? (info.value as { userName: string }).userName : '?';
    const trail = (await storedTrail(page)).filter((e) => (e.payload as { clipId?: string }).clipId === clipId);
    const detection = trail.filter((e) => e.type === 'detection');
    expect(detection).toHaveLength(1);
    expect(detection[0]!.user).toBe(user);
    expect(trail.filter((e) => e.type === 'edit').at(-1)!.user).toBe(user);
    expect(await storedRuns(page)).toEqual([]);
    expect(h.pageErrors).toEqual([]);
  }, 120_000);

  it('looks as the reviewer chose (faces only, every frame, high sensitivity): the run, its proposals and the trail say so, and the choice is kept', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await createCaseWithClip(h, 'Thorough', other);
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 0 / 59');
    await page.getByTestId('detect-sampling').selectOption({ label: 'every frame (slower)' });
    await page.getByTestId('detect-sensitivity').selectOption({ label: 'high sensitivity' });
    // Both kinds are ticked at first; with text unticked, faces is the last and cannot be unticked.
    expect(await page.getByTestId('detect-find-text').isChecked()).toBe(true);
    await page.getByTestId('detect-find-text').uncheck();
    expect(await page.getByTestId('detect-find-faces').isDisabled()).toBe(true);
    await page.getByTestId('detect').click();
    await expect.poll(async () => (await state(page)).running, { timeout: 60_000, interval: 50 }).toBe(true);
    await expect.poll(async () => (await state(page)).running, { timeout: 120_000, interval: 100 }).toBe(false);
    await expect.poll(async () => (await state(page)).lanes).toBeGreaterThanOrEqual(1);
    const kase = (await storedRows<{ id: string; name: string }>(page, 'cases')).find((c) => c.name === 'Thorough')!;
    const clipId = (await storedRows<{ id: string; caseId: string }>(page, 'clips')).find((c) => c.caseId === kase.id)!.id;
    const detection = (await storedTrail(page)).filter((e) => e.type === 'detection' && (e.payload as { clipId: string }).clipId === clipId);
    expect(detection.map((e) => (e.payload as { settings: unknown }).settings)).toEqual([{ every: 1, threshold: 0.25, find: ['faces'] }]);
    const tracks = (await storedRows<{ clipId: string; track: { provenance: { detector?: string } } }>(page, 'tracks')).filter((r) => r.clipId === clipId);
    expect(tracks.length).toBeGreaterThanOrEqual(1);
    for (const { track } of tracks) expect(track.provenance.detector).toMatch(/^yunet-n@\S+ \{"find":\["faces"\],"every":1,.*"scoreThreshold":0\.25/);
    // The choice is a preference: there after a reload.
    await page.reload();
    await openCase(page, 'Thorough');
    await page.getByTestId('clip').first().click();
    await expect.poll(async () => page.getByTestId('detect-sampling').evaluate((el) => (el as unknown as { selectedOptions: Array<{ text: string }> }).selectedOptions[0]!.text)).toBe('every frame (slower)');
    expect(await page.getByTestId('detect-sensitivity').evaluate((el) => (el as unknown as { selectedOptions: Array<{ text: string }> }).selectedOptions[0]!.text)).toBe('high sensitivity');
    expect(await page.getByTestId('detect-find-text').isChecked()).toBe(false);
    expect(await page.getByTestId('detect-find-faces').isChecked()).toBe(true);
    await page.screenshot({ path: join(SHOTS, '07b-detect-find-options.png') });
    expect(h.pageErrors).toEqual([]);
  }, 180_000);

  it('a run main no longer knows (the app was closed) is reported as interrupted, and nothing is added', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await createCaseWithClip(h, 'Closed mid-run', other);
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 0 / 59');
    // As the previous app left it: a run recorded for this clip, under a job id this main never ran.
    await putClipRow(page, 'Closed mid-run', 'detectionRuns', { jobId: 'detect-gone-1', frameCount: 60, options: {}, started: new Date().toISOString() });
    await page.reload();
    await openCase(page, 'Closed mid-run');
    await page.getByTestId('clip').first().click();
    await expect.poll(async () => (await page.getByRole('alert').textContent()) ?? '').toMatch(/interrupted when the app closed; run it again/);
    expect(await state(page)).toEqual({ lanes: 0, provisional: 0, running: false });
    expect(await storedRuns(page)).toEqual([]);
    expect(await page.getByTestId('detect').isDisabled()).toBe(false);
    expect(h.pageErrors).toEqual([]);
  }, 120_000);
});

describe.skipIf(chromiumAvailable())('live detection (no Chromium)', () => {
  it.skip(`skipped: no Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium"`, () => {});
});
