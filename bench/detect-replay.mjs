#!/usr/bin/env node
// Tuning harness for detection: runs the detector once per bench clip and caches its raw detections
// and grey images (.bench/detect/<clip>.dets.json / .grey), then replays the tracker with the given
// settings and scores the tracks against the clip's truth directly (the measures score.mjs takes from
// a clip redacted with solid fill: a face-frame is covered when ≥80% of it lies in the union of boxes;
// over-redaction is the share of the frame boxed outside every true face grown by half its size),
// plus tracks per true face and false tracks. No export, so a tracker setting is judged in seconds.
//
// usage: npm run build && node bench/detect-replay.mjs [--conditions day,night] [--seeds 1,2,3]
//          [--clips day-1-1080,...] [--analysis-width 1280] [--every 2] [--threshold 0.5] [--min-score 0.6] [--keep '{"largeFaceScoreThreshold":0.8}'] [--tracker '{"maxGapFrames":10}'] [--detector '{"passes":[1,2]}']
// --dump writes each clip's tracks to .bench/detect/<clip>.tracks.json.
// --min-score replays only the cached detections scoring at least that, so one detection run at a low
// threshold serves every higher one.
// Without ../shared it skips with a message. `npm run bench:detect` remains the figure of record.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT, WORK, clipFor, clipsUnavailable, parseArgs } from './bench-clips.mjs';
import { readFrameCache, writeFrameCache } from './frame-cache.mjs';
import { scoreTracks } from './track-score.mjs';

const require = createRequire(import.meta.url);
const dist = (p) => require(join(ROOT, 'dist', p));
const { analysisFrames } = dist('engine/media/frame-stream.js');
const { probe } = dist('engine/media/probe.js');
const { analysisSize } = dist('engine/detect/detect-video.js');
const { DetectorPool } = dist('engine/detect/worker-pool.js');
const { greyHalf } = dist('engine/detect/grey.js');
const { FaceTracker } = dist('engine/detect/tracker.js');
const { resolveDetectSettings } = dist('engine/detect/settings.js');
const { countsAsFace } = dist('engine/detect/detector.js');

const args = parseArgs();
const unavailable = clipsUnavailable();
if (unavailable) {
  console.log(`detect-replay skipped: ${unavailable}.`);
  process.exit(0);
}
const CONDITIONS = (args.conditions ?? 'day,night,shaky,blur').split(',');
const SEEDS = (args.seeds ?? '1,2,3').split(',').map(Number);
const EVERY = Number(args.every ?? 2);
const ANALYSIS_WIDTH = Number(args['analysis-width'] ?? 1280);
const CLIPS = args.clips?.split(',');
const detectorSettings = resolveDetectSettings({ ...(args.threshold ? { scoreThreshold: Number(args.threshold) } : {}), ...JSON.parse(args.detector ?? '{}') });
const trackerSettings = JSON.parse(args.tracker ?? '{}');
// The cache is keyed by what changes the raw detections; the keep rule is applied on replay.
const { largeFaceScoreThreshold, largeFaceFraction, ...rawSettings } = detectorSettings;
const key = createHash('sha256').update(JSON.stringify({ EVERY, ANALYSIS_WIDTH, detectorSettings: rawSettings })).digest('hex').slice(0, 12);

