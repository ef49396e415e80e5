import { accessSync, constants, statSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../errors';

/** Checks that `path` is a non-empty regular file we may read; returns its size. */
export function assertReadableFile(path: string): number {
  const name = basename(path);
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new UserError('input', `${name}: no such file (${path})`);
  }
  if (!stat.isFile()) throw new UserError('input', `${name} is not a file`);
  if (stat.size === 0) throw new UserError('input', `${name} is empty (0 bytes)`);
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new UserError('input', `${name} cannot be read: check its permissions`);
  }
  return stat.size;
}
