#!/usr/bin/env node
// Does heavy work starve the app? Two exports and a detection at once, through the app's own services
// (the code the Electron main process runs), while the main thread's responsiveness is sampled and the
// renderer's frame times are measured in Chromium.
//
// usage: npm run bench:responsive [-- --seconds 20 --idle 10]
// Generates a 1280×720 30 fps clip with a face (cached in .bench/), and opens the built renderer in
// Debian's Chromium over the same services (as test/e2e/harness.ts does), importing the clip through
// the app. First, with no jobs, the video plays while the timeline is scrolled by one wheel event per
// animation frame for --idle seconds; every requestAnimationFrame interval is recorded. Then the same,
// while detection is started from the editor (progress and provisional proposals reach the page) and
// two exports through the services, until all three finish. Meanwhile Node's event-loop delay
// (perf_hooks, 10 ms resolution) and the round trip of a cheap API call every 50 ms (the IPC a
// reviewer's clicks go through) are sampled. Prints wall time, the distributions (frame intervals:
// median, p95, worst, share over 50 ms) and the checks that the three jobs produced verified results.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const SECONDS = Number(args.seconds ?? 20);
const IDLE_SECONDS = Number(args.idle ?? 10);
const ROOT = new URL('..', import.meta.url).pathname;
const WORK = join(ROOT, '.bench', 'responsive');
mkdirSync(WORK, { recursive: true });
const { startHarness } = await import(join(ROOT, 'dist', 'test', 'e2e', 'harness.js'));
const { newPlan } = await import(join(ROOT, 'dist', 'engine', 'plan-file.js'));
const { probe } = await import(join(ROOT, 'dist', 'engine', 'media', 'probe.js'));

