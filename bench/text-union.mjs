#!/usr/bin/env node
// Two text passes on each photograph, scored as one: the regions of both, as an extra pass at a larger
// model input (or tiles at the same pixels) would propose them. Reads the lines bench:text cached for
// each pass (.bench/text/lines-<own|frame>-<maxSide>[-up].json: run `npm run bench:text -- --max-side N`
// for each first) and prints recall by plate height and boxes on no plate, as bench:text does.
//
// usage: npm run build && node bench/text-union.mjs --passes 960,1920 [--frame 1] [--regions '{"thickMinAspect":0}']
// (one pass alone rescores a run's cached lines with the regions step as built, or with --regions)
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT, parseArgs } from './bench-clips.mjs';

const require = createRequire(import.meta.url);
const { textRegions } = require(join(ROOT, 'dist', 'engine', 'text', 'text-regions.js'));
const args = parseArgs();
const passes = (args.passes ?? '960,1920').split(',');
const files = passes.map((p) => join(ROOT, '.bench', 'text', `lines-${args.frame === '1' ? 'frame' : 'own'}-${p}-up.json`));
const missing = files.filter((f) => !existsSync(f));
if (missing.length) {
  console.log(`text-union skipped: ${missing.join(', ')} not there (run bench:text with those --max-side values first).`);
  process.exit(0);
}
const runs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
const BANDS = [['<12', 0, 12], ['12–20', 12, 20], ['20–40', 20, 40], ['≥40', 40, Infinity]];
const inter = (a, b) => Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
const pct = ([a, n]) => (n ? `${((100 * a) / n).toFixed(1)}% (${a}/${n})` : '–');

function score(regionsOf) {
  const found = BANDS.map(() => [0, 0]);
  let stray = 0;
  runs[0].forEach((shot, i) => {
    const regions = regionsOf(i);
    for (const p of shot.plates) {
      const band = BANDS.findIndex(([, lo, hi]) => p.h >= lo && p.h < hi);
      found[band][1]++;
      if (regions.some((r) => inter(r.box, p) >= 0.8 * p.w * p.h)) found[band][0]++;
    }
    stray += regions.filter((r) => !shot.plates.some((p) => inter(r.box, p) > 0)).length;
  });
  const all = found.reduce(([a, n], [b, m]) => [a + b, n + m], [0, 0]);
  const ge20 = [found[2][0] + found[3][0], found[2][1] + found[3][1]];
  return `| ${pct(all)} | ${found.map(pct).join(' | ')} | ${pct(ge20)} | ${(stray / runs[0].length).toFixed(2)} |`;
}

const regionParams = JSON.parse(args.regions ?? '{}');
const regions = (run, i) => textRegions(run[i].lines, run[i].width, run[i].height, regionParams);
console.log(`# text-union — ${passes.join(' + ')} — ${runs[0].length} photographs${args.frame === '1' ? ' in a 1920×1080 frame' : ''}`);
console.log('| passes | all plates | <12 px | 12–20 px | 20–40 px | ≥40 px | ≥20 px | boxes on no plate, per image |\n|---|---|---|---|---|---|---|---|');
passes.forEach((p, k) => console.log(`| ${p} alone ${score((i) => regions(runs[k], i))}`));
if (runs.length > 1) console.log(`| ${passes.join(' + ')} ${score((i) => runs.flatMap((run) => regions(run, i)))}`);
