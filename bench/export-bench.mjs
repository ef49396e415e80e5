#!/usr/bin/env node
// Export speed and memory, against a plain x264 re-encode measured in the same run.
//
// usage: npm run bench [-- --seconds 60] [--long 600] [--regions 10] [--runs 2] [--content testsrc2|camera]
//                        [--style blur|pixelate|solid]
//        (0 skips a length)
// Generates a 1920×1080 30 fps clip (cached in .bench/), a plan with N moving regions, then times
//   plain:  ffmpeg -i clip -c:v libx264 -preset veryfast -crf 18 -c:a copy
//   export: redactor export (decode → regions in yuv420p → the same x264 settings)
//   bare pipe: the export's own two ffmpeg commands (from its report) joined by a shell pipe, no Node
//   bare pipe over the redacted picture: the same two commands reading the export's output, first
//     re-encoded (untimed) as the source was (ultrafast, crf 23), so its decoding costs what the
//     source's does and only the picture differs
// and prints × real time for each and the ratio export / plain (target ≥ 0.95). The last two split
// the gap: bare pipe over the redacted picture / bare pipe is what the redacted picture costs x264
// (moving regions over a static test pattern turn skipped blocks into coded ones), and export / that
// is what the Node stage (reading, drawing, writing) costs. Content: `testsrc2` (ffmpeg's
// test pattern, static background) or `camera` (the public-domain test fixture panned like a walking
// body camera, with sensor noise). Peak RSS of the whole process tree (node + both ffmpeg) is sampled
// from /proc, for the short clip and the --long one (flat = good).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { treeRss } from './tree-rss.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const SECONDS = Number(args.seconds ?? 60);
const LONG = Number(args.long ?? 600);
const REGIONS = Number(args.regions ?? 10);
const RUNS = Number(args.runs ?? 2);
const CONTENT = args.content ?? 'testsrc2';
const STYLE = args.style ?? 'blur';
if (!['blur', 'pixelate', 'solid'].includes(STYLE)) throw new Error(`--style must be blur, pixelate or solid, not ${STYLE}`);
if (!['testsrc2', 'camera'].includes(CONTENT)) throw new Error(`--content must be testsrc2 or camera, not ${CONTENT}`);
const FIXTURE = new URL('../test/fixtures/astronaut.png', import.meta.url).pathname;
const ROOT = new URL('..', import.meta.url).pathname;
const WORK = join(ROOT, '.bench');
const REDACTOR = join(ROOT, 'bin', 'redactor.js');
mkdirSync(WORK, { recursive: true });

/** The source clips' video settings: the redacted picture is re-encoded with them for a like-for-like decode. */
const SOURCE_X264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '23', '-g', '60', '-pix_fmt', 'yuv420p'];

function makeClip(seconds) {
  const path = join(WORK, `bench-1080p30-${seconds}s${CONTENT === 'camera' ? '-camera' : ''}.mp4`);
  if (existsSync(path)) return path;
  console.error(`generating ${path} …`);
  const video = CONTENT === 'camera'
    ? ['-loop', '1', '-framerate', '30', '-t', String(seconds), '-i', FIXTURE]
    : ['-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30:duration=${seconds}`];
  const walk = ['-vf', "scale=2880:2880:flags=bicubic,crop=1920:1080:'480+400*sin(t*0.7)':'900+300*sin(t*0.45+1)',noise=alls=6:allf=t"];
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', ...video,
    '-f', 'lavfi', '-i', `sine=frequency=300:sample_rate=48000:duration=${seconds}`,
    ...(CONTENT === 'camera' ? walk : []),
    ...SOURCE_X264, '-c:a', 'aac', `${path}.tmp.mp4`], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('clip generation failed');
  spawnSync('mv', [`${path}.tmp.mp4`, path]);
  return path;
}

// Deterministic random walk so every run redacts the same regions.
function makePlan(clip, frames) {
  const planPath = `${clip}.plan.json`;
  const r = spawnSync(process.execPath, [REDACTOR, 'plan', clip, '-o', planPath, '--quiet'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const plan = JSON.parse(readFileSync(planPath, 'utf8'));
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  plan.tracks = Array.from({ length: REGIONS }, (_, i) => {
    let x = rand() * 1700, y = rand() * 900;
    const size = 80 + rand() * 220;
    const keyframes = [];
    for (let f = 0; f < frames; f += 30) {
      x = Math.min(1900 - size, Math.max(0, x + (rand() - 0.5) * 120));
      y = Math.min(1060 - size, Math.max(0, y + (rand() - 0.5) * 80));
      keyframes.push({ frame: f, x, y, w: size, h: size * 1.2, outside: false, source: 'manual' });
    }
    return { id: `r${i}`, label: 'face', shape: i % 2 ? 'ellipse' : 'rectangle', reason: 'third-party-face', provenance: { origin: 'manual' }, decision: 'redact', keyframes };
  });
  plan.output.style = STYLE === 'solid' ? { kind: 'solid', fill: '#000000' } : { kind: STYLE };
  writeFileSync(planPath, JSON.stringify(plan));
  return planPath;
}

function timed(cmd, argv) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peak = 0;
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setInterval(() => (peak = Math.max(peak, treeRss(child.pid))), 200);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`${cmd} failed: ${stderr}`));
      resolve({ seconds: Number(process.hrtime.bigint() - start) / 1e9, peakRss: peak });
    });
  });
}

