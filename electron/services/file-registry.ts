import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { ApiError } from '../../common/api';

/**
 * The files the user opened (dialog or drag and drop) and the outputs the user chose (save dialog).
 * Nothing else is reachable from the renderer: every path in a request is looked up here, and media
 * is served only by the token this registry hands out. Optionally persisted, so cases reopened after
 * a restart can still play their clips without asking again.
 */
export type FileRole = 'input' | 'output';

interface Entry {
  path: string;
  role: FileRole;
  token: string;
}

export class FileRegistry {
  private readonly byPath = new Map<string, Entry>();
  private readonly byToken = new Map<string, Entry>();

  constructor(private readonly storePath?: string) {
    if (storePath && existsSync(storePath)) {
      try {
        const saved = JSON.parse(readFileSync(storePath, 'utf8')) as Entry[];
        for (const e of saved) if (typeof e.path === 'string' && (e.role === 'input' || e.role === 'output')) this.add(e.path, e.role, false);
      } catch {
        // A damaged store only means the user opens the files again.
      }
    }
  }

  /** Registers a path the user chose; returns its media token. */
  add(path: string, role: FileRole, persist = true): string {
    const abs = resolve(path);
    const existing = this.byPath.get(abs);
    if (existing) {
      if (role === 'input' && existing.role === 'output') existing.role = 'input';
      return existing.token;
    }
    const entry: Entry = { path: abs, role, token: randomBytes(16).toString('hex') };
    this.byPath.set(abs, entry);
    this.byToken.set(entry.token, entry);
    if (persist) this.save();
    return entry.token;
  }

  has(path: string, role?: FileRole): boolean {
    const e = this.byPath.get(resolve(path));
    return !!e && (role === undefined || e.role === role || (role === 'output' && e.role === 'input'));
  }

  /** The path if the user opened it; otherwise a clear refusal. */
  require(path: string, role: FileRole, what: string): string {
    const abs = resolve(path);
    const e = this.byPath.get(abs);
    if (!e || (role === 'input' && e.role !== 'input')) {
      throw new ApiError('forbidden-path', `${what}: ${abs} was not opened by the user (choose it with the dialog or drop it on the window)`);
    }
    return abs;
  }

  /** Every file the user opened to read: the originals, which no output may replace. */
  inputs(): string[] {
    return [...this.byPath.values()].filter((e) => e.role === 'input').map((e) => e.path);
  }

  token(path: string): string {
    const e = this.byPath.get(resolve(path));
    if (!e) throw new ApiError('forbidden-path', `${resolve(path)} was not opened by the user`);
    return e.token;
  }

  /** Forgets `path` and every path under it (a deleted case's working files): no token serves them any more. */
  forgetUnder(path: string): void {
    const target = resolve(path);
    const root = target + sep;
    let changed = false;
    for (const [p, e] of this.byPath) {
      if (p !== target && !p.startsWith(root)) continue;
      this.byPath.delete(p);
      this.byToken.delete(e.token);
      changed = true;
    }
    if (changed) this.save();
  }

  pathForToken(token: string): string | undefined {
    return this.byToken.get(token)?.path;
  }

  private save(): void {
    if (!this.storePath) return;
    const tmp = `${this.storePath}.tmp`;
    writeFileSync(tmp, JSON.stringify([...this.byPath.values()]));
    renameSync(tmp, this.storePath);
  }
}

/** Describes a chosen file for the renderer. */
export function describeFile(path: string): { path: string; name: string; size: number } {
  const abs = resolve(path);
  const st = statSync(abs);
  if (!st.isFile()) throw new ApiError('input', `${abs} is not a file`);
  return { path: abs, name: abs.split(/[\\/]/).pop() ?? abs, size: st.size };
}
