import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PixelRect } from '../../common/geometry';
import type { RedactionStyle } from '../../common/style';
import type { TrackShape } from '../../common/track';
import { applyStyle } from '../../engine/export/styles';
import { blurRadius, cellSize } from '../../engine/export/styles/blur';
import { rgbToYuv, yuvToRgb } from '../../engine/export/styles/colour';
import { pixelateBlockSize } from '../../engine/export/styles/pixelate';
import { type PlaneMask, regionMask } from '../../engine/export/styles/region-mask';
import { fillBytes, sumBytes } from '../../engine/export/styles/resample';
import { type ColourMatrix, type ColourRange, type Yuv420Frame, chromaHeight, chromaWidth, planeOffsets, yuv420FrameSize } from '../../engine/export/yuv-frame';
import { seededRandom } from '../helpers/random';

const BT709_TV = { matrix: 'bt709', range: 'tv' } as const;
const MATRICES: ColourMatrix[] = ['bt601', 'bt709'];
const RANGES: ColourRange[] = ['tv', 'pc'];
const SHAPES: TrackShape[] = ['rectangle', 'ellipse'];

// ---------- helpers (independent of the code under test) ----------


function noiseFrame(width: number, height: number, seed = 1): Yuv420Frame {
  const r = seededRandom(seed);
  const data = new Uint8Array(yuv420FrameSize(width, height));
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(r() * 256);
  return { width, height, data };
}

function cloneFrame(f: Yuv420Frame): Yuv420Frame {
  return { width: f.width, height: f.height, data: f.data.slice() };
}

function lumaAt(f: Yuv420Frame, x: number, y: number): number {
  return f.data[y * f.width + x]!;
}

function chromaAt(f: Yuv420Frame, plane: 'u' | 'v', x: number, y: number): number {
  return f.data[planeOffsets(f.width, f.height)[plane] + y * chromaWidth(f.width) + x]!;
}

/** Does the axis-aligned box [ax0, ax1) × [ay0, ay1) (luma coordinates) overlap the region with positive area? */
function touches(shape: TrackShape, r: PixelRect, ax0: number, ay0: number, ax1: number, ay1: number): boolean {
  if (ax1 <= r.x0 || ax0 >= r.x1 || ay1 <= r.y0 || ay0 >= r.y1) return false;
  if (shape === 'rectangle') return true;
  // Scale so the ellipse is the unit circle; the box overlaps it iff its nearest point is inside.
  const cx = (r.x0 + r.x1) / 2;
  const cy = (r.y0 + r.y1) / 2;
  const a = (r.x1 - r.x0) / 2;
  const b = (r.y1 - r.y0) / 2;
  const nx = Math.max(ax0, Math.min(cx, ax1)) - cx;
  const ny = Math.max(ay0, Math.min(cy, ay1)) - cy;
  return (nx / a) ** 2 + (ny / b) ** 2 < 1;
}

/** Is the centre of luma pixel (x, y) inside the region? Such pixels must be redacted. */
function centreInside(shape: TrackShape, r: PixelRect, x: number, y: number): boolean {
  if (x < r.x0 || x >= r.x1 || y < r.y0 || y >= r.y1) return false;
  if (shape === 'rectangle') return true;
  const a = (r.x1 - r.x0) / 2;
  const b = (r.y1 - r.y0) / 2;
  return ((x + 0.5 - (r.x0 + r.x1) / 2) / a) ** 2 + ((y + 0.5 - (r.y0 + r.y1) / 2) / b) ** 2 <= 1;
}

/** Luma footprint of chroma sample (cx, cy), clipped to the frame. */
function footprint(f: Yuv420Frame, cx: number, cy: number): [number, number, number, number] {
  return [2 * cx, 2 * cy, Math.min(f.width, 2 * cx + 2), Math.min(f.height, 2 * cy + 2)];
}

