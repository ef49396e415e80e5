/**
 * Errors the user can act on. Each carries a one-line message meant for people, and a code the
 * command line maps to its exit status. Anything else reaching the top is a bug.
 */
export type UserErrorCode =
  | 'input' // missing, unreadable or not a usable video
  | 'plan' // invalid plan, or a plan that does not match the source
  | 'output' // cannot write the output where asked
  | 'tool' // ffmpeg missing or failing
  | 'verify' // verification found a difference
  | 'cancelled';

export class UserError extends Error {
  constructor(
    readonly code: UserErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UserError';
  }
}

export class CancelledError extends UserError {
  constructor(what = 'the job') {
    super('cancelled', `${what} was cancelled`);
    this.name = 'CancelledError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw new CancelledError(what);
}
