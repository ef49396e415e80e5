import type { Box } from '../../common/geometry';
import type { TextDetection, TextLine, TextReason } from './text-detection';

/**
 * From lines of characters to regions to redact: pieces of one line are joined (a plate's "CF 691" and
 * "BN" often come out as two boxes), the joined box is grown to what carries the text (a plate's frame,
 * a badge), and a reason is suggested by its shape. All lengths are in multiples of the line's
 * thickness (its character height), so the rules hold at any distance from the camera.
 */
export interface RegionParams {
  /** Pieces join when the horizontal gap between them is at most this many thicknesses. */
  joinGap: number;
  /** Growth on the left and right, above, and below, in thicknesses. */
  growSides: number;
  growAbove: number;
  growBelow: number;
  /** A single line whose length is within [plateMinAspect, plateMaxAspect] thicknesses is plate-shaped. */
  plateMinAspect: number;
  plateMaxAspect: number;
  /**
   * A group of lines thicker than `thickFraction` of the frame's height must be at least
   * `thickMinAspect` times as long as it is thick (a lone line: its own length; joined pieces: their
   * span), or it is not proposed. On the face bench clips the text model read faces, heads and hair as
   * one "line" 95–228 px thick but only 1.0–1.8 times as long; the characters of plates that close
   * (72–115 px thick on the plate clips) run 2.7–4.2 times their thickness. A plain cap on thickness (a
   * tenth of the frame, before) lost every plate over about 100 px tall: 44% of those plate-frames
   * covered on the plate clips against 97% now (bench/text-replay.mjs).
   */
  thickFraction: number;
  thickMinAspect: number;
}

export const REGION_DEFAULTS: Readonly<RegionParams> = Object.freeze({
  joinGap: 1,
  // About the 90th percentile of how far plates reach beyond their line of characters on the plate
  // photographs (left 0.60, right 0.32, above 0.47, below 0.36 thicknesses; bench:text --growth 1).
  // Growing further found 1–2 points more plates at twice the area.
  growSides: 0.5,
  growAbove: 0.5,
  growBelow: 0.4,
  plateMinAspect: 1.5,
  plateMaxAspect: 6,
  thickFraction: 0.1,
  thickMinAspect: 2,
});

/**
 * Groups lines that belong together: pieces side by side on one line (overlapping vertically by half
 * the lower one's height, a gap of at most `joinGap` thicknesses), and lines stacked into a block
 * (overlapping horizontally by half the narrower one's width, a gap of at most half a thickness). Only
 * lines of similar thickness join: a plate's small print or a caption stays apart.
 */
export function joinLines(lines: readonly TextLine[], joinGap: number): TextLine[][] {
  const parent = lines.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      if (together(lines[i]!, lines[j]!, joinGap)) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, TextLine[]>();
  lines.forEach((l, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), l]);
  });
  return [...groups.values()];
}

function together(a: TextLine, b: TextLine, joinGap: number): boolean {
  const t = Math.min(a.thickness, b.thickness);
  if (Math.max(a.thickness, b.thickness) > 1.6 * t) return false;
  const overlapY = Math.min(a.box.y + a.box.h, b.box.y + b.box.h) - Math.max(a.box.y, b.box.y);
  const overlapX = Math.min(a.box.x + a.box.w, b.box.x + b.box.w) - Math.max(a.box.x, b.box.x);
  const sideBySide = overlapY >= 0.5 * Math.min(a.box.h, b.box.h) && -overlapX <= joinGap * t;
  const stacked = overlapX >= 0.5 * Math.min(a.box.w, b.box.w) && -overlapY <= 0.5 * t;
  return sideBySide || stacked;
}

/** A group's bounds, grown by the given multiples of its thickness and clipped to the frame. */
export function growRegion(box: Box, thickness: number, p: Pick<RegionParams, 'growSides' | 'growAbove' | 'growBelow'>, frameWidth: number, frameHeight: number): Box {
  const x0 = Math.max(0, box.x - p.growSides * thickness);
  const y0 = Math.max(0, box.y - p.growAbove * thickness);
  const x1 = Math.min(frameWidth, box.x + box.w + p.growSides * thickness);
  const y1 = Math.min(frameHeight, box.y + box.h + p.growBelow * thickness);
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * "vehicle-registration" for a short, wide line of characters (one line whose length is a plate's
 * few characters); "personal-data-visual" for anything else (long lines, blocks of lines, single marks).
 */
export function suggestReason(group: readonly TextLine[], p: Pick<RegionParams, 'plateMinAspect' | 'plateMaxAspect'>): TextReason {
  const box = boundsOf(group.map((l) => l.box));
  const thickness = Math.max(...group.map((l) => l.thickness));
  const aspect = box.w / thickness;
  const oneLine = box.h <= 1.6 * thickness;
  return oneLine && aspect >= p.plateMinAspect && aspect <= p.plateMaxAspect ? 'vehicle-registration' : 'personal-data-visual';
}

/** Text lines of a frame → regions to propose, highest score first. */
export function textRegions(lines: readonly TextLine[], frameWidth: number, frameHeight: number, params: Partial<RegionParams> = {}): TextDetection[] {
  const p = { ...REGION_DEFAULTS, ...params };
  // Judged on joined groups: a close plate read in pieces ("41", "RS-TZ") is long once joined.
  const lineLike = (group: TextLine[]) => {
    const thickness = Math.max(...group.map((l) => l.thickness));
    // A lone line's own length (its box is wide when it is tilted); joined pieces, their span.
    const length = Math.max(group.length > 1 ? boundsOf(group.map((l) => l.box)).w : 0, ...group.map((l) => l.length));
    return thickness <= p.thickFraction * frameHeight || length >= p.thickMinAspect * thickness;
  };
  return joinLines(lines, p.joinGap)
    .filter(lineLike)
    .map((group) => {
      const thickness = Math.max(...group.map((l) => l.thickness));
      const bounds = boundsOf(group.map((l) => l.box));
      // The group's score: its lines' scores weighted by their area.
      const weights = group.map((l) => l.box.w * l.box.h);
      const total = weights.reduce((a, b) => a + b, 0);
      const score = group.reduce((s, l, i) => s + l.score * weights[i]!, 0) / (total || 1);
      return { box: growRegion(bounds, thickness, p, frameWidth, frameHeight), score, reason: suggestReason(group, p), lines: group };
    })
    .sort((a, b) => b.score - a.score);
}

export function boundsOf(boxes: readonly Box[]): Box {
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.w));
  const y1 = Math.max(...boxes.map((b) => b.y + b.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
