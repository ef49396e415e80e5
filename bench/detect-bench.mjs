#!/usr/bin/env node
// Detection quality and speed on body-camera-like clips made from real annotated photographs.
//
// usage: npm run bench:detect [-- --conditions day,night,shaky,blur] [--seeds 1,2,3] [--every N] [--threshold T] [--find faces,text]
// For each condition and seed: ../shared/bench/make-clip.mjs builds a 1280×720 30 fps clip with exact
// per-frame face boxes (cached in .bench/detect/), `redactor auto --style solid --fill '#FF00FF'`
// redacts it (timed, with `redactor detect` alone and a plain x264 veryfast crf 18 re-encode of the
// same clip timed in the same run), ../shared/bench/score.mjs prints its table, and the tracks in the
// export report's plan give tracks per true face and false tracks (bench/track-score.mjs). The photographs are licensed for
// non-commercial research only: they are read from ../shared and never copied into the repository.
// Without ../shared the benchmark skips with a message.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ROOT, SHARED, WORK, clipFor, clipsUnavailable, parseArgs, run } from './bench-clips.mjs';
import { scoreTracks } from './track-score.mjs';

const args = parseArgs();
const unavailable = clipsUnavailable();
if (unavailable) {
  console.log(`bench:detect skipped: ${unavailable}.`);
  process.exit(0);
}
const CONDITIONS = (args.conditions ?? 'day,night,shaky,blur').split(',');
const SEEDS = (args.seeds ?? '1,2,3').split(',').map(Number);
const REDACTOR = join(ROOT, 'bin', 'redactor.js');

const extra = [...(args.every ? ['--every', args.every] : []), ...(args.threshold ? ['--threshold', args.threshold] : []), ...(args.find ? ['--find', args.find] : [])];
console.log(`# bench:detect — ${new Date().toISOString()} — redactor auto ${extra.join(' ')} --style solid --fill '#FF00FF'`);
const rows = [];
const pct = (x) => (x === null || x === undefined ? '-' : `${(100 * x).toFixed(1)}%`);
for (const condition of CONDITIONS) {
  for (const seed of SEEDS) {
    const { clip, gt } = clipFor(condition, seed);
    const out = join(WORK, `${condition}-${seed}.redacted.mp4`);
    const plain = join(WORK, 'plain.mp4');
    rmSync(plain, { force: true });
    const p = run('ffmpeg', ['-v', 'error', '-y', '-i', clip, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-c:a', 'copy', plain]);
    const d = run(process.execPath, [REDACTOR, 'detect', clip, '-o', join(WORK, 'plan.json'), '--force', '--quiet', ...extra]);
    const a = run(process.execPath, [REDACTOR, 'auto', clip, '-o', out, '--style', 'solid', '--fill', '#FF00FF', '--force', '--quiet', ...extra]);
    const tracks = scoreTracks(JSON.parse(readFileSync(`${out}.report.json`, 'utf8')).plan.tracks, JSON.parse(readFileSync(gt, 'utf8')));
    const duration = Number(run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', clip]).stdout);
    const score = run(process.execPath, [join(SHARED, 'score.mjs'), '--video', out, '--gt', gt]);
    const json = JSON.parse(run(process.execPath, [join(SHARED, 'score.mjs'), '--video', out, '--gt', gt, '--json']).stdout);
    console.log(`\n## ${condition}, seed ${seed}: detect ${(duration / d.seconds).toFixed(2)}× real time, auto ${(duration / a.seconds).toFixed(2)}×, plain re-encode ${(duration / p.seconds).toFixed(2)}×\n`);
    console.log(score.stdout.trimEnd());
    console.log(`tracks ${tracks.tracks}, per true face ${tracks.tracksPerFace.toFixed(2)}, false ${tracks.falseTracks} (${pct(tracks.falseTrackShare)})`);
    rows.push({ condition, seed, json, tracks, detect: duration / d.seconds, auto: duration / a.seconds, plain: duration / p.seconds });
    rmSync(out, { force: true });
    rmSync(`${out}.report.json`, { force: true });
  }
}
const row = (rs, name) => rs.find((r) => r.height === name) ?? {};
console.log('\n## summary (targets: ≥24 px ≥ 95%, 16–24 px ≥ 80%, ≥96 px no face exposed, over-redaction ≤ 5%, ≤ 1.5 tracks per true face, false tracks ≤ 10%, detect ≥ 2× and auto ≥ 1× real time)\n');
console.log('| condition | seed | recall ≥24 px | recall 16–24 px | ≥96 px exposed face-frames | over-redaction | tracks per true face | false tracks | detect × real time | auto × real time | plain × real time | detect / plain | auto / plain |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const j = r.json;
  console.log(`| ${r.condition} | ${r.seed} | ${pct(j.recall24)} | ${pct(row(j.rows, '16-24').recall)} | ${row(j.rows, '>=96').exposed ?? '-'} | ${pct(j.overRedaction)} | ${r.tracks.tracksPerFace.toFixed(2)} | ${r.tracks.falseTracks} of ${r.tracks.tracks} (${pct(r.tracks.falseTrackShare)}) | ${r.detect.toFixed(2)} | ${r.auto.toFixed(2)} | ${r.plain.toFixed(2)} | ${(r.detect / r.plain).toFixed(2)} | ${(r.auto / r.plain).toFixed(2)} |`);
}
// One line to compare runs by: sums over every clip, so a change that helps one clip and hurts another shows.
const sum = (f) => rows.reduce((n, r) => n + f(r), 0);
const exposed = (name) => sum((r) => row(r.json.rows, name).exposed ?? 0);
const faceFrames = (name) => sum((r) => row(r.json.rows, name).faceFrames ?? 0);
console.log(`\nall ${rows.length} clips: exposed face-frames ≥96 px ${exposed('>=96')} of ${faceFrames('>=96')}, 48–96 px ${exposed('48-96')} of ${faceFrames('48-96')}, 24–48 px ${exposed('24-48')} of ${faceFrames('24-48')}, 16–24 px ${exposed('16-24')} of ${faceFrames('16-24')}; over-redaction mean ${pct(sum((r) => r.json.overRedaction) / rows.length)}`);
