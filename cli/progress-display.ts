import { formatMediaTime } from '../common/timecode';

/**
 * Progress on stderr: a redrawn bar on a terminal, plain lines (at most one per two seconds or 10%)
 * when piped or logged, nothing when quiet.
 */
export interface ProgressUpdate {
  label: string;
  done: number;
  total: number;
  unit: 'frames' | 'bytes';
  rate: number;
  etaSeconds: number | null;
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
    const pct = `${(fraction * 100).toFixed(1).padStart(5)}%`;
    const amount = p.unit === 'bytes' ? `${mib(p.done)}/${mib(p.total)} MiB` : `${p.done}/${p.total} frames`;
    const rate = p.unit === 'bytes' ? `${mib(p.rate)} MiB/s` : `${p.rate.toFixed(1)} fps`;
    const eta = p.etaSeconds === null ? '' : ` eta ${formatMediaTime(p.etaSeconds).slice(0, 8)}`;
    if (this.tty) {
      const width = 24;
      const filled = Math.round(fraction * width);
      const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
      this.stream.write(`\r\x1b[2K${p.label.padEnd(16)} ${bar} ${pct} ${amount} ${rate}${eta}`);
      this.drawn = true;
      return;
    }
    const now = Date.now();
    const changedPhase = p.label !== this.lastLabel;
    if (changedPhase || fraction >= 1 || now - this.lastLine >= 2000 || fraction - this.lastFraction >= 0.1) {
      if (!changedPhase && fraction >= 1 && this.lastFraction >= 1) return;
      this.stream.write(`${p.label}: ${pct.trim()} ${amount} ${rate}${eta}\n`);
      this.lastLine = now;
      this.lastFraction = fraction;
      this.lastLabel = p.label;
    }
  }

  /** A callback for hashing progress (engine/media/hash). */
  forHashing(label = 'hashing'): (p: { bytesDone: number; bytesTotal: number }) => void {
    return (p) => this.update({ label, done: p.bytesDone, total: p.bytesTotal, unit: 'bytes', rate: 0, etaSeconds: null });
  }

  /** A callback for export progress: frames while redacting, bytes while hashing. */
  forExport(prefix = ''): (p: { phase: string; done: number; total: number; rate: number; etaSeconds: number | null }) => void {
    return (p) => this.update({ ...p, label: `${prefix}${p.phase}`, unit: p.phase === 'redacting' || p.phase === 'checking for leaks' ? 'frames' : 'bytes' });
  }

  /** Ends a redrawn bar so the next output starts on a clean line. */
  done(): void {
    if (this.tty && this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}

function mib(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}
