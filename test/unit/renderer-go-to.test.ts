import { describe, expect, it } from 'vitest';
import { parsePlace } from '../../renderer/editor/frame-clock';

// 30 fps for 100 s (3000 frames), and a variable-rate clip whose frames are not evenly spaced.
const steady = Array.from({ length: 3000 }, (_, i) => i / 30);
const uneven = [0, 0.04, 0.1, 0.5, 0.55, 2];

describe('going to a place typed by the reviewer', () => {
  it('takes a frame as #n, fn or "frame n"', () => {
    expect(parsePlace('#2490', steady)).toEqual({ frame: 2490 });
    expect(parsePlace(' f12 ', steady)).toEqual({ frame: 12 });
    expect(parsePlace('Frame 0', steady)).toEqual({ frame: 0 });
    expect(parsePlace('#3000', steady)).toEqual({ error: 'there is no frame 3000: the last is 2999' });
  });

  it('takes a time as seconds, m:ss or h:mm:ss, with or without milliseconds, as the timecode shows it', () => {
    expect(parsePlace('83.5', steady)).toEqual({ frame: 2505 });
    expect(parsePlace('83.5s', steady)).toEqual({ frame: 2505 });
    expect(parsePlace('1:23.5', steady)).toEqual({ frame: 2505 });
    expect(parsePlace('00:01:23.500', steady)).toEqual({ frame: 2505 });
    expect(parsePlace('0:00', steady)).toEqual({ frame: 0 });
    // Within a frame's time it is that frame.
    expect(parsePlace('1.049', steady)).toEqual({ frame: 31 });
  });

  it('finds the frame shown at that time in a variable-rate clip', () => {
    expect(parsePlace('0.3', uneven)).toEqual({ frame: 2 });
    expect(parsePlace('1.9', uneven)).toEqual({ frame: 4 });
  });

  it('refuses what is not a place in the clip, saying why', () => {
    expect(parsePlace('1:75', steady)).toEqual({ error: '"1:75" is not a valid time' });
    expect(parsePlace('2:00', steady)).toEqual({ error: '00:02:00.000 is past the end of the clip (00:01:40.000)' });
    expect('error' in parsePlace('soon', steady)).toBe(true);
    expect('error' in parsePlace('', steady)).toBe(true);
    expect('error' in parsePlace('1:2:3:4', steady)).toBe(true);
  });
});