async function detections(clip) {
  const cache = clip.replace(/\.mp4$/, `.${key}.dets.json`);
  const greyFile = clip.replace(/\.mp4$/, `.e${EVERY}.w${ANALYSIS_WIDTH}.grey`);
  const cached = readFrameCache(cache, greyFile);
  if (cached) return cached;
  const p = await probe(clip);
  // Raw detections: the large-face rule is applied on replay.
  const pool = await DetectorPool.create(2, { settings: { ...detectorSettings, largeFaceScoreThreshold: detectorSettings.scoreThreshold } });
  const frames = [];
  const greys = [];
  let grey0 = null;
  const start = performance.now();
  const { width, height, scale } = analysisSize(p.video, ANALYSIS_WIDTH);
  for await (const f of analysisFrames({ path: p.path, streamIndex: p.video.index, width, height, every: EVERY })) {
    const g = greyHalf(f.rgb, f.width, f.height, scale);
    grey0 = { width: g.width, height: g.height, scale: g.scale };
    greys.push(Buffer.from(g.data));
    frames.push({ index: f.index, result: pool.detect(f.width, f.height, f.rgb) });
  }
  for (const f of frames) f.dets = (await f.result).faces.map((d) => ({ ...d, x: d.x * scale, y: d.y * scale, w: d.w * scale, h: d.h * scale }));
  const ms = (performance.now() - start) / frames.length;
  await pool.close();
  const c = { width: p.video.width, height: p.video.height, frameCount: p.video.frameCount, grey: grey0, msPerFrame: ms, frames: frames.map((f) => ({ index: f.index, dets: f.dets })) };
  writeFrameCache(cache, greyFile, c, greys);
  return detections(clip);
}

const rows = [];
const jobs = CLIPS ? CLIPS.map((name) => ({ name, clip: join(WORK, `${name}.mp4`), gt: join(WORK, `${name}.gt.json`) })) : CONDITIONS.flatMap((condition) => SEEDS.map((seed) => ({ name: `${condition}-${seed}`, ...clipFor(condition, seed) })));
{
  for (const { name, clip, gt } of jobs) {
    const d = await detections(clip);
    const tracker = new FaceTracker({ detector: 'replay', frameWidth: d.width, frameHeight: d.height, ...trackerSettings });
    const t0 = performance.now();
    // The detector's own rule (score, size), so cached detections at a low threshold serve any higher one.
    const rule = resolveDetectSettings({ ...detectorSettings, ...(args['min-score'] ? { scoreThreshold: Number(args['min-score']) } : {}), ...JSON.parse(args.keep ?? '{}') });
    for (const f of d.frames) tracker.push(f.index, f.dets.filter((x) => countsAsFace(x, d.height, rule)), f.grey);
    const tracks = tracker.finish(d.frameCount - 1);
    const trackMs = (performance.now() - t0) / d.frames.length;
    const truth = JSON.parse(readFileSync(gt, 'utf8'));
    if (args.dump) writeFileSync(join(WORK, `${name}.tracks.json`), JSON.stringify(tracks));
    rows.push({ name, ...scoreTracks(tracks, truth), detMs: d.msPerFrame, trackMs });
  }
}
const pct = (x) => `${(100 * x).toFixed(1)}%`;
console.log(`# detect-replay every ${EVERY} min-score ${args['min-score'] ?? '-'} detector ${JSON.stringify(detectorSettings)} tracker ${JSON.stringify(trackerSettings)}`);
console.log('| clip | ≥24 px | 16–24 px | ≥96 px exposed | over-redaction | tracks | tracks per true face | false tracks | det ms/frame | tracker ms/frame |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${pct(r.recall24)} | ${pct(r.recall16to24)} | ${r.exposed96} | ${pct(r.overRedaction)} | ${r.tracks} | ${r.tracksPerFace.toFixed(2)} | ${r.falseTracks} (${pct(r.falseTrackShare)}) | ${r.detMs.toFixed(1)} | ${r.trackMs.toFixed(1)} |`);
const mean = (k) => rows.reduce((a, r) => a + r[k], 0) / rows.length;
const min = (k) => Math.min(...rows.map((r) => r[k]));
console.log(`\nexposed ≥24 px face-frames ${rows.reduce((a, r) => a + r.exposed24, 0)}, of them partly covered ${rows.reduce((a, r) => a + r.partial24, 0)}`);
console.log(`min ≥24 ${pct(min('recall24'))} · min 16–24 ${pct(min('recall16to24'))} · ≥96 exposed ${rows.reduce((a, r) => a + r.exposed96, 0)} · over-redaction mean ${pct(mean('overRedaction'))} max ${pct(Math.max(...rows.map((r) => r.overRedaction)))} · tracks/face max ${Math.max(...rows.map((r) => r.tracksPerFace)).toFixed(2)} · false-track share max ${pct(Math.max(...rows.map((r) => r.falseTrackShare)))}`);
