import type { PixelRect } from '../../../common/geometry';
import { DEFAULT_FILL, parseHexColour, type RedactionStyle } from '../../../common/style';
import type { TrackShape } from '../../../common/track';
import { type ColourMatrix, type ColourRange, type Yuv420Frame, chromaHeight, chromaWidth, planeOffsets } from '../yuv-frame';
import { blurPlane, blurRadius } from './blur';
import { rgbToYuv } from './colour';
import { chromaBlocks, lumaBlocks, pixelateBlockSize, pixelatePlane } from './pixelate';
import { regionMask } from './region-mask';
import { fillPlane } from './solid';

/**
 * Obscures one region of a yuv420p frame in place. Only samples inside the region change (for an
 * ellipse, inside the inscribed ellipse), plus the chroma samples that straddle its edge: chroma is
 * shared by 2×2 luma pixels, and a half-covered pixel must not keep its colour.
 */
export function applyStyle(
  frame: Yuv420Frame,
  rect: PixelRect,
  shape: TrackShape,
  style: RedactionStyle,
  colour: { matrix: ColourMatrix; range: ColourRange },
): void {
  const { width, height, data } = frame;
  // Defensive clip, rounding outwards: callers pass coveringPixels(), but a stray fraction or an
  // out-of-frame edge must neither throw nor shrink the region.
  const r: PixelRect = {
    x0: Math.max(0, Math.floor(rect.x0)),
    y0: Math.max(0, Math.floor(rect.y0)),
    x1: Math.min(width, Math.ceil(rect.x1)),
    y1: Math.min(height, Math.ceil(rect.y1)),
  };
  if (!(r.x1 > r.x0 && r.y1 > r.y0)) return;

  const mask = regionMask(r, shape);
  const off = planeOffsets(width, height);
  const cw = chromaWidth(width);
  if (data.length < off.v + cw * chromaHeight(height)) throw new Error(`frame buffer too small for ${width}×${height}`);

  switch (style.kind) {
    case 'solid': {
      // An unparsable fill still redacts (in black) rather than aborting or leaking.
      const rgb = parseHexColour(style.fill) ?? parseHexColour(DEFAULT_FILL)!;
      const { y, u, v } = rgbToYuv(rgb, colour.matrix, colour.range);
      fillPlane(data, off.y, width, mask.luma, y);
      fillPlane(data, off.u, cw, mask.chroma, u);
      fillPlane(data, off.v, cw, mask.chroma, v);
      return;
    }
    case 'pixelate': {
      const w = r.x1 - r.x0;
      const h = r.y1 - r.y0;
      const block = pixelateBlockSize(w, h);
      const across = Math.ceil(w / block);
      const down = Math.ceil(h / block);
      pixelatePlane(data, off.y, width, mask.luma, lumaBlocks(w, block), lumaBlocks(h, block), across, down);
      // Chroma reuses the luma block grid so colour and brightness blocks line up.
      const c = mask.chroma;
      const bx = chromaBlocks(c.x0, c.x1, r.x0, r.x1, block);
      const by = chromaBlocks(c.y0, c.y1, r.y0, r.y1, block);
      pixelatePlane(data, off.u, cw, c, bx, by, across, down);
      pixelatePlane(data, off.v, cw, c, bx, by, across, down);
      return;
    }
    case 'blur': {
      const radius = blurRadius(r.x1 - r.x0, r.y1 - r.y0);
      blurPlane(data, off.y, width, mask.luma, radius);
      // Chroma is half resolution, so half the radius is the same blur in picture terms.
      const cr = Math.max(2, Math.ceil(radius / 2));
      blurPlane(data, off.u, cw, mask.chroma, cr);
      blurPlane(data, off.v, cw, mask.chroma, cr);
      return;
    }
    default: {
      // A style this build does not know must not pass a face through unredacted.
      const never: never = style;
      throw new Error(`unknown redaction style ${JSON.stringify(never)}`);
    }
  }
}
