import { CancelledError, UserError } from '../errors';
import { fileArg } from '../ffmpeg/quote';
import { runFfmpeg } from '../ffmpeg/run';

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
  width: number;
  height: number;
  every?: number;
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
  const run = runFfmpeg({
    args: ['-nostdin', '-hide_banner', '-v', 'error', '-i', fileArg(options.path), '-map', '0:v:0', '-vf', filters.join(','),
      '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    signal: options.signal,
    streamStdout: true,
  });
  options.onCommandLine?.(run.commandLine);
  const frameBytes = width * height * 3;
  let frame = Buffer.allocUnsafe(frameBytes);
  let filled = 0;
  let count = 0;
  try {
    for await (const chunk of run.stdout! as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const take = Math.min(frameBytes - filled, chunk.length - offset);
        chunk.copy(frame, filled, offset, offset + take);
        filled += take;
        offset += take;
        if (filled === frameBytes) {
          yield { index: count * every, width, height, rgb: frame };
          count++;
          frame = Buffer.allocUnsafe(frameBytes);
          filled = 0;
        }
      }
    }
    await run.done;
  } catch (err) {
    if (options.signal?.aborted) throw new CancelledError('the analysis');
    throw err;
  } finally {
    // A consumer that stops early (break, error) must not leave ffmpeg running.
    run.kill();
  }
  if (filled !== 0) throw new UserError('input', 'the decoded stream ended mid-frame: the source may be truncated');
}
