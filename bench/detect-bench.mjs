#!/usr/bin/env node
// Detection quality and speed on body-camera-like clips made from real annotated photographs.
//
// usage: npm run bench:detect [-- --conditions day,night,shaky,blur] [--seeds 1,2,3] [--every N] [--tiles CxR] [--threshold T] [--dark-threshold T]
// For each condition and seed: ../shared/bench/make-clip.mjs builds a 1280×720 30 fps clip with exact
// per-frame face boxes (cached in .bench/detect/), `redactor auto --style solid --fill '#FF00FF'`
// redacts it (timed, with a plain x264 veryfast crf 18 re-encode of the same clip timed in the same
// run), and ../shared/bench/score.mjs prints its table. The photographs are licensed for
// non-commercial research only: they are read from ../shared and never copied into the repository.
// Without ../shared the benchmark skips with a message.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SHARED, WORK, clipFor, clipsUnavailable, parseArgs, run } from './bench-clips.mjs';

const args = parseArgs();
const unavailable = clipsUnavailable();
if (unavailable) {
  console.log(`bench:detect skipped: ${unavailable}.`);
  process.exit(0);
}
const CONDITIONS = (args.conditions ?? 'day,night,shaky,blur').split(',');
const SEEDS = (args.seeds ?? '1,2,3').split(',').map(Number);
const REDACTOR = join(ROOT, 'bin', 'redactor.js');

const extra = [...(args.every ? ['--every', args.every] : []), ...(args.tiles ? ['--tiles', args.tiles] : []), ...(args.threshold ? ['--threshold', args.threshold] : []), ...(args['dark-threshold'] ? ['--dark-threshold', args['dark-threshold']] : [])];
console.log(`# bench:detect — ${new Date().toISOString()} — redactor auto ${extra.join(' ')} --style solid --fill '#FF00FF'`);
const rows = [];
for (const condition of CONDITIONS) {
  for (const seed of SEEDS) {
    const { clip, gt } = clipFor(condition, seed);
    const out = join(WORK, `${condition}-${seed}.redacted.mp4`);
    const plain = join(WORK, 'plain.mp4');
    rmSync(plain, { force: true });
    const p = run('ffmpeg', ['-v', 'error', '-y', '-i', clip, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-c:a', 'copy', plain]);
    const a = run(process.execPath, [REDACTOR, 'auto', clip, '-o', out, '--style', 'solid', '--fill', '#FF00FF', '--force', '--quiet', ...extra]);
    const duration = Number(run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', clip]).stdout);
    const score = run(process.execPath, [join(SHARED, 'score.mjs'), '--video', out, '--gt', gt]);
    const json = JSON.parse(run(process.execPath, [join(SHARED, 'score.mjs'), '--video', out, '--gt', gt, '--json']).stdout);
    console.log(`\n## ${condition}, seed ${seed}: auto ${(duration / a.seconds).toFixed(2)}× real time, plain re-encode ${(duration / p.seconds).toFixed(2)}×, ratio ${(p.seconds / a.seconds).toFixed(2)}\n`);
    console.log(score.stdout.trimEnd());
    rows.push({ condition, seed, json, auto: duration / a.seconds, plain: duration / p.seconds });
    rmSync(out, { force: true });
    rmSync(`${out}.report.json`, { force: true });
  }
}
const pct = (x) => (x === null || x === undefined ? '-' : `${(100 * x).toFixed(1)}%`);
const row = (rs, name) => rs.find((r) => r.height === name) ?? {};
console.log('\n## summary (targets: ≥24 px ≥ 95%, 16–24 px ≥ 80%, ≥96 px no face exposed, over-redaction ≤ 5%, auto ≥ 2× real time)\n');
console.log('| condition | seed | recall ≥24 px | recall 16–24 px | ≥96 px exposed face-frames | over-redaction | auto × real time | plain × real time |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const j = r.json;
  console.log(`| ${r.condition} | ${r.seed} | ${pct(j.recall24)} | ${pct(row(j.rows, '16-24').recall)} | ${row(j.rows, '>=96').exposed ?? '-'} | ${pct(j.overRedaction)} | ${r.auto.toFixed(2)} | ${r.plain.toFixed(2)} |`);
}
// One line to compare runs by: sums over every clip, so a change that helps one clip and hurts another shows.
const sum = (f) => rows.reduce((n, r) => n + f(r), 0);
const exposed = (name) => sum((r) => row(r.json.rows, name).exposed ?? 0);
const faceFrames = (name) => sum((r) => row(r.json.rows, name).faceFrames ?? 0);
console.log(`\nall ${rows.length} clips: exposed face-frames ≥96 px ${exposed('>=96')} of ${faceFrames('>=96')}, 48–96 px ${exposed('48-96')} of ${faceFrames('48-96')}, 24–48 px ${exposed('24-48')} of ${faceFrames('24-48')}, 16–24 px ${exposed('16-24')} of ${faceFrames('16-24')}; over-redaction mean ${pct(sum((r) => r.json.overRedaction) / rows.length)}`);
