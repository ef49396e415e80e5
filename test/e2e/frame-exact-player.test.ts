import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ffmpeg, tempDir } from '../helpers/media';
import { chromiumAvailable, CHROMIUM, createCaseWithClip, pollUntil, remoteRequests, startHarness, type Harness, videoReady, openCase } from './harness';
import { storedRows } from './stored';

/**
 * The picture the player shows is the frame the app says it is, also for files whose first frame is
 * not at media time 0: a picture that starts after its sound, a file whose clock starts at 10 s
 * (played as they are), and an MPEG-TS file (clock at 1.4 s, played through the playable copy); and
 * for a clip cut with stream copy and one with a variable frame rate. Each
 * frame of the clip draws its own number in eight black-or-white stripes, read back from the <video>.
 * A reviewer who moves a box on "frame 45" must be looking at frame 45.
 */
const tmp = tempDir('redactor-e2e-frames-');
let h: Harness;
const W = 320;
const H = 240;
const FRAMES = 90;

/** Frame n shows n in binary: stripe b (of 8, left to right) white when bit b is set. */
function numberedClip(path: string): string {
  const stripes = `geq=lum='255*mod(floor(N/pow(2\\,floor(X*8/W)))\\,2)':cb=128:cr=128`;
  ffmpeg([
    '-f', 'lavfi', '-i', `color=black:s=${W}x${H}:r=30:d=${FRAMES / 30},format=yuv420p,${stripes}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${FRAMES / 30 + 0.5}`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-g', '30', '-pix_fmt', 'yuv420p', '-c:a', 'aac', path,
  ]);
  return path;
}

