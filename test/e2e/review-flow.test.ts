import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { redactor } from '../helpers/cli';
import { makeFaceClip, tempDir } from '../helpers/media';
import { chromiumAvailable, CHROMIUM, remoteRequests, ROOT, startHarness, type Harness, videoReady, openCase, showCaseList } from './harness';
import { drag, lanes, onVideo } from './pointer';
import { storedRows } from './stored';

/**
 * The reviewer's day, end to end, in the built renderer on Chromium with the real services: create a
 * case, import a generated clip with a face, detect, see the proposal on the timeline, move its box,
 * draw a manual region, reject the proposal, undo and redo, reload and find it all, export, verify.
 * No request may leave for any origin but the page's own.
 */
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const FACE = { x: 130, y: 101, w: 46, h: 49 }; // the astronaut's face at frame 0 (see detect-video.test.ts)
const tmp = tempDir('redactor-e2e-');
let h: Harness;
let clip: string;

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe.skipIf(!chromiumAvailable())('review flow in Chromium (real services)', () => {
  beforeAll(async () => {
    clip = join(tmp.dir, 'bodycam 0042.mp4');
    makeFaceClip(clip, { seconds: 2, x: '40+5*n', audio: true });
    h = await startHarness({ dataDir: join(tmp.dir, 'proxies') });
  });
  afterAll(async () => {
    await h?.close();
    tmp.cleanup();
  });

  it('imports, detects, edits, survives a reload, exports and verifies, all offline', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);

    // Cases: create one, which opens it.
    await showCaseList(page);
    await page.getByTestId('new-case-name').fill('Op Lantern 42/2026');
    await shot(page, '01-cases');
    await page.getByTestId('create-case').click();
    await expect.poll(() => page.getByTestId('case-name').textContent()).toBe('Op Lantern 42/2026');

    // Import through the (scripted) dialog: hashed, probed, opened in the editor.
    h.nextOpen = [clip];
    await page.getByTestId('import').click();
    await page.getByTestId('video').waitFor();
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 0 / 59');
    await videoReady(page);
    await shot(page, '02-imported');

    // Frame stepping by keyboard.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 1 / 59');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 0 / 59');

    // Detection: the proposal appears as a lane on the timeline.
    await page.getByTestId('detect').click();
    await expect.poll(() => lanes(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
    const detected = await lanes(page);
    await expect.poll(() => page.getByTestId('job-detect').count()).toBe(0);
    await shot(page, '03-detected');

    // Keyboard triage: ] selects the next undecided proposal and goes to its first frame (from frame 30,
    // round to the start: the face is there from the first frame).
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 30 / 59');
    await page.keyboard.press(']');
    await expect.poll(() => page.locator('[data-testid=selected-track] .badge').textContent()).toBe('proposed');
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 0 / 59');
    expect(await page.getByTestId('selected-box').textContent()).not.toBe('not shown at this frame');

    // Select the proposal on the video, then move its box by 40,20 source pixels: a keyframe.
    const centre = { x: FACE.x + FACE.w / 2, y: FACE.y + FACE.h / 2 };
    await page.mouse.click(...Object.values(await onVideo(page, centre.x, centre.y)) as [number, number]);
    await expect.poll(() => page.getByTestId('selected-track').count()).toBe(1);
    const before = (await page.getByTestId('selected-box').textContent())!;
    const [bx, by] = before.split(' ')[0]!.split(',').map(Number);
    await drag(page, await onVideo(page, centre.x, centre.y), await onVideo(page, centre.x + 40, centre.y + 20));
    await expect.poll(async () => (await page.getByTestId('selected-box').textContent())!.split(' ')[0]).toBe(`${bx! + 40},${by! + 20}`);
    const moved = (await page.getByTestId('selected-box').textContent())!;

    // Reject it, with a reason to keep (a list of its own: reasons to redact are not offered).
    expect(await page.getByTestId('keep-reason').locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value))).not.toContain('third-party-face');
    await page.getByTestId('keep-reason').selectOption('not-a-face');
    await page.getByTestId('reject').click();
    await expect.poll(() => page.locator('[data-testid=selected-track] .badge').textContent()).toBe('keep');
    expect(await page.getByTestId('selected-reason').textContent()).toBe('Reason: Not a face');

    // Draw a manual region in an empty part of the frame.
    await page.getByTestId('draw').click();
    await drag(page, await onVideo(page, 450, 200), await onVideo(page, 560, 300));
    await expect.poll(() => lanes(page)).toBe(detected + 1);
    await shot(page, '04-edited');
    await page.keyboard.press('p');
    await shot(page, '04b-preview');
    await page.keyboard.press('p');
    await page.keyboard.press('?');
    await page.getByTestId('help').waitFor();
    expect(await page.getByTestId('help').textContent()).toMatch(/Ctrl\+Z.*Undo/);
    await shot(page, '04c-shortcuts');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('help').count()).toBe(0);

    // Undo the region (keyboard) and the rejection (button); redo both.
    await page.keyboard.press('Control+z');
    await expect.poll(() => lanes(page)).toBe(detected);
    await page.getByTestId('undo').click();
    await page.mouse.click(...Object.values(await onVideo(page, centre.x + 40, centre.y + 20)) as [number, number]);
    await expect.poll(() => page.locator('[data-testid=selected-track] .badge').textContent()).toBe('proposed');
    await page.getByTestId('redo').click();
    await expect.poll(() => page.locator('[data-testid=selected-track] .badge').textContent()).toBe('keep');
    await page.getByTestId('redo').click();
    await expect.poll(() => lanes(page)).toBe(detected + 1);

    // Bleep half a second by dragging over the waveform.
    await expect.poll(async () => Number(await page.getByTestId('timeline').getAttribute('data-waveform')), { timeout: 60_000 }).toBeGreaterThan(100);
    const tl = (await page.getByTestId('timeline').boundingBox())!;
    // The audio lane lies under the ruler (24 px) and the thumbnail strip (40 px).
    await drag(page, { x: tl.x + tl.width * 0.25, y: tl.y + 82 }, { x: tl.x + tl.width * 0.5, y: tl.y + 82 });
    await expect.poll(async () => Number(await page.getByTestId('timeline').getAttribute('data-audio-ranges'))).toBe(1);

    // Reload: the case, the clip and every edit are still there.
    await page.reload();
    await openCase(page, 'Op Lantern 42/2026');
    await page.getByTestId('clip').first().click();
    await expect.poll(() => lanes(page)).toBe(detected + 1);
    await expect.poll(async () => Number(await page.getByTestId('timeline').getAttribute('data-audio-ranges'))).toBe(1);
    await page.mouse.click(...Object.values(await onVideo(page, centre.x + 40, centre.y + 20)) as [number, number]);
    await expect.poll(() => page.locator('[data-testid=selected-track] .badge').textContent()).toBe('keep');
    expect(await page.getByTestId('selected-box').textContent()).toBe(moved);
    await expect.poll(async () => Number(await page.getByTestId('timeline').getAttribute('data-waveform')), { timeout: 60_000 }).toBeGreaterThan(100);
    await expect.poll(async () => Number(await page.getByTestId('timeline').getAttribute('data-thumbnails')), { timeout: 60_000 }).toBeGreaterThan(0);
    await shot(page, '05-after-reload');

    // The selected region's keyframes, stepped to with '.' and ',' (as stored), from the first frame (Home).
    const storedTracks = await storedRows<{ track: { decision: string; keyframes: Array<{ frame: number }> } }>(page, 'tracks');
    const keyframes = storedTracks.map((r) => r.track).find((t) => t.decision === 'keep')!.keyframes.map((k) => k.frame).filter((f) => f > 0);
    expect(keyframes.length).toBeGreaterThanOrEqual(2);
    const frameNow = async () => Number((await page.getByTestId('frame-number').textContent())!.match(/frame (\d+)/)![1]);
    await page.keyboard.press('Home');
    await expect.poll(frameNow).toBe(0);
    await page.keyboard.press('.');
    await expect.poll(frameNow).toBe(keyframes[0]);
    await page.keyboard.press('.');
    await expect.poll(frameNow).toBe(keyframes[1]);
    await page.keyboard.press(',');
    await expect.poll(frameNow).toBe(keyframes[0]);

    // Export through the dialog; undecided proposals would be listed (here: none left).
    const out = join(tmp.dir, 'bodycam 0042.redacted.mp4');
    await page.getByTestId('open-export').click();
    h.nextSave = out;
    await page.getByRole('button', { name: 'Choose output…' }).click();
    await expect.poll(() => page.getByTestId('export-path').textContent()).toBe(out);
    // Only two frames were watched: export asks for a confirmation with a reason (evidence-flow.test.ts).
    await page.getByTestId('confirm-incomplete').check();
    await page.getByTestId('confirm-reason').fill('test of the review flow');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByTestId('export-done').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('export-done').textContent()).toMatch(/Verified: 60 frames/);
    await shot(page, '06-exported');
    await page.getByRole('button', { name: 'Show in folder' }).click();
    await expect.poll(() => h.shownInFolder).toEqual([out]);

    // The command line agrees, in its own process.
    const verify = await redactor(['verify', out]);
    expect(verify.stdout + verify.stderr).toMatch(/intact/);
    expect(verify.code).toBe(0);
    const report = JSON.parse(readFileSync(`${out}.report.json`, 'utf8'));
    const tracks = report.plan.tracks as Array<{ decision: string; provenance: { origin: string }; reason: string; keyframes: Array<{ source: string }> }>;
    expect(tracks.filter((t) => t.provenance.origin === 'manual')).toHaveLength(1);
    const rejected = tracks.filter((t) => t.decision === 'keep');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBe('not-a-face');
    expect(rejected[0]!.keyframes.some((k) => k.source === 'manual')).toBe(true);
    const audio = report.plan.audio as Array<{ start: number; end: number; mode: string }>;
    expect(audio).toHaveLength(1);
    expect(audio[0]!.mode).toBe('bleep');
    expect(audio[0]!.start).toBeGreaterThan(0.3);
    expect(audio[0]!.end).toBeLessThan(1.2);
    expect(report.output.audio).toBe('re-encoded');

    expect(h.pageErrors).toEqual([]);
    expect(remoteRequests(h.requests, h.origin)).toEqual([]);
    expect(h.requests.some((u) => u.includes('/media/'))).toBe(true);
  });

  it('the page cannot reach files the user did not open', async () => {
    const r = await h.page.evaluate(() => (globalThis as unknown as { redactor: { invoke(m: string, r: unknown): Promise<unknown> } }).redactor.invoke('mediaUrl', { path: '/etc/passwd' }));
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden-path' } });
    const media = await h.page.evaluate(async (o) => (await fetch(`${o}/media/${'0'.repeat(32)}`)).status, h.origin);
    expect(media).toBe(404);
  });
});

describe.skipIf(chromiumAvailable())('review flow (no Chromium)', () => {
  it.skip(`skipped: no Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium"`, () => {});
});
