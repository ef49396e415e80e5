import { area, intersection, type Box } from '../../common/geometry';
import type { RedactionPlan } from '../../common/plan';
import { redactedInExport, requesterBoxesAt, requesterTracks } from '../../common/subject-access';
import { boxAtFrame } from '../../common/track';

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

/** One output frame's findings: the leaks, and how many faces lay inside regions kept on purpose. */
export interface FrameFindings {
  leaks: LeakFinding[];
  insideKept: number;
}

/**
 * Pure: which of `detections` (found in output frame `outputFrame`) lie outside the plan's redacted
 * regions. A blurred face that the detector still recognises inside its region is not a leak; a
 * face elsewhere, or one sticking out of its region, is. A face inside a region the reviewer kept
 * (decision `keep`, e.g. the performer or an officer on duty) is shown on purpose: counted apart, never a leak.
 */
export function leaksInFrame(
  plan: Pick<RedactionPlan, 'tracks' | 'trim'> & Partial<Pick<RedactionPlan, 'subject'>>,
  outputFrame: number,
  detections: ReadonlyArray<Box & { score: number }>,
  minCoverage = DEFAULT_MIN_COVERAGE,
): FrameFindings {
  const sourceFrame = (plan.trim?.startFrame ?? 0) + outputFrame;
  const regions: Box[] = [];
  const kept: Box[] = [];
  for (const t of plan.tracks) {
    const redacted = redactedInExport(t, plan.subject);
    if (!redacted && t.decision !== 'keep') continue;
    const b = boxAtFrame(t, sourceFrame);
    if (b) (redacted ? regions : kept).push(b);
  }
  const shareIn = (d: Box, r: Box) => {
    const i = intersection(d, r);
    return i ? area(i) / area(d) : 0;
  };
  let insideKept = 0;
  // Subject access: a face inside the requester's box is the requester, shown on purpose; in
  // everything-else mode the rest of the picture is redacted too.
  const shown = plan.subject ? requesterBoxesAt(requesterTracks(plan.tracks), plan.subject, sourceFrame) : [];
  const out: LeakFinding[] = [];
  for (const d of detections) {
    const a = area(d);
    if (a <= 0) continue;
    let covered = 0;
    for (const r of regions) covered = Math.max(covered, shareIn(d, r));
    if (plan.subject) {
      const shares = shown.map((r) => shareIn(d, r));
      if (shares.some((share) => share >= minCoverage)) continue;
      if (plan.subject.mode === 'everything-else') covered = Math.max(covered, 1 - Math.min(1, shares.reduce((x, y) => x + y, 0)));
    }
    if (covered >= minCoverage) continue;
    if (kept.some((r) => shareIn(d, r) >= minCoverage)) {
      insideKept++;
      continue;
    }
    const round = (n: number) => Math.round(n * 10) / 10;
    out.push({
      outputFrame,
      sourceFrame,
      box: { x: round(d.x), y: round(d.y), w: round(d.w), h: round(d.h) },
      score: Math.round(d.score * 1000) / 1000,
      coveredShare: Math.round(covered * 1000) / 1000,
    });
  }
  return { leaks: out, insideKept };
}