/** Every sample the region cannot reach (luma outside it; chroma whose 2×2 footprint misses it) is byte-identical. */
function expectOutsideUnchanged(before: Yuv420Frame, after: Yuv420Frame, r: PixelRect, shape: TrackShape): void {
  let bad = 0;
  for (let y = 0; y < before.height; y++)
    for (let x = 0; x < before.width; x++)
      if (!touches(shape, r, x, y, x + 1, y + 1) && lumaAt(before, x, y) !== lumaAt(after, x, y)) bad++;
  for (let cy = 0; cy < chromaHeight(before.height); cy++)
    for (let cx = 0; cx < chromaWidth(before.width); cx++) {
      if (touches(shape, r, ...footprint(before, cx, cy))) continue;
      for (const p of ['u', 'v'] as const) if (chromaAt(before, p, cx, cy) !== chromaAt(after, p, cx, cy)) bad++;
    }
  expect(bad, 'samples changed outside the region').toBe(0);
}

/** Luma pixels whose centre is inside the region. */
function insidePixels(f: Yuv420Frame, r: PixelRect, shape: TrackShape): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let y = r.y0; y < r.y1; y++) for (let x = r.x0; x < r.x1; x++) if (centreInside(shape, r, x, y)) out.push([x, y]);
  return out;
}

/** Chroma samples covering at least one luma pixel whose centre is inside the region. */
function insideChroma(f: Yuv420Frame, r: PixelRect, shape: TrackShape): Array<[number, number]> {
  const seen = new Set<number>();
  const out: Array<[number, number]> = [];
  for (const [x, y] of insidePixels(f, r, shape)) {
    const k = (y >> 1) * chromaWidth(f.width) + (x >> 1);
    if (!seen.has(k)) out.push([x >> 1, y >> 1]);
    seen.add(k);
  }
  return out;
}

function std(values: number[]): number {
  if (values.length === 0) return 0;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

/** High-frequency detail: std of differences between horizontally adjacent luma pixels inside the region. */
function hfStd(f: Yuv420Frame, r: PixelRect, shape: TrackShape): number {
  const d: number[] = [];
  for (let y = r.y0; y < r.y1; y++)
    for (let x = r.x0; x + 1 < r.x1; x++)
      if (centreInside(shape, r, x, y) && centreInside(shape, r, x + 1, y)) d.push(lumaAt(f, x + 1, y) - lumaAt(f, x, y));
  return std(d);
}

function lumaValues(f: Yuv420Frame, r: PixelRect, shape: TrackShape): number[] {
  return insidePixels(f, r, shape).map(([x, y]) => lumaAt(f, x, y));
}

// ---------- colour ----------

describe('colour conversion', () => {
  it('maps black and white to the range endpoints', () => {
    for (const m of MATRICES) {
      expect(rgbToYuv({ r: 0, g: 0, b: 0 }, m, 'tv')).toEqual({ y: 16, u: 128, v: 128 });
      expect(rgbToYuv({ r: 255, g: 255, b: 255 }, m, 'tv')).toEqual({ y: 235, u: 128, v: 128 });
      expect(rgbToYuv({ r: 0, g: 0, b: 0 }, m, 'pc')).toEqual({ y: 0, u: 128, v: 128 });
      expect(rgbToYuv({ r: 255, g: 255, b: 255 }, m, 'pc')).toEqual({ y: 255, u: 128, v: 128 });
    }
  });

  it('uses the right matrix (known values for pure red and blue)', () => {
    // BT.601: Y = 16 + 219·0.299, Cb = 128 − 224·0.299/1.772, Cr = 240.
    expect(rgbToYuv({ r: 255, g: 0, b: 0 }, 'bt601', 'tv')).toEqual({ y: 81, u: 90, v: 240 });
    expect(rgbToYuv({ r: 255, g: 0, b: 0 }, 'bt709', 'tv')).toEqual({ y: 63, u: 102, v: 240 });
    expect(rgbToYuv({ r: 0, g: 0, b: 255 }, 'bt601', 'tv')).toEqual({ y: 41, u: 240, v: 110 });
    expect(rgbToYuv({ r: 0, g: 0, b: 255 }, 'bt709', 'tv')).toEqual({ y: 32, u: 240, v: 118 });
    expect(rgbToYuv({ r: 0, g: 0, b: 255 }, 'bt709', 'pc').u).toBe(255);
  });

  it('round-trips through the inverse within 3 levels for both matrices and ranges', () => {
    for (const m of MATRICES)
      for (const range of RANGES)
        for (let r = 0; r <= 255; r += 15)
          for (let g = 0; g <= 255; g += 15)
            for (let b = 0; b <= 255; b += 15) {
              const back = yuvToRgb(rgbToYuv({ r, g, b }, m, range), m, range);
              const err = Math.max(Math.abs(back.r - r), Math.abs(back.g - g), Math.abs(back.b - b));
              if (err > 3) expect({ m, range, r, g, b, back }).toBe('within 3 levels');
            }
  });

  it('a solid #FF00FF fill survives x264 encode and ffmpeg decode to rgb24', () => {
    const w = 64;
    const h = 64;
    for (const matrix of MATRICES)
      for (const range of RANGES) {
        const f = noiseFrame(w, h);
        applyStyle(f, { x0: 0, y0: 0, x1: w, y1: h }, 'rectangle', { kind: 'solid', fill: '#FF00FF' }, { matrix, range });
        const space = matrix === 'bt709' ? 'bt709' : 'smpte170m';
        const enc = spawnSync('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${w}x${h}`, '-color_range', range, '-colorspace', space, '-i', 'pipe:0',
          '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-f', 'h264', 'pipe:1'], { input: f.data, maxBuffer: 1 << 26 });
        expect(enc.status, String(enc.stderr)).toBe(0);
        const dec = spawnSync('ffmpeg', ['-v', 'error', '-f', 'h264', '-i', 'pipe:0', '-frames:v', '1', '-vf', `scale=in_color_matrix=${matrix}:in_range=${range},format=rgb24`,
          '-f', 'rawvideo', 'pipe:1'], { input: enc.stdout, maxBuffer: 1 << 26 });
        expect(dec.status, String(dec.stderr)).toBe(0);
        const px = dec.stdout.subarray((32 * w + 32) * 3, (32 * w + 32) * 3 + 3);
        expect(Math.abs(px[0]! - 255) + Math.abs(px[1]! - 0) + Math.abs(px[2]! - 255), `${matrix}/${range}: ${[...px]}`).toBeLessThanOrEqual(6);
      }
  });
});

