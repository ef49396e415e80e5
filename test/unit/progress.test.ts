import { describe, expect, it } from 'vitest';
import { progressAmount, progressMeter, progressPercent, progressRate, progressText, timeLeft } from '../../common/progress';
import { pendingJob, withProgress } from '../../renderer/model/job-progress';

describe('progressMeter', () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => void (t += ms) };
  };

  it('promises no rate or time left while the phase is settling', () => {
    const c = clock();
    const meter = progressMeter(c.now);
    expect(meter('detecting', 0, 900)).toEqual({ rate: 0, etaSeconds: null });
    c.advance(400);
    expect(meter('detecting', 20, 900)).toEqual({ rate: 0, etaSeconds: null });
  });

  it('measures the rate since the phase began and the time left at it', () => {
    const c = clock();
    const meter = progressMeter(c.now);
    meter('detecting', 0, 900);
    c.advance(2000);
    expect(meter('detecting', 60, 900)).toEqual({ rate: 30, etaSeconds: 28 });
    c.advance(2000);
    expect(meter('detecting', 100, 900)).toEqual({ rate: 25, etaSeconds: 32 });
  });

  it('starts a new clock, and counts from where it stood, when the phase changes', () => {
    const c = clock();
    const meter = progressMeter(c.now);
    meter('redacting', 0, 100);
    c.advance(10_000);
    meter('redacting', 100, 100);
    expect(meter('hashing output', 50, 1000)).toEqual({ rate: 0, etaSeconds: null });
    c.advance(1000);
    expect(meter('hashing output', 250, 1000)).toEqual({ rate: 200, etaSeconds: 3.75 });
  });

  it('never says less than nothing is left', () => {
    const c = clock();
    const meter = progressMeter(c.now);
    meter('x', 0, 10);
    c.advance(1000);
    expect(meter('x', 12, 10).etaSeconds).toBe(0);
  });
});

describe('progress in words', () => {
  it('says how much of how much, in the unit counted', () => {
    expect(progressAmount({ done: 1234, total: 108_000, unit: 'frames' })).toBe('1,234 / 108,000 frames');
    expect(progressAmount({ done: 42 * 1024 * 1024, total: 120.5 * 1024 * 1024, unit: 'bytes' })).toBe('42.0 / 120.5 MiB');
    expect(progressAmount({ done: 12.7, total: 3723, unit: 'seconds' })).toBe('0:12 / 1:02:03');
  });

  it('gives the rate only once there is one', () => {
    expect(progressRate({ rate: 0, unit: 'frames' })).toBeNull();
    expect(progressRate({ rate: 48.25, unit: 'frames' })).toBe('48.3 fps');
    expect(progressRate({ rate: 35 * 1024 * 1024, unit: 'bytes' })).toBe('35.0 MiB/s');
    expect(progressRate({ rate: 3.21, unit: 'seconds' })).toBe('3.2× real time');
  });

  it('never says 100% before the job is done', () => {
    expect(progressPercent({ done: 999, total: 1000 })).toBe('99%');
    expect(progressPercent({ done: 1000, total: 1000 })).toBe('100%');
    expect(progressPercent({ done: 171, total: 1000 })).toBe('17%');
    expect(progressPercent({ done: 5, total: 0 })).toBe('0%');
  });

  it('rounds the time left up, to the second', () => {
    expect(timeLeft(null)).toBeNull();
    expect(timeLeft(Infinity)).toBeNull();
    expect(timeLeft(41.2)).toBe('0:42 left');
    expect(timeLeft(3723)).toBe('1:02:03 left');
  });

  it('puts it together; a step with nothing to count says nothing more than its phase', () => {
    expect(progressText({ done: 312, total: 1800, unit: 'frames', rate: 48.2, etaSeconds: 30.9 })).toBe('312 / 1,800 frames · 17% · 48.2 fps · 0:31 left');
    expect(progressText({ done: 10, total: 1800, unit: 'frames', rate: 0, etaSeconds: null })).toBe('10 / 1,800 frames · 0%');
    expect(progressText({ done: 0, total: 0, unit: 'frames', rate: 0, etaSeconds: null })).toBe('');
  });
});

describe('a job as the page follows it', () => {
  it('takes the figures of its own progress events, and ignores others', () => {
    const job = { ...pendingJob('import-1', 'queued'), name: 'a.mp4' };
    expect(withProgress(job, { type: 'progress', jobId: 'import-2', phase: 'hashing', done: 5, total: 10, unit: 'bytes', rate: 1, etaSeconds: 5 })).toBe(job);
    expect(withProgress(job, { type: 'files-dropped', files: [] })).toBe(job);
    expect(withProgress(job, { type: 'progress', jobId: 'import-1', phase: 'hashing', done: 5, total: 10, unit: 'bytes', rate: 1, etaSeconds: 5 })).toEqual({
      jobId: 'import-1',
      name: 'a.mp4',
      phase: 'hashing',
      done: 5,
      total: 10,
      unit: 'bytes',
      rate: 1,
      etaSeconds: 5,
    });
  });
});
