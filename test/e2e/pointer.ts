import type { Page } from 'playwright-core';

/** Source size of the clips the e2e tests make with `makeFaceClip` (640×360 unless a test says otherwise). */
const SOURCE = { width: 640, height: 360 };

/** Screen position of a point given in source pixels on the video's overlay. */
export async function onVideo(page: Page, x: number, y: number, source = SOURCE): Promise<{ x: number; y: number }> {
  const r = (await page.getByTestId('overlay').boundingBox())!;
  return { x: r.x + (x / source.width) * r.width, y: r.y + (y / source.height) * r.height };
}

/** A mouse drag in a few steps, as a hand makes it. */
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 3 });
  await page.mouse.up();
}

/** How many track lanes the timeline shows. */
export const lanes = async (page: Page) => Number(await page.getByTestId('timeline').getAttribute('data-lanes'));
