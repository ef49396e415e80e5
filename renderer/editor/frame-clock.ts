/**
 * Frame <-> media time for the player, from the clip's own frame times (exact also for variable frame
 * rate). A frame is shown from its time until the next frame's time.
 */
export function frameAtTime(frameTimes: readonly number[], seconds: number): number {
  let lo = 0;
  let hi = frameTimes.length - 1;
  let found = 0;
  // A millisecond of slack: media time reported by the decoder is rounded.
  const t = seconds + 0.001;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (frameTimes[mid]! <= t) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Where to seek to show `frame`: a little after its start, so rounding never lands on the previous one. */
export function seekTimeForFrame(frameTimes: readonly number[], frame: number): number {
  const t = frameTimes[frame] ?? 0;
  const next = frameTimes[frame + 1];
  return next === undefined ? t + 0.001 : t + Math.min(0.002, (next - t) / 4);
}

export function clampFrame(frame: number, frameCount: number): number {
  return Math.max(0, Math.min(frameCount - 1, Math.round(frame)));
}

/** HH:MM:SS.mmm of a frame's media time. */
export function formatTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}
