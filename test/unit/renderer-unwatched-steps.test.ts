import { describe, expect, it } from 'vitest';
import { stepUnwatched } from '../../renderer/model/unwatched-steps';

describe('stepping to the unwatched stretches of a clip', () => {
  const unwatched: Array<[number, number]> = [[0, 9], [40, 59], [100, 119]];

  it('goes to the start of the next or previous stretch, wrapping round', () => {
    expect(stepUnwatched(unwatched, 0, 1)).toBe(40);
    expect(stepUnwatched(unwatched, 45, 1)).toBe(100);
    expect(stepUnwatched(unwatched, 100, 1)).toBe(0);
    expect(stepUnwatched(unwatched, 45, -1)).toBe(40);
    expect(stepUnwatched(unwatched, 40, -1)).toBe(0);
    expect(stepUnwatched(unwatched, 0, -1)).toBe(100);
  });

  it('has nowhere to go when every frame was watched', () => {
    expect(stepUnwatched([], 10, 1)).toBeNull();
    expect(stepUnwatched([], 10, -1)).toBeNull();
  });
});
