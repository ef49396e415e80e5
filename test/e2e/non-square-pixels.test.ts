import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ffmpeg, tempDir } from '../helpers/media';
import { chromiumAvailable, createCaseWithClip, pollUntil, startHarness, type Harness, videoReady } from './harness';
import { drag, lanes, onVideo } from './pointer';

/**
 * Footage with non-square pixels (CCTV and DVD-style exports: 720×576 shown at 768×576, and the like)
 * is shown by Chromium at its display shape. The regions drawn over it are kept in stored pixels, so
 * the overlay must lie exactly on the picture: a box drawn over a face must be the box exported over it.
 * The clip stores 480×360 pixels that are each 4:3 wide (shown at 640×360), black with a white block.
 */
const tmp = tempDir('redactor-e2e-sar-');
let h: Harness;
const SOURCE = { width: 480, height: 360 };
const BLOCK = { x: 300, y: 20, w: 60, h: 40 };

function anamorphicClip(path: string): string {
  ffmpeg([
    '-f', 'lavfi', '-i', `color=black:s=${SOURCE.width}x${SOURCE.height}:r=30:d=1,drawbox=x=${BLOCK.x}:y=${BLOCK.y}:w=${BLOCK.w}:h=${BLOCK.h}:color=white:t=fill,setsar=4/3`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', path,
  ]);
  return path;
}

/** Luma of the page's pixel at a point given in stored source pixels, read from a screenshot. */
async function shownAt(page: Page, x: number, y: number): Promise<number> {
  const p = await onVideo(page, x, y, SOURCE);
  const png = await page.screenshot({ clip: { x: Math.round(p.x), y: Math.round(p.y), width: 1, height: 1 }, type: 'png' });
  type Img = { decode(): Promise<void>; width: number };
  type Doc = { document: { createElement(t: 'canvas'): { getContext(k: '2d'): { drawImage(i: unknown, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } } } };
  return page.evaluate(async (b64) => {
    const img = new (globalThis as unknown as { Image: new () => Img & { src: string } }).Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const g = (globalThis as unknown as Doc).document.createElement('canvas').getContext('2d');
    g.drawImage(img, 0, 0);
    const [r, gr, b] = g.getImageData(0, 0, 1, 1).data;
    return Math.round(0.299 * r! + 0.587 * gr! + 0.114 * b!);
  }, png.toString('base64'));
}

describe.skipIf(!chromiumAvailable())('non-square pixels: the overlay lies on the picture (Chromium, real services)', () => {
  let clip: string;
  beforeAll(async () => {
    clip = anamorphicClip(join(tmp.dir, 'anamorphic.mp4'));
    h = await startHarness({ dataDir: join(tmp.dir, 'proxies') });
  });
  afterAll(async () => {
    await h?.close();
    tmp.cleanup();
  });

  it('the picture under a stored pixel is that pixel, and the preview obscures what the box covers', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await createCaseWithClip(h, 'Op Anamorphic', clip);
    await videoReady(page);
    // The video is shown at its display shape (4:3 pixels: 640×360), and the overlay covers exactly it.
    await pollUntil(async () => {
      const r = (await page.getByTestId('overlay').boundingBox())!;
      return Math.abs(r.width / r.height - 640 / 360) < 0.01;
    }, 'the overlay at the display shape');
    const centre = { x: BLOCK.x + BLOCK.w / 2, y: BLOCK.y + BLOCK.h / 2 };
    expect(await shownAt(page, centre.x, centre.y)).toBeGreaterThan(200);
    expect(await shownAt(page, centre.x, 200)).toBeLessThan(40);
    expect(await shownAt(page, 150, centre.y)).toBeLessThan(40);

    // A region drawn over the block, previewed as blur: the block's own pixels, blurred, fill it.
    await page.getByTestId('draw').click();
    await drag(page, await onVideo(page, BLOCK.x, BLOCK.y, SOURCE), await onVideo(page, BLOCK.x + BLOCK.w, BLOCK.y + BLOCK.h, SOURCE));
    await expect.poll(() => lanes(page)).toBe(1);
    await page.keyboard.press('p');
    await expect.poll(() => shownAt(page, centre.x, centre.y)).toBeGreaterThan(150);
  });
});
