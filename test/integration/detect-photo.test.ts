import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Box, iou } from '../../common/geometry';
import { type Detection, FaceDetector, type RgbFrame } from '../../engine/detect/detector';
import { ModelIntegrityError, YUNET_N, defaultModelPath, modelIdentity } from '../../engine/detect/model-file';
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

describe('FaceDetector (YuNet-n) on real pictures', () => {
  let detector: FaceDetector;
  const tmp = tempDir('redactor-detect-');

  beforeAll(async () => {
    detector = await FaceDetector.create();
  });
  afterAll(async () => {
    await detector?.dispose();
    tmp.cleanup();
  });

  it('names the model by the hash of the vendored file', () => {
    const sha = createHash('sha256').update(readFileSync(defaultModelPath())).digest('hex');
    expect(detector.modelId).toBe(modelIdentity({ ...YUNET_N, sha256: sha }));
    expect(detector.modelId).toMatch(/^yunet-n@[0-9a-f]{8}$/);
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

  it('finds the one face in the astronaut photo, with its eyes, nose and mouth where they are', async () => {
    const frame = rgbFrom(['-i', PHOTO], 512, 512);
    const found = await detector.detect(frame);
    expect(found, describeBest(found, FACE)).toHaveLength(1);
    const face = found[0]!;
    expect(iou(face, FACE)).toBeGreaterThanOrEqual(0.6);
    expect(face.score).toBeGreaterThan(0.8);
    // Landmarks inside the box, eyes above the nose above the mouth, the subject's right eye on the left.
    const [rex, rey, lex, ley, nx, ny, rmx, rmy, lmx, lmy] = face.landmarks!;
    for (const [x, y] of [[rex, rey], [lex, ley], [nx, ny], [rmx, rmy], [lmx, lmy]] as const) {
      expect(x!).toBeGreaterThan(face.x);
      expect(x!).toBeLessThan(face.x + face.w);
      expect(y!).toBeGreaterThan(face.y);
      expect(y!).toBeLessThan(face.y + face.h);
    }
    expect(rex!).toBeLessThan(lex!);
    expect(Math.max(rey!, ley!)).toBeLessThan(ny!);
    expect(ny!).toBeLessThan(Math.min(rmy!, lmy!));
  });

  it('finds nothing in a frame with no face', async () => {
    // The photo's lower part (flag, suit and spacecraft, no face), stretched to 1280×720.
    const frame = rgbFrom(['-i', PHOTO, '-vf', 'crop=512:260:0:252,scale=1280:720'], 1280, 720);
    const found = await detector.detect(frame);
    expect(found, JSON.stringify(found)).toEqual([]);
  });

  it('finds a 30-pixel face in a 1280×720 frame, and a face as tall as the frame', async () => {
    const small = photoOnCanvas(160, 700, 300);
    expect(small.face.h).toBeGreaterThan(28);
    expect(small.face.h).toBeLessThan(33);
    const foundSmall = near(await detector.detect(small.frame), small.face);
    expect(foundSmall, describeBest(foundSmall, small.face)).toHaveLength(1);
    expect(iou(foundSmall[0]!, small.face)).toBeGreaterThanOrEqual(0.5);
    // About 500 px tall: the half-size pass is the one that sees it.
    const k = 2600 / 512;
    const large = photoOnCanvas(2600, Math.round(640 - (FACE.x + FACE.w / 2) * k), Math.round(360 - (FACE.y + FACE.h / 2) * k));
    expect(large.face.h).toBeGreaterThan(450);
    const foundLarge = near(await detector.detect(large.frame), large.face);
    expect(foundLarge, describeBest(foundLarge, large.face)).toHaveLength(1);
    expect(iou(foundLarge[0]!, large.face)).toBeGreaterThanOrEqual(0.5);
  });

  it('finds a face in a dark frame once its contrast is normalised', async () => {
    // The photo at 3% of its brightness with sensor-like noise (ffmpeg's fixed seed): YuNet sees no face
    // as decoded, and the face after CLAHE.
    const graph = 'color=c=0x040404:s=1280x720[bg];[0:v]scale=200:200,colorlevels=romax=0.03:gomax=0.03:bomax=0.03,noise=alls=8:allf=u[fg];[bg][fg]overlay=500:200';
    const dark = rgbFrom(['-i', PHOTO, '-filter_complex', graph], 1280, 720);
    const k = 200 / 512;
    const face = { x: 500 + FACE.x * k, y: 200 + FACE.y * k, w: FACE.w * k, h: FACE.h * k };
    const off = await FaceDetector.create({ settings: { contrastNormalise: 'off' } });
    try {
      const asDecoded = near(await off.detect(dark), face);
      const normalised = near(await detector.detect(dark), face);
      console.info(`dark face: as decoded → ${describeBest(asDecoded, face)}; normalised → ${describeBest(normalised, face)}`);
      expect(normalised, describeBest(normalised, face)).toHaveLength(1);
      expect(iou(normalised[0]!, face)).toBeGreaterThanOrEqual(0.5);
      expect(asDecoded).toEqual([]);
    } finally {
      await off.dispose();
    }
  });

  it('gives the same answers when called concurrently', async () => {
    const a = photoOnCanvas(160, 700, 300).frame;
    const b = rgbFrom(['-i', PHOTO], 512, 512);
    const sequential = [await detector.detect(a), await detector.detect(b), await detector.detect(a)];
    const concurrent = await Promise.all([detector.detect(a), detector.detect(b), detector.detect(a)]);
    expect(concurrent).toEqual(sequential);
  });
});