type VideoLike = { readyState: number; seeking: boolean; paused: boolean };
type Doc = {
  document: {
    querySelector(s: string): VideoLike | null;
    createElement(t: 'canvas'): { width: number; height: number; getContext(k: '2d'): { drawImage(v: unknown, x: number, y: number, w: number, h: number): void; getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
  };
};

/** The number drawn in the frame the <video> shows now. */
async function pictureNumber(page: Page): Promise<number> {
  return page.evaluate(([w, h]) => {
    const doc = (globalThis as unknown as Doc).document;
    const c = doc.createElement('canvas');
    c.width = w!;
    c.height = h!;
    const g = c.getContext('2d');
    g.drawImage(doc.querySelector('video'), 0, 0, w!, h!);
    const row = g.getImageData(0, h! / 2, w!, 1).data;
    let n = 0;
    for (let b = 0; b < 8; b++) if (row[(b * (w! / 8) + w! / 16) * 4]! > 128) n |= 1 << b;
    return n;
  }, [W, H]);
}

const frameNumber = async (page: Page) => Number((await page.getByTestId('frame-number').textContent())!.match(/frame (\d+)/)![1]);

/** Steps with the arrow keys (Shift: ten) from the frame shown to `target`, either way, and waits for the seek. */
async function stepTo(page: Page, target: number): Promise<void> {
  let at = await frameNumber(page);
  const [ten, one, sign] = target >= at ? ['Shift+ArrowRight', 'ArrowRight', 1] : ['Shift+ArrowLeft', 'ArrowLeft', -1];
  while (Math.abs(target - at) >= 10) {
    await page.keyboard.press(ten);
    at += 10 * sign;
  }
  while (at !== target) {
    await page.keyboard.press(one);
    at += sign;
  }
  type Seekable = { document: { querySelector(s: string): VideoLike | null } };
  await pollUntil(async () => (await frameNumber(page)) === target && !(await page.evaluate(() => (globalThis as unknown as Seekable).document.querySelector('video')!.seeking)), `frame ${target}`);
}

describe.skipIf(!chromiumAvailable())('the player shows the frame the app names (Chromium, real services)', () => {
  const clips: Record<string, string> = {};
  beforeAll(async () => {
    const base = numberedClip(join(tmp.dir, 'numbered.mp4'));
    clips['a picture that starts 0.5 s after its sound'] = join(tmp.dir, 'late picture.mp4');
    ffmpeg(['-i', base, '-itsoffset', '0.5', '-i', base, '-map', '1:v', '-map', '0:a', '-c', 'copy', clips['a picture that starts 0.5 s after its sound']]);
    clips['a file whose clock starts at 10 s'] = join(tmp.dir, 'late clock.mp4');
    ffmpeg(['-i', base, '-c', 'copy', '-output_ts_offset', '10', clips['a file whose clock starts at 10 s']]);
    clips['an MPEG-TS file, played through its playable copy'] = join(tmp.dir, 'transport stream.ts');
    ffmpeg(['-i', base, '-c', 'copy', '-f', 'mpegts', clips['an MPEG-TS file, played through its playable copy']]);
    // Frame intervals of 1/30, 1/15 and 1/100 s in turn (variable frame rate, from a phone or a dropped-frame recorder).
    clips['variable frame rate'] = join(tmp.dir, 'vfr.mp4');
    ffmpeg([
      '-i', base, '-map', '0:v', '-vf', "setpts='if(lt(N,30),N*512,if(lt(N,60),15360+(N-30)*1024,46080+(N-60)*154))'",
      '-fps_mode', 'passthrough', '-enc_time_base', '1/15360', '-video_track_timescale', '15360',
      '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', clips['variable frame rate'],
    ]);
    // Cut at 0.6 s with stream copy: frames 0–17 stay in the file, flagged discard, behind an edit list.
    clips['a clip cut with stream copy'] = join(tmp.dir, 'cut.mp4');
    ffmpeg(['-ss', '0.6', '-i', base, '-c', 'copy', clips['a clip cut with stream copy']]);
    h = await startHarness({ dataDir: join(tmp.dir, 'proxies') });
  });
  afterAll(async () => {
    await h?.close();
    tmp.cleanup();
  });

  it('a clip stored before the player’s start was kept gets it when opened, and shows the frames it names', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await createCaseWithClip(h, 'Op Frames old clip', clips['a file whose clock starts at 10 s']!);
    await videoReady(page, 60_000);
    // As a clip imported by an earlier version left it: probe facts without playerStart.
    const stripped = await page.evaluate(
      () =>
        new Promise<boolean>((resolve, reject) => {
          const req = (globalThis as any).indexedDB.open('evidence-redactor');
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const db = req.result;
            const tx = db.transaction(['cases', 'clips'], 'readwrite');
            let done = false;
            tx.objectStore('cases').getAll().onsuccess = (e: any) => {
              const kase = e.target.result.find((c: { name: string }) => c.name === 'Op Frames old clip');
              tx.objectStore('clips').index('caseId').getAll(kase.id).onsuccess = (e2: any) => {
                const row = e2.target.result[0];
                done = row.probe.playerStart?.original > 9;
                delete row.probe.playerStart;
                tx.objectStore('clips').put(row);
              };
            };
            tx.oncomplete = () => {
              db.close();
              resolve(done);
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    expect(stripped).toBe(true);
    await page.reload();
    await openCase(page, 'Op Frames old clip');
    await page.getByTestId('clip').first().click();
    await videoReady(page, 60_000);
    // Filled in again, and the player shows the frames it names.
    const kase = (await storedRows<{ id: string; name: string }>(page, 'cases')).find((c) => c.name === 'Op Frames old clip')!;
    const row = (await storedRows<{ caseId: string; probe: { playerStart?: { original: number } } }>(page, 'clips')).find((c) => c.caseId === kase.id)!;
    expect(row.probe.playerStart?.original).toBeCloseTo(10, 2);
    for (const target of [0, 13, 45]) {
      if (target > 0) await stepTo(page, target);
      await pollUntil(async () => (await pictureNumber(page)) === target, `the picture of frame ${target} (showing ${await pictureNumber(page)})`, 5_000);
    }
    expect(h.pageErrors).toEqual([]);
  }, 120_000);

  it('goes to a typed frame or time (Ctrl+G, or a click on the timecode), and to the first and last frame (Home, End)', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await createCaseWithClip(h, 'Op Frames go to', clips['variable frame rate']!);
    await videoReady(page, 60_000);
    const goTo = async (open: () => Promise<void>, text: string) => {
      await open();
      await page.getByTestId('go-to').fill(text);
      await page.getByTestId('go-to').press('Enter');
    };
    const shows = async (frame: number) => {
      await pollUntil(async () => (await frameNumber(page)) === frame, `frame ${frame}`);
      await pollUntil(async () => (await pictureNumber(page)) === frame, `the picture of frame ${frame}`, 5_000);
    };
    await goTo(() => page.keyboard.press('Control+g'), '#45');
    await shows(45);
    // Times count from the first frame. Here frames 30–59 are 1/15 s apart from 1 s on, so 2.5 s shows frame 52.
    await goTo(() => page.getByTestId('timecode').click(), '2.5');
    await shows(52);
    await goTo(() => page.keyboard.press('Control+g'), '0:01');
    await shows(30);
    await page.keyboard.press('End');
    await shows(89);
    await page.keyboard.press('Home');
    await shows(0);
    // Not a place in this clip: said, and the player stays where it is.
    await goTo(() => page.keyboard.press('Control+g'), '#90');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Cannot go there: there is no frame 90: the last is 89.');
    await page.getByTestId('go-to').press('Escape');
    expect(await page.getByTestId('go-to').count()).toBe(0);
    expect(await frameNumber(page)).toBe(0);
    expect(h.pageErrors).toEqual([]);
  }, 120_000);

  it.each([
    ['a picture that starts 0.5 s after its sound', 0],
    ['a file whose clock starts at 10 s', 0],
    ['an MPEG-TS file, played through its playable copy', 0],
    ['a clip cut with stream copy', 18],
    ['variable frame rate', 0],
  ])('%s: stepped frames and played frames are the pictures named', async (name, firstNumber) => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await createCaseWithClip(h, `Op Frames ${name.slice(0, 12)}`, clips[name]!);
    await videoReady(page, 60_000);
    const frames = FRAMES - firstNumber;
    // The app counts the frames the file shows ("frame 0 / last").
    expect((await page.getByTestId('frame-number').textContent())!).toMatch(new RegExp(`/ ${frames - 1}\\b`));
    for (const target of [0, 1, 2, 13, 45, frames - 1]) {
      if (target > 0) await stepTo(page, target);
      await pollUntil(async () => (await pictureNumber(page)) === firstNumber + target, `the picture of frame ${target} (showing ${(await pictureNumber(page)) - firstNumber})`, 5_000);
    }

    // Playing from the start, the frames the app follows begin at the start too (a clock read without
    // the file's start would jump ahead by it at once: to frame 15, or to the end).
    await stepTo(page, 0);
    // Every frame number the app shows, recorded in the page as it changes (polling from here could
    // miss the first ones on a loaded machine).
    type Watch = { document: { querySelector(s: string): object }; MutationObserver: new (cb: () => void) => { observe(n: object, o: object): void }; shownFrames: string[] };
    await page.evaluate(() => {
      const g = globalThis as unknown as Watch;
      const el = g.document.querySelector('[data-testid="frame-number"]') as { textContent: string };
      g.shownFrames = [];
      new g.MutationObserver(() => g.shownFrames.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
    });
    await page.keyboard.press('Space');
    await pollUntil(async () => (await frameNumber(page)) > 0, 'playback to move on', 10_000);
    await page.keyboard.press('Space');
    const shown = await page.evaluate(() => (globalThis as unknown as Watch).shownFrames);
    const firstPlayed = Number(shown.map((t) => t.match(/frame (\d+)/)?.[1]).find((n) => n !== undefined && n !== '0'));
    expect(firstPlayed).toBeLessThan(10);
    type Pausable = { document: { querySelector(s: string): VideoLike | null } };
    await pollUntil(() => page.evaluate(() => (globalThis as unknown as Pausable).document.querySelector('video')!.paused), 'pause');
    const stopped = await frameNumber(page);
    await pollUntil(async () => (await pictureNumber(page)) === firstNumber + stopped, `the picture of frame ${stopped} after pausing`, 5_000);
    expect(h.pageErrors).toEqual([]);
    expect(remoteRequests(h.requests, h.origin)).toEqual([]);
  });
});

describe.skipIf(chromiumAvailable())('the player shows the frame the app names (no Chromium)', () => {
  it.skip(`skipped: no Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium"`, () => {});
});
