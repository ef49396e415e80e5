import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeFaceClip, tempDir } from '../helpers/media';
import { faceInPieces } from './face-in-pieces';
import { chromiumAvailable, CHROMIUM, createCaseWithClip, detectAndWait, remoteRequests, ROOT, startHarness, type Harness, videoReady } from './harness';
import { drag, lanes, onVideo } from './pointer';
import { storedTrail } from './stored';

/**
 * Triage through the people gallery, in the built renderer over the real services: a detected face cut
 * into five proposals, shown as five cards with their pictures; several chosen with Shift and redacted in
 * one step (one audit event, one undo); kept from the keyboard; two merged on a suggestion; one deleted;
 * a card clicked goes to its best frame with its region selected.
 */
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const tmp = tempDir('redactor-e2e-gallery-');
let h: Harness;
let clip: string;

const frameNow = async (page: Page) => Number((await page.getByTestId('frame-number').textContent())!.match(/frame (\d+)/)![1]);
const decisions = async (page: Page) => page.getByTestId('card').locator('.badge').allTextContents();
async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe.skipIf(!chromiumAvailable())('people gallery in Chromium (real services)', () => {
  beforeAll(async () => {
    clip = join(tmp.dir, 'stairwell 3.mp4');
    makeFaceClip(clip, { seconds: 2, x: '40+5*n' });
    h = await startHarness({ dataDir: join(tmp.dir, 'proxies') });
  });
  afterAll(async () => {
    await h?.close();
    tmp.cleanup();
  });

  it('triages cards in bulk, each action one undoable step', async () => {
    const { page } = h;
    // The face's proposal cut into five at frames 40, 30, 20 and 10.
    const { n } = await faceInPieces(h, 'Gallery triage', clip, [40, 30, 20, 10]);
    expect(await page.getByTestId('gallery-filter-undecided').textContent()).toBe(`Undecided ${n}`);
    // Every card gets its picture, grabbed from the video in the page.
    await expect.poll(() => page.getByTestId('card-crop').count(), { timeout: 30_000 }).toBe(n);
    const ms = Number(await page.getByTestId('gallery').getAttribute('data-ms-per-crop'));
    expect(ms).toBeGreaterThan(0);
    console.log(`gallery: ${ms} ms per crop (renderer canvas)`);
    // The pieces of one face follow on at the same place: each is suggested as the same person.
    await expect.poll(() => page.getByTestId('card-suggest').count()).toBeGreaterThanOrEqual(4);
    await shot(page, 'gallery-1440x900');

    // Bulk redact: click the first card, Shift-click the third: three chosen, redacted in one step.
    const trailBefore = (await storedTrail(page)).length;
    await page.getByTestId('card').nth(0).click();
    await page.getByTestId('card').nth(2).click({ modifiers: ['Shift'] });
    expect(await page.getByTestId('gallery-chosen').textContent()).toBe('3 chosen');
    await page.getByTestId('gallery-redact').click();
    await expect.poll(() => decisions(page)).toEqual(['redact', 'redact', 'redact', ...Array(n - 3).fill('undecided')]);
    // One edit in the trail (with a decision event for each region it decided).
    const added = (await storedTrail(page)).slice(trailBefore);
    const edits = added.filter((e) => e.type === 'edit');
    expect(edits).toHaveLength(1);
    expect((edits[0]!.payload as { command: string }).command).toBe('Accept 3 regions');
    expect(added.filter((e) => e.type === 'decision')).toHaveLength(3);
    await page.getByTestId('undo').click();
    await expect.poll(() => decisions(page)).toEqual(Array(n).fill('undecided'));
    await page.getByTestId('redo').click();
    await expect.poll(() => decisions(page)).toEqual(['redact', 'redact', 'redact', ...Array(n - 3).fill('undecided')]);

    // The keyboard: the fourth card (Ctrl+click toggles it), Shift+→ takes the fifth too, R keeps both with the reason beside.
    await page.getByTestId('card').nth(3).click();
    expect(await page.getByTestId('gallery-chosen').textContent()).toBe('1 chosen');
    await page.getByTestId('card').nth(3).click({ modifiers: ['Control'] });
    expect(await page.getByTestId('gallery-chosen').textContent()).toMatch(/^Choose cards/);
    await page.getByTestId('card').nth(3).click({ modifiers: ['Control'] });
    expect(await page.getByTestId('gallery-chosen').textContent()).toBe('1 chosen');
    await page.keyboard.press('Shift+ArrowRight');
    expect(await page.getByTestId('gallery-chosen').textContent()).toBe('2 chosen');
    await page.getByTestId('gallery-keep-reason').selectOption('not-a-face');
    await page.getByTestId('gallery-cards').focus();
    await page.keyboard.press('r');
    await expect.poll(() => decisions(page)).toEqual(['redact', 'redact', 'redact', 'keep', 'keep', ...Array(n - 5).fill('undecided')]);
    await page.getByTestId('gallery-filter-keep').click();
    await expect.poll(() => page.getByTestId('card').count()).toBe(2);
    await page.getByTestId('gallery-filter-all').click();

    // Merge the first two (one person), on the reviewer's say: one card fewer; undo brings both back.
    await page.getByTestId('card').nth(0).click();
    await page.getByTestId('card').nth(1).click({ modifiers: ['Shift'] });
    await page.getByTestId('gallery-merge').click();
    await expect.poll(() => page.getByTestId('card').count()).toBe(n - 1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('card').count()).toBe(n);

    // Delete two with the Delete key, in one step.
    await page.getByTestId('card').nth(3).click();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Delete');
    await expect.poll(() => page.getByTestId('card').count()).toBe(n - 2);
    await page.getByTestId('undo').click();
    await expect.poll(() => page.getByTestId('card').count()).toBe(n);

    // A card clicked: its best frame, its region selected.
    await page.getByTestId('card').nth(2).click();
    await expect.poll(() => frameNow(page)).toBeGreaterThanOrEqual(20);
    expect(await frameNow(page)).toBeLessThan(30);
    await expect.poll(() => page.locator('[data-testid=selected-track] .badge').textContent()).toBe('redact');

    await page.setViewportSize({ width: 1024, height: 640 });
    await shot(page, 'gallery-1024x640');
    // The README's pictures (docs/): a common laptop and a full-HD desktop.
    for (const [width, height] of [[1366, 768], [1920, 1080]] as const) {
      await page.setViewportSize({ width, height });
      // The selected region's actions show without scrolling the inspector, and the toolbar is one row.
      const inspector = (await page.getByTestId('inspector').boundingBox())!;
      for (const id of ['track-back', 'track-forward']) {
        const b = (await page.getByTestId(id).boundingBox())!;
        expect(b.y + b.height, `${id} at ${width}×${height}`).toBeLessThanOrEqual(inspector.y + inspector.height);
      }
      expect(Math.abs((await page.getByTestId('open-export').boundingBox())!.y - (await page.getByTestId('detect').boundingBox())!.y)).toBeLessThan(4);
      await shot(page, `gallery-${width}x${height}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(h.pageErrors).toEqual([]);
    expect(remoteRequests(h.requests, h.origin)).toEqual([]);
  }, 300_000);

  it('the timeline resizes to most of the window, labels its lanes and brings the selected lane into view', async () => {
    const { page } = h;
    const n = await page.getByTestId('card').count();
    const height = async () => (await page.getByTestId('timeline-wrap').boundingBox())!.height;
    // Each lane is labelled with its region's number (as on its card).
    await expect.poll(() => page.getByTestId('lane-label').allTextContents()).toEqual(Array.from({ length: Math.min(n, (await page.getByTestId('lane-label').count())) }, (_, i) => `#${i + 1}`));
    // #1 kept, for the grouping below.
    await page.getByTestId('card').nth(0).click();
    await page.keyboard.press('r');
    await expect.poll(() => page.getByTestId('card').nth(0).locator('.badge').textContent()).toBe('keep');
    // Smallest: the splitter with the keyboard.
    await page.getByTestId('timeline-splitter').focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(height).toBe(150);
    expect(await page.getByTestId('lane-label').count()).toBeLessThan(n);
    // The last card chosen: its lane scrolls into view, labelled and marked.
    await page.getByTestId('card').nth(n - 1).click();
    await expect.poll(async () => Number(await page.getByTestId('timeline').getAttribute('data-lane-top'))).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid=lane-label].selected').textContent()).toBe(`#${n}`);
    // Dragged up: as tall as asked, up to most of the window (900 px here).
    const s = (await page.getByTestId('timeline-splitter').boundingBox())!;
    await page.mouse.move(s.x + 200, s.y + 3);
    await page.mouse.down();
    await page.mouse.move(s.x + 200, s.y - 200, { steps: 4 });
    await page.mouse.up();
    await expect.poll(height).toBe(150 + 203);
    const s2 = (await page.getByTestId('timeline-splitter').boundingBox())!;
    await page.mouse.move(s2.x + 200, s2.y + 3);
    await page.mouse.down();
    await page.mouse.move(s2.x + 200, 10, { steps: 4 });
    await page.mouse.up();
    await expect.poll(height).toBe(900 - 190);
    expect(await page.getByTestId('lane-label').count()).toBe(n);
    await shot(page, 'timeline-tall-1440x900');
    // Grouped by decision (undecided, redact, keep): with #1 kept, #2 comes first.
    await page.getByTestId('lane-order').selectOption('decision');
    const order = ['(undecided)', '(redact)', '(keep)'];
    const grouped = await page.getByTestId('lane-label').evaluateAll((ls) => ls.map((l) => (l as unknown as { title: string }).title.replace(/^Region \d+ /, '')));
    expect(grouped).toEqual([...grouped].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    expect(await page.getByTestId('lane-label').first().textContent()).not.toBe('#1');
    expect(await page.getByTestId('lane-label').last().textContent()).not.toBe('#1');
    await page.keyboard.press('Control+z');
    await page.getByTestId('lane-order').selectOption('added');
    // Back to a usual height for what follows.
    await page.getByTestId('timeline-splitter').focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowDown');
    expect(h.pageErrors).toEqual([]);
  }, 120_000);

  it('tracks a drawn region forward with the content tracker: keyframes to correct, one undo step, in the trail as assisted tracking', async () => {
    const { page } = h;
    await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?(): void } | null } }).document.activeElement?.blur?.());
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => frameNow(page)).toBe(10);
    // The face is at x = 130 + 5 a frame: a box drawn round it at frame 10.
    const lanesBefore = await lanes(page);
    await page.getByTestId('draw').click();
    await drag(page, await onVideo(page, 176, 97), await onVideo(page, 234, 154));
    await expect.poll(() => lanes(page)).toBe(lanesBefore + 1);
    const drawn = (await page.getByTestId('selected-box').textContent())!;
    const [x0, y0] = drawn.split(' ')[0]!.split(',').map(Number);
    const trailBefore = (await storedTrail(page)).length;
    await page.getByTestId('track-forward').click();
    await expect.poll(() => page.getByTestId('track-note').textContent(), { timeout: 60_000 }).toMatch(/^Followed 49 frames to frame 59, stopped by the end of the clip/);
    const added = (await storedTrail(page)).slice(trailBefore).filter((e) => e.type === 'edit');
    expect(added.map((e) => (e.payload as { command: string }).command)).toEqual(['Assisted tracking forward from frame 10 to 59']);
    // At frame 40 the box has moved with the face, 150 px right.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => frameNow(page)).toBe(40);
    const [x1, y1] = (await page.getByTestId('selected-box').textContent())!.split(' ')[0]!.split(',').map(Number);
    expect(Math.abs(x1! - (x0! + 150))).toBeLessThanOrEqual(3);
    expect(Math.abs(y1! - y0!)).toBeLessThanOrEqual(3);
    // One step back: the box at frame 40 is the drawn one again.
    await page.getByTestId('undo').click();
    await expect.poll(async () => (await page.getByTestId('selected-box').textContent())!.split(' ')[0]).toBe(`${x0},${y0}`);
    expect(h.pageErrors).toEqual([]);
  }, 120_000);

  it('zooms and pans the video to box a 20-pixel face exactly, and hides decided regions', async () => {
    const { page } = h;
    const zoom = async () => Number(await page.locator('.player').getAttribute('data-zoom'));
    const shown = async () => Number(await page.getByTestId('overlay').getAttribute('data-shown'));
    // The third card's region, at its best frame: Z zooms on it, twice per press.
    await page.getByTestId('card').nth(2).click();
    await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?(): void } | null } }).document.activeElement?.blur?.());
    for (let i = 0; i < 3; i++) await page.keyboard.press('z');
    await expect.poll(zoom).toBe(8);
    const [sx, sy, sw, sh] = (await page.getByTestId('selected-box').textContent())!.match(/\d+/g)!.map(Number);
    const cx = Math.round(sx! + sw! / 2);
    const cy = Math.round(sy! + sh! / 2);
    await shot(page, 'video-zoom-8x');
    // A 20 × 20 box drawn at 8×: exact to the pixel.
    await page.getByTestId('draw').click();
    await drag(page, await onVideo(page, cx - 10, cy - 10), await onVideo(page, cx + 10, cy + 10));
    await expect.poll(() => page.getByTestId('selected-box').textContent()).toBe(`${cx - 10},${cy - 10} 20×20`);
    // The wheel zooms out at the pointer; 0 shows the whole frame.
    const v = (await page.locator('.player').boundingBox())!;
    await page.mouse.move(v.x + v.width / 2, v.y + v.height / 2);
    await page.mouse.wheel(0, 100);
    await expect.poll(zoom).toBeCloseTo(6.4, 5);
    await page.keyboard.press('0');
    await expect.poll(zoom).toBe(1);
    // At 2×, a drag off the boxes pans: the picture follows the pointer.
    await page.mouse.move(v.x + v.width / 2, v.y + v.height / 2);
    await page.mouse.wheel(0, -100);
    await page.mouse.wheel(0, -100);
    await page.mouse.wheel(0, -100);
    // (Each notch is 1.25×; a notch Chromium folds into the one before is not counted.)
    await expect.poll(zoom).toBeGreaterThan(1.5);
    const before = (await page.getByTestId('overlay').boundingBox())!;
    await drag(page, { x: v.x + v.width * 0.9, y: v.y + v.height * 0.9 }, { x: v.x + v.width * 0.9 - 60, y: v.y + v.height * 0.9 - 30 });
    const after = (await page.getByTestId('overlay').boundingBox())!;
    expect(Math.round(after.x - before.x)).toBe(-60);
    expect(Math.round(after.y - before.y)).toBe(-30);
    await page.keyboard.press('0');
    // Hide decided: only the undecided and the selected region stay on the picture (the drag above
    // cleared the selection, and every region here is decided).
    const all = await shown();
    expect(all).toBeGreaterThanOrEqual(2);
    await page.getByTestId('hide-decided').click();
    await expect.poll(shown).toBe(0);
    await page.getByTestId('card').nth(2).click();
    await expect.poll(shown).toBe(1);
    await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?(): void } | null } }).document.activeElement?.blur?.());
    await page.keyboard.press('h');
    await expect.poll(shown).toBeGreaterThan(1);
    await page.keyboard.press('Control+z');
    // The export dialog opens with its summary.
    await page.getByTestId('open-export').click();
    await expect.poll(() => page.getByTestId('export-summary').textContent()).toMatch(/To redact\d+ regions?: Third-party face \d+.*Undecided0.*Kept visible2.*Audio0 ranges, 0 s.*Coverage\d+(\.\d)?% of frames have a redaction/);
    await shot(page, 'export-summary');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('export-dialog').count()).toBe(0);
    expect(h.pageErrors).toEqual([]);
  }, 120_000);

  it('tracks a region drawn at a later frame back to the clip\'s start: keyframes before it, one undo step, in the trail', async () => {
    const { page } = h;
    const keyframes = async () => Number((await page.getByTestId('selected-track').textContent())!.match(/(\d+) keyframes/)![1]);
    await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?(): void } | null } }).document.activeElement?.blur?.());
    await page.keyboard.press('Home');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => frameNow(page)).toBe(40);
    // The face is at x = 126 + 5 a frame: a box drawn round it at frame 40, where the region starts.
    const lanesBefore = await lanes(page);
    await page.getByTestId('draw').click();
    await drag(page, await onVideo(page, 326, 97), await onVideo(page, 384, 154));
    await expect.poll(() => lanes(page)).toBe(lanesBefore + 1);
    const [x0, y0] = (await page.getByTestId('selected-box').textContent())!.split(' ')[0]!.split(',').map(Number);
    const drawnKeyframes = await keyframes();
    // Before tracking, nothing of it at frame 10.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowLeft');
    await expect.poll(() => page.getByTestId('selected-box').textContent()).toBe('not shown at this frame');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => frameNow(page)).toBe(40);

    const trailBefore = (await storedTrail(page)).length;
    await page.getByTestId('track-back').click();
    await expect.poll(() => page.getByTestId('track-note').textContent(), { timeout: 60_000 }).toMatch(/^Followed 40 frames to frame 0, stopped by the start of the clip/);
    const added = (await storedTrail(page)).slice(trailBefore).filter((e) => e.type === 'edit');
    expect(added.map((e) => (e.payload as { command: string }).command)).toEqual(['Assisted tracking back from frame 40 to 0']);
    expect(await keyframes()).toBeGreaterThan(drawnKeyframes);
    // At frame 10 the box is where the face was, 150 px left of the drawn one.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowLeft');
    await expect.poll(() => frameNow(page)).toBe(10);
    const [x1, y1] = (await page.getByTestId('selected-box').textContent())!.split(' ')[0]!.split(',').map(Number);
    expect(Math.abs(x1! - (x0! - 150))).toBeLessThanOrEqual(3);
    expect(Math.abs(y1! - y0!)).toBeLessThanOrEqual(3);
    // One undo: the followed keyframes are gone, the region starts at frame 40 again.
    await page.getByTestId('undo').click();
    await expect.poll(() => page.getByTestId('selected-box').textContent()).toBe('not shown at this frame');
    expect(await keyframes()).toBe(drawnKeyframes);
    expect(h.pageErrors).toEqual([]);
  }, 120_000);

  it('suggests a person who leaves and comes back elsewhere as a look-alike; merged only when the reviewer says so', async () => {
    const { page } = h;
    // The face for the first second at the left, gone for 3.5 s (longer than a gap suggested by place), then at the right.
    const away = join(tmp.dir, 'comes back.mp4');
    makeFaceClip(away, { seconds: 6, x: "'if(lt(t,1),40,if(lt(t,4.5),-600,340))'" });
    await createCaseWithClip(h, 'Look-alike', away);
    await videoReady(page);
    await detectAndWait(page);
    const n = await page.getByTestId('card').count();
    expect(n).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.getByTestId('card-crop').count(), { timeout: 30_000 }).toBe(n);
    // The cards on both sides of the gap say whom they look like; the two are never suggested by place (the gap is over 3 s).
    await expect.poll(() => page.getByTestId('card-alike').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const cardNumbered = (k: number) => page.locator('[data-testid=card]', { has: page.locator('b', { hasText: new RegExp(`^#${k}$`) }) });
    const earlier = page.locator('[data-testid=card]:has([data-testid=card-alike])').first();
    const earlierNumber = Number((await earlier.locator('b').textContent())!.slice(1));
    const laterNumber = Number((await earlier.getByTestId('card-alike').textContent())!.match(/#(\d+)/)![1]);
    const later = cardNumbered(laterNumber);
    expect(await later.getByTestId('card-alike').textContent()).toBe(`looks like #${earlierNumber}?`);
    const earlierLast = Number((await earlier.getAttribute('title'))!.match(/frames \d+–(\d+)/)![1]);
    const laterFirst = Number((await later.getAttribute('title'))!.match(/frames (\d+)–/)![1]);
    expect(laterFirst - earlierLast).toBeGreaterThan(90);
    expect(await later.getByTestId('card-suggest').count()).toBe(0);
    await shot(page, 'gallery-look-alike');
    // Nothing is merged by the suggestion: the reviewer chooses both and merges.
    expect(await page.getByTestId('card').count()).toBe(n);
    await earlier.click();
    await later.click({ modifiers: ['Control'] });
    expect(await page.getByTestId('gallery-chosen').textContent()).toBe('2 chosen');
    await page.getByTestId('gallery-merge').click();
    await expect.poll(() => page.getByTestId('card').count()).toBe(n - 1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('card').count()).toBe(n);
    await expect.poll(() => later.getByTestId('card-alike').textContent()).toBe(`looks like #${earlierNumber}?`);
    expect(h.pageErrors).toEqual([]);
  }, 300_000);
});

describe.skipIf(chromiumAvailable())('people gallery (no Chromium)', () => {
  it.skip(`skipped: no Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium"`, () => {});
});
