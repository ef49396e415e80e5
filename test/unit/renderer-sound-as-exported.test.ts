import { describe, expect, it } from 'vitest';
import { soundAt } from '../../renderer/model/sound-as-exported';

describe('the sound as the export will have it (the preview for the ear)', () => {
  const ranges = [
    { start: 1, end: 2, mode: 'mute' as const },
    { start: 1.5, end: 3, mode: 'bleep' as const },
    { start: 5, end: 5.5, mode: 'mute' as const },
  ];

  it('is as recorded outside every range, muted in a mute range, bleeped in a bleep range', () => {
    expect(soundAt(ranges, 0.99)).toBe('as-recorded');
    expect(soundAt(ranges, 1.2)).toBe('muted');
    expect(soundAt(ranges, 2.5)).toBe('bleeped');
    expect(soundAt(ranges, 4)).toBe('as-recorded');
    expect(soundAt(ranges, 5.25)).toBe('muted');
    expect(soundAt([], 1)).toBe('as-recorded');
  });

  it('includes both ends, as the export’s filter does, and a bleep wins where it overlaps a mute', () => {
    expect(soundAt(ranges, 1)).toBe('muted');
    expect(soundAt(ranges, 3)).toBe('bleeped');
    expect(soundAt(ranges, 3.0001)).toBe('as-recorded');
    expect(soundAt(ranges, 1.75)).toBe('bleeped');
    expect(soundAt([...ranges].reverse(), 1.75)).toBe('bleeped');
  });
});
