/**
 * What a long job says of itself while it runs, and how that is put into words: one meter for the rate
 * and time left, one wording, for the command line and the app alike.
 */

/** What `done` and `total` count: frames of the clip, bytes of a file, or seconds of media. */
export const progressUnits = ['frames', 'bytes', 'seconds'] as const;
export type ProgressUnit = (typeof progressUnits)[number];

export interface ProgressFigures {
  done: number;
  total: number;
  unit: ProgressUnit;
  /** Units per second so far in this phase (0 until there is a rate to speak of). */
  rate: number;
  /** Seconds left at that rate; null while it is not known. */
  etaSeconds: number | null;
}

/** Below this the rate is mostly start-up noise: no time left is promised. */
const SETTLING_SECONDS = 0.5;

/**
 * Measures one phase of a job: each reading gives the rate since the phase started and the time left
 * at that rate. A new phase starts its own clock (hashing and redacting run at unrelated rates).
 */
export function progressMeter(now: () => number = () => performance.now()): (phase: string, done: number, total: number) => { rate: number; etaSeconds: number | null } {
  let current: { phase: string; startedAt: number; startDone: number } | null = null;
  return (phase, done, total) => {
    const t = now();
    if (!current || current.phase !== phase) current = { phase, startedAt: t, startDone: done };
    const elapsed = (t - current.startedAt) / 1000;
    if (elapsed < SETTLING_SECONDS || done <= current.startDone) return { rate: 0, etaSeconds: null };
    const rate = (done - current.startDone) / elapsed;
    return { rate, etaSeconds: Math.max(0, total - done) / rate };
  };
}

const grouped = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

const mib = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

/** "312 / 1,800 frames", "41.0 / 120.5 MiB", "0:12 / 1:40". */
export function progressAmount(p: Pick<ProgressFigures, 'done' | 'total' | 'unit'>): string {
  switch (p.unit) {
    case 'frames':
      return `${grouped.format(p.done)} / ${grouped.format(p.total)} frames`;
    case 'bytes':
      return `${mib(p.done)} / ${mib(p.total)} MiB`;
    case 'seconds':
      return `${clockTime(p.done)} / ${clockTime(p.total)}`;
  }
}

/** "48.2 fps", "35.1 MiB/s", "3.2× real time"; null before there is a rate. */
export function progressRate(p: Pick<ProgressFigures, 'rate' | 'unit'>): string | null {
  if (!(p.rate > 0)) return null;
  switch (p.unit) {
    case 'frames':
      return `${p.rate.toFixed(1)} fps`;
    case 'bytes':
      return `${mib(p.rate)} MiB/s`;
    case 'seconds':
      return `${p.rate.toFixed(1)}× real time`;
  }
}

/** "17%": whole percent, never 100% before the job is done. */
export function progressPercent(p: Pick<ProgressFigures, 'done' | 'total'>): string {
  if (!(p.total > 0)) return '0%';
  const fraction = Math.min(1, Math.max(0, p.done / p.total));
  return `${fraction < 1 ? Math.min(99, Math.floor(fraction * 100)) : 100}%`;
}

/** "0:42 left", "1:02:03 left"; null when not known. */
export function timeLeft(etaSeconds: number | null): string | null {
  return etaSeconds === null || !Number.isFinite(etaSeconds) ? null : `${clockTime(Math.ceil(etaSeconds))} left`;
}

/** "312 / 1,800 frames · 17% · 48.2 fps · 0:31 left": what a job's progress line says after its phase. */
export function progressText(p: ProgressFigures): string {
  if (!(p.total > 0)) return '';
  return [progressAmount(p), progressPercent(p), progressRate(p), timeLeft(p.etaSeconds)].filter((part) => part !== null).join(' · ');
}

/** "0:07", "12:34", "1:02:03": a duration as a person reads it (media time codes are in timecode.ts). */
function clockTime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor(s / 60) % 60;
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
