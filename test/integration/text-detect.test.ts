import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Box, area, intersection } from '../../common/geometry';
import { PPOCR_V4_DET, TEXT_MODEL_ID, defaultTextModelPath } from '../../engine/text/model';
import { TextDetector, type TextDetection, type TextFrame } from '../../engine/text/text-detector';
import { tempDir } from '../helpers/media';

/** A bold sans font for drawtext: fontconfig's match (DejaVu comes with ffmpeg's fontconfig on Debian). */
function fontFile(): string {
  const r = spawnSync('fc-match', ['-f', '%{file}', 'DejaVu Sans:bold'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout ? r.stdout : '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
}

/** Runs an ffmpeg lavfi graph and returns its first picture as RGB24. */
function frameFrom(graph: string, width: number, height: number): TextFrame {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', graph, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
  expect(r.stdout.length).toBe(width * height * 3);
  return { width, height, data: new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length) };
}

const covered = (box: Box, target: Box) => area(intersection(box, target) ?? { x: 0, y: 0, w: 0, h: 0 }) / area(target);
const describeAll = (ds: TextDetection[]) => ds.map((d) => `${d.reason} ${d.score.toFixed(2)} [${[d.box.x, d.box.y, d.box.w, d.box.h].map(Math.round).join(',')}]`).join('; ') || 'nothing';

/**
 * A 1280×720 street-grey frame with a white number plate (150 × 34 px, "CF 691 BN" in black) and, on a
 * sheet of paper elsewhere, one long line of an address: both drawn here with ffmpeg's drawtext.
 */
const PLATE: Box = { x: 300, y: 420, w: 150, h: 34 };
const ADDRESS: Box = { x: 700, y: 150, w: 0, h: 0 }; // where the address line starts
function streetFrame(): TextFrame {
  const font = fontFile().replace(/[:\\']/g, '\\$&');
  const graph = [
    'color=c=0x5a6068:s=1280x720',
    `drawbox=x=${PLATE.x}:y=${PLATE.y}:w=${PLATE.w}:h=${PLATE.h}:color=white:t=fill`,
    `drawtext=fontfile='${font}':text='CF 691 BN':fontsize=22:fontcolor=black:x=${PLATE.x + 11}:y=${PLATE.y + 7}`,
    'drawbox=x=680:y=120:w=520:h=200:color=0xf2f0e8:t=fill',
    `drawtext=fontfile='${font}':text='Flat 2, 14 Station Road, Cardiff CF10 1AA':fontsize=18:fontcolor=0x202020:x=${ADDRESS.x}:y=${ADDRESS.y}`,
  ].join(',');
  return frameFrom(graph, 1280, 720);
}

describe('TextDetector on generated frames (the real PP-OCRv4 model)', () => {
  let detector: TextDetector;
  const tmp = tempDir('redactor-text-');

  beforeAll(async () => {
    detector = await TextDetector.create();
  });
  afterAll(async () => {
    await detector?.close();
    tmp.cleanup();
  });

  it('names the model by the hash of the vendored file', () => {
    const sha = createHash('sha256').update(readFileSync(defaultTextModelPath())).digest('hex');
    expect(sha).toBe(PPOCR_V4_DET.sha256);
    expect(detector.modelId).toBe(TEXT_MODEL_ID);
    expect(TEXT_MODEL_ID).toBe(`ppocrv4-det@${sha.slice(0, 8)}`);
    // Every setting is stated, defaults included, for the record.
    expect(detector.settings).toMatchObject({ maxSide: 960, upscale: true, db: { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5 } });
    expect(detector.settings.regions.growSides).toBeGreaterThan(0);
  });

  it('refuses a model file whose SHA-256 differs', async () => {
    const copy = join(tmp.dir, PPOCR_V4_DET.fileName);
    copyFileSync(defaultTextModelPath(), copy);
    const bytes = readFileSync(copy);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    writeFileSync(copy, bytes);
    await expect(TextDetector.create({ modelPath: copy })).rejects.toThrow(/not the expected file/);
  });

  it('finds a number plate and a line of an address, each with the reason its shape suggests', async () => {
    const found = await detector.detect(streetFrame());
    const plate = found.find((d) => covered(d.box, PLATE) >= 0.8);
    expect(plate, describeAll(found)).toBeDefined();
    expect(plate!.reason).toBe('vehicle-registration');
    expect(plate!.score).toBeGreaterThanOrEqual(0.6);
    // Grown to the plate, not to the street: under three times the plate's area.
    expect(area(plate!.box)).toBeLessThan(3 * area(PLATE));
    const address = found.find((d) => d !== plate && d.box.x <= ADDRESS.x + 10 && d.box.x + d.box.w > ADDRESS.x + 400 && Math.abs(d.box.y - ADDRESS.y) < 20);
    expect(address, describeAll(found)).toBeDefined();
    expect(address!.reason).toBe('personal-data-visual');
    expect(found, describeAll(found)).toHaveLength(2);
  });

  it('finds nothing on a frame without text', async () => {
    const plain = frameFrom('color=c=0x5a6068:s=1280x720', 1280, 720);
    expect(await detector.detect(plain)).toEqual([]);
    // Nor on a colour gradient or a detailed picture without text (a fractal).
    for (const graph of ['color=c=0x5a6068:s=1280x720,geq=r=X/5:g=Y/3:b=128', 'mandelbrot=s=1280x720']) {
      const found = await detector.detect(frameFrom(graph, 1280, 720));
      expect(found, `${graph}: ${describeAll(found)}`).toEqual([]);
    }
  });

  it('refuses a frame whose data is shorter than its size', async () => {
    await expect(detector.detect({ width: 64, height: 64, data: new Uint8Array(100) })).rejects.toThrow(/shorter/);
  });
});
