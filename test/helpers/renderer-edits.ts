import { expect } from 'vitest';
import { parsePlan } from '../../common/plan';
import { boxAtFrame, type Keyframe, type Track } from '../../common/track';
import type { ClipEdits } from '../../renderer/model/clip-edits';
import { manualTrack, samplePlan } from './plans';
import { seededRandom } from './random';

/** A detected track with random interpolated keyframes, a pause, and an end. */
export function detectedTrack(id: string, seed: number, startFrame = 10): Track {
  const rnd = seededRandom(seed);
  const kfs: Keyframe[] = [];
  let f = startFrame;
  const box = () => ({ x: Math.round(rnd() * 200), y: Math.round(rnd() * 150), w: 10 + Math.round(rnd() * 50), h: 10 + Math.round(rnd() * 50) });
  for (let i = 0; i < 4; i++, f += 5 + Math.floor(rnd() * 10)) kfs.push({ frame: f, ...box(), outside: false, source: 'detected', confidence: 0.9 });
  kfs.push({ frame: f, ...box(), outside: true, source: 'detected' }); // pause
  f += 7;
  for (let i = 0; i < 3; i++, f += 4 + Math.floor(rnd() * 8)) kfs.push({ frame: f, ...box(), outside: false, source: 'detected', confidence: 0.8 });
  kfs.push({ frame: f, ...box(), outside: true, source: 'detected' });
  return {
    id,
    label: 'face',
    shape: 'ellipse',
    reason: 'third-party-face',
    provenance: { origin: 'detected', detector: 'blazeface-test' },
    decision: 'proposed',
    keyframes: kfs,
  };
}

export function sampleEdits(): ClipEdits {
  return {
    tracks: [
      detectedTrack('d1', 1),
      detectedTrack('d2', 2, 30),
      manualTrack('m1', [{ frame: 5, x: 1, y: 2, w: 30, h: 40 }, { frame: 50, x: 100, y: 20, w: 30, h: 40 }, { frame: 80, outside: true }], { style: { kind: 'pixelate' } }),
      detectedTrack('d3', 3, 100),
    ],
    audio: [{ id: 'a1', start: 1, end: 2.5, mode: 'mute', reason: 'spoken-personal-data' }],
  };
}

/** Throws unless every track and audio range is valid per the plan schema. */
export function expectValid(edits: ClipEdits): void {
  expect(() => parsePlan(samplePlan({ tracks: [...edits.tracks], audio: [...edits.audio] }))).not.toThrow();
}

/** boxAtFrame of `after` equals that of `before` (to rounding) on every frame in `frames`. */
export function expectSameBoxes(before: Pick<Track, 'keyframes'>, after: Pick<Track, 'keyframes'>, frames: Iterable<number>): void {
  for (const f of frames) {
    const a = boxAtFrame(before, f);
    const b = boxAtFrame(after, f);
    if (a === null || b === null) {
      expect({ frame: f, box: b }).toEqual({ frame: f, box: a });
      continue;
    }
    for (const k of ['x', 'y', 'w', 'h'] as const) {
      if (Math.abs(a[k] - b[k]) > 1e-9) expect({ frame: f, [k]: b[k] }).toEqual({ frame: f, [k]: a[k] });
    }
  }
}

export function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
