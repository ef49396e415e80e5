import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ffmpeg, tempDir } from '../helpers/media';
import { chromiumAvailable, createCaseWithClip, ROOT, startHarness, type Harness, videoReady } from './harness';
import { lanes } from './pointer';
import { storedRows } from './stored';

/**
 * Text detected in the app and triaged with faces in one list: a clip with a face and a number plate,
 * detected with both kinds ticked; the gallery shows both, its kind filter (All / Faces / Text) narrows
 * the cards and the timeline's lanes alike, and the text shown is redacted in bulk while the face stays
 * undecided.
 */
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const tmp = tempDir('redactor-e2e-text-');
let h: Harness;
let clip: string;

function fontFile(): string {
  const r = spawnSync('fc-match', ['-f', '%{file}', 'DejaVu Sans:bold'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout ? r.stdout : '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
}

const labels = (page: Page) => page.getByTestId('card').evaluateAll((cards) => cards.map((c) => (c as unknown as { dataset: { label: string } }).dataset.label));

describe.skipIf(!chromiumAvailable())('text proposals triaged with faces (real services, real models)', () => {
  beforeAll(async () => {
    // 2 s, 640×360: the astronaut's face on the left, a white plate "CF 691 BN" still at the lower right.
    clip = join(tmp.dir, 'car park.mp4');
    const font = fontFile().replace(/[:\\']/g, '\\$&');
    ffmpeg([
      '-f', 'lavfi', '-i', 'color=c=gray:size=640x360:rate=30:duration=2',
      '-i', join(ROOT, 'test', 'fixtures', 'astronaut.png'),
      '-filter_complex', [
        '[1:v]scale=200:200[p]',
        '[0:v][p]overlay=x=40+n:y=60:eval=frame,drawbox=x=420:y=280:w=160:h=36:color=white:t=fill',
        `drawtext=fontfile='${font}':text='CF 691 BN':fontsize=24:fontcolor=black:x=432:y=287[v]`,
      ].join(','),
      '-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p', clip,
    ]);
    h = await startHarness({ dataDir: join(tmp.dir, 'proxies') });
  });
  afterAll(async () => {
    await h?.close();
    tmp.cleanup();
  });

  it('detects a plate and a face, filters the list by kind, and redacts the text in one step', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await createCaseWithClip(h, 'Car park', clip);
    await videoReady(page);
    expect(await page.getByTestId('detect-find-text').isChecked()).toBe(true);
    expect(await page.getByTestId('detect-find-faces').isChecked()).toBe(true);
    await page.getByTestId('detect').click();
    await expect.poll(() => lanes(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByTestId('job-detect').count(), { timeout: 120_000 }).toBe(0);

    // Both kinds in the one list, counted on the kind filter.
    const all = await labels(page);
    const faces = all.filter((l) => l === 'face').length;
    const text = all.filter((l) => l === 'text').length;
    expect(faces).toBeGreaterThanOrEqual(1);
    expect(text).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('gallery-kind-all').textContent()).toBe(`All ${all.length}`);
    expect(await page.getByTestId('gallery-kind-faces').textContent()).toBe(`Faces ${faces}`);
    expect(await page.getByTestId('gallery-kind-text').textContent()).toBe(`Text ${text}`);
    const allLanes = await lanes(page);

    // Text only: the cards and the timeline's lanes narrow to the text regions, and the decision counts with them.
    await page.getByTestId('gallery-kind-text').click();
    await expect.poll(() => labels(page)).toEqual(Array(text).fill('text'));
    await expect.poll(() => lanes(page)).toBe(allLanes - faces);
    expect(await page.getByTestId('gallery-filter-undecided').textContent()).toBe(`Undecided ${text}`);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'text-triage-text-only.png') });

    // All the text shown, chosen with Ctrl+A and redacted with A: one step, faces untouched.
    await page.getByTestId('gallery-cards').focus();
    await page.keyboard.press('Control+a');
    expect(await page.getByTestId('gallery-chosen').textContent()).toBe(`${text} chosen`);
    await page.keyboard.press('a');
    await expect.poll(() => page.getByTestId('card').locator('.badge').allTextContents()).toEqual(Array(text).fill('redact'));
    const stored = async () => (await storedRows<{ track: { label: string; decision: string } }>(page, 'tracks')).map((r) => `${r.track.label} ${r.track.decision}`).sort();
    await expect.poll(stored).toEqual([...Array(faces).fill('face proposed'), ...Array(text).fill('text redact')]);

    // Faces only, then everything again.
    await page.getByTestId('gallery-kind-faces').click();
    await expect.poll(() => labels(page)).toEqual(Array(faces).fill('face'));
    await expect.poll(() => lanes(page)).toBe(allLanes - text);
    expect(await page.getByTestId('gallery-filter-undecided').textContent()).toBe(`Undecided ${faces}`);
    await page.getByTestId('gallery-kind-all').click();
    await expect.poll(async () => (await labels(page)).length).toBe(all.length);
    await expect.poll(() => lanes(page)).toBe(allLanes);
    await page.screenshot({ path: join(SHOTS, 'text-triage-all.png') });
    expect(h.pageErrors).toEqual([]);
  }, 240_000);
});
