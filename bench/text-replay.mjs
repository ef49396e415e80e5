#!/usr/bin/env node
// Tuning harness for text in detection: runs the face and text models once per bench clip as
// `redactor detect` does (faces on every 2nd frame, text on every 3rd of those), caches the findings
// (.bench/text/<clip>.replay.json and .grey), then replays both trackers with a rule for dropping text
// regions and scores against the clip's truth directly (bench/track-score.mjs: the measures of
// score.mjs without an export). For each clip it prints faces alone against faces and text: recall of
// the truth (faces on the face clips, plates on the plate clips) and over-redaction, so a rule is judged
// by what it saves on face clips and what it costs on plate clips, in seconds once cached.
//
// usage: npm run build && node bench/text-replay.mjs [--clips day-1,night-1] [--plate-clips day-1,night-1]
//          [--rule '{"faceOverlap":0.5,"minScore":0.7}'] [--regions '{"thickMinAspect":0}'] [--text-tracker '{"maxGrowth":0.1}'] [--looks 1] [--dump 1]
// Face clips are .bench/detect/<name>.mp4 (bench:detect makes them), plate clips
// .bench/text/clips/<name>.mp4 (bench:text --clips makes them). --looks 1 writes, per face clip, the text
// regions that rule keeps, for drawing on frames; --dump 1 the text tracks (.bench/text/<clip>.text-tracks.json). Without ../shared it skips.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT, WORK, clipsUnavailable, parseArgs } from './bench-clips.mjs';
import { readFrameCache, writeFrameCache } from './frame-cache.mjs';
import { scoreTracks } from './track-score.mjs';

const require = createRequire(import.meta.url);
const dist = (p) => require(join(ROOT, 'dist', p));
const { analysisFrames } = dist('engine/media/frame-stream.js');
const { probe } = dist('engine/media/probe.js');
const { analysisSize, DEFAULT_DETECT_VIDEO_SETTINGS, TEXT_TRACKER_SETTINGS } = dist('engine/detect/detect-video.js');
const { DetectorPool } = dist('engine/detect/worker-pool.js');
const { greyHalf } = dist('engine/detect/grey.js');
const { FaceTracker } = dist('engine/detect/tracker.js');
const { resolveDetectSettings } = dist('engine/detect/settings.js');
const { textRegions, REGION_DEFAULTS } = dist('engine/text/text-regions.js');
const { TextDetector } = dist('engine/text/text-detector.js');
const { keepText, TEXT_KEEP_DEFAULTS } = dist('engine/text/text-keep.js');

const args = parseArgs();
const unavailable = clipsUnavailable();
if (unavailable) {
  console.log(`text-replay skipped: ${unavailable}.`);
  process.exit(0);
}
const { every, textEvery, analysisWidth } = DEFAULT_DETECT_VIDEO_SETTINGS;
const rule = { ...TEXT_KEEP_DEFAULTS, ...JSON.parse(args.rule ?? '{}') };
const regionParams = { ...REGION_DEFAULTS, ...JSON.parse(args.regions ?? '{}') };
const TEXT_DIR = join(ROOT, '.bench', 'text');
const faceClips = (args.clips ?? 'day-1,night-1,shaky-1,blur-1').split(',').filter(Boolean).map((name) => ({ name, kind: 'faces', clip: join(WORK, `${name}.mp4`) }));
const plateClips = (args['plate-clips'] ?? '').split(',').filter(Boolean).map((name) => ({ name: `plates-${name}`, kind: 'plates', clip: join(TEXT_DIR, 'clips', `${name}.mp4`) }));

