import { describe, expect, it } from 'vitest';
import { stepKeyframe } from '../../renderer/model/keyframe-steps';

describe('stepping through a region’s keyframes', () => {
  const keyframes = [{ frame: 10 }, { frame: 25 }, { frame: 40 }];

  it('goes to the nearest keyframe after or before the playhead, never the one it is on', () => {
    expect(stepKeyframe(keyframes, 0, 1)).toBe(10);
    expect(stepKeyframe(keyframes, 10, 1)).toBe(25);
    expect(stepKeyframe(keyframes, 30, 1)).toBe(40);
    expect(stepKeyframe(keyframes, 25, -1)).toBe(10);
    expect(stepKeyframe(keyframes, 100, -1)).toBe(40);
  });

  it('says there is none past the last or before the first', () => {
    expect(stepKeyframe(keyframes, 40, 1)).toBeNull();
    expect(stepKeyframe(keyframes, 10, -1)).toBeNull();
    expect(stepKeyframe([], 5, 1)).toBeNull();
  });
});
