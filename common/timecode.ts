import type { Rational } from './rational';

/**
 * Frame ↔ time, exactly. A clip's frames are identified by their index in presentation order;
 * time is only ever derived from the stream's own time stamps (or, for constant frame rate,
 * from its exact rational rate), never from a rounded fps.
 */
export interface FrameClock {
  /** Start time (seconds) of frame `index`. */
  timeOfFrame(index: number): number;
  /** The frame shown at `seconds`: the last frame whose start is at or before it. */
  frameAtTime(seconds: number): number;
  readonly frameCount: number;
}

/** Clock for constant-frame-rate streams: frame k starts at k·den/num seconds. */
export function constantRateClock(frameRate: Rational, frameCount: number): FrameClock {
  if (frameRate.num <= 0 || frameRate.den <= 0) throw new Error('frame rate must be positive');
  return {
    frameCount,
    timeOfFrame: (k) => (k * frameRate.den) / frameRate.num,
    // The epsilon absorbs float error at exact frame starts (k·den/num computed back and forth).
    frameAtTime: (s) => clampFrame(Math.floor((s * frameRate.num) / frameRate.den + 1e-9), frameCount),
  };
}

/** Clock for any stream, from its presentation time stamps (in time-base units, any order). */
export function timestampClock(pts: readonly number[], timeBase: Rational): FrameClock {
  const sorted = Float64Array.from(pts).sort();
  const start = sorted[0] ?? 0;
  const seconds = sorted.map((p) => ((p - start) * timeBase.num) / timeBase.den);
  return {
    frameCount: seconds.length,
    timeOfFrame: (k) => seconds[Math.min(Math.max(0, k), seconds.length - 1)] ?? 0,
    frameAtTime: (s) => {
      let lo = 0;
      let hi = seconds.length - 1;
      let found = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (seconds[mid]! <= s + 1e-9) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      return found;
    },
  };
}

function clampFrame(k: number, frameCount: number): number {
  return Math.min(Math.max(0, k), Math.max(0, frameCount - 1));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "HH:MM:SS.mmm" media time. */
export function formatMediaTime(seconds: number): string {
  const ms = Math.round(Math.max(0, seconds) * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/**
 * SMPTE time code "HH:MM:SS:FF" for frame index `k` (";" before FF for drop-frame).
 * Drop-frame applies to 29.97 and 59.94 (30000/1001, 60000/1001): frame numbers 0–1 (or 0–3)
 * are skipped at the start of every minute except each tenth, so the code tracks wall time.
 */
export function formatTimecode(k: number, frameRate: Rational): string {
  const nominal = Math.round(frameRate.num / frameRate.den);
  const dropFrame = frameRate.den === 1001 && (nominal === 30 || nominal === 60);
  let n = k;
  if (dropFrame) {
    const drop = nominal === 30 ? 2 : 4;
    const perMinute = nominal * 60 - drop;
    const perTenMinutes = perMinute * 10 + drop;
    const tens = Math.floor(n / perTenMinutes);
    const rem = n % perTenMinutes;
    n += drop * 9 * tens + (rem > drop ? drop * Math.floor((rem - drop) / perMinute) : 0);
  }
  const ff = n % nominal;
  const totalSeconds = Math.floor(n / nominal);
  const ss = totalSeconds % 60;
  const mm = Math.floor(totalSeconds / 60) % 60;
  const hh = Math.floor(totalSeconds / 3600);
  return `${pad(hh)}:${pad(mm)}:${pad(ss)}${dropFrame ? ';' : ':'}${pad(ff)}`;
}
