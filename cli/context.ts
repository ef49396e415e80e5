import { ProgressDisplay } from './progress-display';

/** What every command gets: where to write, how to report progress, how to be cancelled. */
export interface CommandContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  progress: ProgressDisplay;
  signal: AbortSignal;
  json: boolean;
}

/**
 * A usage mistake: exit 2 with the command's usage line, or without it where the message alone says
 * what to give instead (`withUsage: false`), so the mistake stays one line.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly options: { withUsage?: boolean } = {},
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export function writeJson(ctx: CommandContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
