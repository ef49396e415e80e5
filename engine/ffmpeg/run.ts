import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { CancelledError, UserError } from '../errors';
import { log } from '../log';
import { commandLine } from './quote';
import { ProgressParser, type FfmpegProgress } from './progress';
import { tool, type MediaTool } from './resolve';

/**
 * Every ffmpeg/ffprobe process goes through here, after LosslessCut's ffmpeg.ts: arguments as an
 * array (never a shell), the exact command line logged and kept, progress parsed from a dedicated
 * pipe, cancellation through an AbortSignal, and a registry of running jobs so nothing is orphaned.
 */
export interface RunOptions {
  tool?: MediaTool;
  args: readonly string[];
  signal?: AbortSignal;
  /** Adds `-progress pipe:3` and reports each update. ffmpeg only. */
  onProgress?: (p: FfmpegProgress) => void;
  /** Keep stdin open as a pipe (for feeding frames). Otherwise it is closed. */
  stdin?: boolean;
  /** Expose stdout as a stream instead of collecting it. */
  streamStdout?: boolean;
  /** Give the child this socket as its stdout (see `openStdoutReader`); this process's copy is closed. */
  stdoutTo?: Socket;
  /** Collect at most this many bytes of stdout when not streaming. */
  maxStdoutBytes?: number;
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

export interface FfmpegRun {
  readonly commandLine: string;
  readonly child: ChildProcess;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  /** Resolves when the process exits with 0; rejects with FfmpegFailedError or CancelledError. */
  readonly done: Promise<RunResult>;
  kill(): void;
}

export class FfmpegFailedError extends UserError {
  constructor(
    readonly commandLine: string,
    readonly exitCode: number | null,
    readonly stderrTail: string,
    readonly exitSignal: NodeJS.Signals | null = null,
  ) {
    const full = isOutputFull(stderrTail, exitSignal);
    super(
      full ? 'output' : 'tool',
      full
        ? 'cannot write the output: the disk is full or a file size limit was reached. Free some space and run the job again'
        : exitSignal
          ? `ffmpeg was stopped by ${exitSignal} before it finished${stderrTail.trim() ? `: ${lastMeaningfulLine(stderrTail)}` : ' (killed from outside, or out of memory)'}`
          : `ffmpeg failed (exit ${exitCode}): ${lastMeaningfulLine(stderrTail)}`,
    );
    this.name = 'FfmpegFailedError';
  }
}

/** ENOSPC, EFBIG or the SIGXFSZ a file size limit sends: the output side is full, not the tool broken. */
function isOutputFull(stderr: string, signal: NodeJS.Signals | null): boolean {
  return signal === 'SIGXFSZ' || /No space left on device|File too large/i.test(stderr);
}

function lastMeaningfulLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1) ?? 'no message';
}

const STDERR_KEEP = 16 * 1024;
const running = new Set<ChildProcess>();

/** Kills every running ffmpeg process; the app calls this on quit. */
export function killAllRuns(): void {
  for (const child of running) child.kill('SIGKILL');
}

export function runningCount(): number {
  return running.size;
}

export function runFfmpeg(options: RunOptions): FfmpegRun {
  const binary = tool(options.tool ?? 'ffmpeg').path;
  const args = [...options.args];
  if (options.onProgress) args.unshift('-progress', 'pipe:3', '-nostats');
  const line = commandLine(binary, args);
  if (options.signal?.aborted) {
    options.stdoutTo?.destroy();
    throw new CancelledError();
  }
  log.info(`run: ${line}`);
  const child = spawn(binary, args, {
    stdio: [options.stdin ? 'pipe' : 'ignore', options.stdoutTo ?? 'pipe', 'pipe', options.onProgress ? 'pipe' : 'ignore'],
    windowsHide: true,
  });
  // The child holds its own copy; ours would keep the reader from ever seeing the end of the stream.
  options.stdoutTo?.destroy();
  running.add(child);

  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    stderr = (stderr + d).slice(-STDERR_KEEP);
  });
  if (options.onProgress) {
    const parser = new ProgressParser(options.onProgress);
    const progressPipe = child.stdio[3] as Readable;
    progressPipe.setEncoding('utf8');
    progressPipe.on('data', (d: string) => parser.push(d));
  }
  const chunks: Buffer[] = [];
  let collected = 0;
  if (!options.streamStdout && !options.stdoutTo) {
    const max = options.maxStdoutBytes ?? 256 * 1024 * 1024;
    child.stdout!.on('data', (d: Buffer) => {
      collected += d.length;
      if (collected <= max) chunks.push(d);
      else child.kill('SIGKILL');
    });
  }
  // A closed stdin (ffmpeg exited early) must surface as ffmpeg's own error, not an EPIPE crash.
  child.stdin?.on('error', () => {});

  let cancelled = false;
  const onAbort = () => {
    cancelled = true;
    child.kill('SIGKILL');
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const done = new Promise<RunResult>((resolve, reject) => {
    child.on('error', (err) => {
      running.delete(child);
      reject(new UserError('tool', `cannot start ${binary}: ${err.message}`, { cause: err }));
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      options.signal?.removeEventListener('abort', onAbort);
      if (cancelled) return reject(new CancelledError());
      if (code === 0) return resolve({ stdout: Buffer.concat(chunks), stderr });
      log.warn(`failed (exit ${code ?? signal}): ${line}\n${stderr.slice(-2000)}`);
      reject(new FfmpegFailedError(line, code, stderr, signal));
    });
  });
  // Callers often race `done` against pipe work; an unobserved rejection must not crash Node.
  done.catch(() => {});

  return {
    commandLine: line,
    child,
    stdin: child.stdin,
    stdout: options.streamStdout ? child.stdout : null,
    done,
    kill: onAbort,
  };
}
