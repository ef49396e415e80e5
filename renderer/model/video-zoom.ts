import type { Box } from '../../common/geometry';

/**
 * Zoom and pan on the video, so a 20-pixel face can be boxed precisely. `x`, `y` are the top-left of
 * the part shown, as fractions of the frame; the part shown is 1/zoom of the frame each way and always
 * lies inside it (no empty margin to pan into).
 */
export interface VideoZoom {
  zoom: number;
  x: number;
  y: number;
}

export const NO_ZOOM: VideoZoom = { zoom: 1, x: 0, y: 0 };
export const MAX_ZOOM = 16;

export function clampZoom(v: VideoZoom): VideoZoom {
  const zoom = Math.min(MAX_ZOOM, Math.max(1, Number.isFinite(v.zoom) ? v.zoom : 1));
  const room = 1 - 1 / zoom;
  const clamp = (n: number) => Math.min(room, Math.max(0, Number.isFinite(n) ? n : 0));
  return { zoom, x: clamp(v.x), y: clamp(v.y) };
}

/** Zoom by `factor` keeping the frame point under (px, py) (fractions of the shown area) where it is. */
export function zoomAt(v: VideoZoom, factor: number, px: number, py: number): VideoZoom {
  const fx = v.x + px / v.zoom;
  const fy = v.y + py / v.zoom;
  const zoom = Math.min(MAX_ZOOM, Math.max(1, v.zoom * factor));
  return clampZoom({ zoom, x: fx - px / zoom, y: fy - py / zoom });
}

/** Pan by a drag of (dx, dy), as fractions of the shown area: the picture follows the pointer. */
export function panBy(v: VideoZoom, dx: number, dy: number): VideoZoom {
  return clampZoom({ ...v, x: v.x - dx / v.zoom, y: v.y - dy / v.zoom });
}

/** Zoom by `factor` centred on a box (the selected region), in a frame of width × height. */
export function zoomOnBox(v: VideoZoom, factor: number, box: Box, width: number, height: number): VideoZoom {
  const zoom = Math.min(MAX_ZOOM, Math.max(1, v.zoom * factor));
  const cx = (box.x + box.w / 2) / width;
  const cy = (box.y + box.h / 2) / height;
  return clampZoom({ zoom, x: cx - 0.5 / zoom, y: cy - 0.5 / zoom });
}

/** The CSS transform (origin top-left) that shows `v` of an element the size of the frame. */
export function zoomTransform(v: VideoZoom): string {
  return v.zoom === 1 ? 'none' : `scale(${v.zoom}) translate(${-v.x * 100}%, ${-v.y * 100}%)`;
}
