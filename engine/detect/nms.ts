import { iou } from '../../common/geometry';
import type { Detection } from './detection';

/**
 * Greedy non-maximum suppression, as OpenCV's `NMSBoxes` after `FaceDetectorYN`: the best box of a
 * group overlapping by at least `iouThreshold` is kept whole, with its landmarks; the others go.
 * YuNet's neighbouring cells and its passes (1×, 0.5× and 0.25×) see the same face more than once.
 *
 * Deterministic and independent of input order: candidates are sorted by score, ties broken by
 * position and size.
 */
export function nms(detections: readonly Detection[], iouThreshold: number): Detection[] {
  const pending = [...detections].sort(byScoreThenPosition);
  const out: Detection[] = [];
  for (const d of pending) {
    if (out.every((k) => iou(k, d) < iouThreshold)) out.push(d);
  }
  return out;
}

function byScoreThenPosition(a: Detection, b: Detection): number {
  return b.score - a.score || a.x - b.x || a.y - b.y || a.w - b.w || a.h - b.h;
}
