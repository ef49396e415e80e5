import { describe, expect, it } from 'vitest';
import { boxAtFrame, isRedacted, keyframeIndexAtOrBefore, trackSpan, type Keyframe } from '../../common/track';

const kf = (frame: number, x: number, outside = false): Keyframe => ({ frame, x, y: 2 * x, w: 10 + x, h: 20, outside, source: 'manual' });

describe('boxAtFrame (CVAT semantics)', () => {
  const track = { keyframes: [kf(10, 0), kf(20, 100), kf(30, 100, true), kf(40, 50), kf(50, 60)] };

  it('is absent before the first keyframe', () => {
    expect(boxAtFrame(track, 0)).toBeNull();
    expect(boxAtFrame(track, 9)).toBeNull();
  });

  it('is exact on keyframes', () => {
    expect(boxAtFrame(track, 10)).toEqual({ x: 0, y: 0, w: 10, h: 20 });
    expect(boxAtFrame(track, 20)).toEqual({ x: 100, y: 200, w: 110, h: 20 });
  });

  it('interpolates linearly between keyframes', () => {
    expect(boxAtFrame(track, 15)).toEqual({ x: 50, y: 100, w: 60, h: 20 });
    expect(boxAtFrame(track, 11)!.x).toBeCloseTo(10);
  });

  it('holds the box before an outside keyframe instead of sliding into it', () => {
    expect(boxAtFrame(track, 29)).toEqual({ x: 100, y: 200, w: 110, h: 20 });
  });

  it('is absent from an outside keyframe to the next shown one', () => {
    expect(boxAtFrame(track, 30)).toBeNull();
    expect(boxAtFrame(track, 39)).toBeNull();
    expect(boxAtFrame(track, 40)).toEqual({ x: 50, y: 100, w: 60, h: 20 });
  });

  it('holds the last box to the end of the clip when no outside keyframe ends it', () => {
    expect(boxAtFrame(track, 5000)).toEqual({ x: 60, y: 120, w: 70, h: 20 });
  });

  it('finds keyframes by binary search', () => {
    const kfs = Array.from({ length: 1000 }, (_, i) => kf(i * 3, i));
    expect(keyframeIndexAtOrBefore(kfs, 0)).toBe(0);
    expect(keyframeIndexAtOrBefore(kfs, 5)).toBe(1);
    expect(keyframeIndexAtOrBefore(kfs, 2997)).toBe(999);
    expect(keyframeIndexAtOrBefore(kfs, -1)).toBe(-1);
  });
});

describe('trackSpan', () => {
  it('runs from the first shown keyframe to the frame before the final outside keyframe', () => {
    expect(trackSpan({ keyframes: [kf(10, 0), kf(20, 1), kf(25, 1, true)] }, 100)).toEqual({ first: 10, last: 24 });
  });
  it('runs to the end of the clip without an outside keyframe', () => {
    expect(trackSpan({ keyframes: [kf(10, 0)] }, 100)).toEqual({ first: 10, last: 100 });
  });
  it('is null for a track never shown', () => {
    expect(trackSpan({ keyframes: [kf(10, 0, true)] }, 100)).toBeNull();
    expect(trackSpan({ keyframes: [] }, 100)).toBeNull();
  });
});

describe('isRedacted', () => {
  it('redacts undecided proposals and decided redactions, not kept regions', () => {
    expect(isRedacted({ decision: 'proposed' })).toBe(true);
    expect(isRedacted({ decision: 'redact' })).toBe(true);
    expect(isRedacted({ decision: 'keep' })).toBe(false);
  });
});
