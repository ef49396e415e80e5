#!/usr/bin/env node
// Text detection (number plates, documents, screens) on real photographs of plates.
//
// usage: npm run bench:text [-- --max-side 960] [--upscale 0|1] [--frame 1] [--threads 1] [--set NAME] [--limit N] [--growth 1]
//        npm run bench:text -- --clips [day,night,shaky,blur] [--seeds 1] [--find faces,text] (bench/text-clips.mjs)
// Runs the built TextDetector (dist/engine/text) on the 340 photographs of ../shared/bench/plates
// (plates.json, 400 plates) and prints plate recall by plate height, a plate counting as found when one
// proposed box covers at least 80% of the plate's box; the proposals on no plate per image; the reason
// suggested for each; and ms per 1920×1080 frame. --frame 1 places each photo at its own size (shrunk
// only if larger) in the middle of a 1920×1080 frame (around it a blurred enlargement of it), as a
// plate appears in a video frame; only the lines found on the photo itself count there.
// --growth 1 prints how far each found plate reaches beyond its line of characters (what the growth
// defaults were measured from). The photographs are for measurement only: they are read from
// ../shared and never copied into the repository. Without ../shared the benchmark skips with a message.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT, parseArgs } from './bench-clips.mjs';

const PLATES = join(ROOT, '..', 'shared', 'bench', 'plates');
if (!existsSync(join(PLATES, 'plates.json'))) {
  console.log(`bench:text skipped: ${PLATES}/plates.json is not present on this machine.`);
  process.exit(0);
}
if ('clips' in parseArgs()) {
  if (!existsSync(join(ROOT, '..', 'shared', 'bench', 'make-clip.mjs')) || !existsSync(join(ROOT, '..', 'shared', 'bench', 'score.mjs'))) {
    console.log('bench:text --clips skipped: ../shared/bench/make-clip.mjs and score.mjs are not present on this machine.');
    process.exit(0);
  }
  const { plateClips } = await import('./text-clips.mjs');
  await plateClips(parseArgs());
  process.exit(0);
}
const require = createRequire(import.meta.url);
const { TextDetector, linesFromMap } = require(join(ROOT, 'dist', 'engine', 'text', 'text-detector.js'));
const { textRegions } = require(join(ROOT, 'dist', 'engine', 'text', 'text-regions.js'));

const args = parseArgs();
const maxSideArg = args['max-side'] === undefined ? undefined : Number(args['max-side']);
const upscaleArg = args.upscale === undefined ? undefined : args.upscale === '1';
const inFrame = args.frame === '1';
const threads = Number(args.threads ?? 1);
const COVER = 0.8;
const BANDS = [['<12', 0, 12], ['12–20', 12, 20], ['20–40', 20, 40], ['≥40', 40, Infinity]];

/** Decodes an image (optionally placed in a grey 1920×1080 frame) to RGB24; returns its plates in its pixels. */
function load(entry) {
  let { width, height } = entry;
  let plates = entry.plates;
  let graph = [];
  let photo = null;
  if (inFrame) {
    const s = Math.min(1, 1920 / width, 1080 / height);
    const w = Math.round(width * s), h = Math.round(height * s);
    const ox = Math.floor((1920 - w) / 2), oy = Math.floor((1080 - h) / 2);
    // Around the photo, a blurred enlargement of it: on a flat border the model proposes the whole
    // photo as one text block (it takes a lone bright rectangle for text), which would "cover" every plate.
    graph = ['-filter_complex', `[0:v]scale=1920:1080:force_original_aspect_ratio=increase,crop=1920:1080,boxblur=24:3[bg];[0:v]scale=${w}:${h}:flags=area[fg];[bg][fg]overlay=${ox}:${oy}`];
    plates = plates.map(([x, y, pw, ph]) => [x * (w / width) + ox, y * (h / height) + oy, pw * (w / width), ph * (h / height)]);
    photo = { x: ox, y: oy, w, h };
    width = 1920;
    height = 1080;
  }
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', join(PLATES, entry.image), ...graph, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`ffmpeg could not decode ${entry.image}: ${r.stderr}`);
  const data = new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length);
  if (data.length !== width * height * 3) throw new Error(`${entry.image}: ${data.length} bytes for ${width}×${height}`);
  return { frame: { width, height, data }, plates: plates.map(([x, y, w, h]) => ({ x, y, w, h })), photo };
}

const inter = (a, b) => Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
const covers = (box, plate) => inter(box, plate) >= COVER * plate.w * plate.h;

