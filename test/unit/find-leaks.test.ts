import { describe, expect, it } from 'vitest';
import { leaksInFrame } from '../../engine/leak-check/find-leaks';
import { manualTrack, samplePlan } from '../helpers/plans';

const face = { x: 100, y: 100, w: 40, h: 40, score: 0.9 };

describe('leaksInFrame', () => {
  const plan = samplePlan({
    tracks: [
      manualTrack('r', [{ frame: 0, x: 90, y: 90, w: 60, h: 60 }, { frame: 10, outside: true }]),
      manualTrack('k', [{ frame: 0, x: 0, y: 0, w: 60, h: 60 }], { decision: 'keep' }),
    ],
  });

  it('ignores a face inside a redacted region, lists one outside it', () => {
    expect(leaksInFrame(plan, 5, [face])).toEqual([]);
    expect(leaksInFrame(plan, 12, [face])).toEqual([{ outputFrame: 12, sourceFrame: 12, box: { x: 100, y: 100, w: 40, h: 40 }, score: 0.9, coveredShare: 0 }]);
  });

  it('a kept region hides nothing; a face sticking out of its region is a leak', () => {
    expect(leaksInFrame(plan, 5, [{ ...face, x: 10, y: 10 }])).toHaveLength(1);
    const halfOut = leaksInFrame(plan, 5, [{ ...face, x: 130 }]);
    expect(halfOut).toHaveLength(1);
    expect(halfOut[0]!.coveredShare).toBeCloseTo(0.5);
    expect(leaksInFrame(plan, 5, [{ ...face, x: 130 }], 0.4)).toEqual([]);
  });

  it('maps output frames to source frames through the trim', () => {
    const trimmed = { ...plan, trim: { startFrame: 8, endFrame: 20 } };
    expect(leaksInFrame(trimmed, 1, [face])).toEqual([]); // source frame 9: redacted
    expect(leaksInFrame(trimmed, 2, [face])[0]).toMatchObject({ outputFrame: 2, sourceFrame: 10 });
  });
});