// ---------- masks ----------

describe('region mask', () => {
  const rects: PixelRect[] = [
    { x0: 0, y0: 0, x1: 33, y1: 17 },
    { x0: 1, y0: 1, x1: 32, y1: 16 },
    { x0: 3, y0: 2, x1: 20, y1: 11 },
    { x0: 5, y0: 7, x1: 6, y1: 8 },
    { x0: 2, y0: 3, x1: 3, y1: 14 },
    { x0: 10, y0: 4, x1: 31, y1: 5 },
    { x0: 7, y0: 5, x1: 50, y1: 44 },
    { x0: 100, y0: 37, x1: 301, y1: 160 },
  ];
  for (const shape of SHAPES)
    for (const r of rects)
      it(`${shape} ${JSON.stringify(r)}: luma = pixels touching the shape, chroma covers them`, () => {
        const m = regionMask(r, shape);
        const inLuma = (x: number, y: number): boolean => {
          if (y < m.luma.y0 || y >= m.luma.y1) return false;
          return x >= m.luma.start[y - m.luma.y0]! && x < m.luma.end[y - m.luma.y0]!;
        };
        const inChroma = (x: number, y: number): boolean => {
          if (y < m.chroma.y0 || y >= m.chroma.y1) return false;
          return x >= m.chroma.start[y - m.chroma.y0]! && x < m.chroma.end[y - m.chroma.y0]!;
        };
        const [gw, gh] = [r.x1 + 3, r.y1 + 3];
        for (let y = 0; y < gh; y++)
          for (let x = 0; x < gw; x++) {
            expect(inLuma(x, y), `luma ${x},${y}`).toBe(touches(shape, r, x, y, x + 1, y + 1));
            if (centreInside(shape, r, x, y)) expect(inLuma(x, y)).toBe(true);
          }
        for (let cy = 0; cy < gh >> 1; cy++)
          for (let cx = 0; cx < gw >> 1; cx++) {
            const want = inLuma(2 * cx, 2 * cy) || inLuma(2 * cx + 1, 2 * cy) || inLuma(2 * cx, 2 * cy + 1) || inLuma(2 * cx + 1, 2 * cy + 1);
            expect(inChroma(cx, cy), `chroma ${cx},${cy}`).toBe(want);
          }
      });
});

