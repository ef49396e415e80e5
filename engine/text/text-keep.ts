import { area, intersection, type Box } from '../../common/geometry';
import type { TextDetection } from './text-detection';

/**
 * Which text regions are proposed: the text model also fires on faces, hair and dark heads, and on a
 * face clip each such box is over-redaction. The rules are measured with bench/text-replay.mjs (face
 * clips: what they save; plate clips and photographs: what they cost).
 */
export interface TextKeepRule {
  /** A region with at least this share of its area inside a face found on the same frame is dropped (1: never). */
  faceOverlap: number;
  /** Regions scoring below this are dropped (the DB score: mean probability over the lines). */
  minScore: number;
}

export const TEXT_KEEP_DEFAULTS: Readonly<TextKeepRule> = Object.freeze({
  // Half: on day 1 of bench:detect the text model read a woman's dark fringe and hair as a line of
  // characters 53–62 px thick, 60–100% inside her detected face; followed by the text tracker, that one
  // track alone covered 0.74% of the frame for 115 frames.
  faceOverlap: 0.5,
  minScore: 0,
});

/** The regions of `regions` the rule keeps, given the faces found on the same frame (same pixels). */
export function keepText(regions: readonly TextDetection[], faces: readonly Box[], rule: Partial<TextKeepRule> = {}): TextDetection[] {
  const r = { ...TEXT_KEEP_DEFAULTS, ...rule };
  return regions.filter((t) => {
    if (t.score < r.minScore) return false;
    const a = area(t.box);
    if (a > 0 && r.faceOverlap <= 1) {
      const inFaces = faces.reduce((s, f) => s + area(intersection(t.box, f) ?? { x: 0, y: 0, w: 0, h: 0 }), 0);
      if (inFaces >= r.faceOverlap * a) return false;
    }
    return true;
  });
}