/**
 * The export's own two ffmpeg commands, exactly as its report records them (shell-quoted), joined by
 * a shell pipe with nothing drawn and no Node between them, writing to `output`: the floor of the
 * two-process design, so the table shows what the Node stage itself costs.
 */
function barePipe(reportPath, output, input = null) {
  const { commands, input: { path: source } } = JSON.parse(readFileSync(reportPath, 'utf8'));
  // Reading another file (the export's output) in place of the source: same commands, same picture size.
  const from = (line) => {
    if (!input) return line;
    if (!line.includes(`file:${source}`)) throw new Error(`cannot find the source path in: ${line}`);
    return line.split(`file:${source}`).join(`file:${input}`);
  };
  const decode = from(commands.find((c) => c.role === 'decode').commandLine);
  const encode = from(commands.find((c) => c.role === 'encode').commandLine);
  // The encoder's last argument is its temporary output; its progress goes to fd 3, which sh lacks.
  const last = / (?:'file:[^']*'|file:\S+)$/;
  if (!last.test(encode)) throw new Error(`cannot find the output path in: ${encode}`);
  return `${decode} | ${encode.replace(last, ` 'file:${output}'`)} 3>/dev/null`;
}

async function measure(clip, seconds, runs) {
  const frames = seconds * 30;
  const plan = makePlan(clip, frames);
  const out = join(WORK, 'out.mp4');
  const plain = join(WORK, 'plain.mp4');
  const results = [];
  for (let run = 0; run < runs; run++) {
    rmSync(plain, { force: true });
    const p = await timed('ffmpeg', ['-v', 'error', '-y', '-i', clip, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-c:a', 'copy', plain]);
    rmSync(out, { force: true });
    rmSync(`${out}.report.json`, { force: true });
    const e = await timed(process.execPath, [REDACTOR, 'export', clip, '--plan', plan, '-o', out, '--quiet']);
    rmSync(plain, { force: true });
    const pipe = await timed('sh', ['-c', barePipe(`${out}.report.json`, plain)]);
    rmSync(plain, { force: true });
    // The export's output decodes more slowly than the source (veryfast crf 18 against ultrafast crf 23):
    // re-encoded as the source was, only its picture differs from the source's.
    const redacted = join(WORK, 'redacted-as-source.mp4');
    const t = spawnSync('ffmpeg', ['-v', 'error', '-y', '-i', out, '-map', '0', ...SOURCE_X264, '-c:a', 'copy', redacted]);
    if (t.status !== 0) throw new Error(`re-encoding the export's output failed: ${t.stderr}`);
    const pipeOut = await timed('sh', ['-c', barePipe(`${out}.report.json`, plain, redacted)]);
    rmSync(redacted, { force: true });
    results.push({ plain: seconds / p.seconds, export: seconds / e.seconds, pipe: seconds / pipe.seconds, pipeOut: seconds / pipeOut.seconds, peakRss: e.peakRss, plainRss: p.peakRss });
  }
  return results;
}

const mib = (b) => `${(b / 1048576).toFixed(0)} MiB`;
const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1];
console.log(`# export benchmark: 1920×1080 30 fps ${CONTENT}, ${REGIONS} moving regions (${STYLE}), x264 veryfast crf 18`);
console.log(`# ${new Date().toISOString()}, ${cpu}, ${readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm).length} cores, ${spawnSync('ffmpeg', ['-version'], { encoding: 'utf8' }).stdout.split('\n')[0]}`);
const short = SECONDS > 0 ? await measure(makeClip(SECONDS), SECONDS, RUNS) : [];
console.log(`\n| run | plain re-encode × real time | export × real time | export / plain | bare pipe × real time | bare pipe / plain | bare pipe over the redacted picture × real time | that / bare pipe (the picture) | export / that (the Node stage) | export peak RSS (tree) | plain peak RSS |`);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
const row = (name, r) => `| ${name} | ${r.plain.toFixed(2)} | ${r.export.toFixed(2)} | ${(r.export / r.plain).toFixed(3)} | ${r.pipe.toFixed(2)} | ${(r.pipe / r.plain).toFixed(3)} | ${r.pipeOut.toFixed(2)} | ${(r.pipeOut / r.pipe).toFixed(3)} | ${(r.export / r.pipeOut).toFixed(3)} | ${mib(r.peakRss)} | ${mib(r.plainRss)} |`;
short.forEach((r, i) => console.log(row(`${SECONDS} s #${i + 1}`, r)));
// This VM's speed wanders by ±10% from run to run: with three runs or more, the median of each column
// (each ratio's own median, not the ratio of medians) is the figure to compare.
if (short.length >= 3) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const m = (f) => median(short.map(f));
  console.log(`| ${SECONDS} s median | ${m((r) => r.plain).toFixed(2)} | ${m((r) => r.export).toFixed(2)} | ${m((r) => r.export / r.plain).toFixed(3)} | ${m((r) => r.pipe).toFixed(2)} | ${m((r) => r.pipe / r.plain).toFixed(3)} | ${m((r) => r.pipeOut).toFixed(2)} | ${m((r) => r.pipeOut / r.pipe).toFixed(3)} | ${m((r) => r.export / r.pipeOut).toFixed(3)} | ${mib(m((r) => r.peakRss))} | ${mib(m((r) => r.plainRss))} |`);
}
if (LONG > 0) {
  const [long] = await measure(makeClip(LONG), LONG, 1);
  console.log(row(`${LONG} s`, long));
}
rmSync(join(WORK, 'out.mp4'), { force: true });
