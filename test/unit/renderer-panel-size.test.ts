import { describe, expect, it } from 'vitest';
import { clampTimelineHeight, defaultTimelineHeight, TIMELINE_MIN } from '../../renderer/model/panel-size';

describe('timeline height', () => {
  it('stays between its minimum and most of the window', () => {
    expect(clampTimelineHeight(50, 900)).toBe(TIMELINE_MIN);
    expect(clampTimelineHeight(400, 900)).toBe(400);
    expect(clampTimelineHeight(5000, 900)).toBe(710);
    expect(clampTimelineHeight(5000, 1200)).toBeGreaterThan(1200 * 0.8);
    expect(clampTimelineHeight(Number.NaN, 900)).toBe(TIMELINE_MIN);
    // A window too small for both: the minimum still.
    expect(clampTimelineHeight(300, 200)).toBe(TIMELINE_MIN);
  });
  it('starts at a quarter of the window, at most 320 px', () => {
    expect(defaultTimelineHeight(640)).toBe(160);
    expect(defaultTimelineHeight(900)).toBe(225);
    expect(defaultTimelineHeight(1440)).toBe(320);
    expect(defaultTimelineHeight(300)).toBe(TIMELINE_MIN);
  });
});
