import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { auditHeadSchema } from '../../common/audit-chain';
import { CASE_WORK_KEY } from '../../common/case-work-key';
import { UserError } from '../errors';
import { writeJsonFile } from '../export/output-file';

/**
 * The app's working files (playable copies and anything else it makes from a case's footage) live
 * in its data folder, one folder per case: `<data>/cases/<case key>/`. Nothing is written beside an
 * original, which may sit on a read-only evidence drive. The folder is named by `caseWorkKey`
 * (common/case-work-key.ts), so `redactor case purge <case.json>` finds the folder the app made.
 */
export const CASES_FOLDER = 'cases';
export const DELETION_LOG_NAME = 'deletion-log.json';

/** The app's data folder as Electron names it (`app.getPath('userData')` for productName "Evidence Redactor"). */
export function defaultAppDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const name = 'Evidence Redactor';
  if (env.REDACTOR_DATA_DIR) return resolve(env.REDACTOR_DATA_DIR);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), name);
}

export function caseWorkDir(dataDir: string, key: string): string {
  if (!CASE_WORK_KEY.test(key)) throw new UserError('plan', `not a case key: ${key}`);
  return join(resolve(dataDir), CASES_FOLDER, key);
}

/** Every file under `dir` (symbolic links counted as files, never followed). */
function filesUnder(dir: string): Array<{ path: string; size: number }> {
  const out: Array<{ path: string; size: number }> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isDirectory()) out.push(...filesUnder(path));
    else out.push({ path, size: st.size });
  }
  return out;
}

/**
 * Removes a case's working folder and everything in it; never anything outside the data folder's
 * `cases/` (a link in it is removed, not followed). Returns what went.
 */
export function purgeCaseWork(dataDir: string, key: string): { dir: string; files: number; bytes: number } {
  const dir = caseWorkDir(dataDir, key);
  const root = join(resolve(dataDir), CASES_FOLDER);
  const rel = relative(root, dir);
  if (!rel || rel.startsWith('..') || rel.includes(sep)) throw new Error(`refusing to remove ${dir}: not a case folder under ${root}`);
  if (!existsSync(dir)) return { dir, files: 0, bytes: 0 };
  if (!lstatSync(dir).isDirectory()) throw new UserError('output', `${dir} is not a folder: nothing removed`);
  const files = filesUnder(dir);
  rmSync(dir, { recursive: true, force: true });
  return { dir, files: files.length, bytes: files.reduce((a, f) => a + f.size, 0) };
}

/**
 * Removes playable copies a case's clips name that lie in the data folder but outside its case folder
 * (made before working files were kept per case). A path outside the data folder is never removed.
 */
export function removeWorkingCopies(dataDir: string, paths: readonly string[]): { paths: string[]; bytes: number } {
  const root = resolve(dataDir) + sep;
  const gone: string[] = [];
  let bytes = 0;
  for (const p of new Set(paths.map((x) => resolve(x)))) {
    if (!p.startsWith(root) || !existsSync(p)) continue;
    const st = lstatSync(p);
    if (!st.isFile()) continue;
    rmSync(p, { force: true });
    gone.push(p);
    bytes += st.size;
  }
  return { paths: gone, bytes };
}

/** One line of the deletion log: it outlives the case it names. */
export const deletionEntrySchema = z
  .object({
    /** `deleted`: the case and its working files (the app); `purged`: the working files only (`case purge`). */
    action: z.enum(['deleted', 'purged']),
    caseReference: z.string().max(200),
    caseKey: z.string().regex(/^[0-9a-f]{32}$/),
    at: z.string().max(40),
    by: z.string().max(200),
    /** The audit trail's head at deletion: what the case's record was when it went. */
    auditHead: auditHeadSchema,
    workingFiles: z.object({ files: z.number().int().min(0), bytes: z.number().int().min(0) }).strict(),
  })
  .strict();

export type DeletionEntry = z.infer<typeof deletionEntrySchema>;

const deletionLogSchema = z.object({ schema: z.literal('evidence-redactor/deletion-log'), version: z.literal(1), entries: z.array(deletionEntrySchema) }).strict();

export function readDeletionLog(dataDir: string): DeletionEntry[] {
  const path = join(resolve(dataDir), DELETION_LOG_NAME);
  if (!existsSync(path)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UserError('input', `cannot read the deletion log ${path}: ${(err as Error).message}`);
  }
  const parsed = deletionLogSchema.safeParse(raw);
  if (!parsed.success) throw new UserError('input', `${path} is not a deletion log: ${parsed.error.issues[0]?.message}`);
  return parsed.data.entries;
}

/** Appends an entry, writing the whole log afresh (atomically: a crash leaves the old log or the new). */
export function appendDeletionLog(dataDir: string, entry: DeletionEntry): DeletionEntry[] {
  const entries = [...readDeletionLog(dataDir), deletionEntrySchema.parse(entry)];
  mkdirSync(resolve(dataDir), { recursive: true });
  writeDeletionLog(join(resolve(dataDir), DELETION_LOG_NAME), entries, true);
  return entries;
}

/** Writes the log (the app's own file, or an export of it the user chose). */
export function writeDeletionLog(path: string, entries: DeletionEntry[], overwrite: boolean): void {
  writeJsonFile(path, { schema: 'evidence-redactor/deletion-log', version: 1, entries }, { overwrite });
}
