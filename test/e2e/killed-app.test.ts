import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeFaceClip, tempDir } from '../helpers/media';
import { chromiumAvailable, CHROMIUM, createCaseWithClip, readStore, remoteRequests, startHarness, type Harness, type HarnessOptions, openCase } from './harness';
import { drag, onVideo } from './pointer';

/**
 * The app killed outright (SIGKILL, no chance to clean up) mid-edit and mid-detection. Chromium runs
 * on a persistent profile, so IndexedDB lives on disk as in Electron's userData folder; the test kills
 * the browser's process, then relaunches on the same profile and origin. Every edit the UI showed as
 * done is there, the case opens cleanly, undo starts empty and new edits and undo work; a detection
 * killed half-way left nothing (its provisional proposals are never stored) and runs again to the end.
 * The services in this process stand in for Electron's main: they are shut down with the browser (jobs
 * cancelled). The engine killed outright is covered by test/integration/faults.test.ts.
 */
const FACE = { x: 130, y: 101, w: 46, h: 49 }; // the astronaut's face at frame 0 (see detect-video.test.ts)
const tmp = tempDir('redactor-e2e-killed-');
const profile = join(tmp.dir, 'profile');
let options: HarnessOptions;
let h: Harness | null = null;
let editClip: string;
let detectClip: string;

/** The timeline's lanes and provisional lanes, and whether detection is shown running, read at one instant. */
const state = (page: Page): Promise<{ lanes: number; provisional: number; running: boolean }> =>
  page.evaluate(`(() => {
    const t = document.querySelector('[data-testid=timeline]');
    return { lanes: Number(t.dataset.lanes), provisional: Number(t.querySelector('canvas').dataset.provisional), running: !!document.querySelector('[data-testid=job-detect]') };
  })()`);

interface StoredTrack {
  clipId: string;
  id: string;
  track: { decision: string; reason?: string; provenance: { origin: string }; keyframes: { frame: number; source: string; box: { x: number; y: number } }[] };
}

/** What IndexedDB holds, read raw: clips by name with their tracks, and audit event types by case, in order. */
async function stored(page: Page) {
  const s = await readStore(page, ['cases', 'clips', 'tracks', 'auditEvents']);
  const cases = s.cases as { id: string; name: string }[];
  const clips = s.clips as { id: string; name: string; trackOrder: string[] }[];
  const tracks = s.tracks as StoredTrack[];
  const byName = (name: string) => {
    const clip = clips.find((c) => c.name === name);
    return clip ? { order: clip.trackOrder, tracks: tracks.filter((t) => t.clipId === clip.id) } : null;
  };
  const events = (caseName: string) => {
    const id = cases.find((c) => c.name === caseName)?.id;
    return (s.auditEvents as { caseId: string; seq: number; event: { type: string } }[]).filter((e) => e.caseId === id).sort((a, b) => a.seq - b.seq).map((e) => e.event.type);
  };
  return { byName, events, clipCount: clips.length };
}

/** Kills the browser's process outright and waits until Playwright sees it gone; then stops the services. */
async function killBrowser(harness: Harness): Promise<void> {
  expect(harness.browserPid).toBeGreaterThan(0);
  const closed = new Promise<void>((resolve) => harness.context.once('close', () => resolve()));
  process.kill(harness.browserPid!, 'SIGKILL');
  await closed;
  await harness.close();
}

/** Launches on the same profile and port and opens the case's clip. */
async function relaunch(caseName: string, clipName: string): Promise<Harness> {
  const next = await startHarness(options);
  await next.page.goto(`${next.origin}/`);
  await openCase(next.page, caseName);
  await next.page.getByTestId('clip').filter({ hasText: clipName }).click();
  await next.page.getByTestId('video').waitFor();
  return next;
}

async function verifyAuditFromUi(page: Page): Promise<string> {
  await page.getByTestId('verify-audit').click();
  return (await page.getByTestId('audit-verdict').textContent())!;
}

