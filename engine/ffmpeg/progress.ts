/**
 * Parses ffmpeg's `-progress` output (key=value lines, one block per update ending in
 * "progress=continue" or "progress=end").
 */
export interface FfmpegProgress {
  /** Frames written so far (video outputs). */
  frame?: number;
  /** Output time reached, in seconds. */
  outTimeSeconds?: number;
  /** Encoding speed as a multiple of real time. */
  speed?: number;
  end: boolean;
}

export class ProgressParser {
  private pending = '';
  private block: Record<string, string> = {};

  constructor(private readonly onProgress: (p: FfmpegProgress) => void) {}

  push(chunk: string): void {
    this.pending += chunk;
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, nl).trim();
      this.pending = this.pending.slice(nl + 1);
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1);
      if (key === 'progress') {
        this.onProgress(toProgress(this.block, value === 'end'));
        this.block = {};
      } else {
        this.block[key] = value;
      }
    }
  }
}

function toProgress(block: Record<string, string>, end: boolean): FfmpegProgress {
  const p: FfmpegProgress = { end };
  const frame = Number(block.frame);
  if (block.frame !== undefined && Number.isFinite(frame)) p.frame = frame;
  // out_time_us is microseconds despite ffmpeg also printing out_time_ms with the same value.
  const us = Number(block.out_time_us ?? block.out_time_ms);
  if (Number.isFinite(us) && us >= 0) p.outTimeSeconds = us / 1e6;
  const speed = parseFloat(block.speed ?? '');
  if (Number.isFinite(speed)) p.speed = speed;
  return p;
}
