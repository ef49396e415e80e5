import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, fsyncSync, linkSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../errors';

/**
 * Every file the tool writes (clips, reports, plans, case files, audit trails, HTML and PDF) goes
 * through here, so that three rules hold everywhere:
 *  - an original is never replaced, whatever the user asks (`protect`);
 *  - an existing file is replaced only when the user said so (`overwrite`: --force, or a save dialog
 *    that asked), even when it appears while the job runs (another job writing the same name);
 *  - an output appears complete or not at all, and outputs that belong together appear together.
 */
export interface OutputRules {
  /** Files that must never be replaced, even with `overwrite`: the originals an output is made from. */
  protect?: readonly string[];
  /** Replace a file already at the path. */
  overwrite?: boolean;
}

/** The longest file name most file systems take (bytes). */
const NAME_MAX = 255;
/** What a temporary name adds to the final one: `.` + name + `.<pid>-<8 hex>.partial`. */
const TEMP_NAME_EXTRA = 1 + 1 + 10 + 1 + 8 + '.partial'.length;
/** Where hard links are not supported (FAT and exFAT drives, some network shares), publishing falls back to a checked rename. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * An output written to a hidden temporary file in the destination folder (same file system, so
 * publishing it is atomic), then published under its final name.
 */
export class AtomicOutput {
  readonly finalPath: string;
  readonly tempPath: string;
  private settled = false;
  /** The published file's identity, so that retract() removes only what this output published. */
  private published: { dev: number; ino: number } | null = null;

  constructor(
    finalPath: string,
    private readonly rules: OutputRules = {},
  ) {
    this.finalPath = resolve(finalPath);
    sweepStalePartials(this.finalPath);
    // The writer's pid is in the name, so a later run can tell a dead job's leftovers from a live one.
    this.tempPath = join(dirname(this.finalPath), `.${basename(this.finalPath)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`);
  }

  /**
   * Flushes the temporary file to disk and publishes it. Without `overwrite` it is linked into place,
   * which fails rather than replace a file that appeared meanwhile; with it, renamed over the old one
   * (never over a protected file).
   */
  commit(): void {
    const fd = openSync(this.tempPath, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const name = basename(this.finalPath);
    try {
      if (this.rules.overwrite) {
        if (existsSync(this.finalPath) && protectedBy(this.finalPath, this.rules.protect)) throw refuseOriginal();
        renameSync(this.tempPath, this.finalPath);
      } else {
        publishWithoutReplacing(this.tempPath, this.finalPath);
      }
    } catch (err) {
      if (err instanceof UserError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new UserError('output', `${name} already exists: another job wrote it while this one ran. Nothing was replaced.`);
      throw new UserError('output', `cannot write ${this.finalPath}: ${(err as Error).message}`);
    }
    const st = statSync(this.finalPath);
    this.published = { dev: st.dev, ino: st.ino };
    this.settled = true;
  }

  /** Removes the temporary file of an output that is not to be published. */
  discard(): void {
    if (this.settled) return;
    rmSync(this.tempPath, { force: true });
    this.settled = true;
  }

  /** Takes back a published output (its companion could not be published), if it is still the file this output wrote. */
  retract(): void {
    if (!this.published) return;
    try {
      const st = statSync(this.finalPath);
      if (st.dev === this.published.dev && st.ino === this.published.ino) rmSync(this.finalPath, { force: true });
    } catch {
      // Gone already.
    }
    this.published = null;
  }
}

function publishWithoutReplacing(tempPath: string, finalPath: string): void {
  try {
    linkSync(tempPath, finalPath);
  } catch (err) {
    if (!NO_HARD_LINKS.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
    // No hard links here: check, then rename (a window of microseconds instead of none).
    if (existsSync(finalPath)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    renameSync(tempPath, finalPath);
    return;
  }
  unlinkSync(tempPath);
}

/**
 * Publishes outputs that belong together (a clip and its report): all of them, or, if one cannot be
 * published, none (those already published are taken back, the rest discarded).
 */
export function publishTogether(outputs: readonly AtomicOutput[]): void {
  const done: AtomicOutput[] = [];
  try {
    for (const output of outputs) {
      output.commit();
      done.push(output);
    }
  } catch (err) {
    for (const output of done) output.retract();
    for (const output of outputs) output.discard();
    throw err;
  }
}

/** Writes `data` to `path` by the rules, atomically: a reader never sees half a file. */
export function writeFileAtomically(path: string, data: string | Uint8Array, rules: OutputRules = {}): void {
  checkOutputPath(path, rules);
  const out = new AtomicOutput(path, rules);
  try {
    writeFileSync(out.tempPath, data, { flag: 'wx' });
    out.commit();
  } catch (err) {
    out.discard();
    throw err;
  }
}

/** Writes `value` as indented JSON by the rules, atomically. */
export function writeJsonFile(path: string, value: unknown, rules: OutputRules = {}): void {
  writeFileAtomically(path, `${JSON.stringify(value, null, 2)}\n`, rules);
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

/**
 * Checks, before any work, that `outputPath` may be written by the rules: its folder exists and can
 * be written, its name (and its temporary name) fit, it is not a folder, not a protected file, and
 * not an existing file unless `overwrite`.
 */
export function checkOutputPath(outputPath: string, rules: OutputRules = {}): void {
  const out = resolve(outputPath);
  const dir = dirname(out);
  let folder;
  try {
    folder = statSync(dir);
  } catch {
    folder = null;
  }
  if (!folder?.isDirectory()) throw new UserError('output', `output folder does not exist: ${dir}`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError('output', `cannot write to the output folder ${dir}: ${code === 'EROFS' ? 'it is on a read-only drive' : 'permission denied'}`);
  }
  if (Buffer.byteLength(basename(out)) + TEMP_NAME_EXTRA > NAME_MAX) {
    throw new UserError('output', `the output file name is too long (at most ${NAME_MAX - TEMP_NAME_EXTRA} bytes): ${basename(out)}`);
  }
  let existing;
  try {
    existing = statSync(out);
  } catch {
    return;
  }
  if (existing.isDirectory()) throw new UserError('output', `${out} is a folder: give a file name for the output`);
  if (protectedBy(out, rules.protect)) throw refuseOriginal();
  if (!rules.overwrite) throw new UserError('output', `${basename(out)} already exists (use --force to replace it)`);
}

function refuseOriginal(): UserError {
  return new UserError('output', 'refusing to overwrite the original: choose another output path');
}

/** Whether the existing file at `path` is one of `protect`: the same path once links are resolved, or the same file under another name (a hard link). */
function protectedBy(path: string, protect: readonly string[] = []): boolean {
  let real: string;
  let st;
  try {
    real = realpathSync(path);
    st = statSync(real);
  } catch {
    return false;
  }
  return protect.some((p) => {
    try {
      const other = realpathSync(p);
      const o = statSync(other);
      return other === real || (o.dev === st.dev && o.ino === st.ino);
    } catch {
      return false;
    }
  });
}
