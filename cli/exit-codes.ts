import type { UserErrorCode } from '../engine/errors';

/** Documented in README.md ("Exit codes"); scripts rely on them, so never renumber. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  input: 3,
  plan: 4,
  output: 5,
  tool: 6,
  verify: 7,
  cancelled: 130,
} as const;

export function exitCodeFor(code: UserErrorCode): number {
  return EXIT[code];
}
