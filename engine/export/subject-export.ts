import type { RedactionPlan } from '../../common/plan';
import { requesterSpan, requesterTracks } from '../../common/subject-access';
import { countOf } from '../../common/count-of';
import { UserError } from '../errors';

export interface SubjectCut {
  /** The frames the export would have held (the plan's trim, or the whole clip). */
  from: { startFrame: number; endFrame: number };
  /** The frames it holds: from the requester's first appearance to the last. */
  to: { startFrame: number; endFrame: number };
}

/**
 * The plan a subject access export runs: with `absent: 'cut'`, trimmed to the frames from the
 * requester's first appearance to the last (within the plan's own trim), so the frames before and
 * after, where the requester is not in the picture, are left out; the report records the cut. Refuses,
 * before any work, an export in which no requester region shows on any exported frame.
 */
export function subjectExportPlan(plan: RedactionPlan): { plan: RedactionPlan; cut: SubjectCut | null } {
  const subject = plan.subject;
  if (!subject) return { plan, cut: null };
  const lastFrame = plan.source.video.frameCount - 1;
  const from = plan.trim ?? { startFrame: 0, endFrame: lastFrame };
  const requesters = requesterTracks(plan.tracks);
  const span = requesterSpan(requesters, lastFrame);
  const first = span ? Math.max(span.first, from.startFrame) : Infinity;
  const last = span ? Math.min(span.last, from.endFrame) : -Infinity;
  if (first > last) {
    throw new UserError(
      'plan',
      `the requester (${countOf(requesters.length, 'region')}: ${requesters.map((t) => t.id).join(', ')}) shows on none of the exported frames (${from.startFrame}–${from.endFrame}): a subject access export would show nobody. Refusing to export.`,
    );
  }
  if (subject.absent !== 'cut' || (first === from.startFrame && last === from.endFrame)) return { plan, cut: null };
  const to = { startFrame: first, endFrame: last };
  return { plan: { ...plan, trim: to }, cut: { from, to } };
}
