import { describe, expect, it } from 'vitest';
import { boxAtFrame, joinKeyframes, keyframesForSpan, keyframesWithin, trackSpan, withKeyframe, withoutKeyframe, type Keyframe } from '../../common/track';
import { detectedTrack, expectSameBoxes, range } from '../helpers/renderer-edits';

const kf = (frame: number, x: number, outside = false): Keyframe => ({ frame, x, y: x, w: 10, h: 10, outside, source: 'detected' });
const ALL = range(0, 200);

describe('withKeyframe / withoutKeyframe', () => {
  it('inserts in frame order and replaces a keyframe on the same frame', () => {
    const kfs = [kf(10, 0), kf(20, 1)];
    expect(withKeyframe(kfs, kf(15, 5)).map((k) => k.frame)).toEqual([10, 15, 20]);
    expect(withKeyframe(kfs, kf(5, 5)).map((k) => k.frame)).toEqual([5, 10, 20]);
    expect(withKeyframe(kfs, kf(25, 5)).map((k) => k.frame)).toEqual([10, 20, 25]);
    expect(withKeyframe(kfs, kf(20, 7))).toEqual([kf(10, 0), kf(20, 7)]);
    expect(kfs).toEqual([kf(10, 0), kf(20, 1)]); // not mutated
    expect(withoutKeyframe(kfs, 10)).toEqual([kf(20, 1)]);
  });
});

describe('keyframesWithin', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const t = detectedTrack('t', seed);
    const span = trackSpan(t, Infinity)!;
    for (const [first, last] of [
      [span.first + 3, span.last - 2],
      [span.first + 1, span.first + 1],
      [0, span.first + 7],
      [span.first + 6, 500],
      [span.first, span.last],
    ] as const) {
      it(`seed ${seed}: frames ${first}..${last} keep their boxes, the rest is empty`, () => {
        const cut = { keyframes: keyframesWithin(t.keyframes, first, last) };
        expectSameBoxes(t, cut, range(first, Math.min(last, 200)));
        for (const f of ALL) if (f < first || f > last) expect(boxAtFrame(cut, f)).toBeNull();
        for (let i = 1; i < cut.keyframes.length; i++) expect(cut.keyframes[i]!.frame).toBeGreaterThan(cut.keyframes[i - 1]!.frame);
      });
    }
  }

  it('pins an interpolated box at the cut and ends with an outside keyframe', () => {
    const cut = keyframesWithin([kf(0, 0), kf(10, 100)], 2, 7);
    expect(cut.map((k) => [k.frame, k.x, k.outside])).toEqual([
      [2, 20, false],
      [7, 70, false],
      [8, 70, true],
    ]);
    expect(cut[0]!.source).toBe('detected'); // the pinned box comes from the detector's path
    expect(cut[2]!.source).toBe('manual'); // the cut itself is a person's edit
  });

  it('is empty when nothing is shown in the range', () => {
    expect(keyframesWithin([kf(10, 0), kf(20, 0, true)], 30, 40)).toEqual([]);
    expect(keyframesWithin([kf(10, 0)], 5, 4)).toEqual([]);
  });
});

describe('keyframesForSpan', () => {
  const t = detectedTrack('t', 7);
  const span = trackSpan(t, Infinity)!;

  it('extends the start by holding the first box, leaving the rest unchanged', () => {
    const out = { keyframes: keyframesForSpan(t.keyframes, span.first - 5, span.last) };
    expect(trackSpan(out, Infinity)).toEqual({ first: span.first - 5, last: span.last });
    expectSameBoxes(t, out, range(span.first, 200));
    for (const f of range(span.first - 5, span.first - 1)) expect(boxAtFrame(out, f)).toEqual(boxAtFrame(t, span.first));
    expect(out.keyframes[0]!.source).toBe('manual');
  });

  it('extends the end by holding the last box', () => {
    const out = { keyframes: keyframesForSpan(t.keyframes, span.first, span.last + 9) };
    expect(trackSpan(out, Infinity)).toEqual({ first: span.first, last: span.last + 9 });
    expectSameBoxes(t, out, range(0, span.last));
    for (const f of range(span.last + 1, span.last + 9)) expect(boxAtFrame(out, f)).toEqual(boxAtFrame(t, span.last));
    expect(boxAtFrame(out, span.last + 10)).toBeNull();
  });

  it('trims both ends', () => {
    const out = { keyframes: keyframesForSpan(t.keyframes, span.first + 2, span.last - 3) };
    expect(trackSpan(out, Infinity)).toEqual({ first: span.first + 2, last: span.last - 3 });
    expectSameBoxes(t, out, range(span.first + 2, span.last - 3));
  });

  it('trims a track that held to the end of the clip', () => {
    const out = { keyframes: keyframesForSpan([kf(10, 0), kf(20, 50)], 10, 30) };
    expect(trackSpan(out, 1000)).toEqual({ first: 10, last: 30 });
  });
});

describe('joinKeyframes', () => {
  const a = [kf(10, 0), kf(20, 100), kf(25, 100, true)];
  const b = [kf(40, 7, true), kf(50, 0), kf(60, 30), kf(70, 0, true)];

  it('joins two tracks with a gap: each keeps its boxes, the gap stays empty', () => {
    const j = { keyframes: joinKeyframes(a, b) };
    expectSameBoxes({ keyframes: a }, j, range(0, 45));
    expectSameBoxes({ keyframes: b }, j, range(46, 100));
    expect(joinKeyframes(b, a)).toEqual(j.keyframes); // order of arguments does not matter
  });

  it('joins adjacent tracks without the first sliding into the second', () => {
    const held = [kf(10, 0), kf(20, 100, true)];
    const next = [kf(20, 500), kf(30, 600)];
    const j = { keyframes: joinKeyframes(held, next) };
    expectSameBoxes({ keyframes: held }, j, range(0, 19));
    expectSameBoxes({ keyframes: next }, j, range(20, 100));
  });

  it('refuses overlapping tracks', () => {
    expect(() => joinKeyframes(a, [kf(24, 0)])).toThrow(/overlap/);
    expect(() => joinKeyframes([kf(0, 0)], [kf(100, 0)])).toThrow(/overlap/); // the first holds to the end
  });
});