// ---------- styles ----------

interface Case {
  name: string;
  w: number;
  h: number;
  rect: PixelRect;
  /** Large enough in both directions to measure texture. */
  textured: boolean;
}

const CASES: Case[] = [
  { name: 'even rect in 64×48', w: 64, h: 48, rect: { x0: 8, y0: 6, x1: 48, y1: 40 }, textured: true },
  { name: 'odd frame 33×17, rect from x=1', w: 33, h: 17, rect: { x0: 1, y0: 1, x1: 32, y1: 16 }, textured: true },
  { name: 'odd rect, odd start and end', w: 81, h: 61, rect: { x0: 7, y0: 5, x1: 50, y1: 44 }, textured: true },
  { name: 'touching the right and bottom edges of an odd frame', w: 33, h: 17, rect: { x0: 13, y0: 3, x1: 33, y1: 17 }, textured: true },
  { name: 'touching the top-left corner', w: 40, h: 30, rect: { x0: 0, y0: 0, x1: 17, y1: 13 }, textured: true },
  { name: 'whole odd frame', w: 33, h: 17, rect: { x0: 0, y0: 0, x1: 33, y1: 17 }, textured: true },
  { name: 'wide and short', w: 120, h: 40, rect: { x0: 3, y0: 9, x1: 117, y1: 22 }, textured: true },
  { name: 'single pixel at odd coordinates', w: 33, h: 17, rect: { x0: 5, y0: 7, x1: 6, y1: 8 }, textured: false },
  { name: 'one column', w: 33, h: 17, rect: { x0: 3, y0: 2, x1: 4, y1: 15 }, textured: false },
  { name: 'small 5×3', w: 33, h: 17, rect: { x0: 9, y0: 9, x1: 14, y1: 12 }, textured: false },
];

const STYLES: RedactionStyle[] = [{ kind: 'solid', fill: '#FF00FF' }, { kind: 'pixelate' }, { kind: 'blur' }];

