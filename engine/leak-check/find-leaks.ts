import { area, intersection, type Box } from '../../common/geometry';
import type { RedactionPlan } from '../../common/plan';
import { boxAtFrame, isRedacted } from '../../common/track';

/**
 * A face the detector still finds in an exported frame, not covered by a redacted region.
 * Frames are counted in the output; `sourceFrame` is where that frame came from (trims shift them).
 */
export interface LeakFinding {
  outputFrame: number;
  sourceFrame: number;
  box: Box;
  score: number;
  /** Largest share of the detection's area inside any one redacted region, 0–1. */
  coveredShare: number;
}

/** A detection counts as hidden when at least this share of it lies inside one redacted region. */
export const DEFAULT_MIN_COVERAGE = 0.8;

/**
 * Pure: which of `detections` (found in output frame `outputFrame`) lie outside the plan's redacted
 * regions. A blurred face that the detector still recognises inside its region is not a leak; a
 * face elsewhere, or one sticking out of its region, is.
 */
export function leaksInFrame(
  plan: Pick<RedactionPlan, 'tracks' | 'trim'>,
  outputFrame: number,
  detections: ReadonlyArray<Box & { score: number }>,
  minCoverage = DEFAULT_MIN_COVERAGE,
): LeakFinding[] {
  const sourceFrame = (plan.trim?.startFrame ?? 0) + outputFrame;
  const regions: Box[] = [];
  for (const t of plan.tracks) {
    if (!isRedacted(t)) continue;
    const b = boxAtFrame(t, sourceFrame);
    if (b) regions.push(b);
  }
  const out: LeakFinding[] = [];
  for (const d of detections) {
    const a = area(d);
    if (a <= 0) continue;
    let covered = 0;
    for (const r of regions) {
      const i = intersection(d, r);
      if (i) covered = Math.max(covered, area(i) / a);
    }
    if (covered < minCoverage) {
      const round = (n: number) => Math.round(n * 10) / 10;
      out.push({
        outputFrame,
        sourceFrame,
        box: { x: round(d.x), y: round(d.y), w: round(d.w), h: round(d.h) },
        score: Math.round(d.score * 1000) / 1000,
        coveredShare: Math.round(covered * 1000) / 1000,
      });
    }
  }
  return out;
}
