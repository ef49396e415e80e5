// bench:text --clips: number plates in body-camera-like clips, as the issue measures them.
//
// For each condition (day, night, shaky, blur) and seed: ../shared/bench/make-clip.mjs builds a 1280×720
// 30 fps clip from the plate photographs with per-frame plate truth (`--gt plates.json --boxes plates`,
// cached in .bench/text/clips/), `redactor auto --style solid --fill '#FF00FF'` redacts it (faces and
// text, the default, or --find as given), and ../shared/bench/score.mjs scores it: plate-frames covered
// (≥80% filled) by plate height in its bands, and over the bands (≥20 px, 12–20 px) by scoring
// the same output against the truth cut to those heights. The photographs are read from ../shared and
// never copied into the repository.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT, SHARED, run } from './bench-clips.mjs';

const PLATES = join(SHARED, 'plates');
const WORK = join(ROOT, '.bench', 'text', 'clips');
const REDACTOR = join(ROOT, 'bin', 'redactor.js');

/** The clip for a condition and seed, made if it is not cached: { clip, gt } paths. */
function plateClip(condition, seed) {
  mkdirSync(WORK, { recursive: true });
  const clip = join(WORK, `${condition}-${seed}.mp4`);
  const gt = clip.replace(/\.mp4$/, '.gt.json');
  if (!existsSync(clip) || !existsSync(gt)) {
    console.error(`making ${clip} …`);
    run(process.execPath, [join(SHARED, 'make-clip.mjs'), '--gt', join(PLATES, 'plates.json'), '--root', PLATES, '--boxes', 'plates', '--out', clip, '--seed', String(seed), '--condition', condition]);
  }
  return { clip, gt };
}

/** The truth with only the plate-frames whose height is in [lo, hi), written beside the clip's. */
function truthBetween(gt, lo, hi) {
  const truth = JSON.parse(readFileSync(gt, 'utf8'));
  let kept = 0;
  truth.faces = truth.faces.map((p) => ({ ...p, boxes: Object.fromEntries(Object.entries(p.boxes).filter(([, b]) => b[3] >= lo && b[3] < hi && (kept++, true))) }));
  const file = gt.replace(/\.gt\.json$/, `.gt-${lo}-${hi}.json`);
  writeFileSync(file, JSON.stringify(truth));
  return { file, kept };
}

const score = (video, gt) => JSON.parse(run(process.execPath, [join(SHARED, 'score.mjs'), '--video', video, '--gt', gt, '--json']).stdout);

export async function plateClips(args) {
  const value = typeof args.clips === 'string' && !args.clips.startsWith('--') ? args.clips : 'day,night,shaky,blur';
  const conditions = value.split(',');
  const seeds = (args.seeds ?? '1').split(',').map(Number);
  const extra = [...(args.find ? ['--find', args.find] : []), ...(args.every ? ['--every', args.every] : [])];
  console.log(`# bench:text --clips — ${new Date().toISOString()} — redactor auto ${extra.join(' ')} --style solid --fill '#FF00FF' --no-leak-check; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const pct = (x) => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(1)}%`);
  const frac = (r) => (r.faceFrames ? `${pct(1 - r.exposed / r.faceFrames)} (${r.faceFrames - r.exposed}/${r.faceFrames})` : '–');
  const rows = [];
  for (const condition of conditions) {
    for (const seed of seeds) {
      const { clip, gt } = plateClip(condition, seed);
      const out = join(WORK, `${condition}-${seed}.redacted.mp4`);
      const a = run(process.execPath, [REDACTOR, 'auto', clip, '-o', out, '--style', 'solid', '--fill', '#FF00FF', '--force', '--quiet', '--no-leak-check', ...extra]);
      const whole = score(out, gt);
      const bands = [[20, Infinity], [12, 20]].map(([lo, hi]) => {
        const { file, kept } = truthBetween(gt, lo, hi);
        const s = kept ? score(out, file) : null;
        rmSync(file, { force: true });
        // score.mjs counts every plate-frame of the cut truth in its own bands: summed, they are this band.
        const n = s ? s.rows.reduce((t, r) => t + r.faceFrames, 0) : 0;
        const exposed = s ? s.rows.reduce((t, r) => t + r.exposed, 0) : 0;
        return { faceFrames: n, exposed };
      });
      const tracks = JSON.parse(readFileSync(`${out}.report.json`, 'utf8')).plan.tracks;
      const duration = Number(run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', clip]).stdout);
      rows.push({ condition, seed, whole, bands, text: tracks.filter((t) => t.label === 'text').length, faces: tracks.filter((t) => t.label === 'face').length, speed: duration / a.seconds });
      console.error(`${condition} ${seed}: done`);
      // The redacted clip is kept for looking at (contact sheets); the report is not needed.
      rmSync(`${out}.report.json`, { force: true });
    }
  }
  console.log('\nPlate-frames covered (≥80% of the plate filled), by plate height (score.mjs bands, then the issue\'s):\n');
  console.log('| clip | <16 px | 16–24 px | 24–48 px | 48–96 px | ≥96 px | **≥20 px** (target 95%) | **12–20 px** (target 80%) | over-redaction | text tracks | face tracks | auto × real time |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.condition} ${r.seed} | ${r.whole.rows.map(frac).join(' | ')} | ${frac(r.bands[0])} | ${frac(r.bands[1])} | ${pct(r.whole.overRedaction)} | ${r.text} | ${r.faces} | ${r.speed.toFixed(2)} |`);
  }
  const total = (i) => rows.reduce((t, r) => ({ faceFrames: t.faceFrames + r.bands[i].faceFrames, exposed: t.exposed + r.bands[i].exposed }), { faceFrames: 0, exposed: 0 });
  console.log(`\nall ${rows.length} clips: ≥20 px ${frac(total(0))}, 12–20 px ${frac(total(1))}; over-redaction mean ${pct(rows.reduce((t, r) => t + r.whole.overRedaction, 0) / rows.length)}`);
}
