// The detection benchmarks' clips: ../shared/bench/make-clip.mjs run once per condition and seed, cached
// in .bench/detect/. The photographs behind them are licensed for non-commercial research only: they are
// read from ../shared and never copied into the repository.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = new URL('..', import.meta.url).pathname;
export const SHARED = join(ROOT, '..', 'shared', 'bench');
export const WORK = join(ROOT, '.bench', 'detect');

/** Why the clips cannot be made on this machine, or null when they can. */
export function clipsUnavailable() {
  if (existsSync(join(SHARED, 'make-clip.mjs')) && existsSync(join(SHARED, 'faces', 'faces.json'))) return null;
  return `${SHARED} (make-clip.mjs, score.mjs and faces/) is not present on this machine`;
}

/** Runs a command to completion; throws with its stderr if it fails. */
export function run(cmd, argv, opts = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { stdout: r.stdout, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** The clip for a condition and seed, made if it is not cached: { clip, gt } paths. */
export function clipFor(condition, seed) {
  mkdirSync(WORK, { recursive: true });
  const clip = join(WORK, `${condition}-${seed}.mp4`);
  const gt = clip.replace(/\.mp4$/, '.gt.json');
  if (!existsSync(clip) || !existsSync(gt)) {
    console.error(`making ${clip} …`);
    run(process.execPath, [join(SHARED, 'make-clip.mjs'), '--gt', join(SHARED, 'faces', 'faces.json'), '--root', join(SHARED, 'faces'), '--out', clip, '--seed', String(seed), '--condition', condition]);
  }
  return { clip, gt };
}

/** `--name value` pairs of the command line. */
export function parseArgs(argv = process.argv.slice(2)) {
  return Object.fromEntries(argv.reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
}
