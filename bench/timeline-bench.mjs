#!/usr/bin/env node
// Are the timeline and the people gallery smooth with 300 regions on a 30-minute clip? The built renderer
// in Debian's Chromium over the app's real services (as the end-to-end harness runs it), frame times
// measured in the page.
//
// usage: npm run bench:timeline [-- --seconds 3 --tracks 300 --minutes 30 --phases 'scroll gallery,play']
// Generates a 320×180 30 fps clip with a tone (cached in .bench/timeline/), imports it through the
// app, then writes synthetic detected tracks (seeded, spread over the clip, a keyframe every second)
// into the app's IndexedDB as the store keeps them, reloads and opens the clip, waits for the waveform
// and thumbnails, and then for each phase — scroll lanes, scroll time, zoom in and out, play — fires
// one wheel event per animation frame (as a trackpad does) or plays the video, and records every
// requestAnimationFrame interval. The gallery is scrolled by 40 px an animation frame, down and back
// (the list scrolls natively; a synthetic wheel event would not move it): first with the timeline loaded
// and the gallery's crops still being grabbed (how many, before and after, is printed), and last once
// every card has its crop. Prints p50/p95/p99, the worst interval and the share of frames over
// 16.7 ms (a missed 60 Hz frame) per phase. With --profile, also the page's CPU profile per phase:
// the functions with the most self time, and the share of the phase the main thread was busy.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const SECONDS = Number(args.seconds ?? 3);
const TRACKS = Number(args.tracks ?? 300);
const MINUTES = Number(args.minutes ?? 30);
const PROFILE = process.argv.includes('--profile');
const ALL_PHASES = ['scroll gallery while crops load', 'scroll lanes', 'scroll time', 'zoom', 'play', 'scroll gallery'];
const PHASES = args.phases ? args.phases.split(',').map((p) => p.trim()) : ALL_PHASES;
for (const p of PHASES) if (!ALL_PHASES.includes(p)) throw new Error(`unknown phase "${p}": one of ${ALL_PHASES.join(', ')}`);
const FPS = 30;
// Tracks start anywhere up to 4000 frames before the end (see the seeding below).
if (MINUTES * 60 * FPS <= 4000) throw new Error('--minutes must be at least 3');
const ROOT = new URL('..', import.meta.url).pathname;
const { startHarness, pollUntil, videoReady, openCase } = await import(join(ROOT, 'dist', 'test', 'e2e', 'harness.js'));
const WORK = join(ROOT, '.bench', 'timeline');
mkdirSync(WORK, { recursive: true });

