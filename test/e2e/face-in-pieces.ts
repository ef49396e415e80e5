import { createCaseWithClip, detectAndWait, pollUntil, type Harness, videoReady } from './harness';
import { lanes } from './pointer';

/**
 * The gallery tests' set-up (gallery-flow, triage-effort): a new case with a clip of one moving face
 * (`makeFaceClip`), detected, and the face's proposal cut at the given frames (S splits the selected
 * region; cut from the last frame down, the first piece stays selected), so the gallery holds many
 * cards of one person. Returns the lanes detection made and the cards there are after the cuts.
 */
export async function faceInPieces(h: Harness, caseName: string, clip: string, cuts: readonly number[]): Promise<{ detected: number; n: number }> {
  const { page } = h;
  await page.goto(`${h.origin}/`);
  await createCaseWithClip(h, caseName, clip);
  await videoReady(page);
  const detected = await detectAndWait(page);
  await page.keyboard.press(']');
  await pollUntil(async () => (await page.getByTestId('selected-track').count()) === 1, 'the proposal selected');
  const frameNow = async () => Number((await page.getByTestId('frame-number').textContent())!.match(/frame (\d+)/)![1]);
  for (const [i, at] of [...cuts].sort((a, b) => b - a).entries()) {
    await page.keyboard.press('Control+g');
    await page.keyboard.type(`#${at}`);
    await page.keyboard.press('Enter');
    await pollUntil(async () => (await frameNow()) === at, `frame ${at}`);
    await page.keyboard.press('s');
    await pollUntil(async () => (await lanes(page)) === detected + i + 1, `the cut at frame ${at}`);
  }
  await pollUntil(async () => (await page.getByTestId('card').count()) === detected + cuts.length, 'a card per piece');
  return { detected, n: detected + cuts.length };
}
