import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { probe } from '../../engine/media/probe';
import { makeFaceClip, tempDir } from '../helpers/media';
import { chromiumAvailable, ROOT, startHarness, type Harness, videoReady, showCaseList } from './harness';
import { drag, lanes, onVideo } from './pointer';
import { storedRows, storedTrail } from './stored';

/**
 * What exploratory testing of the app found, each fixed: keys acting behind an open dialog (a Delete
 * there removed a region about to be exported), undo recorded in the trail as the edit it reversed,
 * in/out points silently trimming an export, a reason picker that did not change the selected region's
 * reason, frames stepped to just before a reload lost from the review, and a page taller than a laptop's
 * window.
 */
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const tmp = tempDir('redactor-e2e-dialogs-');
let h: Harness;
let clip: string;

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

const frameText = (page: Page) => page.getByTestId('frame-number').textContent();

/** A new case with the clip imported and a manual region drawn and selected. */
async function caseWithRegion(page: Page, name: string): Promise<void> {
  await page.goto(`${h.origin}/`);
  await showCaseList(page);
  await page.getByTestId('new-case-name').fill(name);
  await page.getByTestId('create-case').click();
  h.nextOpen = [clip];
  await page.getByTestId('import').click();
  await page.getByTestId('video').waitFor();
  await videoReady(page);
  await page.getByTestId('draw').click();
  await drag(page, await onVideo(page, 400, 150), await onVideo(page, 520, 280));
  await expect.poll(() => lanes(page)).toBe(1);
  await page.mouse.click(...(Object.values(await onVideo(page, 460, 215)) as [number, number]));
  await expect.poll(() => page.getByTestId('selected-track').count()).toBe(1);
}

