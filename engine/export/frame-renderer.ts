import { coveringPixels, type Box, type PixelRect } from '../../common/geometry';
import type { RedactionPlan } from '../../common/plan';
import { redactedInExport, requesterBoxesAt, requesterTracks, type SubjectAccess } from '../../common/subject-access';
import { boxAtFrame, type Track } from '../../common/track';
import { applyStyle } from './styles';
import { chromaWidth, planeOffsets, type ColourMatrix, type ColourRange, type Yuv420Frame } from './yuv-frame';

/**
 * Applies a plan's regions to one frame, in place. Regions are drawn in track order; every track
 * that is not explicitly kept is redacted (an undecided proposal fails safe). In a subject access
 * export every track but the requester's is redacted, and in `everything-else` mode the whole picture
 * is redacted first except the requester's padded boxes (common/subject-access.ts).
 */
export class FrameRenderer {
  private readonly tracks: Track[];
  private readonly defaultStyle: RedactionPlan['output']['style'];
  private readonly subject: SubjectAccess | undefined;
  private readonly requesters: Track[];
  /** Frames each redacted track drew on, by track id: a track that drew on none redacted nothing. */
  readonly framesDrawn = new Map<string, number>();
  /** Subject access: frames the requester showed in, and frames redacted whole for want of them. */
  readonly subjectFrames = { withRequester: 0, redactedWhole: 0 };

  constructor(
    plan: RedactionPlan,
    private readonly width: number,
    private readonly height: number,
    private readonly colour: { matrix: ColourMatrix; range: ColourRange },
  ) {
    this.subject = plan.subject;
    this.tracks = plan.tracks.filter((t) => redactedInExport(t, plan.subject));
    this.requesters = plan.subject ? requesterTracks(plan.tracks) : [];
    this.defaultStyle = plan.output.style;
    for (const t of this.tracks) this.framesDrawn.set(t.id, 0);
  }

  /** Redacts source frame `frameIndex`; returns how many regions were drawn. */
  render(frameIndex: number, data: Uint8Array): number {
    const frame: Yuv420Frame = { width: this.width, height: this.height, data };
    let drawn = 0;
    if (this.subject) drawn += this.renderSubject(frame, frameIndex, this.subject);
    for (const track of this.tracks) {
      const box = boxAtFrame(track, frameIndex);
      if (!box) continue;
      const rect = coveringPixels(box, this.width, this.height);
      if (!rect) continue;
      applyStyle(frame, rect, track.shape, track.style ?? this.defaultStyle, this.colour);
      this.framesDrawn.set(track.id, this.framesDrawn.get(track.id)! + 1);
      drawn++;
    }
    return drawn;
  }

  /**
   * Everything-else: the whole frame is redacted and the requester's boxes put back. The boxes are
   * rounded inwards (and chroma to the samples wholly inside), so the redaction covers every pixel
   * outside them, never one less. Counts as one region drawn.
   */
  private renderSubject(frame: Yuv420Frame, frameIndex: number, subject: SubjectAccess): number {
    const boxes = requesterBoxesAt(this.requesters, subject, frameIndex);
    if (boxes.length) this.subjectFrames.withRequester++;
    if (subject.mode !== 'everything-else') return 0;
    const kept = boxes.map((b) => innerPixels(b, this.width, this.height)).filter((r): r is PixelRect => r !== null);
    if (!kept.length) this.subjectFrames.redactedWhole++;
    const saved = kept.map((r) => savePixels(frame, r));
    applyStyle(frame, { x0: 0, y0: 0, x1: this.width, y1: this.height }, 'rectangle', this.defaultStyle, this.colour);
    kept.forEach((r, i) => restorePixels(frame, r, saved[i]!));
    return 1;
  }
}

/** The whole pixels inside a box, clipped to the frame; null when none. Rounds inwards. */
export function innerPixels(b: Box, width: number, height: number): PixelRect | null {
  const x0 = Math.max(0, Math.ceil(b.x));
  const y0 = Math.max(0, Math.ceil(b.y));
  const x1 = Math.min(width, Math.floor(b.x + b.w));
  const y1 = Math.min(height, Math.floor(b.y + b.h));
  return x1 > x0 && y1 > y0 ? { x0, y0, x1, y1 } : null;
}

interface Saved {
  luma: Uint8Array;
  u: Uint8Array;
  v: Uint8Array;
  /** Chroma samples wholly inside the rect: [cx0, cx1) × [cy0, cy1). */
  c: PixelRect;
}

/** Chroma sample c covers luma 2c..2c+1, so only samples from ceil(x0/2) to floor(x1/2) lie wholly inside. */
function chromaInside(r: PixelRect): PixelRect {
  return { x0: (r.x0 + 1) >> 1, y0: (r.y0 + 1) >> 1, x1: r.x1 >> 1, y1: r.y1 >> 1 };
}

function copyRect(data: Uint8Array, offset: number, stride: number, r: PixelRect, into: Uint8Array | null): Uint8Array {
  const w = Math.max(0, r.x1 - r.x0);
  const h = Math.max(0, r.y1 - r.y0);
  const out = into ?? new Uint8Array(w * h);
  for (let i = 0; i < h; i++) {
    const row = offset + (r.y0 + i) * stride + r.x0;
    if (into) data.set(into.subarray(i * w, (i + 1) * w), row);
    else out.set(data.subarray(row, row + w), i * w);
  }
  return out;
}

function savePixels(frame: Yuv420Frame, r: PixelRect): Saved {
  const off = planeOffsets(frame.width, frame.height);
  const cw = chromaWidth(frame.width);
  const c = chromaInside(r);
  return {
    luma: copyRect(frame.data, off.y, frame.width, r, null),
    u: copyRect(frame.data, off.u, cw, c, null),
    v: copyRect(frame.data, off.v, cw, c, null),
    c,
  };
}

function restorePixels(frame: Yuv420Frame, r: PixelRect, s: Saved): void {
  const off = planeOffsets(frame.width, frame.height);
  const cw = chromaWidth(frame.width);
  copyRect(frame.data, off.y, frame.width, r, s.luma);
  copyRect(frame.data, off.u, cw, s.c, s.u);
  copyRect(frame.data, off.v, cw, s.c, s.v);
}
