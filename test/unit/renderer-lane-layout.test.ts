import { describe, expect, it } from 'vitest';
import { clampScrollTop, laneAtY, scrollTopToShow, visibleLanes } from '../../renderer/model/lane-layout';
import { seededRandom } from '../helpers/random';

describe('visibleLanes', () => {
  it('renders only the lanes in view plus overscan, for 300 lanes', () => {
    const w = visibleLanes({ laneCount: 300, laneHeight: 24, viewportHeight: 240, scrollTop: 2400, overscan: 2 });
    expect(w).toEqual({ first: 98, last: 111, offsetY: 98 * 24 - 2400, totalHeight: 7200 });
    expect(w.last - w.first + 1).toBeLessThanOrEqual(240 / 24 + 1 + 4);
  });

  it('covers the viewport at every scroll offset, never beyond the lanes', () => {
    const rnd = seededRandom(3);
    for (let i = 0; i < 1000; i++) {
      const laneCount = 1 + Math.floor(rnd() * 400);
      const laneHeight = 10 + Math.floor(rnd() * 30);
      const viewportHeight = 50 + Math.floor(rnd() * 800);
      const scrollTop = rnd() * laneCount * laneHeight * 1.2 - 50;
      const w = visibleLanes({ laneCount, laneHeight, viewportHeight, scrollTop, overscan: 0 });
      const top = clampScrollTop(scrollTop, laneCount, laneHeight, viewportHeight);
      expect(w.first).toBeGreaterThanOrEqual(0);
      expect(w.last).toBeLessThan(laneCount);
      // The first rendered lane starts at or above the viewport top; the last ends at or below its bottom (or is the last lane).
      expect(w.offsetY).toBeLessThanOrEqual(0);
      expect(w.offsetY).toBeGreaterThan(-laneHeight);
      const bottom = w.offsetY + (w.last - w.first + 1) * laneHeight;
      if (w.last < laneCount - 1) expect(bottom).toBeGreaterThanOrEqual(viewportHeight);
      expect(w.first).toBe(Math.floor(top / laneHeight));
    }
  });

  it('is empty with no lanes, and scrolls nowhere when everything fits', () => {
    expect(visibleLanes({ laneCount: 0, laneHeight: 24, viewportHeight: 200, scrollTop: 0 })).toEqual({ first: 0, last: -1, offsetY: 0, totalHeight: 0 });
    expect(visibleLanes({ laneCount: 3, laneHeight: 24, viewportHeight: 200, scrollTop: 500 })).toMatchObject({ first: 0, last: 2, offsetY: 0 });
  });

  it('clamps scroll into range', () => {
    expect(clampScrollTop(-5, 10, 20, 100)).toBe(0);
    expect(clampScrollTop(1e6, 10, 20, 100)).toBe(100);
    expect(clampScrollTop(NaN, 10, 20, 100)).toBe(0);
  });
});

describe('laneAtY and scrollTopToShow', () => {
  const v = { laneCount: 300, laneHeight: 24, viewportHeight: 240, scrollTop: 1000 };
  it('finds the lane under the pointer', () => {
    expect(laneAtY(0, v)).toBe(41);
    expect(laneAtY(7, v)).toBe(41);
    expect(laneAtY(8, v)).toBe(42);
    expect(laneAtY(10, { ...v, laneCount: 5, scrollTop: 0 })).toBe(0);
    expect(laneAtY(200, { ...v, laneCount: 5, scrollTop: 0 })).toBeNull();
  });
  it('scrolls a lane into view with the least movement', () => {
    expect(scrollTopToShow(45, v)).toBe(1000);
    expect(scrollTopToShow(10, v)).toBe(240);
    expect(scrollTopToShow(60, v)).toBe(61 * 24 - 240);
    expect(scrollTopToShow(299, v)).toBe(300 * 24 - 240);
  });
});
