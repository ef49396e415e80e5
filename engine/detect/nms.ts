import { iou } from '../../common/geometry';
import type { Detection } from './detection';

/**
 * MediaPipe-style weighted non-maximum suppression.
 *
 * BlazeFace fires several neighbouring anchors per face, and tiles that overlap see the same face
 * again. Plain NMS keeps one of those boxes and throws the rest away, so the kept box jitters from
 * frame to frame; blending them (score-weighted mean of the corners) gives a steadier box. The
 * blended detection keeps the highest score of its group, and its box is grown where needed to hold
 * the strongest box whole: a weaker, differently placed box in the group (a neighbouring anchor, a
 * tile's cut-off view, the mirror image's) may move the mean off part of the face the strongest one
 * covers, and recall comes first.
 *
 * Deterministic and independent of input order: candidates are sorted by score, ties broken by
 * position and size, before grouping.
 */
export function weightedNms(detections: readonly Detection[], iouThreshold: number): Detection[] {
  const pending = [...detections].sort(byScoreThenPosition);
  const out: Detection[] = [];
  while (pending.length > 0) {
    const top = pending[0]!;
    let sw = 0;
    let x0 = 0;
    let y0 = 0;
    let x1 = 0;
    let y1 = 0;
    let kept = 0;
    let members = 0;
    for (const d of pending) {
      // `top` is in `pending` and overlaps itself fully, so it always joins its own group.
      if (d === top || iou(top, d) >= iouThreshold) {
        members++;
        sw += d.score;
        x0 += d.score * d.x;
        y0 += d.score * d.y;
        x1 += d.score * (d.x + d.w);
        y1 += d.score * (d.y + d.h);
      } else {
        pending[kept++] = d; // compact the survivors in place, keeping their order
      }
    }
    pending.length = kept;
    if (members > 1 && sw > 0) {
      const left = Math.min(x0 / sw, top.x);
      const upper = Math.min(y0 / sw, top.y);
      const right = Math.max(x1 / sw, top.x + top.w);
      const lower = Math.max(y1 / sw, top.y + top.h);
      out.push({ x: left, y: upper, w: right - left, h: lower - upper, score: top.score });
    } else {
      out.push({ ...top }); // alone (kept exactly as found), or all scores zero: nothing to weight by
    }
  }
  return out;
}

function byScoreThenPosition(a: Detection, b: Detection): number {
  return b.score - a.score || a.x - b.x || a.y - b.y || a.w - b.w || a.h - b.h;
}
