/**
 * The audio lane's waveform: peaks[i] covers bucketSeconds from startSeconds + i·bucketSeconds, counted
 * from the first video frame (the sound may begin before or after the picture).
 */
export interface Peaks {
  bucketSeconds: number;
  startSeconds: number;
  peaks: readonly number[];
}

/** The loudest peak over [t0, t1) (seconds from the first frame), at least one bucket; 0 where there is no sound. */
export function loudestBetween(p: Peaks, t0: number, t1: number): number {
  // A nanosecond of slack: 0.3 / 0.1 is 2.9999999999999996 in floating point.
  const bucket = (t: number) => Math.floor((t - p.startSeconds) / p.bucketSeconds + 1e-9);
  const a = bucket(t0);
  const b = Math.max(a + 1, bucket(t1));
  let peak = 0;
  for (let i = Math.max(0, a); i < b && i < p.peaks.length; i++) peak = Math.max(peak, p.peaks[i]!);
  return peak;
}