describe('applyStyle', () => {
  for (const style of STYLES)
    for (const shape of SHAPES)
      for (const c of CASES)
        it(`${style.kind} ${shape}: ${c.name}`, () => {
          const before = noiseFrame(c.w, c.h, c.w * 1000 + c.rect.x0);
          const after = cloneFrame(before);
          applyStyle(after, c.rect, shape, style, BT709_TV);
          expectOutsideUnchanged(before, after, c.rect, shape);

          if (style.kind === 'solid') {
            const fill = rgbToYuv({ r: 255, g: 0, b: 255 }, 'bt709', 'tv');
            for (const [x, y] of insidePixels(before, c.rect, shape)) expect(lumaAt(after, x, y), `Y ${x},${y}`).toBe(fill.y);
            for (const [x, y] of insideChroma(before, c.rect, shape)) {
              expect(chromaAt(after, 'u', x, y), `U ${x},${y}`).toBe(fill.u);
              expect(chromaAt(after, 'v', x, y), `V ${x},${y}`).toBe(fill.v);
            }
            return;
          }

          // Noise: nearly every pixel must change (a handful may land on their own mean by chance).
          const inside = insidePixels(before, c.rect, shape);
          const changed = inside.filter(([x, y]) => lumaAt(before, x, y) !== lumaAt(after, x, y)).length;
          if (inside.length > 1) expect(changed / inside.length).toBeGreaterThan(0.9);
          const chroma = insideChroma(before, c.rect, shape);
          const cChanged = chroma.filter(([x, y]) => chromaAt(before, 'u', x, y) !== chromaAt(after, 'u', x, y)).length;
          if (chroma.length > 1) expect(cChanged / chroma.length).toBeGreaterThan(0.9);

          if (c.textured) {
            const hf0 = hfStd(before, c.rect, shape);
            const hf1 = hfStd(after, c.rect, shape);
            expect(hf1 / hf0, `high-frequency detail ${hf1.toFixed(2)} of ${hf0.toFixed(2)}`).toBeLessThan(0.1);
          }
        });

  it('pixelate: rectangle blocks are uniform, aligned to the region, at most ~6 across a square face', () => {
    const rect = { x0: 101, y0: 37, x1: 301, y1: 237 }; // 200×200 at odd coordinates
    const before = noiseFrame(400, 300, 7);
    const after = cloneFrame(before);
    applyStyle(after, rect, 'rectangle', { kind: 'pixelate' }, BT709_TV);
    const block = pixelateBlockSize(200, 200);
    expect(block).toBe(34);
    expect(Math.ceil(200 / block)).toBeLessThanOrEqual(6);
    for (let y = rect.y0; y < rect.y1; y++)
      for (let x = rect.x0; x < rect.x1; x++) {
        const bx = rect.x0 + Math.floor((x - rect.x0) / block) * block;
        const by = rect.y0 + Math.floor((y - rect.y0) / block) * block;
        if (lumaAt(after, x, y) !== lumaAt(after, bx, by)) expect(`${x},${y}`).toBe('same as its block origin');
      }
    // The block value is the block's mean.
    let sum = 0;
    for (let y = rect.y0; y < rect.y0 + block; y++) for (let x = rect.x0; x < rect.x0 + block; x++) sum += lumaAt(before, x, y);
    expect(lumaAt(after, rect.x0, rect.y0)).toBe(Math.round(sum / (block * block)));
    // Small regions still get blocks of at least 8 px.
    expect(pixelateBlockSize(20, 30)).toBe(8);
  });

  it('does not touch bytes outside the frame view', () => {
    const w = 33;
    const h = 17;
    const size = yuv420FrameSize(w, h);
    const backing = new Uint8Array(size + 64).fill(77);
    const view = backing.subarray(32, 32 + size);
    view.set(noiseFrame(w, h).data);
    for (const style of STYLES) applyStyle({ width: w, height: h, data: view }, { x0: 0, y0: 0, x1: w, y1: h }, 'ellipse', style, BT709_TV);
    expect([...backing.subarray(0, 32), ...backing.subarray(32 + size)].every((v) => v === 77)).toBe(true);
  });

  it('clips rects that stray outside the frame instead of throwing', () => {
    const before = noiseFrame(33, 17);
    const after = cloneFrame(before);
    applyStyle(after, { x0: -5, y0: -3, x1: 10.5, y1: 40 }, 'rectangle', { kind: 'solid', fill: '#000000' }, BT709_TV);
    const clipped = { x0: 0, y0: 0, x1: 11, y1: 17 };
    expectOutsideUnchanged(before, after, clipped, 'rectangle');
    for (const [x, y] of insidePixels(before, clipped, 'rectangle')) expect(lumaAt(after, x, y)).toBe(16);
  });
});

// ---------- blur strength ----------

describe('blur strength scales with the region', () => {
  for (const size of [16, 48, 128, 400, 1000])
    it(`flattens a checkerboard of 1/8-size squares in a ${size} px region`, () => {
      const pad = 11; // odd offset on purpose
      const w = size + 2 * pad + 1;
      const h = size + 2 * pad;
      const f = noiseFrame(w, h);
      const rect = { x0: pad, y0: pad, x1: pad + size, y1: pad + size };
      const sq = size / 8;
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) f.data[y * w + x] = (Math.floor((x - pad) / sq) + Math.floor((y - pad) / sq)) % 2 === 0 ? 16 : 235;
      const before = cloneFrame(f);
      applyStyle(f, rect, 'rectangle', { kind: 'blur' }, BT709_TV);
      expectOutsideUnchanged(before, f, rect, 'rectangle');
      const s0 = std(lumaValues(before, rect, 'rectangle'));
      const s1 = std(lumaValues(f, rect, 'rectangle'));
      expect(s1 / s0, `residual contrast ${s1.toFixed(2)} of ${s0.toFixed(2)}`).toBeLessThan(0.1);
      expect(blurRadius(size, size)).toBeGreaterThanOrEqual(Math.max(4, size / 5));
    });
});

