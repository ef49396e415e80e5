import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Box, iou } from '../../common/geometry';
import { type Detection, FaceDetector, type RgbFrame } from '../../engine/detect/detector';
import { ModelIntegrityError, defaultModelPath, modelIdentity } from '../../engine/detect/model-file';
import { tempDir } from '../helpers/media';

const PHOTO = resolve(__dirname, '../fixtures/astronaut.png');

/**
 * The face in astronaut.png (512×512), judged by eye on a 3× enlarged crop with a 10-pixel grid:
 * cheek to cheek x 180–272, forehead below the fringe y 82 to the chin y 180.
 */
const FACE: Box = { x: 180, y: 82, w: 92, h: 98 };

/** Runs ffmpeg and returns the first output picture as RGB24. */
function rgbFrom(args: string[], width: number, height: number): RgbFrame {
  const r = spawnSync('ffmpeg', ['-v', 'error', ...args, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], {
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
  expect(r.stdout.length).toBe(width * height * 3);
  return { width, height, data: new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length) };
}

/**
 * The photo scaled to `side`×`side` and laid on a grey 1280×720 canvas with its top-left corner at
 * (x, y) (may be off-canvas), plus where the face ends up.
 */
function photoOnCanvas(side: number, x: number, y: number): { frame: RgbFrame; face: Box } {
  const graph = `color=c=0x808080:s=1280x720[bg];[0:v]scale=${side}:${side}[fg];[bg][fg]overlay=${x}:${y}`;
  const frame = rgbFrom(['-i', PHOTO, '-filter_complex', graph], 1280, 720);
  const k = side / 512;
  return { frame, face: { x: x + FACE.x * k, y: y + FACE.y * k, w: FACE.w * k, h: FACE.h * k } };
}

const near = (ds: Detection[], face: Box) => ds.filter((d) => iou(d, face) > 0.05);
const describeBest = (ds: Detection[], face: Box) =>
  ds.length === 0 ? 'nothing' : ds.map((d) => `IoU ${iou(d, face).toFixed(2)} score ${d.score.toFixed(2)}`).join('; ');

describe('FaceDetector on real pictures', () => {
  let tiled: FaceDetector;
  let wholeOnly: FaceDetector;
  const tmp = tempDir('redactor-detect-');

  beforeAll(async () => {
    tiled = await FaceDetector.create();
    wholeOnly = await FaceDetector.create({ settings: { cols: 1, rows: 1 } });
  });
  afterAll(async () => {
    await tiled?.dispose();
    await wholeOnly?.dispose();
    tmp.cleanup();
  });

  it('names the model by the hash of the vendored file', () => {
    const sha = createHash('sha256').update(readFileSync(defaultModelPath())).digest('hex');
    expect(tiled.modelId).toBe(modelIdentity(sha));
    expect(tiled.modelId).toMatch(/^blazeface-back-256@[0-9a-f]{8}$/);
  });

  it('refuses a model file that is not the recorded one', async () => {
    const bytes = readFileSync(defaultModelPath());
    const last = bytes.length - 1;
    bytes.writeUInt8(bytes.readUInt8(last) ^ 1, last);
    const path = join(tmp.dir, 'tampered.onnx');
    writeFileSync(path, bytes);
    await expect(FaceDetector.create({ modelPath: path })).rejects.toThrow(ModelIntegrityError);
    await expect(FaceDetector.create({ modelPath: path })).rejects.toThrow(/SHA-256/);
  });

  it('finds the one face in the astronaut photo', async () => {
    const frame = rgbFrom(['-i', PHOTO], 512, 512);
    const found = await tiled.detect(frame);
    // The default threshold (0.45) favours recall: weak boxes on texture may come too (here two, at
    // 0.45–0.47); in video the tracker keeps only those that recur. The face is the one strong box.
    const strong = found.filter((d) => d.score >= 0.5);
    expect(strong, describeBest(found, FACE)).toHaveLength(1);
    expect(iou(strong[0]!, FACE)).toBeGreaterThanOrEqual(0.5);
    expect(found[0]).toBe(strong[0]);
  });

  it('finds a 30-pixel face in a 1280×720 frame by tiling', async () => {
    // 160/512 of the photo: the face is about 29 × 31 pixels.
    const { frame, face } = photoOnCanvas(160, 700, 300);
    expect(face.h).toBeGreaterThan(28);
    expect(face.h).toBeLessThan(33);
    const found = near(await tiled.detect(frame), face);
    const whole = near(await wholeOnly.detect(frame), face);
    // Reported, not asserted: one 256×256 look at the whole frame shrinks this face to 6 pixels.
    console.info(`30-px face: tiled → ${describeBest(found, face)}; whole frame only → ${describeBest(whole, face)}`);
    expect(found, describeBest(found, face)).toHaveLength(1);
    expect(iou(found[0]!, face)).toBeGreaterThanOrEqual(0.5);
  });

  it('reports a face on a tile seam once', async () => {
    // Face centre on x = 512, the right edge of the first column of tiles (which span 0–512, 384–896, ...).
    const k = 200 / 512;
    const { frame, face } = photoOnCanvas(200, Math.round(512 - (FACE.x + FACE.w / 2) * k), 120);
    const found = near(await tiled.detect(frame), face);
    expect(found, describeBest(found, face)).toHaveLength(1);
    expect(iou(found[0]!, face)).toBeGreaterThanOrEqual(0.5);
  });

  it('reports a face larger than the tile overlap once', async () => {
    // About 190 pixels: wider than the 128-pixel overlap, so no column of tiles holds it whole.
    const k = 1000 / 512;
    const { frame, face } = photoOnCanvas(1000, Math.round(640 - (FACE.x + FACE.w / 2) * k), Math.round(300 - (FACE.y + FACE.h / 2) * k));
    expect(face.w).toBeGreaterThan(128);
    const found = near(await tiled.detect(frame), face);
    expect(found, describeBest(found, face)).toHaveLength(1);
    expect(iou(found[0]!, face)).toBeGreaterThanOrEqual(0.5);
  });

  it('looks at the mirror image and reports what it finds where it lies in the picture', async () => {
    // With every tile mirrored too, the detector looks at a picture and at its mirror alike, so its
    // answers for the mirrored photo are the mirror of its answers for the photo (within resampling).
    const { frame } = photoOnCanvas(300, 700, 200);
    const mirrored = rgbFrom(['-i', PHOTO, '-filter_complex', 'color=c=0x808080:s=1280x720[bg];[0:v]scale=300:300[fg];[bg][fg]overlay=700:200,hflip'], 1280, 720);
    const both = await FaceDetector.create({ settings: { mirrorPass: 'every-tile' } });
    const none = await FaceDetector.create({ settings: { mirrorPass: 'off' } });
    try {
      // Six tiles and the whole frame, each once more in the mirror; by default the whole frame and the
      // tiles brightened for the dark are (none here: the canvas is mid-grey).
      for (const [detector, runs] of [[none, 7], [tiled, 8], [both, 14]] as const) {
        const before = detector.modelRuns;
        await detector.detect(frame);
        expect(detector.modelRuns - before).toBe(runs);
      }
      // A dark picture: the tiles auto levels brighten are looked at in the mirror too.
      const dark = rgbFrom(['-i', PHOTO, '-filter_complex', 'color=c=0x141414:s=1280x720[bg];[0:v]scale=300:300,eq=brightness=-0.3[fg];[bg][fg]overlay=100:100'], 1280, 720);
      const before = tiled.modelRuns;
      await tiled.detect(dark);
      expect(tiled.modelRuns - before).toBeGreaterThan(8);
      const direct = (await both.detect(frame)).filter((d) => d.score >= 0.5);
      const back = (await both.detect(mirrored)).filter((d) => d.score >= 0.5).map((d) => ({ ...d, x: 1280 - d.x - d.w }));
      expect(direct.length).toBeGreaterThan(0);
      expect(back).toHaveLength(direct.length);
      for (const d of direct) {
        const match = back.find((b) => iou(b, d) > 0.9);
        expect(match, `${JSON.stringify(d)} vs ${JSON.stringify(back)}`).toBeDefined();
        expect(Math.abs(match!.score - d.score)).toBeLessThan(0.02);
      }
    } finally {
      await both.dispose();
      await none.dispose();
    }
  });

  it('gives the same answers when called concurrently', async () => {
    const a = photoOnCanvas(160, 700, 300).frame;
    const b = rgbFrom(['-i', PHOTO], 512, 512);
    const sequential = [await tiled.detect(a), await tiled.detect(b), await tiled.detect(a)];
    const concurrent = await Promise.all([tiled.detect(a), tiled.detect(b), tiled.detect(a)]);
    expect(concurrent).toEqual(sequential);
  });
  it('keeps weaker detections of small faces in dark tiles only, and enlarges their boxes', async () => {
    // The photo darkened on a dark canvas: auto levels brighten the tile, so the dark rule applies.
    const graph = 'color=c=0x141414:s=1280x720[bg];[0:v]scale=100:100,eq=brightness=-0.3[fg];[bg][fg]overlay=100:100';
    const dark = rgbFrom(['-i', PHOTO, '-filter_complex', graph], 1280, 720);
    const bright = photoOnCanvas(100, 100, 100).frame;
    const weak = { scoreThreshold: 0.99, darkScoreThreshold: 0.05, darkBoxScale: 1 };
    const any = await FaceDetector.create({ settings: { ...weak, darkMaxFaceFraction: 1 } });
    const smallOnly = await FaceDetector.create({ settings: { ...weak, darkMaxFaceFraction: 0.05 } });
    const enlarged = await FaceDetector.create({ settings: { ...weak, darkMaxFaceFraction: 1, darkBoxScale: 1.5 } });
    const brightEnlarged = await FaceDetector.create({ settings: { darkBoxScale: 1.5 } });
    try {
      const tile = any.tilesFor(1280, 720)[0]!;
      expect(tile).toMatchObject({ x: 0, y: 0 });
      const below = (ds: Detection[]) => ds.filter((d) => d.score < 0.99);
      const darkAny = below(await any.detectTile(dark, tile));
      const cap = 0.05 * 720;
      expect(darkAny.every((d) => d.score >= 0.05)).toBe(true);
      expect(darkAny.some((d) => Math.max(d.w, d.h) > cap), 'some weak detection larger than the cap').toBe(true);
      expect(darkAny.some((d) => Math.max(d.w, d.h) <= cap), 'some weak detection within the cap').toBe(true);
      expect(below(await smallOnly.detectTile(dark, tile))).toEqual(darkAny.filter((d) => Math.max(d.w, d.h) <= cap));
      expect(below(await any.detectTile(bright, tile))).toEqual([]);
      // In the dark tile the same detections come back 1.5× the size about the same centre.
      const grown = await enlarged.detectTile(dark, tile);
      const plain = await any.detectTile(dark, tile);
      expect(grown).toHaveLength(plain.length);
      grown.forEach((g, i) => {
        const p = plain[i]!;
        expect([g.w / p.w, g.h / p.h, g.x + g.w / 2 - (p.x + p.w / 2), g.y + g.h / 2 - (p.y + p.h / 2), g.score - p.score].map((v) => +v.toFixed(6))).toEqual([1.5, 1.5, 0, 0, 0]);
      });
      // In a well-lit frame nothing is enlarged.
      const brightFaces = await tiled.detect(bright);
      expect(brightFaces.length).toBeGreaterThan(0);
      expect(await brightEnlarged.detect(bright)).toEqual(brightFaces);
    } finally {
      await brightEnlarged.dispose();
      await any.dispose();
      await smallOnly.dispose();
      await enlarged.dispose();
    }
  });
});
