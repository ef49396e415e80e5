#!/usr/bin/env node
// Long footage: detection and export on a generated 2-hour clip (issue 5).
//
// usage: npm run bench:long [-- --seconds 7200] [--size 320x240] [--fps 2] [--cancel 0.05,0.5,0.9]
// The clip is made cheaply (a 60 s segment encoded once, repeated by stream copy) and cached in
// .bench/. For `redactor detect` and `redactor export` it records, sampled every 250 ms from /proc:
// peak RSS of the whole process tree (node + ffmpeg), RSS at 10/50/90% of the run (flat = good), the
// longest gap between progress lines, and then the time each takes to stop when cancelled (SIGINT) at
// the given fractions, with a check that nothing is left behind.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { treeRss } from './tree-rss.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const SECONDS = Number(args.seconds ?? 7200);
const [W, H] = (args.size ?? '320x240').split('x').map(Number);
const FPS = Number(args.fps ?? 2);
const CANCEL_AT = (args.cancel ?? '0.05,0.5,0.9').split(',').filter(Boolean).map(Number);
const ROOT = new URL('..', import.meta.url).pathname;
const WORK = join(ROOT, '.bench');
const REDACTOR = join(ROOT, 'bin', 'redactor.js');
mkdirSync(WORK, { recursive: true });

function ffmpeg(argv) {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', ...argv], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`ffmpeg ${argv.join(' ')} failed`);
}

function makeClip() {
  const path = join(WORK, `long-${W}x${H}-${FPS}fps-${SECONDS}s.mp4`);
  if (existsSync(path)) return path;
  console.error(`generating ${path} …`);
  const segment = join(WORK, `long-segment-${W}x${H}-${FPS}fps.mp4`);
  ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${W}x${H}:rate=${FPS}:duration=60`,
    '-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=16000:duration=60',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', String(FPS * 10), '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '32k', segment]);
  ffmpeg(['-stream_loop', String(Math.ceil(SECONDS / 60) - 1), '-i', segment, '-c', 'copy', '-t', String(SECONDS), `${path}.tmp.mp4`]);
  renameSync(`${path}.tmp.mp4`, path);
  return path;
}

/**
 * Runs redactor, sampling tree RSS and reading its plain progress lines ("label: 12.3% …").
 * `cancelAt`: send SIGINT once the main phase (`phase`) passes that fraction.
 */
function run(argv, { phase, cancelAt } = {}) {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, [REDACTOR, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    const samples = [];
    const progress = [];
    let cancelledAt = null;
    let pending = '';
    let stderr = '';
    const timer = setInterval(() => samples.push({ t: performance.now() - start, rss: treeRss(child.pid) }), 250);
    child.stdout.resume();
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      stderr += d;
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const m = /^([a-z ]+): ([\d.]+)%/.exec(line);
        if (!m) continue;
        const fraction = Number(m[2]) / 100;
        progress.push({ t: performance.now() - start, label: m[1], fraction });
        if (cancelAt !== undefined && cancelledAt === null && m[1] === phase && fraction >= cancelAt) {
          cancelledAt = performance.now();
          child.kill('SIGINT');
        }
      }
    });
    child.on('close', (code) => {
      clearInterval(timer);
      const end = performance.now();
      resolve({ code, stderr, seconds: (end - start) / 1000, samples, progress, stopSeconds: cancelledAt ? (end - cancelledAt) / 1000 : null });
    });
  });
}

const mib = (b) => `${(b / 1048576).toFixed(0)} MiB`;
function rssAt(samples, fraction) {
  const t = samples.at(-1).t * fraction;
  return samples.reduce((best, s) => (Math.abs(s.t - t) < Math.abs(best.t - t) ? s : best)).rss;
}
function longestGap(progress, total) {
  let gap = progress.length ? progress[0].t : total;
  for (let i = 1; i < progress.length; i++) gap = Math.max(gap, progress[i].t - progress[i - 1].t);
  return gap / 1000;
}
function summary(name, r) {
  const peak = Math.max(...r.samples.map((s) => s.rss));
  const mainPhase = r.progress.filter((p) => p.label === (name === 'detect' ? 'detecting' : 'redacting'));
  return {
    job: name,
    exit: r.code,
    seconds: r.seconds.toFixed(1),
    peak: mib(peak),
    'rss@10%': mib(rssAt(r.samples, 0.1)),
    'rss@50%': mib(rssAt(r.samples, 0.5)),
    'rss@90%': mib(rssAt(r.samples, 0.9)),
    'progress lines': r.progress.length,
    'longest gap (s)': longestGap(r.progress, r.seconds * 1000).toFixed(1),
    'reached 100%': mainPhase.some((p) => p.fraction >= 1) ? 'yes' : 'no',
  };
}

const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1];
const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`# ${new Date().toISOString()}, ${cpu}, ${readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm).length} cores, load ${loadBefore}`);
const clip = makeClip();
const probe = JSON.parse(spawnSync(process.execPath, [REDACTOR, 'probe', clip, '--json'], { encoding: 'utf8' }).stdout);
console.log(`# clip ${clip}: ${probe.video.width}×${probe.video.height}, ${probe.video.frameCount} frames, ${(probe.durationSeconds / 3600).toFixed(2)} h`);

const out = join(WORK, 'long-out');
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
const planPath = join(out, 'plan.json');
const rows = [];

const detect = await run(['detect', clip, '-o', planPath]);
rows.push(summary('detect', detect));
if (detect.code !== 0) throw new Error(detect.stderr);
// Detection on a test pattern proposes little; add a manual region moving across the whole clip
// so export draws in every frame.
const plan = JSON.parse(readFileSync(planPath, 'utf8'));
const last = plan.source.video.frameCount - 1;
plan.tracks.push({ id: 'moving', label: 'manual', shape: 'ellipse', reason: 'third-party-face', provenance: { origin: 'manual' }, decision: 'redact',
  keyframes: Array.from({ length: 101 }, (_, i) => ({ frame: Math.round((last * i) / 100), x: (i % 2) * (W / 2), y: H / 4, w: W / 3, h: H / 2, outside: false, source: 'manual' })) });
plan.output.style = { kind: 'blur' };
writeFileSync(planPath, JSON.stringify(plan));

const exported = await run(['export', clip, '--plan', planPath, '-o', join(out, 'out.mp4'), '--force']);
rows.push(summary('export', exported));
if (exported.code !== 0) throw new Error(exported.stderr);
const verify = spawnSync(process.execPath, [REDACTOR, 'verify', join(out, 'out.mp4')], { encoding: 'utf8' });
console.log(`# verify: exit ${verify.status}`);
console.table(rows);

const cancels = [];
for (const [name, argv, phase] of [
  ['detect', ['detect', clip, '-o', join(out, 'cancelled.json')], 'detecting'],
  ['export', ['export', clip, '--plan', planPath, '-o', join(out, 'cancelled.mp4')], 'redacting'],
]) {
  for (const at of CANCEL_AT) {
    const r = await run(argv, { phase, cancelAt: at });
    const leftovers = readdirSync(out).filter((f) => f.startsWith('cancelled') || f.includes('cancelled.'));
    cancels.push({ job: name, 'cancel at': `${(at * 100).toFixed(0)}%`, exit: r.code, 'stopped in (s)': r.stopSeconds?.toFixed(2) ?? 'never sent', 'left behind': leftovers.length ? leftovers.join(' ') : 'nothing', peak: mib(Math.max(...r.samples.map((s) => s.rss))) });
  }
}
console.table(cancels);
console.log(`# load after: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