describe.skipIf(!chromiumAvailable())('the app killed outright (SIGKILL) in Chromium on a persistent profile', () => {
  beforeAll(async () => {
    editClip = join(tmp.dir, 'bodycam 0007.mp4');
    makeFaceClip(editClip, { seconds: 2, x: '40+5*n' });
    detectClip = join(tmp.dir, 'long walk.mp4');
    makeFaceClip(detectClip, { seconds: 12, x: '40+n/2' });
    mkdirSync(profile, { recursive: true });
    options = { dataDir: join(tmp.dir, 'proxies'), userDataDir: profile, filesStore: join(tmp.dir, 'opened-files.json'), provisional: { everyFrames: 5, minIntervalMs: 0 } };
    h = await startHarness(options);
    options.port = h.port; // IndexedDB is kept per origin: every relaunch serves the app on the same one
  });
  afterAll(async () => {
    await h?.close();
    tmp.cleanup();
  });

  it('mid-edit: every edit the UI showed done is there after a relaunch, and undo starts clean', async () => {
    const page = h!.page;
    await page.goto(`${h!.origin}/`);
    await createCaseWithClip(h!, 'Killed mid-edit', editClip);
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 0 / 59');
    await page.getByTestId('detect').click();
    await expect.poll(() => state(page), { timeout: 180_000 }).toMatchObject({ running: false, provisional: 0 });
    const detected = (await state(page)).lanes;
    expect(detected).toBeGreaterThanOrEqual(1);

    // Move the proposal's box, reject it with a reason, draw a manual region: each shown done, then kill.
    const centre = { x: FACE.x + FACE.w / 2, y: FACE.y + FACE.h / 2 };
    await page.mouse.click(...(Object.values(await onVideo(page, centre.x, centre.y)) as [number, number]));
    await expect.poll(() => page.getByTestId('selected-track').count()).toBe(1);
    const [bx, by] = (await page.getByTestId('selected-box').textContent())!.split(' ')[0]!.split(',').map(Number);
    await drag(page, await onVideo(page, centre.x, centre.y), await onVideo(page, centre.x + 40, centre.y + 20));
    await expect.poll(async () => (await page.getByTestId('selected-box').textContent())!.split(' ')[0]).toBe(`${bx! + 40},${by! + 20}`);
    const moved = (await page.getByTestId('selected-box').textContent())!;
    await page.getByTestId('keep-reason').selectOption('not-a-face');
    await page.getByTestId('reject').click();
    await expect.poll(() => page.locator('[data-testid=selected-track] .badge').textContent()).toBe('keep');
    await page.getByTestId('draw').click();
    await drag(page, await onVideo(page, 450, 200), await onVideo(page, 560, 300));
    await expect.poll(async () => (await state(page)).lanes).toBe(detected + 1);
    await killBrowser(h!);

    // Relaunch on the same profile: the case opens, every edit is there.
    h = await relaunch('Killed mid-edit', 'bodycam 0007.mp4');
    const p2 = h.page;
    await expect.poll(async () => (await state(p2)).lanes).toBe(detected + 1);
    const s = await stored(p2);
    const clip = s.byName('bodycam 0007.mp4')!;
    expect(clip.tracks).toHaveLength(detected + 1);
    expect(new Set(clip.order)).toEqual(new Set(clip.tracks.map((t) => t.id)));
    const manual = clip.tracks.filter((t) => t.track.provenance.origin === 'manual');
    expect(manual).toHaveLength(1);
    const rejected = clip.tracks.filter((t) => t.track.decision === 'keep');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.track.reason).toBe('not-a-face');
    expect(rejected[0]!.track.keyframes.some((k) => k.source === 'manual')).toBe(true);
    await p2.mouse.click(...(Object.values(await onVideo(p2, centre.x + 40, centre.y + 20)) as [number, number]));
    await expect.poll(() => p2.locator('[data-testid=selected-track] .badge').textContent()).toBe('keep');
    expect(await p2.getByTestId('selected-box').textContent()).toBe(moved);
    const events = s.events('Killed mid-edit');
    expect(events.filter((t) => t === 'import' || t === 'detection')).toEqual(['import', 'detection']);
    expect(events.filter((t) => t === 'edit').length).toBeGreaterThanOrEqual(3); // move, decision, region
    expect(events).toContain('decision');
    expect(await verifyAuditFromUi(p2)).toMatch(/Audit trail intact/);

    // Undo history was the killed session's: nothing to undo now, and Ctrl+Z changes nothing.
    expect(await p2.getByTestId('undo').isDisabled()).toBe(true);
    await p2.keyboard.press('Control+z');
    expect((await stored(p2)).byName('bodycam 0007.mp4')!.tracks).toEqual(clip.tracks);
    // New edits and their undo work on the recovered state, and undo stops there.
    await p2.getByTestId('draw').click();
    await drag(p2, await onVideo(p2, 450, 40), await onVideo(p2, 540, 90));
    await expect.poll(async () => (await state(p2)).lanes).toBe(detected + 2);
    await p2.getByTestId('undo').click();
    await expect.poll(async () => (await state(p2)).lanes).toBe(detected + 1);
    expect(await p2.getByTestId('undo').isDisabled()).toBe(true);
    await expect.poll(async () => (await stored(p2)).byName('bodycam 0007.mp4')!.tracks).toEqual(clip.tracks);
    expect(await verifyAuditFromUi(p2)).toMatch(/Audit trail intact/);
    expect(h.pageErrors).toEqual([]);
    expect(remoteRequests(h.requests, h.origin)).toEqual([]);
  }, 600_000);

  it('mid-detection: nothing half-done is stored, the case is intact, and detection runs again to the end', async () => {
    const page = h!.page;
    await page.getByTestId('back-to-cases').click();
    await createCaseWithClip(h!, 'Killed mid-detection', detectClip);
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 0 / 359');
    const before = await stored(page);

    // Kill while detection runs and provisional proposals are on screen.
    await page.getByTestId('detect').click();
    await expect.poll(async () => { const s = await state(page); return s.running && s.lanes === 0 && s.provisional > 0; }, { timeout: 180_000, interval: 50 }).toBe(true);
    await killBrowser(h!);

    h = await relaunch('Killed mid-detection', 'long walk.mp4');
    const p2 = h.page;
    await expect.poll(() => state(p2)).toEqual({ lanes: 0, provisional: 0, running: false });
    const after = await stored(p2);
    expect(after.byName('long walk.mp4')!.tracks).toEqual([]);
    expect(after.byName('bodycam 0007.mp4')!.tracks).toEqual(before.byName('bodycam 0007.mp4')!.tracks);
    expect(after.clipCount).toBe(before.clipCount);
    expect(after.events('Killed mid-detection')).toEqual(['import']); // no detection recorded for the killed run
    expect(after.events('Killed mid-edit')).toEqual(before.events('Killed mid-edit'));
    expect(await verifyAuditFromUi(p2)).toMatch(/Audit trail intact/);

    // Detection again, to the end: final tracks, stored and recorded.
    await p2.getByTestId('detect').click();
    await expect.poll(() => state(p2), { timeout: 300_000 }).toMatchObject({ running: false, provisional: 0 });
    const final = (await state(p2)).lanes;
    expect(final).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => (await stored(p2)).byName('long walk.mp4')!.tracks.length).toBe(final);
    const done = await stored(p2);
    expect(done.byName('long walk.mp4')!.tracks.every((t) => t.track.decision === 'proposed' && t.track.provenance.origin === 'detected')).toBe(true);
    expect(done.events('Killed mid-detection')).toEqual(['import', 'verification', 'detection', 'edit']); // the run, then its tracks added
    expect(h.pageErrors).toEqual([]);
    expect(remoteRequests(h.requests, h.origin)).toEqual([]);
  }, 600_000);
});

describe.skipIf(chromiumAvailable())('the app killed outright (no Chromium)', () => {
  it.skip(`skipped: no Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium"`, () => {});
});
