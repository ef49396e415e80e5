import { progressAmount, progressMeter, progressPercent, progressRate, timeLeft, type ProgressFigures } from '../common/progress';

/**
 * Progress on stderr: a redrawn bar on a terminal, plain lines (at most one per two seconds or 10%)
 * when piped or logged, nothing when quiet. Worded as the app words it (common/progress.ts).
 */
export interface ProgressUpdate extends ProgressFigures {
  label: string;
}

export class ProgressDisplay {
  private readonly tty: boolean;
  private lastLine = 0;
  private lastFraction = -1;
  private lastLabel = '';
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  update(p: ProgressUpdate): void {
    if (this.quiet) return;
    const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const figures = [progressAmount(p), progressRate(p), timeLeft(p.etaSeconds)].filter((part) => part !== null).join(' · ');
    if (this.tty) {
      const width = 24;
      const filled = Math.round(fraction * width);
      const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
      this.stream.write(`\r\x1b[2K${p.label.padEnd(16)} ${bar} ${progressPercent(p).padStart(4)} ${figures}`);
      this.drawn = true;
      return;
    }
    const now = Date.now();
    const changedPhase = p.label !== this.lastLabel;
    if (changedPhase || fraction >= 1 || now - this.lastLine >= 2000 || fraction - this.lastFraction >= 0.1) {
      if (!changedPhase && fraction >= 1 && this.lastFraction >= 1) return;
      this.stream.write(`${p.label}: ${progressPercent(p)} · ${figures}\n`);
      this.lastLine = now;
      this.lastFraction = fraction;
      this.lastLabel = p.label;
    }
  }

  /** A callback for hashing progress (engine/media/hash), which measures its own rate here. */
  forHashing(label = 'hashing'): (p: { bytesDone: number; bytesTotal: number }) => void {
    const meter = progressMeter();
    return (p) => this.update({ label, done: p.bytesDone, total: p.bytesTotal, unit: 'bytes', ...meter(label, p.bytesDone, p.bytesTotal) });
  }

  /** A callback for a job's progress whose figures say their own unit (export, detection). */
  forJob(label: string): (p: ProgressFigures & { phase?: string }) => void {
    return (p) => this.update({ ...p, label: p.phase ? `${label}${p.phase}` : label });
  }

  /** Ends a redrawn bar so the next output starts on a clean line. */
  done(): void {
    if (this.tty && this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