// ---------- blur against its definition ----------

/**
 * The blur as specified, in plain floats: the box averaged into f×f cells (f = cellSize), three box
 * passes of radius r = round(radius / f) cells along each axis (indices clamped to the grid), then
 * bilinear back with cell c centred at (c + ½)f − ½ and held beyond the outer centres. Returns the
 * box's values row-major.
 */
function referenceBlur(src: Uint8Array, offset: number, stride: number, m: PlaneMask, radius: number): Float64Array {
  const bw = m.x1 - m.x0;
  const bh = m.y1 - m.y0;
  const f = cellSize(radius);
  const r = Math.max(1, Math.round(radius / f));
  const sw = Math.ceil(bw / f);
  const sh = Math.ceil(bh / f);
  const g = new Float64Array(sw * sh);
  for (let k = 0; k < sh; k++)
    for (let c = 0; c < sw; c++) {
      let sum = 0;
      let n = 0;
      for (let y = k * f; y < Math.min(bh, k * f + f); y++)
        for (let x = c * f; x < Math.min(bw, c * f + f); x++, n++) sum += src[offset + (m.y0 + y) * stride + m.x0 + x]!;
      g[k * sw + c] = sum / n;
    }
  const box = (at: (i: number) => number, n: number): number[] =>
    Array.from({ length: n }, (_, i) => {
      let sum = 0;
      for (let k = i - r; k <= i + r; k++) sum += at(Math.min(n - 1, Math.max(0, k)));
      return sum / (2 * r + 1);
    });
  for (let pass = 0; pass < 3; pass++)
    for (let k = 0; k < sh; k++) box((i) => g[k * sw + i]!, sw).forEach((v, i) => (g[k * sw + i] = v));
  for (let pass = 0; pass < 3; pass++)
    for (let c = 0; c < sw; c++) box((i) => g[i * sw + c]!, sh).forEach((v, i) => (g[i * sw + c] = v));
  const lerp = (i: number, n: number): [number, number, number] => {
    const p = Math.min(n - 1, Math.max(0, (i + 0.5) / f - 0.5));
    const a = Math.floor(p);
    return [a, Math.min(n - 1, a + 1), p - a];
  };
  const out = new Float64Array(bw * bh);
  for (let y = 0; y < bh; y++) {
    const [ka, kb, ty] = lerp(y, sh);
    for (let x = 0; x < bw; x++) {
      const [ja, jb, tx] = lerp(x, sw);
      const upper = g[ka * sw + ja]! * (1 - tx) + g[ka * sw + jb]! * tx;
      const lower = g[kb * sw + ja]! * (1 - tx) + g[kb * sw + jb]! * tx;
      out[y * bw + x] = upper * (1 - ty) + lower * ty;
    }
  }
  return out;
}

