import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../errors';

/**
 * An output that appears complete or not at all: written to a hidden temporary file in the
 * destination folder (same file system, so the final rename is atomic), then renamed.
 */
export class AtomicOutput {
  readonly finalPath: string;
  readonly tempPath: string;
  private settled = false;

  constructor(finalPath: string) {
    this.finalPath = resolve(finalPath);
    sweepStalePartials(this.finalPath);
    // The writer's pid is in the name, so a later run can tell a dead job's leftovers from a live one.
    this.tempPath = join(dirname(this.finalPath), `.${basename(this.finalPath)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`);
  }

  /** Flushes the temporary file to disk and renames it into place. */
  commit(): void {
    const fd = openSync(this.tempPath, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(this.tempPath, this.finalPath);
    this.settled = true;
  }

  discard(): void {
    if (this.settled) return;
    rmSync(this.tempPath, { force: true });
    this.settled = true;
  }
}

/** Writes `value` as indented JSON, atomically: a reader never sees half a file. */
export function writeJsonFile(path: string, value: unknown): void {
  const out = new AtomicOutput(path);
  try {
    writeFileSync(out.tempPath, `${JSON.stringify(value, null, 2)}\n`, { flag: 'wx' });
    out.commit();
  } catch (err) {
    out.discard();
    throw err;
  }
}

/**
 * Removes temporary files left for `finalPath` by a job that was killed outright (power cut,
 * SIGKILL), where no cleanup could run. Only files whose writing process no longer exists go.
 */
export function sweepStalePartials(finalPath: string): void {
  const dir = dirname(finalPath);
  const prefix = `.${basename(finalPath)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.partial')) continue;
    const pid = Number(/^(\d+)-[0-9a-f]+\.partial$/.exec(name.slice(prefix.length))?.[1]);
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) rmSync(join(dir, name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Checks that `outputPath` may be written: a folder that exists, not the source, not clobbering. */
export function checkOutputPath(outputPath: string, sourcePath: string, options: { overwrite?: boolean } = {}): void {
  const out = resolve(outputPath);
  const dir = dirname(out);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError('output', `output folder does not exist: ${dir}`);
  if (existsSync(out)) {
    const src = realpathSync(sourcePath);
    const outReal = realpathSync(out);
    const a = statSync(src);
    const b = statSync(outReal);
    if (src === outReal || (a.ino === b.ino && a.dev === b.dev)) {
      throw new UserError('output', 'refusing to overwrite the original: choose another output path');
    }
    if (!options.overwrite) throw new UserError('output', `${basename(out)} already exists (use --force to replace it)`);
  }
}
