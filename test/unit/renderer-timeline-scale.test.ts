import { describe, expect, it } from 'vitest';
import {
  MAX_PX_PER_FRAME,
  clampZoom,
  fitPxPerFrame,
  frameCenterPx,
  frameToPx,
  makeView,
  maxScroll,
  pxToFrame,
  scrollToShow,
  tickStepFrames,
  ticks,
  visibleFrameRange,
  withScroll,
  zoomAt,
} from '../../renderer/model/timeline-scale';
import { seededRandom } from '../helpers/random';

const THIRTY_MINUTES = 30 * 60 * 30; // 54 000 frames at 30 fps
const ZOOMS = [0.001, 0.0173, 0.05, 1 / 3, 0.5, 1, 1.7, 2, 3.3333, 7, 12.5, 24, MAX_PX_PER_FRAME];

describe('frame <-> pixel', () => {
  for (const zoom of ZOOMS) {
    it(`round-trips every sampled frame at ${zoom} px/frame, for several scroll offsets`, () => {
      const rnd = seededRandom(Math.round(zoom * 1000));
      for (const scrollFraction of [0, 0.37, 1]) {
        const base = makeView(THIRTY_MINUTES, 1280, zoom);
        const view = withScroll(base, maxScroll(base) * scrollFraction);
        for (let i = 0; i < 500; i++) {
          const f = Math.floor(rnd() * THIRTY_MINUTES);
          expect(pxToFrame(view, frameToPx(view, f))).toBe(f);
          expect(pxToFrame(view, frameCenterPx(view, f))).toBe(f);
          if (view.pxPerFrame >= 1) expect(pxToFrame(view, frameToPx(view, f) + view.pxPerFrame - 0.01)).toBe(f);
        }
        for (const f of [0, 1, THIRTY_MINUTES - 2, THIRTY_MINUTES - 1]) expect(pxToFrame(view, frameToPx(view, f))).toBe(f);
      }
    });
  }

  it('clamps pixels outside the clip to its first and last frame', () => {
    const view = makeView(100, 500, 10, 0);
    expect(pxToFrame(view, -50)).toBe(0);
    expect(pxToFrame(view, 1e9)).toBe(99);
  });
});

describe('zoom and scroll are clamped', () => {
  it('zoom stays between fitting the clip and the maximum', () => {
    expect(clampZoom(1e-9, 1000, 500)).toBe(0.5);
    expect(clampZoom(1e9, 1000, 500)).toBe(MAX_PX_PER_FRAME);
    expect(clampZoom(NaN, 1000, 500)).toBe(0.5);
    expect(fitPxPerFrame(10, 500)).toBe(MAX_PX_PER_FRAME); // a tiny clip does not zoom past the maximum
  });

  it('scroll stays between 0 and the end', () => {
    expect(makeView(1000, 500, 2, -10).scrollPx).toBe(0);
    expect(makeView(1000, 500, 2, 1e9).scrollPx).toBe(1500);
    expect(makeView(1000, 500, 0.5, 300).scrollPx).toBe(0); // fits: nothing to scroll
  });

  it('zooming keeps the frame under the pointer in place, and the view valid', () => {
    let view = makeView(THIRTY_MINUTES, 1280, 1, 20000);
    const anchor = 640;
    const frame = pxToFrame(view, anchor);
    for (const factor of [2, 1.5, 0.5, 3, 0.25]) {
      view = zoomAt(view, factor, anchor);
      expect(Math.abs(pxToFrame(view, anchor) - frame)).toBeLessThanOrEqual(1);
      expect(view.scrollPx).toBeGreaterThanOrEqual(0);
      expect(view.scrollPx).toBeLessThanOrEqual(maxScroll(view));
    }
    const out = zoomAt(view, 1e-6, anchor);
    expect(out.pxPerFrame).toBe(fitPxPerFrame(THIRTY_MINUTES, 1280));
    expect(out.scrollPx).toBe(0);
  });

  it('scrollToShow brings a frame into view with the least movement', () => {
    const view = makeView(1000, 500, 10, 0);
    expect(scrollToShow(view, 10).scrollPx).toBe(0);
    const right = scrollToShow(view, 200);
    expect(right.scrollPx).toBe(2010 - 500);
    expect(visibleFrameRange(right)!.last).toBe(200);
    const left = scrollToShow(right, 100);
    expect(left.scrollPx).toBe(1000);
  });
});

describe('visible frame range', () => {
  it('is the frames at least partly in the viewport', () => {
    expect(visibleFrameRange(makeView(1000, 500, 10, 0))).toEqual({ first: 0, last: 49 });
    expect(visibleFrameRange(makeView(1000, 500, 10, 5))).toEqual({ first: 0, last: 50 });
    expect(visibleFrameRange(makeView(1000, 500, 10, 9500))).toEqual({ first: 950, last: 999 });
    expect(visibleFrameRange(makeView(1000, 500, 0.5, 0))).toEqual({ first: 0, last: 999 });
    expect(visibleFrameRange(makeView(0, 500, 1, 0))).toBeNull();
  });

  it('agrees with pxToFrame at both edges for many zooms and scrolls', () => {
    const rnd = seededRandom(42);
    for (let i = 0; i < 300; i++) {
      const view = makeView(THIRTY_MINUTES, 1000 + Math.floor(rnd() * 1000), rnd() * MAX_PX_PER_FRAME, rnd() * 2e6);
      const r = visibleFrameRange(view)!;
      expect(r.first).toBe(pxToFrame(view, 0));
      expect(r.last).toBe(pxToFrame(view, view.widthPx - 1e-6));
    }
  });
});

describe('ticks', () => {
  it('labels are at least the minimum apart and the step is the smallest round one that is', () => {
    for (const zoom of ZOOMS) {
      for (const fps of [25, 30, 30000 / 1001, 60]) {
        const step = tickStepFrames(zoom, fps, 80);
        if (step * zoom < 80) expect(step).toBe(Math.round(7200 * fps)); // only when even two hours is too close
        else expect(step * zoom).toBeGreaterThanOrEqual(80);
      }
    }
    expect(tickStepFrames(40, 30)).toBe(2);
    expect(tickStepFrames(10, 30)).toBe(10);
    expect(tickStepFrames(1, 30)).toBe(150); // 2 s = 60 px is too close; 5 s = 150 px
  });

  it('lists the multiples of the step in view', () => {
    const view = makeView(1000, 500, 10, 95);
    const t = ticks(view, 25);
    expect(t).toEqual([10, 20, 30, 40, 50]);
  });
});