describe('blur against its definition', () => {
  // The fast path (words, 16-bit lanes, fixed-point ramps, rows in pairs) must agree with the plain
  // float computation everywhere: random frames, boxes and shapes, odd and even edges, both planes.
  it('every masked sample is within one level of the plain computation', () => {
    const rnd = seededRandom(42);
    let worst = 0;
    let checked = 0;
    for (let trial = 0; trial < 60; trial++) {
      const W = 24 + Math.floor(rnd() * 600);
      const H = 16 + Math.floor(rnd() * 400);
      const f = noiseFrame(W, H, 1000 + trial);
      if (trial % 2) for (let i = 0; i < f.data.length; i++) f.data[i] = (128 + 120 * Math.sin(i / 97) * Math.cos(i / 13)) | 0; // smooth: ramps matter
      const x0 = Math.floor(rnd() * (W - 1));
      const y0 = Math.floor(rnd() * (H - 1));
      const rect = { x0, y0, x1: x0 + 1 + Math.floor(rnd() * (W - x0)), y1: y0 + 1 + Math.floor(rnd() * (H - y0)) };
      const shape = SHAPES[trial % 2]!;
      const before = cloneFrame(f);
      applyStyle(f, rect, shape, { kind: 'blur' }, BT709_TV);
      const m = regionMask(rect, shape);
      const radius = blurRadius(rect.x1 - rect.x0, rect.y1 - rect.y0);
      const off = planeOffsets(W, H);
      const cw = chromaWidth(W);
      const chromaRadius = Math.max(2, Math.ceil(radius / 2));
      for (const [o, stride, pm, rad] of [[off.y, W, m.luma, radius], [off.u, cw, m.chroma, chromaRadius], [off.v, cw, m.chroma, chromaRadius]] as const) {
        const ref = referenceBlur(before.data, o, stride, pm, rad);
        const bw = pm.x1 - pm.x0;
        for (let i = 0; i < pm.end.length; i++)
          for (let x = pm.start[i]!; x < pm.end[i]!; x++, checked++) {
            const d = Math.abs(f.data[o + (pm.y0 + i) * stride + x]! - ref[i * bw + x - pm.x0]!);
            if (d > worst) worst = d;
          }
      }
      expectOutsideUnchanged(before, f, rect, shape);
    }
    expect(checked).toBeGreaterThan(100_000);
    expect(worst, 'largest difference from the plain computation').toBeLessThan(1);
  });

  it('keeps flat regions exactly flat, from black to white, at every cell size', () => {
    for (const value of [0, 1, 127, 254, 255])
      for (const [w, h, rect] of [
        [33, 17, { x0: 1, y0: 1, x1: 32, y1: 16 }],
        [101, 77, { x0: 3, y0: 2, x1: 98, y1: 75 }],
        [640, 360, { x0: 17, y0: 9, x1: 620, y1: 351 }],
        [1403, 1301, { x0: 1, y0: 0, x1: 1403, y1: 1301 }], // cells of 64 px, the largest
      ] as const)
        for (const style of [{ kind: 'blur' }, { kind: 'pixelate' }] as const)
          for (const shape of SHAPES) {
            const f = { width: w, height: h, data: new Uint8Array(yuv420FrameSize(w, h)).fill(value) };
            applyStyle(f, rect, shape, style, BT709_TV);
            const bad = f.data.findIndex((v) => v !== value);
            expect(bad, `${style.kind} ${shape} ${w}×${h} of ${value}: byte ${bad} is ${f.data[bad]}`).toBe(-1);
          }
  });
});

describe('word-at-a-time helpers', () => {
  it('sumBytes and fillBytes match plain loops at every alignment and length', () => {
    const rnd = seededRandom(3);
    const backing = new Uint8Array(4200);
    for (const fill of ['random', 'white'] as const) {
      for (let i = 0; i < backing.length; i++) backing[i] = fill === 'white' ? 255 : Math.floor(rnd() * 256);
      for (const shift of [0, 1, 2, 3]) {
        const data = backing.subarray(shift, shift + 4100);
        const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
        for (const len of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 31, 509, 511, 512, 513, 515, 1025, 4096])
          for (const p of [0, 1, 2, 3]) {
            let sum = 0;
            for (let k = p; k < p + len; k++) sum += data[k]!;
            expect(sumBytes(data, view, p, p + len), `sum of ${len} at ${p}+${shift}`).toBe(sum);
          }
      }
    }
    for (const shift of [0, 1, 2, 3])
      for (const len of [0, 1, 2, 3, 4, 5, 7, 8, 33])
        for (const value of [0, 128, 255]) {
          const data = new Uint8Array(64).fill(7).subarray(shift);
          fillBytes(data, new DataView(data.buffer, data.byteOffset, data.byteLength), 5, 5 + len, value * 0x01010101);
          for (let k = 0; k < data.length; k++) expect(data[k], `${len} at 5+${shift}, byte ${k}`).toBe(k >= 5 && k < 5 + len ? value : 7);
        }
  });
});

