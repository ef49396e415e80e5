#!/usr/bin/env node
// Does heavy work starve the app? Two exports and a detection at once, through the app's own services
// (the code the Electron main process runs), while the main thread's responsiveness is sampled.
//
// usage: npm run bench:responsive [-- --seconds 20]
// Generates a 1280×720 30 fps clip with a face (cached in .bench/), opens it through the services
// (as the dialog would), then starts export, export and detect together. Meanwhile it records the
// event-loop delay (perf_hooks, 10 ms resolution) and the round trip of a cheap API call every 50 ms:
// the IPC a reviewer's clicks go through. Prints wall time, both distributions and the checks that
// the three jobs produced verified results.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const SECONDS = Number(args.seconds ?? 20);
const ROOT = new URL('..', import.meta.url).pathname;
const WORK = join(ROOT, '.bench', 'responsive');
mkdirSync(WORK, { recursive: true });
const { AppServices } = await import(join(ROOT, 'dist', 'electron', 'services', 'app-services.js'));
const { FileRegistry } = await import(join(ROOT, 'dist', 'electron', 'services', 'file-registry.js'));
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

let nextSave = null;
const services = new AppServices(new FileRegistry(), {
  chooseVideos: async () => [clip],
  chooseExportPath: async () => nextSave,
  showInFolder: () => {},
  mediaUrl: (token) => `redactor://app/media/${token}`,
  emit: () => {},
  proxyDir: WORK,
});
async function call(method, request) {
  const r = await services.invoke(method, request);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value;
}

await call('openVideoDialog', {});
const facts = await call('importClip', { jobId: 'import', path: clip });
for (const o of outs) {
  nextSave = o;
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
const start = performance.now();
const [a, b, d] = await Promise.all([
  call('exportClip', { jobId: 'export-a', sourcePath: clip, plan, outputPath: outs[0], overwrite: false }),
  call('exportClip', { jobId: 'export-b', sourcePath: clip, plan: { ...plan, output: { ...plan.output, style: { kind: 'pixelate' } } }, outputPath: outs[1], overwrite: false }),
  call('detect', { jobId: 'detect', path: clip, options: {} }),
]);
const wall = (performance.now() - start) / 1000;
loop.disable();
running = false;
await sampler;
const va = await call('verify', { path: a.outputPath });
const vb = await call('verify', { path: b.outputPath });

const ms = (ns) => (ns / 1e6).toFixed(1);
const q = (xs, p) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const load = spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.trim();
console.log(`# responsiveness: 2 exports + 1 detection at once on ${SECONDS} s of 1280×720 30 fps, ${new Date().toISOString()}, load ${load}`);
console.log(`| wall | event-loop delay p50 / p99 / max | API round trip p50 / p99 / max (n) | outputs verified | proposals |`);
console.log('|---|---|---|---|---|');
console.log(`| ${wall.toFixed(1)} s | ${ms(loop.percentile(50))} / ${ms(loop.percentile(99))} / ${ms(loop.max)} ms | ${q(roundTrips, 0.5).toFixed(1)} / ${q(roundTrips, 0.99).toFixed(1)} / ${Math.max(...roundTrips).toFixed(1)} ms (${roundTrips.length}) | ${va.ok && vb.ok ? 'yes' : 'NO'} | ${d.tracks.length} |`);
if (!va.ok || !vb.ok) process.exitCode = 1;
