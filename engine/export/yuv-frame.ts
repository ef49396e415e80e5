/**
 * One decoded picture in planar yuv420p, exactly as ffmpeg's rawvideo encoder lays it out: the Y
 * plane (width × height), then U and V (each ceil(width/2) × ceil(height/2)), no row padding.
 * Redaction works on these planes directly: no conversion to RGB and back.
 */
export interface Yuv420Frame {
  width: number;
  height: number;
  /** Backing bytes; may be a view into a larger buffer. Modified in place. */
  data: Uint8Array;
}

export function chromaWidth(width: number): number {
  return (width + 1) >> 1;
}

export function chromaHeight(height: number): number {
  return (height + 1) >> 1;
}

export function yuv420FrameSize(width: number, height: number): number {
  return width * height + 2 * chromaWidth(width) * chromaHeight(height);
}

export function planeOffsets(width: number, height: number): { y: number; u: number; v: number } {
  const u = width * height;
  return { y: 0, u, v: u + chromaWidth(width) * chromaHeight(height) };
}

/** Colour conversion used for solid fills; chosen from the stream's tagged colour space. */
export type ColourMatrix = 'bt601' | 'bt709';
export type ColourRange = 'tv' | 'pc';