describe('frame buffers at any alignment', () => {
  // Words are read and written through a DataView at any offset: a frame that is a view starting at
  // an odd byte of its buffer must come out exactly as an aligned one, and nothing outside it change.
  for (const style of STYLES)
    for (const shape of SHAPES)
      it(`${style.kind} ${shape}: same result at byte offsets 0–3, bytes around the view untouched`, () => {
        const w = 161;
        const h = 93;
        const rect = { x0: 7, y0: 5, x1: 150, y1: 90 };
        const size = yuv420FrameSize(w, h);
        const aligned = noiseFrame(w, h, 9);
        const want = cloneFrame(aligned);
        applyStyle(want, rect, shape, style, BT709_TV);
        for (const shift of [1, 2, 3]) {
          const backing = new Uint8Array(size + 8).fill(77);
          const data = backing.subarray(shift, shift + size);
          data.set(aligned.data);
          applyStyle({ width: w, height: h, data }, rect, shape, style, BT709_TV);
          expect(Buffer.compare(Buffer.from(data), Buffer.from(want.data)), `offset ${shift}`).toBe(0);
          expect([...backing.subarray(0, shift), ...backing.subarray(shift + size)].every((v) => v === 77)).toBe(true);
        }
      });
});

// ---------- a real face ----------

describe('real face (astronaut.png)', () => {
  const W = 512;
  const H = 512;
  // Eileen Collins' face, hairline to chin, ear to ear (found by eye on the 512×512 image).
  const FACE: PixelRect = { x0: 170, y0: 60, x1: 280, y1: 175 };

  function decode(): Yuv420Frame {
    const r = spawnSync('ffmpeg', ['-v', 'error', '-i', join(__dirname, '..', 'fixtures', 'astronaut.png'), '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1'], {
      maxBuffer: 1 << 26,
    });
    if (r.status !== 0) throw new Error(String(r.stderr));
    expect(r.stdout.length).toBe(yuv420FrameSize(W, H));
    return { width: W, height: H, data: new Uint8Array(r.stdout) };
  }

  for (const shape of SHAPES)
    it(`blur (${shape}) removes ≥ 90% of the face's high-frequency detail`, () => {
      const before = decode();
      const after = cloneFrame(before);
      applyStyle(after, FACE, shape, { kind: 'blur' }, BT709_TV);
      const hf0 = hfStd(before, FACE, shape);
      const hf1 = hfStd(after, FACE, shape);
      expect(hf0).toBeGreaterThan(5); // the box really holds a textured face
      expect(hf1 / hf0, `detail ${hf1.toFixed(2)} of ${hf0.toFixed(2)}`).toBeLessThan(0.1);
      expectOutsideUnchanged(before, after, FACE, shape);
    });

  // Pixelation keeps hard block edges by design, so adjacent-pixel differences across them stay:
  // what must go is all detail within a block, and the face must be only ~6×6 blocks.
  for (const shape of SHAPES)
    it(`pixelate (${shape}) leaves no detail inside a block and ~6×6 blocks`, () => {
      const before = decode();
      const after = cloneFrame(before);
      applyStyle(after, FACE, shape, { kind: 'pixelate' }, BT709_TV);
      const block = pixelateBlockSize(FACE.x1 - FACE.x0, FACE.y1 - FACE.y0);
      const blockOf = (x: number, y: number): number => Math.floor((y - FACE.y0) / block) * 1000 + Math.floor((x - FACE.x0) / block);
      const within: number[] = [];
      const blocks = new Set<number>();
      for (const [x, y] of insidePixels(before, FACE, shape)) {
        blocks.add(blockOf(x, y));
        if (centreInside(shape, FACE, x + 1, y) && blockOf(x, y) === blockOf(x + 1, y)) within.push(lumaAt(after, x + 1, y) - lumaAt(after, x, y));
      }
      expect(hfStd(before, FACE, shape)).toBeGreaterThan(5);
      expect(std(within)).toBe(0);
      // 110×115 box: 19 px blocks, 6 across the short side (plus a 1-px sliver row on the long one).
      expect(block).toBe(19);
      expect(blocks.size).toBeLessThanOrEqual(6 * 7);
      expectOutsideUnchanged(before, after, FACE, shape);
    });
});
