import { describe, expect, it } from 'vitest';
import type { TextDetection } from '../../engine/text/text-detection';
import { TEXT_KEEP_DEFAULTS, keepText } from '../../engine/text/text-keep';

const region = (x: number, y: number, w: number, h: number, score = 0.9): TextDetection => ({ box: { x, y, w, h }, score, reason: 'vehicle-registration', lines: [] });

describe('which text regions are proposed', () => {
  const onFace = region(110, 110, 40, 40); // wholly inside the face below: the model read hair or a face
  const halfOnFace = region(170, 120, 60, 20); // a third inside the face: a badge beside it, say
  const plate = region(400, 300, 80, 20);
  const face = { x: 100, y: 100, w: 90, h: 110 };

  it('drops a region lying mostly inside a face found on the same frame, and keeps the rest', () => {
    expect(keepText([onFace, halfOnFace, plate], [face])).toEqual([halfOnFace, plate]);
    // No face found (or text looked for alone): nothing to drop by.
    expect(keepText([onFace, halfOnFace, plate], [])).toEqual([onFace, halfOnFace, plate]);
  });

  it('sums the parts inside several faces, and the share is a setting', () => {
    const between = region(90, 0, 20, 10); // half in each of two faces side by side
    const faces = [{ x: 80, y: 0, w: 20, h: 10 }, { x: 100, y: 0, w: 20, h: 10 }];
    expect(keepText([between], faces)).toEqual([]);
    expect(keepText([halfOnFace], [face], { faceOverlap: 0.3 })).toEqual([]);
    expect(keepText([onFace], [face], { faceOverlap: 1.01 })).toEqual([onFace]);
  });

  it('drops regions scoring under the minimum when one is set', () => {
    expect(TEXT_KEEP_DEFAULTS.minScore).toBe(0);
    expect(keepText([plate, region(0, 0, 50, 10, 0.5)], [], { minScore: 0.6 })).toEqual([plate]);
  });
});