const entries = JSON.parse(readFileSync(join(PLATES, 'plates.json'), 'utf8')).filter((e) => !args.set || e.set === args.set).slice(0, args.limit ? Number(args.limit) : undefined);
const detector = await TextDetector.create({ maxSide: maxSideArg, upscale: upscaleArg, threads });
const { maxSide, upscale } = detector.settings;
console.log(`# bench:text — ${new Date().toISOString()} — ${entries.length} photographs${inFrame ? ' each in a 1920×1080 frame' : ' at their own size'}, maxSide ${maxSide}${upscale ? ', small ones upscaled' : ''}, ${threads} thread(s), ${detector.modelId}`);

// The model runs once per photograph; the lines are kept so that variants of the regions step are cheap.
const shots = [];
let modelMs = 0;
for (const entry of entries) {
  const { frame, plates, photo } = load(entry);
  const t = performance.now();
  const map = await detector.probabilityMap(frame);
  // In a frame, only what is found on the photo counts: the blurred copy around it holds blurred
  // plates the model also proposes, and boxes spanning both would "cover" the plate.
  const onPhoto = (ls) => (photo ? ls.filter((l) => inter(l.box, photo) >= 0.9 * l.box.w * l.box.h) : ls);
  const lines = onPhoto(linesFromMap(map));
  modelMs += performance.now() - t;
  // PaddleOCR's thresholds, and lower ones (more recall, more stray boxes), from the same map.
  const lowered = onPhoto(linesFromMap(map, { threshold: 0.2, boxThreshold: 0.5 }));
  shots.push({ entry, width: frame.width, height: frame.height, plates, lines, lowered });
}

// The lines found, kept for tuning the regions step without running the model again (not committed).
{
  const dir = join(ROOT, '.bench', 'text');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `lines-${inFrame ? 'frame' : 'own'}-${maxSide}${upscale ? '-up' : ''}${args.set ? `-${args.set}` : ''}.json`);
  writeFileSync(file, JSON.stringify(shots.map((s) => ({ image: s.entry.image, set: s.entry.set, width: s.width, height: s.height, plates: s.plates, lines: s.lines, lowered: s.lowered }))));
}

/** Recall by band, proposals on no plate, reasons, for one way of making regions from lines. */
function score(makeRegions, only = () => true) {
  const found = BANDS.map(() => [0, 0]);
  let stray = 0, plateReason = [0, 0], strayReason = [0, 0], grownArea = 0, coveredPlates = 0;
  for (const s of shots.filter(only)) {
    const regions = makeRegions(s);
    for (const p of s.plates) {
      const band = BANDS.findIndex(([, lo, hi]) => p.h >= lo && p.h < hi);
      found[band][1]++;
      const hit = regions.find((r) => covers(r.box, p));
      if (hit) {
        found[band][0]++;
        coveredPlates++;
        grownArea += (hit.box.w * hit.box.h) / (p.w * p.h);
        if (hit.reason) plateReason[hit.reason === 'vehicle-registration' ? 0 : 1]++;
      }
    }
    for (const r of regions) {
      if (s.plates.some((p) => inter(r.box, p) > 0)) continue;
      stray++;
      if (r.reason) strayReason[r.reason === 'vehicle-registration' ? 0 : 1]++;
    }
  }
  return { found, stray: stray / shots.filter(only).length, plateReason, strayReason, areaRatio: coveredPlates ? grownArea / coveredPlates : NaN };
}