describe.skipIf(!chromiumAvailable())('dialogs, the trail and in/out points (real services)', () => {
  beforeAll(async () => {
    clip = join(tmp.dir, 'door.mp4');
    makeFaceClip(clip, { seconds: 3, x: '40+2*n' });
    h = await startHarness({ dataDir: join(tmp.dir, 'proxies') });
  });
  afterAll(async () => {
    await h?.close();
    tmp.cleanup();
  });

  it('an open dialog owns the keyboard: nothing acts behind it, Escape closes it, focus comes back', async () => {
    const { page } = h;
    await caseWithRegion(page, 'Op Dialog');
    await page.getByTestId('open-export').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    // Focus is in the dialog, and stays there.
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.closest('[aria-modal="true"]') !== null)).toBe(true);
    for (let i = 0; i < 30; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.closest('[aria-modal="true"]') !== null)).toBe(true);
    await page.getByRole('heading', { name: 'Export redacted copy' }).click();
    for (const key of ['Delete', 'Backspace', 'Control+z', 'ArrowRight', 'a', 'r', 'n']) await page.keyboard.press(key);
    await shot(page, 'dialog-keys');
    expect(await lanes(page)).toBe(1);
    expect(await frameText(page)).toBe('frame 0 / 89');
    expect(await page.locator('[data-testid=selected-track] .badge').textContent()).toBe('redact');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('data-testid'))).toBe('open-export');
    // The help overlay too.
    await page.keyboard.press('?');
    await page.getByTestId('help').waitFor();
    await page.keyboard.press('ArrowRight');
    expect(await frameText(page)).toBe('frame 0 / 89');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('help').count()).toBe(0);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => frameText(page)).toBe('frame 1 / 89');
  });

  it('the trail records an undo and a redo as such, and the region as restored', async () => {
    const { page } = h;
    await caseWithRegion(page, 'Op Undo');
    await page.keyboard.press('Delete');
    await expect.poll(() => lanes(page)).toBe(0);
    await page.keyboard.press('Control+z');
    await expect.poll(() => lanes(page)).toBe(1);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => lanes(page)).toBe(0);
    // The store holds every case's trail: this clip's edits, by the clip the undo was recorded on.
    const trail = await storedTrail(page);
    const clipId = trail.find((e) => e.payload.command === 'Undo: Delete region')?.payload.clipId;
    const edits = trail.filter((e) => e.type === 'edit' && e.payload.clipId === clipId).map((e) => e.payload as { command: string; before: { tracks: unknown[] }; after: { tracks: unknown[] } });
    expect(edits.map((e) => e.command).slice(-3)).toEqual(['Delete region', 'Undo: Delete region', 'Redo: Delete region']);
    expect([edits.at(-2)!.before.tracks.length, edits.at(-2)!.after.tracks.length]).toEqual([0, 1]);
    await page.getByTestId('show-audit').click();
    await expect.poll(() => page.getByTestId('audit-events').textContent()).toMatch(/Undo: Delete region on door\.mp4.*Redo: Delete region on door\.mp4/);
    await page.getByTestId('show-audit').click();
  });

  it('in and out never cross, can be cleared, and trim an export only when ticked', async () => {
    const { page } = h;
    await caseWithRegion(page, 'Op Marks');
    await page.keyboard.press('Home');
    for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('i'); // in at 60
    await page.keyboard.press('Home');
    for (let i = 0; i < 2; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('o'); // out at 20, before the in: the in goes
    await expect.poll(() => page.getByTestId('out-point').textContent()).toBe('out 20');
    expect(await page.getByTestId('in-point').count()).toBe(0);
    await page.keyboard.press('Control+Shift+x');
    await expect.poll(() => page.getByTestId('out-point').count()).toBe(0);
    await page.keyboard.press('o');
    // The dialog offers the trim, unticked; the export is the whole clip.
    await page.getByTestId('open-export').click();
    expect(await page.getByTestId('use-trim').isChecked()).toBe(false);
    await page.getByTestId('confirm-incomplete').check();
    await page.getByTestId('confirm-reason').fill('test export');
    const out = join(tmp.dir, 'whole.mp4');
    h.nextSave = out;
    await page.getByRole('button', { name: 'Choose output…' }).click();
    await page.getByTestId('export').click();
    await page.getByTestId('export-done').waitFor({ timeout: 120_000 });
    expect((await probe(out)).video.frameCount).toBe(90);
    // Once exported, the same file is not written again without being chosen again.
    expect(await page.getByTestId('export').isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
  });

  it("the reason picker changes a decided region's reason at once, recorded as a decision", async () => {
    const { page } = h;
    await caseWithRegion(page, 'Op Reason');
    expect(await page.getByTestId('selected-reason').textContent()).toBe('Reason: Third-party face');
    await page.getByTestId('reason').selectOption('vehicle-registration');
    await expect.poll(() => page.getByTestId('selected-reason').textContent()).toBe('Reason: Vehicle registration');
    // (The store holds every case's trail; only this case uses that reason.)
    await expect.poll(async () => (await storedTrail(page)).some((e) => e.type === 'decision' && e.payload.decision === 'redact' && e.payload.reason === 'vehicle-registration')).toBe(true);
    // The list gave the keyboard back: the next key steps a frame.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => frameText(page)).toBe('frame 1 / 89');
  });

  it('frames stepped to just before a reload stay watched', async () => {
    const { page } = h;
    await caseWithRegion(page, 'Op Reload');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => frameText(page)).toBe('frame 5 / 89');
    // Written as they are stepped to, well within the playback batches' second.
    const stepped = async () => (await storedRows<{ intervals: number[][] }>(page, 'watched')).some((w) => w.intervals.some(([a, b]) => a! <= 1 && b! >= 5));
    await expect.poll(stepped, { timeout: 400, interval: 20 }).toBe(true);
    await page.reload();
    expect(await stepped()).toBe(true);
  });

  it('a reload comes back to the case, the clip and the frame it left, with the video on that frame', async () => {
    const { page } = h;
    await caseWithRegion(page, 'Op Place');
    await page.keyboard.press('Control+g');
    await page.getByTestId('go-to').fill('#23');
    await page.getByTestId('go-to').press('Enter');
    await expect.poll(() => frameText(page)).toBe('frame 23 / 89');
    // Stored as soon as it is stepped to (a step is written at once).
    const place = async () => (await storedRows<{ key: string; value: { frame: number } }>(page, 'settings')).find((r) => r.key === 'lastPlace')?.value.frame;
    await expect.poll(place, { timeout: 400, interval: 20 }).toBe(23);
    await page.reload();
    // No click: the case and its clip are open again, at frame 23, and the player shows frame 23.
    await expect.poll(() => page.getByTestId('case-name').textContent()).toBe('Op Place');
    await expect.poll(() => frameText(page)).toBe('frame 23 / 89');
    await videoReady(page);
    type Doc = { document: { querySelector(s: string): { currentTime: number; seeking: boolean } } };
    const shown = () => page.evaluate(() => { const v = (globalThis as unknown as Doc).document.querySelector('video'); return v.seeking ? -1 : v.currentTime; });
    await expect.poll(async () => { const t = await shown(); return t >= 23 / 30 && t < 24 / 30; }).toBe(true);
    // Back to the list: a reload then shows the list.
    await page.getByTestId('back-to-cases').click();
    const stored = async () => (await storedRows<{ key: string; value: { caseId: string | null } }>(page, 'settings')).find((r) => r.key === 'lastPlace')?.value.caseId;
    await expect.poll(stored, { timeout: 400, interval: 20 }).toBeNull();
    await page.reload();
    await page.getByTestId('new-case-name').waitFor();
    expect(await page.getByTestId('case-name').count()).toBe(0);
  });

  it('fits a laptop window: the page itself never scrolls, dialogs scroll inside', async () => {
    const { page } = h;
    for (const size of [{ width: 1366, height: 768 }, { width: 1024, height: 640 }]) {
      await page.setViewportSize(size);
      await caseWithRegion(page, `Op Window ${size.width}`);
      const doc = () => page.evaluate(() => ({ h: (globalThis as any).document.documentElement.scrollHeight, w: (globalThis as any).document.documentElement.scrollWidth }));
      expect(await doc(), `${size.width}×${size.height}`).toEqual({ h: size.height, w: size.width });
      await page.getByTestId('show-audit').click();
      await page.getByTestId('audit-events').waitFor();
      const box = (await page.getByTestId('audit-events').boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(size.width);
      await page.getByTestId('show-audit').click();
      await page.keyboard.press('?');
      const help = (await page.getByTestId('help').boundingBox())!;
      expect(help.y).toBeGreaterThanOrEqual(0);
      expect(help.y + help.height).toBeLessThanOrEqual(size.height);
      await shot(page, `window-${size.width}-help`);
      await page.keyboard.press('Escape');
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
