import { coveringPixels } from '../../common/geometry';
import type { RedactionPlan } from '../../common/plan';
import { boxAtFrame, isRedacted, type Track } from '../../common/track';
import { applyStyle } from './styles';
import type { ColourMatrix, ColourRange, Yuv420Frame } from './yuv-frame';

/**
 * Applies a plan's regions to one frame, in place. Regions are drawn in track order; every track
 * that is not explicitly kept is redacted (an undecided proposal fails safe).
 */
export class FrameRenderer {
  private readonly tracks: Track[];
  private readonly defaultStyle: RedactionPlan['output']['style'];
  /** Frames each redacted track drew on, by track id: a track that drew on none redacted nothing. */
  readonly framesDrawn = new Map<string, number>();

  constructor(
    plan: RedactionPlan,
    private readonly width: number,
    private readonly height: number,
    private readonly colour: { matrix: ColourMatrix; range: ColourRange },
  ) {
    this.tracks = plan.tracks.filter(isRedacted);
    this.defaultStyle = plan.output.style;
    for (const t of this.tracks) this.framesDrawn.set(t.id, 0);
  }

  /** Redacts source frame `frameIndex`; returns how many regions were drawn. */
  render(frameIndex: number, data: Uint8Array): number {
    const frame: Yuv420Frame = { width: this.width, height: this.height, data };
    let drawn = 0;
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
}