const clip = join(WORK, `clip-${MINUTES}min.mp4`);
if (!existsSync(clip)) {
  console.log(`generating a ${MINUTES}-minute clip (once)…`);
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=${FPS}:duration=${MINUTES * 60}`,
    '-f', 'lavfi', '-i', `sine=frequency=300:sample_rate=48000:duration=${MINUTES * 60}`,
    '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '150', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', `${clip}.tmp.mp4`], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('clip generation failed');
  renameSync(`${clip}.tmp.mp4`, clip);
}

// The app as the end-to-end tests run it (test/e2e/harness.ts): real services, the built renderer in Chromium.
const app = await startHarness({ dataDir: WORK });
const { page, context, origin } = app;
const errors = app.pageErrors;

try {
  // Import through the app, as a reviewer would.
  await page.goto(`${origin}/`);
  await page.getByTestId('new-case-name').fill('Timeline bench');
  await page.getByTestId('create-case').click();
  app.nextOpen = [clip];
  await page.getByTestId('import').click();
  await page.getByTestId('video').waitFor({ timeout: 300_000 });
  const frameCount = MINUTES * 60 * FPS;

  // Synthetic tracks written as the store keeps them (one row per track, lane order on the clip row).
  const seeded = await page.evaluate(
    async ({ tracks, frameCount }) => {
      let s = 12345;
      const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
      const decisions = ['proposed', 'redact', 'keep'];
      const made = [];
      for (let i = 0; i < tracks; i++) {
        const first = Math.floor(rnd() * (frameCount - 4000));
        const length = 300 + Math.floor(rnd() * 3000);
        const keyframes = [];
        let x = rnd() * 250;
        let y = rnd() * 130;
        for (let f = first; f < first + length; f += 30) {
          x = Math.min(280, Math.max(0, x + (rnd() - 0.5) * 10));
          y = Math.min(150, Math.max(0, y + (rnd() - 0.5) * 10));
          keyframes.push({ frame: f, x, y, w: 30, h: 30, outside: false, source: rnd() < 0.1 ? 'manual' : 'detected', confidence: 0.9 });
        }
        keyframes.push({ ...keyframes[keyframes.length - 1], frame: first + length, outside: true });
        made.push({ id: `bench-${String(i).padStart(4, '0')}`, label: 'face', shape: 'rectangle', reason: 'third-party-face', provenance: { origin: 'detected', detector: 'bench' }, decision: decisions[i % 3], keyframes });
      }
      const db = await new Promise((resolve, reject) => {
        const r = indexedDB.open('evidence-redactor');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      await new Promise((resolve, reject) => {
        const tx = db.transaction(['clips', 'tracks'], 'readwrite');
        const clips = tx.objectStore('clips');
        clips.getAll().onsuccess = (e) => {
          const clip = e.target.result[0];
          for (const t of made) tx.objectStore('tracks').put({ clipId: clip.id, id: t.id, track: t });
          clips.put({ ...clip, trackOrder: made.map((t) => t.id) });
        };
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
      return { tracks: made.length, keyframes: made.reduce((n, t) => n + t.keyframes.length, 0) };
    },
    { tracks: TRACKS, frameCount },
  );
  await page.reload();
  await openCase(page, 'Timeline bench');
  await page.getByTestId('clip').first().click();
  // Polled from Node: waitForFunction evaluates its predicate as a string, which the app's CSP forbids.
  const timelineData = () => page.evaluate(() => ({ ...document.querySelector('[data-testid=timeline]')?.dataset }));
  await pollUntil(async () => Number((await timelineData()).lanes) === TRACKS, `${TRACKS} lanes`, 60_000);
  await pollUntil(async () => { const d = await timelineData(); return Number(d.waveform) > 0 && Number(d.thumbnails) > 0; }, 'the waveform and thumbnails', 300_000);
  await videoReady(page);

  // One phase: for `seconds`, call `step(i)` once per animation frame and record the intervals.
  const measure = (name, seconds) =>
    page.evaluate(
      ({ name, seconds }) =>
        new Promise((resolve) => {
          const tl = document.querySelector('[data-testid=timeline]');
          const cards = document.querySelector('[data-testid=gallery-cards]');
          const r = tl.getBoundingClientRect();
          const at = { clientX: r.left + r.width * 0.4, clientY: r.top + 200, bubbles: true, cancelable: true };
          const wheel = (o) => tl.dispatchEvent(new WheelEvent('wheel', { ...at, ...o }));
          const steps = {
            'scroll lanes': (i) => wheel({ deltaY: i % 120 < 60 ? 40 : -40 }),
            'scroll time': (i) => wheel({ deltaX: i % 120 < 60 ? 60 : -60 }),
            zoom: (i) => wheel({ deltaY: i % 40 < 20 ? -100 : 100, ctrlKey: true }),
            play: () => {},
            'scroll gallery': (i) => cards.scrollBy(0, i % 240 < 120 ? 40 : -40),
            'scroll gallery while crops load': (i) => cards.scrollBy(0, i % 240 < 120 ? 40 : -40),
          };
          const step = steps[name];
          const intervals = [];
          let last = 0;
          let i = 0;
          const end = performance.now() + seconds * 1000;
          let lowest = 0;
          const tick = (now) => {
            if (cards) lowest = Math.max(lowest, cards.scrollTop);
            if (last) intervals.push(now - last);
            last = now;
            if (now >= end) return resolve({ intervals, scrolled: lowest });
            step(i++);
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        }),
      { name, seconds },
    );

  /** Self time by function from a CDP CPU profile, the top few, and how busy the main thread was. */
function printProfile(phase, profile) {
  const self = new Map();
  const dt = profile.timeDeltas;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const ms = (dt[i + 1] ?? 0) / 1000;
    total += ms;
    const f = n.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)') idle += f.functionName === '(idle)' ? ms : 0;
    const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + ms);
  });
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log(`profile ${phase}: main thread busy ${((100 * (total - idle)) / total).toFixed(0)}% of ${total.toFixed(0)} ms`);
  for (const [k, ms] of top) console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${k}`);
}

  const q = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const results = [];
  const load = [];
  let gallery = null;
  for (const name of PHASES) {
    if (name === 'scroll gallery') {
      // Every card's picture first (grabbed in the page from the clip), as a reviewer scrolls a gallery once it has loaded.
      const galleryData = () => page.evaluate(() => ({ ...document.querySelector('[data-testid=gallery]')?.dataset }));
      const started = Date.now();
      await pollUntil(async () => Number((await galleryData()).crops) >= seeded.tracks, `${seeded.tracks} crops`, 600_000);
      const d = await galleryData();
      gallery = { cropsSeconds: (Date.now() - started) / 1000, msPerCrop: d.msPerCrop, cardsInDom: await page.getByTestId('card').count() };
    }
    if (name === 'play') {
      await page.getByTestId('timeline').click({ position: { x: 200, y: 10 } }); // seek, and focus off inputs
      await page.keyboard.press('Space');
    }
    const cdp = PROFILE ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const cropsBefore = await page.evaluate(() => Number(document.querySelector('[data-testid=gallery]')?.dataset.crops));
    const { intervals, scrolled } = await measure(name, SECONDS);
    if (name.startsWith('scroll gallery')) {
      const cropsAfter = await page.evaluate(() => Number(document.querySelector('[data-testid=gallery]')?.dataset.crops));
      console.log(`${name}: scrolled the card list down to ${scrolled} px and back; crops ${cropsBefore} → ${cropsAfter} of ${seeded.tracks}`);
    }
    load.push(loadavg()[0]);
    if (cdp) printProfile(name, (await cdp.send('Profiler.stop')).profile);
    if (name === 'play') await page.keyboard.press('Space');
    const sorted = [...intervals].sort((a, b) => a - b);
    results.push({
      phase: name,
      load: load[load.length - 1].toFixed(1),
      frames: intervals.length,
      p50: q(sorted, 0.5).toFixed(1),
      p95: q(sorted, 0.95).toFixed(1),
      p99: q(sorted, 0.99).toFixed(1),
      worst: sorted[sorted.length - 1].toFixed(1),
      over16_7: `${((100 * intervals.filter((x) => x > 16.7 + 0.5).length) / intervals.length).toFixed(1)}%`,
    });
  }
  const played = await page.evaluate(() => document.querySelector('video').currentTime);
  console.log(`${new Date().toISOString()}; load average (1 min) after each phase in the table; ${(await import('node:os')).cpus().length} cores`);
  if (gallery) console.log(`gallery: ${gallery.cardsInDom} card elements for ${seeded.tracks} regions; all crops after ${gallery.cropsSeconds.toFixed(0)} s (${gallery.msPerCrop} ms a crop)`);
  console.log(`timeline: ${seeded.tracks} tracks (${seeded.keyframes} keyframes) on a ${MINUTES}-minute clip (${frameCount} frames), viewport 1440×900, Chromium ${context.browser().version()}`);
  console.log('frame intervals in ms (requestAnimationFrame); over 16.7 = counted above 17.2 ms to allow for timer jitter');
  console.table(results);
  console.log(`video played to ${played.toFixed(2)} s; page errors: ${errors.length ? errors.join('; ') : 'none'}`);
} finally {
  await app.close();
}