const clip = join(WORK, `face-720p-${SECONDS}s.mp4`);
if (!existsSync(clip)) {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=30:duration=${SECONDS}`,
    '-loop', '1', '-i', join(ROOT, 'test', 'fixtures', 'astronaut.png'),
    '-f', 'lavfi', '-i', `sine=frequency=300:sample_rate=48000:duration=${SECONDS}`,
    '-filter_complex', "[1:v]scale=300:300[a];[0:v][a]overlay=x='200+100*sin(t)':y=200:shortest=1[v]",
    '-map', '[v]', '-map', '2:a', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', `${clip}.tmp.mp4`], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('clip generation failed');
  spawnSync('mv', [`${clip}.tmp.mp4`, clip]);
}
const outs = [join(WORK, 'a.mp4'), join(WORK, 'b.mp4')];
for (const o of outs) for (const f of [o, `${o}.report.json`]) rmSync(f, { force: true });

// The app as the end-to-end tests run it (test/e2e/harness.ts): real services, the built renderer in Chromium.
const app = await startHarness({ dataDir: WORK });
const { page, context, origin } = app;
const errors = app.pageErrors;
/** A service method called from Node, as the page would; throws on an error reply. */
const call = async (method, request) => {
  const r = await app.services.invoke(method, request);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value;
};

// Import through the app, as a reviewer would, and wait for the editor with waveform and thumbnails.
await page.goto(`${origin}/`);
await page.getByTestId('new-case-name').fill('Responsiveness bench');
await page.getByTestId('create-case').click();
app.nextOpen = [clip];
await page.getByTestId('import').click();
await page.getByTestId('video').waitFor({ timeout: 300_000 });
const untilInPage = async (expression, timeoutMs) => {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};
await untilInPage("Number(document.querySelector('[data-testid=timeline]')?.dataset.waveform) > 0 && Number(document.querySelector('[data-testid=timeline]').dataset.thumbnails) > 0 && document.querySelector('video').readyState >= 2", 300_000);

// The reviewer's activity: the video plays (looping at the end) and the timeline is scrolled through
// time by one wheel event per animation frame, back and forth; every rAF interval is recorded until
// globalThis.__stopFrames is set. (Polled from Node: the app's CSP forbids the eval waitForFunction needs.)
const startFrames = () =>
  page.evaluate(() => {
    const tl = document.querySelector('[data-testid=timeline]');
    const r = tl.getBoundingClientRect();
    const at = { clientX: r.left + r.width * 0.4, clientY: r.top + 200, bubbles: true, cancelable: true };
    const video = document.querySelector('video');
    globalThis.__frames = [];
    globalThis.__stopFrames = false;
    let last = 0;
    let i = 0;
    const tick = (now) => {
      if (last) globalThis.__frames.push(now - last);
      last = now;
      if (globalThis.__stopFrames) return;
      if (video.paused) {
        if (video.ended) video.currentTime = 0;
        void video.play().catch(() => {});
      }
      tl.dispatchEvent(new WheelEvent('wheel', { ...at, deltaX: i++ % 120 < 60 ? 60 : -60 }));
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
const stopFrames = async () => {
  await page.evaluate(() => { globalThis.__stopFrames = true; document.querySelector('video').pause(); });
  await new Promise((r) => setTimeout(r, 100));
  return page.evaluate(() => globalThis.__frames);
};
const frameStats = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { n: xs.length, p50: at(0.5), p95: at(0.95), worst: sorted[sorted.length - 1], over50: xs.filter((x) => x > 50).length / xs.length };
};

await startFrames();
await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
const idleFrames = frameStats(await stopFrames());

const facts = await call('importClip', { jobId: 'import', path: clip });
for (const o of outs) {
  app.nextSave = o;
  await call('chooseExportPath', { suggestedName: 'out.mp4' });
}
const plan = newPlan(await probe(clip), facts.sha256, [{
  id: 'r1', label: 'face', shape: 'rectangle', reason: 'third-party-face', provenance: { origin: 'manual' }, decision: 'redact',
  keyframes: [{ frame: 0, x: 100, y: 200, w: 500, h: 300, outside: false, source: 'manual' }],
}]);

const loop = monitorEventLoopDelay({ resolution: 10 });
const roundTrips = [];
let running = true;
const sampler = (async () => {
  while (running) {
    const t0 = performance.now();
    await call('mediaUrl', { path: clip });
    roundTrips.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 50));
  }
})();
loop.enable();
await startFrames();
const start = performance.now();
// Detection from the editor's button, so its progress and provisional proposals reach the page.
await page.getByTestId('detect').click();
const [a, b] = await Promise.all([
  call('exportClip', { jobId: 'export-a', sourcePath: clip, plan, outputPath: outs[0], overwrite: false }),
  call('exportClip', { jobId: 'export-b', sourcePath: clip, plan: { ...plan, output: { ...plan.output, style: { kind: 'pixelate' } } }, outputPath: outs[1], overwrite: false }),
  untilInPage("!document.querySelector('[data-testid=job-detect]')", 600_000),
]);
const wall = (performance.now() - start) / 1000;
const loadFrames = frameStats(await stopFrames());
loop.disable();
running = false;
await sampler;
const proposals = await page.evaluate(() => Number(document.querySelector('[data-testid=timeline]').dataset.lanes));
const va = await call('verify', { path: a.outputPath });
const vb = await call('verify', { path: b.outputPath });

const ms = (ns) => (ns / 1e6).toFixed(1);
const q = (xs, p) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const load = spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.trim();
console.log(`# responsiveness: 2 exports + 1 detection at once on ${SECONDS} s of 1280×720 30 fps, ${new Date().toISOString()}, load ${load}, Chromium ${context.browser().version()}`);
console.log(`| wall | event-loop delay p50 / p99 / max | API round trip p50 / p99 / max (n) | outputs verified | proposals |`);
console.log('|---|---|---|---|---|');
console.log(`| ${wall.toFixed(1)} s | ${ms(loop.percentile(50))} / ${ms(loop.percentile(99))} / ${ms(loop.max)} ms | ${q(roundTrips, 0.5).toFixed(1)} / ${q(roundTrips, 0.99).toFixed(1)} / ${Math.max(...roundTrips).toFixed(1)} ms (${roundTrips.length}) | ${va.ok && vb.ok ? 'yes' : 'NO'} | ${proposals} |`);
console.log('');
console.log('renderer frame intervals (requestAnimationFrame) while the video plays and the timeline scrolls:');
console.log('| jobs | frames | median | p95 | worst | over 50 ms |');
console.log('|---|---|---|---|---|---|');
for (const [label, f] of [[`none (${IDLE_SECONDS} s)`, idleFrames], ['2 exports + detection', loadFrames]]) {
  console.log(`| ${label} | ${f.n} | ${f.p50.toFixed(1)} ms | ${f.p95.toFixed(1)} ms | ${f.worst.toFixed(1)} ms | ${(100 * f.over50).toFixed(1)}% |`);
}
console.log(`page errors: ${errors.length ? errors.join('; ') : 'none'}`);
await app.close();
if (!va.ok || !vb.ok || errors.length) process.exitCode = 1;
