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

/**
 * A place typed by the reviewer: a frame as `#2490` (or `f2490`), or a time from the first frame as
 * seconds (`83.5`), `m:ss(.mmm)` or `h:mm:ss(.mmm)` — the form the timecode shows. The frame shown at
 * that time, or why the text is not a place in this clip.
 */
export function parsePlace(text: string, frameTimes: readonly number[]): { frame: number } | { error: string } {
  const t = text.trim().toLowerCase();
  const last = frameTimes.length - 1;
  const frameMatch = /^(?:#|f|frame\s*)(\d+)$/.exec(t);
  if (frameMatch) {
    const frame = Number(frameMatch[1]);
    return frame <= last ? { frame } : { error: `there is no frame ${frame}: the last is ${last}` };
  }
  const timeMatch = /^(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d+)?)s?$/.exec(t);
  if (!timeMatch || t === '') return { error: `"${text.trim()}" is neither a time (1:23.5) nor a frame (#2490)` };
  const [, a, b, sec] = timeMatch;
  const hours = a !== undefined && b !== undefined ? Number(a) : 0;
  const minutes = b !== undefined ? Number(b) : a !== undefined ? Number(a) : 0;
  const seconds = hours * 3600 + minutes * 60 + Number(sec);
  if ((a !== undefined && Number(sec) >= 60) || (b !== undefined && minutes >= 60)) return { error: `"${text.trim()}" is not a valid time` };
  const end = (frameTimes[last] ?? 0) + (last > 0 ? frameTimes[last]! - frameTimes[last - 1]! : 0);
  if (seconds > end) return { error: `${formatTime(seconds)} is past the end of the clip (${formatTime(end)})` };
  return { frame: frameAtTime(frameTimes, seconds) };
}
