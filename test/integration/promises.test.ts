import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Bytes } from '../../engine/media/hash';
import { REDACTOR } from '../helpers/cli';
import { makeClip, tempDir } from '../helpers/media';

/**
 * Two promises of SECURITY.md proved on the real command line: the original is only ever read (its
 * folder is mounted read-only, so any attempt to open it for writing, or to write beside it, fails
 * the job), and nothing needs the network (the jobs run in a network namespace with no interface up).
 * Both use a private mount and network namespace (`unshare -rmn`); where that is not allowed the test
 * is skipped with its reason.
 */
const tmp = tempDir('redactor-promises-');
afterAll(tmp.cleanup);
const canIsolate = spawnSync('unshare', ['-rmn', 'sh', '-c', `mount --bind ${tmp.dir} ${tmp.dir} && mount -o remount,ro,bind ${tmp.dir}`], { stdio: 'ignore' }).status === 0;

describe('promises', () => {
  it.skipIf(!canIsolate)('originals are opened read-only and the tool works offline: the whole flow on a read-only source with no network', async () => {
    const sources = join(tmp.dir, 'originals');
    const out = join(tmp.dir, 'out');
    mkdirSync(sources);
    mkdirSync(out);
    const clip = makeClip(join(sources, 'body cam 01.mp4'), { width: 320, height: 240, seconds: 2 });
    const before = { hash: sha256Bytes(readFileSync(clip)), mtimeMs: statSync(clip).mtimeMs, files: readdirSync(sources) };
    const r = (cmd: string[]) => `"${process.execPath}" "${REDACTOR}" ${cmd.map((c) => `'${c}'`).join(' ')} -q || exit $?`;
    const script = [
      `mount --bind '${sources}' '${sources}'`,
      `mount -o remount,ro,bind '${sources}'`,
      // Proof the mount is read-only: writing beside the original fails.
      `if touch '${sources}/probe-write' 2>/dev/null; then echo 'originals are writable' >&2; exit 99; fi`,
      r(['probe', clip]),
      r(['plan', clip, '-o', join(out, 'plan.json'), '--region', '10,10,80,60']),
      r(['export', clip, '--plan', join(out, 'plan.json'), '-o', join(out, 'redacted.mp4')]),
      r(['verify', join(out, 'redacted.mp4')]),
      r(['detect', clip, '-o', join(out, 'detected.json')]),
      r(['auto', clip, '-o', join(out, 'auto.mp4')]),
    ].join('\n');
    const run = spawnSync('unshare', ['-rmn', 'sh', '-ec', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['auto.mp4', 'auto.mp4.report.json', 'detected.json', 'plan.json', 'redacted.mp4', 'redacted.mp4.report.json']);
    expect({ hash: sha256Bytes(readFileSync(clip)), mtimeMs: statSync(clip).mtimeMs, files: readdirSync(sources) }).toEqual(before);
  });
});
