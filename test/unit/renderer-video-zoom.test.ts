import { describe, expect, it } from 'vitest';
import { clampZoom, MAX_ZOOM, NO_ZOOM, panBy, zoomAt, zoomOnBox, zoomTransform } from '../../renderer/model/video-zoom';

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-9);

describe('video zoom and pan', () => {
  it('zooming keeps the point under the pointer in place', () => {
    const v = zoomAt(NO_ZOOM, 4, 0.25, 0.75);
    expect(v.zoom).toBe(4);
    // The frame point at 25 %, 75 % stays under the pointer: x + px / zoom.
    close(v.x + 0.25 / 4, 0.25);
    close(v.y + 0.75 / 4, 0.75);
    const w = zoomAt(v, 2, 0.5, 0.5);
    close(w.x + 0.5 / 8, v.x + 0.5 / 4);
  });
  it('stays within 1× to 16× and inside the frame', () => {
    expect(zoomAt(NO_ZOOM, 0.5, 0.5, 0.5)).toEqual(NO_ZOOM);
    expect(zoomAt(NO_ZOOM, 100, 1, 1)).toEqual({ zoom: MAX_ZOOM, x: 1 - 1 / MAX_ZOOM, y: 1 - 1 / MAX_ZOOM });
    expect(clampZoom({ zoom: 2, x: -1, y: 3 })).toEqual({ zoom: 2, x: 0, y: 0.5 });
    expect(clampZoom({ zoom: Number.NaN, x: 0.3, y: 0 })).toEqual(NO_ZOOM);
  });
  it('panning moves the picture with the pointer, up to the frame’s edges', () => {
    const v = { zoom: 4, x: 0.5, y: 0.5 };
    // Dragging right by a quarter of the view shows what was left of it: x goes down by 1/16.
    expect(panBy(v, 0.25, 0)).toEqual({ zoom: 4, x: 0.5 - 0.25 / 4, y: 0.5 });
    expect(panBy(v, -10, 10)).toEqual({ zoom: 4, x: 0.75, y: 0 });
    expect(panBy(NO_ZOOM, 0.5, 0.5)).toEqual(NO_ZOOM);
  });
  it('zooms on a box: a 20-pixel face in 1080p fills a sixth of the view at 8×', () => {
    const face = { x: 950, y: 530, w: 20, h: 20 };
    const v = zoomOnBox(NO_ZOOM, 8, face, 1920, 1080);
    expect(v.zoom).toBe(8);
    close(v.x + 0.5 / 8, 960 / 1920);
    close(v.y + 0.5 / 8, 540 / 1080);
    // Near the corner the view stops at the frame's edge.
    expect(zoomOnBox(NO_ZOOM, 8, { x: 0, y: 0, w: 10, h: 10 }, 1920, 1080)).toEqual({ zoom: 8, x: 0, y: 0 });
    expect(zoomTransform(NO_ZOOM)).toBe('none');
    expect(zoomTransform({ zoom: 2, x: 0.25, y: 0.5 })).toBe('scale(2) translate(-25%, -50%)');
  });
});
