import { describe, expect, it } from 'vitest';
import { loudestBetween } from '../../renderer/model/waveform';

describe('the waveform counted from the first frame', () => {
  // Ten buckets of 0.1 s; bucket i holds i / 10.
  const peaks = Array.from({ length: 10 }, (_, i) => i / 10);

  it('sound that starts with the picture: bucket i covers [0.1 i, 0.1 (i + 1))', () => {
    const p = { bucketSeconds: 0.1, startSeconds: 0, peaks };
    expect(loudestBetween(p, 0, 0.05)).toBe(0);
    expect(loudestBetween(p, 0.3, 0.35)).toBe(0.3);
    expect(loudestBetween(p, 0.3, 0.55)).toBe(0.4); // buckets 3 and 4
  });

  it('sound that starts 0.5 s before the picture: frame 0 shows bucket 5', () => {
    const p = { bucketSeconds: 0.1, startSeconds: -0.5, peaks };
    expect(loudestBetween(p, 0, 0.05)).toBe(0.5);
    expect(loudestBetween(p, 0.4, 0.45)).toBe(0.9);
    expect(loudestBetween(p, 0.5, 0.6)).toBe(0); // past the end of the sound
  });

  it('sound that starts 0.2 s after the picture: silence before it', () => {
    const p = { bucketSeconds: 0.1, startSeconds: 0.2, peaks };
    expect(loudestBetween(p, 0, 0.15)).toBe(0);
    expect(loudestBetween(p, 0.5, 0.55)).toBe(0.3);
  });
});
