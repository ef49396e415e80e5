import { CancelledError, UserError } from '../errors';
import { fileArg } from '../ffmpeg/quote';
import { runFfmpeg } from '../ffmpeg/run';
import { openStdoutReader } from '../ffmpeg/stdout-reader';

/** Decoded frames that may wait for the consumer before reading pauses. */
const FRAMES_AHEAD = 2;

/**
 * Decoded frames for analysis, scaled by ffmpeg to the size the analysis wants (never decoded at full
 * size and shrunk in JavaScript). Frames come in display order; with `every` > 1 only frames
 * 0, N, 2N, … are scaled and sent (every frame is still decoded, which ffmpeg must do anyway).
 */
export interface AnalysisFrame {
  /** Source frame index. */
  index: number;
  width: number;
  height: number;
  /** rgb24, tightly packed. Owned by the consumer. */
  rgb: Uint8Array;
}

export interface FrameStreamOptions {
  path: string;
  /** The video stream's index in the file (ProbeResult.video.index). */
  streamIndex: number;
  width: number;
  height: number;
  every?: number;
  /**
   * Start at this frame rather than the first: `seconds` is where it lies on ffmpeg's clock for the
   * file (firstFrameOnFfmpegClock + its frame time); indices then count on from `index`.
   */
  start?: { index: number; seconds: number; frameSeconds: number };
  signal?: AbortSignal;
  /** Receives the exact ffmpeg command line, for reports. */
  onCommandLine?: (commandLine: string) => void;
}

export async function* analysisFrames(options: FrameStreamOptions): AsyncGenerator<AnalysisFrame> {
  const { width, height } = options;
  const every = Math.max(1, Math.floor(options.every ?? 1));
  const filters = [
    ...(every > 1 ? [`select='not(mod(n\\,${every}))'`] : []),
    // Area averaging keeps small faces' detail when shrinking; bicubic when growing.
    `scale=${width}:${height}:flags=area`,
  ];
  const frameBytes = width * height * 3;
  // Bytes are read straight into each frame's own buffer (see openStdoutReader); a frame's buffer
  // goes to the consumer (detection transfers it to a worker), so each frame gets a new one.
  const ready: Buffer[] = [];
  let frame = Buffer.allocUnsafe(frameBytes);
  let filled = 0;
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const stdout = await openStdoutReader({
    readTarget: () => frame.subarray(filled),
    onRead: (count) => {
      filled += count;
      if (filled === frameBytes) {
        ready.push(frame);
        frame = Buffer.allocUnsafe(frameBytes);
        filled = 0;
      }
      wake?.();
      return ready.length < FRAMES_AHEAD;
    },
  });
  let run;
  try {
    run = runFfmpeg({
      args: ['-nostdin', '-hide_banner', '-v', 'error', ...seekArgs(options.start), '-i', fileArg(options.path), '-map', `0:${options.streamIndex}`, '-vf', filters.join(','),
        '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
      signal: options.signal,
      ...stdout.runOptions,
    });
  } catch (err) {
    stdout.close();
    throw err;
  }
  const reader = stdout.attach(run);
  reader.on('end', () => {
    ended = true;
    wake?.();
  });
  reader.on('error', (err) => {
    failure = err;
    wake?.();
  });
  options.onCommandLine?.(run.commandLine);
  reader.resume();
  let count = 0;
  try {
    for (;;) {
      const next = ready.shift();
      if (next) {
        reader.resume();
        yield { index: (options.start?.index ?? 0) + count * every, width, height, rgb: next };
        count++;
        continue;
      }
      if (failure) throw failure;
      if (ended) break;
      await new Promise<void>((resolveWait) => (wake = resolveWait));
      wake = null;
    }
    await run.done;
  } catch (err) {
    if (options.signal?.aborted) throw new CancelledError('the analysis');
    throw err;
  } finally {
    // A consumer that stops early (break, error) must not leave ffmpeg running.
    run.kill();
    reader.destroy();
  }
  if (filled !== 0) throw new UserError('input', 'the decoded stream ended mid-frame: the source may be truncated');
}

/**
 * An exact input seek to a frame: ffmpeg decodes from the key frame before and drops every frame
 * before the position, so a position a quarter frame before the frame's own time gives that frame first.
 */
function seekArgs(start: FrameStreamOptions['start']): string[] {
  if (!start || start.index <= 0) return [];
  return ['-ss', Math.max(0, start.seconds - start.frameSeconds / 4).toFixed(6)];
}
