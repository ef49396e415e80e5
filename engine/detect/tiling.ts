import type { Box } from '../../common/geometry';
import type { Detection } from './detection';

/**
 * Where the detector looks. BlazeFace sees 256×256 pixels; a whole 1280×720 frame squeezed into that
 * shrinks a 30-pixel face to 6 pixels, far below what the model finds. So the frame is cut into
 * overlapping tiles, each resized to 256×256, and optionally looked at whole as well (for faces too
 * big to fit in a tile).
 */

export interface TileLayout {
  /** Tiles across the frame's longer side (swapped for portrait frames; see planTiles). */
  cols: number;
  /** Tiles across the shorter side. */
  rows: number;
  /** Minimum overlap between neighbouring tiles, as a fraction of the tile size (0 ≤ overlap < 1). */
  overlap: number;
  /** Also run the model on the whole frame. */
  wholeFramePass: boolean;
  /**
   * Tiles narrower than this (frame pixels) only upsample the picture, they add no detail; the layout
   * is reduced until tiles are at least this big. Defaults to the model's input size.
   */
  minTileSide?: number;
}

/** A rectangle of the frame in whole pixels, fed to the model as one picture. */
export interface Tile extends Box {
  kind: 'tile' | 'frame';
}

/** How a tile sits inside the square model input: scaled to fit, centred, padded on the short axis. */
export interface Letterbox {
  inputSize: number;
  /** Model-input pixels per frame pixel, per axis (nearly equal; each rounded to whole pixels of content). */
  scaleX: number;
  scaleY: number;
  /** The tile's picture occupies [padX, padX + contentW) × [padY, padY + contentH) of the input. */
  padX: number;
  padY: number;
  contentW: number;
  contentH: number;
}

export const DEFAULT_TILE_LAYOUT: TileLayout = { cols: 3, rows: 2, overlap: 0.25, wholeFramePass: true };

/**
 * Tiles for a width × height frame, in reading order, then the whole frame if asked (and not already
 * a tile).
 *
 * - Portrait frames swap cols and rows, so the longer axis always gets more tiles.
 * - Tiles are square where the frame allows: the side is the larger of the two sizes that give the
 *   requested overlap along each axis. The model input is square, so a square tile uses all of it at
 *   the same scale a letterboxed one would; the price is more overlap along the shorter axis, which
 *   only means more faces are seen whole. `overlap` is therefore a minimum.
 * - Tiles are spread evenly with the first and last flush with the frame edges, so they cover it.
 */
export function planTiles(width: number, height: number, layout: TileLayout): Tile[] {
  if (!(width > 0 && height > 0) || !Number.isInteger(width) || !Number.isInteger(height)) {
    throw new Error(`invalid frame size ${width}×${height}`);
  }
  if (!(layout.overlap >= 0 && layout.overlap < 1)) throw new Error(`tile overlap must be in [0, 1), got ${layout.overlap}`);
  const portrait = height > width;
  let across = Math.max(1, Math.floor(portrait ? layout.rows : layout.cols));
  let down = Math.max(1, Math.floor(portrait ? layout.cols : layout.rows));
  const minSide = layout.minTileSide ?? 256;

  const sideFor = (count: number, extent: number) => extent / (count - (count - 1) * layout.overlap);
  let side = Math.max(sideFor(across, width), sideFor(down, height));
  while (side < minSide && across * down > 1) {
    // Drop a tile along the axis that has more of them (ties: the longer axis).
    if (across >= down) across--;
    else down--;
    side = Math.max(sideFor(across, width), sideFor(down, height));
  }
  const tileW = Math.min(width, Math.ceil(side));
  const tileH = Math.min(height, Math.ceil(side));
  // A tile as wide as the frame makes further columns identical copies of it.
  if (tileW === width) across = 1;
  if (tileH === height) down = 1;

  const tiles: Tile[] = [];
  for (let r = 0; r < down; r++) {
    const y = down === 1 ? 0 : Math.round((r * (height - tileH)) / (down - 1));
    for (let c = 0; c < across; c++) {
      const x = across === 1 ? 0 : Math.round((c * (width - tileW)) / (across - 1));
      tiles.push({ kind: 'tile', x, y, w: tileW, h: tileH });
    }
  }
  const coversFrame = tiles.length === 1 && tileW === width && tileH === height;
  if (layout.wholeFramePass && !coversFrame) tiles.push({ kind: 'frame', x: 0, y: 0, w: width, h: height });
  return tiles;
}

/** The letterbox placing `tile` in a square model input of `inputSize` pixels. */
export function letterboxFor(tile: Box, inputSize = 256): Letterbox {
  const scale = inputSize / Math.max(tile.w, tile.h);
  // Whole pixels of content keep the padding crisp; the tiny per-axis scale difference is recorded.
  const contentW = Math.min(inputSize, Math.max(1, Math.round(tile.w * scale)));
  const contentH = Math.min(inputSize, Math.max(1, Math.round(tile.h * scale)));
  return {
    inputSize,
    scaleX: contentW / tile.w,
    scaleY: contentH / tile.h,
    padX: Math.floor((inputSize - contentW) / 2),
    padY: Math.floor((inputSize - contentH) / 2),
    contentW,
    contentH,
  };
}

/** Maps a detection from model-input pixels of `tile` to frame pixels. */
export function inputToFrame<T extends Box>(d: T, tile: Box, lb: Letterbox): T {
  return {
    ...d,
    x: tile.x + (d.x - lb.padX) / lb.scaleX,
    y: tile.y + (d.y - lb.padY) / lb.scaleY,
    w: d.w / lb.scaleX,
    h: d.h / lb.scaleY,
  };
}

/** Maps a box from frame pixels to model-input pixels of `tile` (the inverse of inputToFrame). */
export function frameToInput<T extends Box>(b: T, tile: Box, lb: Letterbox): T {
  return {
    ...b,
    x: (b.x - tile.x) * lb.scaleX + lb.padX,
    y: (b.y - tile.y) * lb.scaleY + lb.padY,
    w: b.w * lb.scaleX,
    h: b.h * lb.scaleY,
  };
}

/** Clips a detection to the frame; null when nothing of it is inside. */
export function clipToFrame(d: Detection, width: number, height: number): Detection | null {
  const x0 = Math.max(0, d.x);
  const y0 = Math.max(0, d.y);
  const x1 = Math.min(width, d.x + d.w);
  const y1 = Math.min(height, d.y + d.h);
  if (!(x1 > x0 && y1 > y0)) return null;
  return { ...d, x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
