import { describe, expect, it } from 'vitest';
import { leaksInFrame as findingsInFrame } from '../../engine/leak-check/find-leaks';
import { manualTrack, samplePlan } from '../helpers/plans';

const face = { x: 100, y: 100, w: 40, h: 40, score: 0.9 };
const leaksInFrame = (...args: Parameters<typeof findingsInFrame>) => findingsInFrame(...args).leaks;
const insideKept = (...args: Parameters<typeof findingsInFrame>) => findingsInFrame(...args).insideKept;

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

  it('a face inside a region kept on purpose is counted apart, never a leak; a face sticking out of its region is a leak', () => {
    expect(leaksInFrame(plan, 5, [{ ...face, x: 10, y: 10 }])).toEqual([]);
    expect(insideKept(plan, 5, [{ ...face, x: 10, y: 10 }, { ...face, x: 5, y: 5 }])).toBe(2);
    // Mostly outside the kept region (under 80% in): a leak, not counted as kept.
    expect(leaksInFrame(plan, 5, [{ ...face, x: 40, y: 10 }])).toHaveLength(1);
    expect(insideKept(plan, 5, [{ ...face, x: 40, y: 10 }])).toBe(0);
    // A redacted face is neither.
    expect(insideKept(plan, 5, [face])).toBe(0);
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

  it('in subject access, a face in the requester\'s box is no leak, a kept region hides its face, and everything-else hides the rest', () => {
    const sar = samplePlan({
      tracks: [manualTrack('me', [{ frame: 0, x: 200, y: 100, w: 60, h: 60 }], { requester: true }), manualTrack('k', [{ frame: 0, x: 0, y: 0, w: 60, h: 60 }], { decision: 'keep' })],
    });
    const requesterFace = { x: 210, y: 110, w: 40, h: 40, score: 0.9 };
    const keptFace = { x: 10, y: 10, w: 40, h: 40, score: 0.9 };
    const loose = { ...face, x: 120, y: 160 };
    const everyone = { ...sar, subject: { mode: 'everyone-else' as const, requestRef: 'R' } };
    expect(leaksInFrame(everyone, 0, [requesterFace, keptFace])).toEqual([]);
    expect(leaksInFrame(everyone, 0, [loose])).toHaveLength(1);
    const everything = { ...sar, subject: { mode: 'everything-else' as const, requestRef: 'R' } };
    expect(leaksInFrame(everything, 0, [requesterFace, keptFace, loose])).toEqual([]);
    // Half in the requester's box: half shown, so a leak.
    expect(leaksInFrame(everything, 0, [{ ...face, x: 180, y: 110 }])).toHaveLength(1);
    // The same plan as an ordinary export: the requester's region is redacted, the kept face shown on purpose.
    expect(leaksInFrame(sar, 0, [requesterFace, keptFace])).toEqual([]);
    expect(insideKept(sar, 0, [requesterFace, keptFace])).toBe(1);
  });
});
