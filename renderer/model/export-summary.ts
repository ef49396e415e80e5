import type { AudioRedaction } from '../../common/plan';
import { describeReason, type ReasonCode } from '../../common/reasons';
import type { WatchedFrames } from '../../common/review-coverage';
import { trackSpan, type Track } from '../../common/track';

/** What an export will do, said before it starts: the export dialog opens with it. */
export interface ExportSummary {
  /** Regions decided to redact, by reason (in words), most first. */
  redactByReason: Array<{ reason: string; count: number }>;
  kept: number;
  /** Undecided proposals: redacted too (the safe default). */
  undecided: number;
  audio: { count: number; seconds: number };
  /** Frames watched of the clip, and frames with at least one region redacted. */
  framesWatched: number;
  framesRedacted: number;
  frameCount: number;
}

export function exportSummary(tracks: readonly Track[], audio: readonly Pick<AudioRedaction, 'start' | 'end'>[], watched: WatchedFrames, frameCount: number, reasons: readonly ReasonCode[]): ExportSummary {
  const byReason = new Map<string, number>();
  let kept = 0;
  let undecided = 0;
  // Frames any redacted region covers: a difference array over the clip's frames.
  const cover = new Int32Array(frameCount + 1);
  for (const t of tracks) {
    if (t.decision === 'keep') {
      kept++;
      continue;
    }
    if (t.decision === 'proposed') undecided++;
    else {
      const words = describeReason(reasons, t.reason, t.reasonText);
      byReason.set(words, (byReason.get(words) ?? 0) + 1);
    }
    const span = trackSpan(t, frameCount - 1);
    if (!span || frameCount <= 0) continue;
    cover[Math.max(0, span.first)]!++;
    cover[Math.min(frameCount, span.last + 1)]!--;
  }
  let framesRedacted = 0;
  for (let f = 0, n = 0; f < frameCount; f++) {
    n += cover[f]!;
    if (n > 0) framesRedacted++;
  }
  let framesWatched = 0;
  for (const [a, b] of watched) framesWatched += Math.max(0, Math.min(b, frameCount - 1) - Math.max(a, 0) + 1);
  return {
    redactByReason: [...byReason].map(([reason, count]) => ({ reason, count })).sort((x, y) => y.count - x.count || x.reason.localeCompare(y.reason)),
    kept,
    undecided,
    audio: { count: audio.length, seconds: Math.round(audio.reduce((s, a) => s + (a.end - a.start), 0) * 10) / 10 },
    framesWatched,
    framesRedacted,
    frameCount,
  };
}
