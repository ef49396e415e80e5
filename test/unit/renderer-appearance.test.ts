import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appearanceOf, LOOK_ALIKE, lookAlikes, similarity, SimilarityMemo, type Appearance } from '../../renderer/model/appearance';
import { galleryCards, mergeCandidates } from '../../renderer/model/gallery';
import type { Keyframe, Track } from '../../common/track';

/**
 * Look-alike suggestions from the gallery's crops: the astronaut photograph's face, cropped as the app
 * crops a card (a 96-pixel square around the box with a margin, the box's middle compared) at other
 * places, sizes and lighting, against other face-sized parts of the same photograph.
 */
const SIZE = 512;
const rgba = (() => {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', join(__dirname, '..', 'fixtures', 'astronaut.png'), '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'], { maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(String(r.stderr));
  return new Uint8Array(r.stdout);
})();

/** The card's crop of a box (as use-crops.ts draws it: a square 1.6× the box's longer side, 96 px), relit by gain and offset. */
function cardCrop(box: { x: number; y: number; w: number; h: number }, light = { gain: 1, offset: 0 }): Uint8Array {
  const out = new Uint8Array(96 * 96 * 4);
  const side = Math.max(box.w, box.h) * 1.6;
  const sx = box.x + box.w / 2 - side / 2;
  const sy = box.y + box.h / 2 - side / 2;
  for (let y = 0; y < 96; y++)
    for (let x = 0; x < 96; x++) {
      const px = Math.floor(sx + ((x + 0.5) * side) / 96);
      const py = Math.floor(sy + ((y + 0.5) * side) / 96);
      const o = (y * 96 + x) * 4;
      out[o + 3] = 255;
      if (px < 0 || py < 0 || px >= SIZE || py >= SIZE) continue; // black outside the picture, as the canvas is filled
      for (let c = 0; c < 3; c++) out[o + c] = Math.max(0, Math.min(255, Math.round(rgba[(py * SIZE + px) * 4 + c]! * light.gain + light.offset)));
    }
  return out;
}
const INNER = { x: 18, y: 18, w: 60, h: 60 };
const look = (box: { x: number; y: number; w: number; h: number }, light?: { gain: number; offset: number }) => appearanceOf(cardCrop(box, light), 96, 96, INNER)!;

const FACE = { x: 170, y: 60, w: 110, h: 115 };
const face = look(FACE);
const sameFace: Array<[string, Appearance]> = [
  ['moved 8 px right and 6 down', look({ ...FACE, x: FACE.x + 8, y: FACE.y + 6 })],
  ['the box 10% smaller', look({ x: FACE.x + 6, y: FACE.y + 6, w: 99, h: 103 })],
  ['the box 15% larger', look({ x: FACE.x - 8, y: FACE.y - 9, w: 127, h: 132 })],
  ['darker (×0.7)', look(FACE, { gain: 0.7, offset: 0 })],
  ['brighter and flatter (×0.8 + 40)', look(FACE, { gain: 0.8, offset: 40 })],
];
const others: Array<[string, Appearance]> = [
  ['the mission patch', look({ x: 130, y: 340, w: 85, h: 90 })],
  ['the helmet', look({ x: 300, y: 360, w: 110, h: 115 })],
  ['the flag', look({ x: 0, y: 100, w: 80, h: 85 })],
  ['the shuttle model', look({ x: 360, y: 60, w: 90, h: 150 })],
  ['the grey wall', look({ x: 300, y: 10, w: 60, h: 60 })],
  ['the suit and collar', look({ x: 130, y: 200, w: 110, h: 115 })],
  ['the name tag and suit', look({ x: 260, y: 320, w: 90, h: 95 })],
];

describe('appearance of a card', () => {
  it('the same face moved, resized and relit looks alike; other parts of the picture do not', () => {
    const scores = (list: Array<[string, Appearance]>) => list.map(([what, a]) => [what, Math.round(similarity(face, a) * 100) / 100] as const);
    const same = scores(sameFace);
    const other = scores(others);
    console.log('look-alike scores, same face:', same, 'others:', other);
    for (const [what, s] of same) expect(s, what).toBeGreaterThanOrEqual(LOOK_ALIKE);
    for (const [what, s] of other) expect(s, what).toBeLessThan(LOOK_ALIKE);
    expect(similarity(face, face)).toBeCloseTo(1, 5);
  });

  it('a flat picture, or one too small, is like nothing', () => {
    const flat = new Uint8Array(32 * 32 * 4).fill(120);
    const a = appearanceOf(flat, 32, 32)!;
    expect(similarity(a, a)).toBe(0);
    expect(appearanceOf(flat, 32, 32, { x: 0, y: 0, w: 7, h: 32 })).toBeNull();
  });
});

const kf = (frame: number, x: number, outside = false): Keyframe => ({ frame, x, y: 10, w: 20, h: 20, outside, source: 'detected', confidence: 0.9 });
const track = (id: string, first: number, last: number, x = 10): Track => ({ id, label: 'face', shape: 'ellipse', reason: 'third-party-face', provenance: { origin: 'detected' }, decision: 'proposed', keyframes: [kf(first, x), kf(last + 1, x, true)] });

describe('look-alike suggestions', () => {
  // The face at 0–99; far away in time and place at 900–999 (no suggestion by place); the patch at
  // 300–399; the face again at 50–149, overlapping the first in time (cannot be merged with it).
  const tracks = [track('face', 0, 99, 10), track('patch', 300, 399, 200), track('again', 900, 999, 400), track('overlap', 50, 149, 600)];
  const cards = galleryCards(tracks, 1999);
  const looks = new Map([['face', face], ['again', sameFace[3]![1]], ['patch', others[0]![1]], ['overlap', sameFace[0]![1]]]);

  it('pairs a region with the most alike one that ended before it, at any gap', () => {
    expect(mergeCandidates(tracks, 1999, { maxGap: 90 })).toEqual([]);
    const got = lookAlikes(cards, looks);
    // 'again' looks like both 'face' and 'overlap' (ended before it); 'face' is the closer look.
    expect(got.map((p) => [p.a, p.b])).toEqual([['face', 'again']]);
    expect(got[0]!.similarity).toBeGreaterThanOrEqual(LOOK_ALIKE);
  });

  it('never pairs regions that overlap in time, nor unlike ones, nor what is already suggested', () => {
    expect(lookAlikes(cards, looks).some((p) => [p.a, p.b].includes('patch'))).toBe(false);
    expect(lookAlikes(cards, looks).some((p) => [p.a, p.b].includes('face') && [p.a, p.b].includes('overlap'))).toBe(false);
    // Already suggested by place: 'again' continues 'overlap', so no look-alike for it.
    expect(lookAlikes(cards, looks, { skip: [{ a: 'overlap', b: 'again' }] })).toEqual([]);
    // A stricter threshold drops the pair.
    expect(lookAlikes(cards, looks, { min: 1.01 })).toEqual([]);
    // No crop yet: no suggestion.
    expect(lookAlikes(cards, new Map([['face', face]]))).toEqual([]);
  });
});

describe('similarity memo', () => {
  it('gives what similarity gives, computed once a pair', () => {
    const memo = new SimilarityMemo();
    const a = sameFace[0]![1];
    expect(memo.get(face, a)).toBe(similarity(face, a));
    const tracks = [track('face', 0, 99), track('again', 900, 999, 400)];
    const looks = new Map([['face', face], ['again', a]]);
    expect(lookAlikes(galleryCards(tracks, 1999), looks, { memo })).toEqual(lookAlikes(galleryCards(tracks, 1999), looks));
  });
});
