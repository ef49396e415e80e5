import { describe, expect, it } from 'vitest';
import { constantRateClock, formatMediaTime, formatTimecode, timestampClock } from '../../common/timecode';

describe('constantRateClock', () => {
  it('maps frames to exact times at 30000/1001 without drift over an hour', () => {
    const clock = constantRateClock({ num: 30000, den: 1001 }, 200_000);
    expect(clock.timeOfFrame(107892)).toBeCloseTo((107892 * 1001) / 30000, 9);
    for (const k of [0, 1, 29, 30, 1799, 107891, 107892, 199_999]) {
      expect(clock.frameAtTime(clock.timeOfFrame(k))).toBe(k);
      // Halfway into the frame still lands on it.
      expect(clock.frameAtTime(clock.timeOfFrame(k) + 0.5 * (1001 / 30000))).toBe(k);
    }
  });
  it('clamps to the clip', () => {
    const clock = constantRateClock({ num: 25, den: 1 }, 100);
    expect(clock.frameAtTime(-3)).toBe(0);
    expect(clock.frameAtTime(1e6)).toBe(99);
  });
});

describe('timestampClock (variable frame rate)', () => {
  it('uses the real time stamps, in display order', () => {
    // 1/90000 time base, irregular gaps, given in decode order.
    const pts = [3000, 0, 9000, 6000, 21000];
    const clock = timestampClock(pts, { num: 1, den: 90000 });
    expect(clock.frameCount).toBe(5);
    expect(clock.timeOfFrame(3)).toBeCloseTo(9000 / 90000, 12);
    expect(clock.timeOfFrame(4)).toBeCloseTo(21000 / 90000, 12);
    expect(clock.frameAtTime(0.2)).toBe(3);
    expect(clock.frameAtTime(21000 / 90000)).toBe(4);
  });
  it('counts from the first frame when the stream starts late', () => {
    const clock = timestampClock([1000, 4000], { num: 1, den: 1000 });
    expect(clock.timeOfFrame(0)).toBe(0);
    expect(clock.timeOfFrame(1)).toBe(3);
  });
});

describe('time code text', () => {
  it('formats media time', () => {
    expect(formatMediaTime(3723.4567)).toBe('01:02:03.457');
    expect(formatMediaTime(0)).toBe('00:00:00.000');
  });
  it('formats non-drop-frame SMPTE', () => {
    expect(formatTimecode(0, { num: 25, den: 1 })).toBe('00:00:00:00');
    expect(formatTimecode(25 * 3661 + 7, { num: 25, den: 1 })).toBe('01:01:01:07');
  });
  it('formats drop-frame SMPTE at 29.97', () => {
    const r = { num: 30000, den: 1001 };
    expect(formatTimecode(1799, r)).toBe('00:00:59;29');
    expect(formatTimecode(1800, r)).toBe('00:01:00;02'); // ;00 and ;01 are dropped
    expect(formatTimecode(17982, r)).toBe('00:10:00;00'); // not dropped at ten minutes
    expect(formatTimecode(107892, r)).toBe('01:00:00;00');
  });
});
