import { describe, expect, it } from 'vitest';
import { FfmpegFailedError } from '../../engine/ffmpeg/run';

/** How a failed ffmpeg run is explained: a full disk is the output's fault (exit 5), a signal is named. */
describe('FfmpegFailedError', () => {
  it('calls a full disk or a file size limit an output error', () => {
    for (const [stderr, signal] of [
      ['[mp4 @ 0x1] Error writing trailer: No space left on device\n', null],
      ['av_interleaved_write_frame(): File too large\n', null],
      ['', 'SIGXFSZ'],
    ] as const) {
      const e = new FfmpegFailedError('ffmpeg …', signal ? null : 1, stderr, signal);
      expect(e.code).toBe('output');
      expect(e.message).toMatch(/^cannot write the output: the disk is full or a file size limit was reached/);
    }
  });

  it('names the signal that stopped ffmpeg, with its last words if any', () => {
    expect(new FfmpegFailedError('x', null, '', 'SIGKILL').message).toBe('ffmpeg was stopped by SIGKILL before it finished (killed from outside, or out of memory)');
    expect(new FfmpegFailedError('x', null, 'frame= 10\nbroken pipe\n', 'SIGTERM').message).toBe('ffmpeg was stopped by SIGTERM before it finished: broken pipe');
    expect(new FfmpegFailedError('x', null, '', 'SIGKILL').code).toBe('tool');
  });

  it('otherwise reports the exit code and the last line', () => {
    const e = new FfmpegFailedError('x', 1, 'a\nInvalid data found when processing input\n');
    expect(e.code).toBe('tool');
    expect(e.message).toBe('ffmpeg failed (exit 1): Invalid data found when processing input');
  });
});
