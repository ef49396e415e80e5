/** How a region is obscured. Blur and pixelate strength scale with the box, so no face stays readable. */
export type RedactionStyle =
  | { kind: 'solid'; fill: string }
  | { kind: 'pixelate' }
  | { kind: 'blur' };

export const STYLE_KINDS = ['solid', 'pixelate', 'blur'] as const;
export const DEFAULT_FILL = '#000000';

/** Parses "#RRGGBB" into 0–255 channels, or null. */
export function parseHexColour(text: string): { r: number; g: number; b: number } | null {
  const m = /^#?([0-9a-fA-F]{6})$/.exec(text.trim());
  if (!m) return null;
  const v = parseInt(m[1]!, 16);
  return { r: (v >> 16) & 255, g: (v >> 8) & 255, b: v & 255 };
}
