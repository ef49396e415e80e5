import { describe, expect, it } from 'vitest';
import { withoutDuplicates } from '../../engine/detect/track-duplicates';
import type { DenseBox } from '../../engine/detect/track-output';

const run = (from: number, to: number, box: (f: number) => { x: number; y: number; w: number; h: number }): DenseBox[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ frame: from + i, ...box(from + i), confidence: 0.9 }));

describe('withoutDuplicates', () => {
  const face = run(0, 49, (f) => ({ x: 100 + 2 * f, y: 100, w: 60, h: 70 }));

  it('drops a weaker track that shadows a stronger one over most of its frames', () => {
    const strong = { seq: 1, hits: 25, dense: face };
    // A second box on the same head, offset by a quarter of it, for frames 10–39.
    const ghost = { seq: 0, hits: 3, dense: run(10, 39, (f) => ({ x: 115 + 2 * f, y: 105, w: 55, h: 65 })) };
    expect(withoutDuplicates([ghost, strong])).toEqual([strong]);
  });

  it('keeps two faces side by side, and a track only partly shadowed', () => {
    const strong = { seq: 0, hits: 25, dense: face };
    const neighbour = { seq: 1, hits: 3, dense: run(0, 49, (f) => ({ x: 165 + 2 * f, y: 100, w: 60, h: 70 })) };
    // On the head for 10 frames, then elsewhere for 30: not a duplicate.
    const partly = { seq: 2, hits: 2, dense: run(0, 39, (f) => (f < 10 ? { x: 100 + 2 * f, y: 100, w: 60, h: 70 } : { x: 600, y: 300, w: 60, h: 70 })) };
    expect(withoutDuplicates([strong, neighbour, partly])).toEqual([strong, neighbour, partly]);
  });

  it('keeps the track the detector saw most, whichever began first', () => {
    const first = { seq: 0, hits: 2, dense: face };
    const most = { seq: 1, hits: 20, dense: face.map((b) => ({ ...b, x: b.x + 3 })) };
    expect(withoutDuplicates([first, most])).toEqual([most]);
  });
});