const pct = ([a, n]) => (n ? `${((100 * a) / n).toFixed(1)}% (${a}/${n})` : '–');
const all = (found) => found.reduce(([a, n], [b, m]) => [a + b, n + m], [0, 0]);
const variants = [
  ['lines as the model gives them (no join, no growth)', (s) => s.lines.map((l) => ({ box: l.box }))],
  ['joined, not grown', (s) => textRegions(s.lines, s.width, s.height, { growSides: 0, growAbove: 0, growBelow: 0 })],
  ['**TextDetector.detect (defaults)**', (s) => textRegions(s.lines, s.width, s.height)],
  ['same, map thresholds 0.2 / 0.5 in place of 0.3 / 0.6', (s) => textRegions(s.lowered, s.width, s.height)],
];
console.log(`\n| boxes | all plates | <12 px | 12–20 px | 20–40 px | ≥40 px | boxes on no plate, per image | box area / plate area, found plates |`);
console.log('|---|---|---|---|---|---|---|---|');
const centred = (b, p) => b.x <= p.x + p.w / 2 && p.x + p.w / 2 <= b.x + b.w && b.y <= p.y + p.h / 2 && p.y + p.h / 2 <= b.y + b.h;
let last;
for (const [name, make] of variants) {
  last = score(make);
  console.log(`| ${name} | ${pct(all(last.found))} | ${last.found.map(pct).join(' | ')} | ${last.stray.toFixed(2)} | ${last.areaRatio.toFixed(2)} |`);
}
// The detection's ceiling: a plate whose centre lies in some line of characters, whatever the box.
{
  const hits = BANDS.map(() => [0, 0]);
  for (const s of shots) for (const p of s.plates) {
    const band = BANDS.findIndex(([, lo, hi]) => p.h >= lo && p.h < hi);
    hits[band][1]++;
    if (s.lines.some((l) => centred(l.box, p))) hits[band][0]++;
  }
  console.log(`| plate centre inside a line (what growth could reach) | ${pct(all(hits))} | ${hits.map(pct).join(' | ')} | | |`);
}
console.log('\nBy set, TextDetector.detect (defaults):\n\n| set | all plates | <12 px | 12–20 px | 20–40 px | ≥40 px | boxes on no plate, per image |\n|---|---|---|---|---|---|---|');
for (const set of [...new Set(shots.map((s) => s.entry.set))]) {
  const r = score((s) => textRegions(s.lines, s.width, s.height), (s) => s.entry.set === set);
  console.log(`| ${set} | ${pct(all(r.found))} | ${r.found.map(pct).join(' | ')} | ${r.stray.toFixed(2)} |`);
}
console.log(`\nSuggested reasons (defaults): found plates ${pct([last.plateReason[0], last.plateReason[0] + last.plateReason[1]])} "vehicle-registration"; boxes on no plate ${pct([last.strayReason[0], last.strayReason[0] + last.strayReason[1]])} "vehicle-registration".`);
console.log(`Model and post-processing: ${(modelMs / shots.length).toFixed(1)} ms per photograph on average.`);

if (args.growth === '1') {
  // For each plate whose centre lies in one joined group: how far the plate reaches beyond the group, in thicknesses.
  const reach = { left: [], right: [], above: [], below: [], aspect: [], strayAspect: [] };
  for (const s of shots) {
    const groups = textRegions(s.lines, s.width, s.height, { growSides: 0, growAbove: 0, growBelow: 0 });
    for (const p of s.plates) {
      const g = groups.find((r) => r.box.x <= p.x + p.w / 2 && p.x + p.w / 2 <= r.box.x + r.box.w && r.box.y <= p.y + p.h / 2 && p.y + p.h / 2 <= r.box.y + r.box.h);
      if (!g) continue;
      const t = Math.max(...g.lines.map((l) => l.thickness));
      reach.left.push((g.box.x - p.x) / t);
      reach.right.push((p.x + p.w - g.box.x - g.box.w) / t);
      reach.above.push((g.box.y - p.y) / t);
      reach.below.push((p.y + p.h - g.box.y - g.box.h) / t);
      reach.aspect.push(g.box.w / t);
    }
    for (const g of groups) if (!s.plates.some((p) => inter(g.box, p) > 0)) reach.strayAspect.push(g.box.w / Math.max(...g.lines.map((l) => l.thickness)));
  }
  const q = (xs, f) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(f * xs.length))].toFixed(2);
  console.log('(aspect: the found plate\'s joined line, length / thickness; strayAspect: the same for groups on no plate; 5% and 20% too)');
  for (const k of ['aspect', 'strayAspect']) console.log(`${k}: 5% ${q(reach[k], 0.05)}, 20% ${q(reach[k], 0.2)}`);
  console.log(`\nHow far plates reach beyond their joined line, in line thicknesses (${reach.left.length} plates; negative: the line is wider):`);
  console.log('| side | 50% | 80% | 90% | 95% |\n|---|---|---|---|---|');
  for (const [k, xs] of Object.entries(reach)) console.log(`| ${k} | ${q(xs, 0.5)} | ${q(xs, 0.8)} | ${q(xs, 0.9)} | ${q(xs, 0.95)} |`);
}

// Speed on a 1920×1080 frame: a photograph scaled to fill it, after two warm-up runs, median of 10.
{
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', join(PLATES, entries[0].image), '-vf', 'scale=1920:1080', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 26 });
  const frame = { width: 1920, height: 1080, data: new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length) };
  const ms = [];
  let cpu = 0;
  for (let i = 0; i < 12; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    await detector.detect(frame);
    const used = process.cpuUsage(c);
    if (i >= 2) {
      ms.push(performance.now() - t);
      cpu += (used.user + used.system) / 1000;
    }
  }
  ms.sort((a, b) => a - b);
  console.log(`1920×1080 frame: ${((ms[4] + ms[5]) / 2).toFixed(0)} ms median (${ms[0].toFixed(0)}–${ms[9].toFixed(0)}) wall, ${(cpu / 10).toFixed(0)} ms CPU (all threads), detect() incl. pre- and post-processing; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}.`);
}
await detector.close();
