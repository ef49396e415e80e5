#!/usr/bin/env node
// How much of the bench's truth the face model can find at all: an upper bound on the recall any
// tracker could reach from its detections, whatever its settings.
//
// usage: npm run bench:ceiling [-- --conditions day,night,shaky,blur] [--seeds 1,2,3] [--every 6]
//                                [--layouts 1x1,3x2,5x3,8x5] [--thresholds 0.45,0.3,0.2]
// For each clip (made as bench:detect makes them), every Nth frame is looked at by BlazeFace at every
// tile layout given (whole frame 1x1 ≈ 0.2× at 720p, 3x2 ≈ 0.5×, 5x3 ≈ 0.8×, 8x5 ≈ 1.25×, 12x7 ≈ 1.9×,
// 16x9 ≈ 2.5×), each tile also in its mirror image, with auto levels as the detector uses them. A true
// face counts as found in a frame when a raw detection (before NMS) overlaps its box with IoU ≥ 0.3.
//
// The ceiling credits an ideal tracker: a face found in any looked-at frame counts as covered in every
// frame of the clip it is in. Faces it never finds are exposed in all their frames, so
//   ceiling = face-frames (≥ 24 px) of faces found at least once / all face-frames (≥ 24 px).
// Columns: the default layouts (whole frame and 3×2 tiles) at the default threshold, then every
// layout at each threshold. Without ../shared it skips with a message.
import { readFileSync } from 'node:fs';
import { clipFor, clipsUnavailable, parseArgs } from './bench-clips.mjs';

const args = parseArgs();
const unavailable = clipsUnavailable();
if (unavailable) {
  console.log(`bench:ceiling skipped: ${unavailable}.`);
  process.exit(0);
}
const dist = new URL('../dist/engine/', import.meta.url);
const { FaceDetector } = await import(new URL('detect/detector.js', dist));
const { planTiles } = await import(new URL('detect/tiling.js', dist));
const { DEFAULT_DETECT_SETTINGS } = await import(new URL('detect/settings.js', dist));
const { analysisFrames } = await import(new URL('media/frame-stream.js', dist));

const CONDITIONS = (args.conditions ?? 'day,night,shaky,blur').split(',');
const SEEDS = (args.seeds ?? '1,2,3').split(',').map(Number);
const EVERY = Number(args.every ?? 6);
const LAYOUTS = (args.layouts ?? '1x1,3x2,5x3,8x5').split(',');
const THRESHOLDS = (args.thresholds ?? '0.45,0.3,0.2').split(',').map(Number).sort((a, b) => b - a);
const DEFAULT_LAYOUTS = new Set(['1x1', `${DEFAULT_DETECT_SETTINGS.cols}x${DEFAULT_DETECT_SETTINGS.rows}`]);
const MIN_HEIGHT = 24;
const IOU = 0.3;

// The lowest threshold, and every tile in the mirror too; the tile's own score rule is then applied
// by the table (a detection counts at threshold T when it scores at least T).
const detector = await FaceDetector.create({ settings: { scoreThreshold: THRESHOLDS.at(-1), darkScoreThreshold: THRESHOLDS.at(-1), mirrorPass: 'every-tile', darkBoxScale: 1 } });

function iou(a, [x, y, w, h]) {
  const ix = Math.max(0, Math.min(a.x + a.w, x + w) - Math.max(a.x, x));
  const iy = Math.max(0, Math.min(a.y + a.h, y + h) - Math.max(a.y, y));
  const i = ix * iy;
  return i / (a.w * a.h + w * h - i);
}

/** Per face id, per layout: the best score of a detection matching the face in any looked-at frame. */
async function bestScores(clip, truth) {
  const tiles = LAYOUTS.flatMap((layout) => {
    const [cols, rows] = layout.split('x').map(Number);
    return planTiles(truth.width, truth.height, { cols, rows, overlap: DEFAULT_DETECT_SETTINGS.overlap, wholeFramePass: false, minTileSide: 64 }).map((t) => ({ ...t, layout }));
  });
  const best = new Map();
  for await (const f of analysisFrames({ path: clip, width: truth.width, height: truth.height, every: EVERY })) {
    const frame = { width: f.width, height: f.height, data: f.rgb };
    const faces = truth.faces.filter((face) => face.boxes[f.index]);
    if (!faces.length) continue;
    for (const tile of tiles) {
      for (const d of await detector.detectTile(frame, tile)) {
        for (const face of faces) {
          if (iou(d, face.boxes[f.index]) < IOU) continue;
          const scores = best.get(face.id) ?? new Map();
          best.set(face.id, scores);
          scores.set(tile.layout, Math.max(scores.get(tile.layout) ?? 0, d.score));
        }
      }
    }
  }
  return best;
}

const columns = [
  { name: `whole frame + ${[...DEFAULT_LAYOUTS].at(-1)} at ${DEFAULT_DETECT_SETTINGS.scoreThreshold}`, layouts: DEFAULT_LAYOUTS, threshold: DEFAULT_DETECT_SETTINGS.scoreThreshold },
  ...THRESHOLDS.map((threshold) => ({ name: `${LAYOUTS.join(' + ')} at ${threshold}`, layouts: new Set(LAYOUTS), threshold })),
];
console.log(`# bench:ceiling — ${new Date().toISOString()} — every ${EVERY}th frame, layouts ${LAYOUTS.join(', ')}, mirror on, IoU ≥ ${IOU}, faces ≥ ${MIN_HEIGHT} px`);
console.log(`\n| clip | face-frames ≥${MIN_HEIGHT} px | ${columns.map((c) => c.name).join(' | ')} | never found at ${THRESHOLDS.at(-1)} (face-frames, mean height) |`);
console.log(`|---|---|${columns.map(() => '---|').join('')}---|`);
const started = Date.now();
for (const condition of CONDITIONS) {
  for (const seed of SEEDS) {
    const { clip, gt } = clipFor(condition, seed);
    const truth = JSON.parse(readFileSync(gt, 'utf8'));
    const best = await bestScores(clip, truth);
    let faceFrames = 0;
    const covered = columns.map(() => 0);
    const never = [];
    for (const face of truth.faces) {
      const heights = Object.values(face.boxes).map((b) => b[3]).filter((h) => h >= MIN_HEIGHT);
      if (!heights.length) continue;
      faceFrames += heights.length;
      const scores = best.get(face.id) ?? new Map();
      columns.forEach((c, i) => {
        if ([...scores].some(([layout, s]) => c.layouts.has(layout) && s >= c.threshold)) covered[i] += heights.length;
      });
      if (!scores.size) never.push(`${face.id.split('/').pop()} (${heights.length}, ${Math.round(heights.reduce((a, b) => a + b, 0) / heights.length)} px)`);
    }
    const pct = (n) => `${((100 * n) / faceFrames).toFixed(1)}%`;
    console.log(`| ${condition} ${seed} | ${faceFrames} | ${covered.map(pct).join(' | ')} | ${never.join('; ') || '—'} |`);
  }
}
console.log(`\n${detector.modelRuns} model runs in ${((Date.now() - started) / 1000).toFixed(0)} s`);
await detector.dispose();
