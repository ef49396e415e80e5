import { describe, expect, it } from 'vitest';
import { countOf } from '../../common/count-of';

describe('countOf', () => {
  it('one takes the singular, every other count the plural', () => {
    expect(countOf(1, 'frame')).toBe('1 frame');
    expect(countOf(0, 'frame')).toBe('0 frames');
    expect(countOf(2, 'face detection')).toBe('2 face detections');
    expect(countOf(3, 'analysis', 'analyses')).toBe('3 analyses');
  });
});