/** Faces on every analysed frame and text lines on every textEvery-th, in source pixels, cached. */
async function findings(clip, name) {
  mkdirSync(TEXT_DIR, { recursive: true });
  const cache = join(TEXT_DIR, `${name}.replay.json`);
  const greyFile = join(TEXT_DIR, `${name}.replay.grey`);
  const cached = readFrameCache(cache, greyFile);
  if (cached) return cached;
  if (!existsSync(clip)) throw new Error(`${clip} is not there: make it with bench:detect or bench:text --clips first`);
  const p = await probe(clip);
  // Faces in the workers; text here, every line kept (no thickness limit, no face rule), so every rule replays.
  const pool = await DetectorPool.create(2, { settings: resolveDetectSettings({}) });
  const textDetector = await TextDetector.create();
  const { width, height, scale } = analysisSize(p.video, analysisWidth);
  const frames = [];
  const greys = [];
  let grey0 = null;
  let n = 0;
  for await (const f of analysisFrames({ path: p.path, streamIndex: p.video.index, width, height, every })) {
    const g = greyHalf(f.rgb, f.width, f.height, scale);
    grey0 = { width: g.width, height: g.height, scale: g.scale };
    greys.push(Buffer.from(g.data));
    const text = n++ % textEvery === 0;
    const lines = text ? await textDetector.detectLines({ width: f.width, height: f.height, data: f.rgb }) : null;
    frames.push({ index: f.index, lines, result: pool.detect(f.width, f.height, f.rgb, { faces: true, text: false }) });
    if (frames.length % 8 === 0) await frames.at(-1).result;
  }
  const up = (b) => ({ x: b.x * scale, y: b.y * scale, w: b.w * scale, h: b.h * scale });
  for (const f of frames) {
    const r = await f.result;
    f.faces = r.faces.map((d) => ({ ...up(d), score: d.score }));
    f.lines = f.lines ? f.lines.map((l) => ({ ...l, box: up(l.box), length: l.length * scale, thickness: l.thickness * scale })) : null;
    delete f.result;
  }
  await pool.close();
  await textDetector.close();
  writeFrameCache(cache, greyFile, { width: p.video.width, height: p.video.height, frameCount: p.video.frameCount, grey: grey0, frames }, greys);
  return findings(clip, name);
}

const pct = (x) => `${(100 * x).toFixed(1)}%`;
const rows = [];
const looks = [];
for (const { name, kind, clip } of [...faceClips, ...plateClips]) {
  const d = await findings(clip, name);
  const truth = JSON.parse(readFileSync(clip.replace(/\.mp4$/, '.gt.json'), 'utf8'));
  const size = { frameWidth: d.width, frameHeight: d.height };
  const faces = new FaceTracker({ detector: 'replay', ...size });
  const text = new FaceTracker({ ...TEXT_TRACKER_SETTINGS, ...JSON.parse(args['text-tracker'] ?? '{}'), detector: 'replay', ...size });
  let regions = 0, dropped = 0;
  for (const f of d.frames) {
    faces.push(f.index, f.faces, f.grey);
    if (!f.lines) continue;
    const all = textRegions(f.lines, d.width, d.height, regionParams);
    const kept = keepText(all, f.faces, rule);
    regions += all.length;
    dropped += all.length - kept.length;
    text.push(f.index, kept.map((r) => ({ ...r.box, score: r.score, reason: r.reason })), f.grey);
    if (args.looks && kind === 'faces') looks.push(...kept.map((r) => ({ clip: name, frame: f.index, box: r.box, score: r.score, lines: r.lines.length, thickness: Math.max(...r.lines.map((l) => l.thickness)) })));
  }
  const faceTracks = faces.finish(d.frameCount - 1);
  const textTracks = text.finish(d.frameCount - 1);
  if (args.dump) writeFileSync(join(TEXT_DIR, `${name}.text-tracks.json`), JSON.stringify(textTracks));
  const alone = scoreTracks(faceTracks, truth);
  const both = scoreTracks([...faceTracks, ...textTracks], truth);
  const onlyText = scoreTracks(textTracks, truth);
  rows.push({ name, kind, alone, both, onlyText, regions, dropped, textTracks: textTracks.length });
}
if (args.looks) writeFileSync(join(TEXT_DIR, 'looks.json'), JSON.stringify(looks));
console.log(`# text-replay, rule ${JSON.stringify(rule)}, regions ${args.regions ?? '{}'}, text tracker ${args['text-tracker'] ?? '{}'}`);
console.log('| clip | truth | recall ≥24 px, faces alone | recall ≥24 px, faces + text | text alone ≥24 px | over-redaction, faces alone | faces + text | rise | text regions (dropped by the rule) | text tracks |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.kind} | ${pct(r.alone.recall24)} | ${pct(r.both.recall24)} | ${pct(r.onlyText.recall24)} | ${pct(r.alone.overRedaction)} | ${pct(r.both.overRedaction)} | ${(100 * (r.both.overRedaction - r.alone.overRedaction)).toFixed(2)} | ${r.regions} (${r.dropped}) | ${r.textTracks} |`);
const face = rows.filter((r) => r.kind === 'faces');
if (face.length) console.log(`\nface clips: rise in over-redaction mean ${(100 * face.reduce((a, r) => a + r.both.overRedaction - r.alone.overRedaction, 0) / face.length).toFixed(2)} points, max ${(100 * Math.max(...face.map((r) => r.both.overRedaction - r.alone.overRedaction))).toFixed(2)}`);
