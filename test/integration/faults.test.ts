import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Bytes } from '../../engine/media/hash';
import { REDACTOR, redactor } from '../helpers/cli';
import { makeClip, tempDir } from '../helpers/media';

/**
 * Faults during work (issue 5): ffmpeg killed, the source removed or changed, the disk full, the
 * job itself killed or cancelled. After each: no output, the plan and source intact, and the same
 * command runs to completion afterwards.
 */
const tmp = tempDir('redactor-faults-');
afterAll(tmp.cleanup);
let clip: string;
let detectClip: string;
let plan: string;
let n = 0;

beforeAll(async () => {
  // Long enough (about 2-4 s of export work) for a fault to land mid-job.
  clip = makeClip(join(tmp.dir, 'clip.mp4'), { width: 640, height: 360, seconds: 10 });
  detectClip = makeClip(join(tmp.dir, 'detect.mp4'), { width: 320, height: 240, seconds: 4 });
  plan = join(tmp.dir, 'plan.json');
  const p = await redactor(['plan', clip, '-o', plan, '--region', '100,100,200,150']);
  expect(p.code, p.stderr).toBe(0);
});

const hash = (p: string) => sha256Bytes(readFileSync(p));
function outDir(): string {
  const d = join(tmp.dir, `out-${n++}`);
  mkdirSync(d);
  return d;
}

interface Job {
  pid: number;
  result: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/**
 * Runs redactor (optionally behind a wrapper such as prlimit) and calls `onLine` with each
 * progress line as it arrives, so a fault can be injected while the job is working.
 */
function runJob(args: string[], onLine: (line: string, job: Job) => void, wrapper: string[] = []): Job {
  const [cmd, ...pre] = wrapper.length ? wrapper : [process.execPath];
  const child = spawn(cmd!, [...pre, ...(wrapper.length ? [process.execPath] : []), REDACTOR, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let pending = '';
  const job: Job = {
    pid: child.pid!,
    result: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr }))),
  };
  child.stdout.resume();
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    stderr += d;
    pending += d;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const l of lines) onLine(l, job);
  });
  return job;
}

/** Child processes of `pid` whose command line matches `pattern` (Linux /proc). */
function childrenOf(pid: number, pattern: RegExp): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (ppid === pid && pattern.test(cmdline)) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Running (a zombie waiting to be reaped counts as ended). */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

/** The same export again, unharmed: succeeds and verifies. */
async function rerunSucceeds(out: string) {
  const r = await redactor(['export', clip, '--plan', plan, '-o', out, '-q']);
  expect(r.code, r.stderr).toBe(0);
  expect((await redactor(['verify', out])).code).toBe(0);
  expect(readdirSync(join(out, '..')).filter((f) => f.endsWith('.partial'))).toEqual([]);
}

describe('faults during export', () => {
  for (const which of ['decoder', 'encoder'] as const) {
    it(`ffmpeg's ${which} killed mid-export: clear error, nothing written, rerun succeeds`, async () => {
      const dir = outDir();
      const out = join(dir, 'out.mp4');
      const planBefore = hash(plan);
      const sourceBefore = hash(clip);
      let killed = 0;
      const job = runJob(['export', clip, '--plan', plan, '-o', out], (line, j) => {
        if (killed || !line.startsWith('redacting')) return;
        const pids = childrenOf(j.pid, which === 'decoder' ? /-f nut pipe:1/ : /-i pipe:0/);
        for (const pid of pids) process.kill(pid, 'SIGKILL');
        killed = pids.length;
      });
      const r = await job.result;
      expect(killed).toBe(1);
      expect(r.code, r.stderr).toBe(6);
      expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^redactor: error: ffmpeg was stopped by SIGKILL/);
      expect(readdirSync(dir)).toEqual([]);
      expect(hash(plan)).toBe(planBefore);
      expect(hash(clip)).toBe(sourceBefore);
      await rerunSucceeds(out);
    });
  }

  it('the source removed during export: "disappeared", nothing written; rerun succeeds once it is back', async () => {
    const dir = outDir();
    const out = join(dir, 'out.mp4');
    const away = `${clip}.away`;
    let moved = false;
    const job = runJob(['export', clip, '--plan', plan, '-o', out], (line) => {
      if (!moved && line.startsWith('redacting')) {
        renameSync(clip, away); // as a network share dropping the file
        moved = true;
      }
    });
    const r = await job.result;
    renameSync(away, clip);
    expect(moved).toBe(true);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('redactor: error: the source file disappeared during export. Nothing was written.');
    expect(readdirSync(dir)).toEqual([]);
    await rerunSucceeds(out);
  });

  it('the source changed during export: detected by size and time, nothing written; rerun succeeds once restored', async () => {
    const dir = outDir();
    const out = join(dir, 'out.mp4');
    const size = readFileSync(clip).length;
    let changed = false;
    const job = runJob(['export', clip, '--plan', plan, '-o', out], (line) => {
      if (!changed && line.startsWith('redacting')) {
        appendFileSync(clip, Buffer.from('appended by someone else'));
        changed = true;
      }
    });
    const r = await job.result;
    truncateSync(clip, size);
    expect(changed).toBe(true);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('redactor: error: the source file changed during export. Nothing was written.');
    expect(readdirSync(dir)).toEqual([]);
    // Restored byte for byte (its time stamp differs): the plan's hash check accepts it again.
    await rerunSucceeds(out);
  });

  it('the output hits a file size limit (prlimit --fsize): exit 5, nothing written, rerun succeeds', async () => {
    const dir = outDir();
    const out = join(dir, 'out.mp4');
    const job = runJob(['export', clip, '--plan', plan, '-o', out, '-q'], () => {}, ['prlimit', '--fsize=200000']);
    const r = await job.result;
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr.trim()).toBe('redactor: error: cannot write the output: the disk is full or a file size limit was reached. Free some space and run the job again');
    expect(readdirSync(dir)).toEqual([]);
    await rerunSucceeds(out);
  });

  const canMountTmpfs = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /tmp'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!canMountTmpfs)('the output disk full (a 300 KiB tmpfs in a private mount namespace): exit 5, the disk left empty', async () => {
    const dir = outDir();
    const out = join(dir, 'out.mp4');
    // The tmpfs lives only inside the namespace; list it there after the job, before it vanishes.
    const script = 'mount -t tmpfs -o size=300k tmpfs "$1" && shift && "$@"; rc=$?; echo "left: $(ls -A "$OUT_DIR")" >&2; exit $rc';
    const job = runJob(['export', clip, '--plan', plan, '-o', out, '-q'], () => {}, ['env', `OUT_DIR=${dir}`, 'unshare', '-rm', 'sh', '-c', script, 'sh', dir]);
    const r = await job.result;
    expect(r.code, r.stderr).toBe(5);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('redactor: error: cannot write the output: the disk is full or a file size limit was reached. Free some space and run the job again');
    expect(lines.at(-1)?.trim()).toBe('left:');
    await rerunSucceeds(out);
  });

  it('redactor itself killed outright mid-export: no output; the next run sweeps the leftover and succeeds', async () => {
    const dir = outDir();
    const out = join(dir, 'out.mp4');
    let killed = false;
    const job = runJob(['export', clip, '--plan', plan, '-o', out], (line, j) => {
      // Late enough that the encoder has begun its temporary file.
      if (!killed && Number(/^redacting: ([\d.]+)%/.exec(line)?.[1]) >= 10) {
        process.kill(j.pid, 'SIGKILL');
        killed = true;
      }
    });
    const r = await job.result;
    expect(r.signal).toBe('SIGKILL');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.report.json`)).toBe(false);
    // Only a hidden temporary file can remain, never something that looks like an output.
    const left = readdirSync(dir);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.out\.mp4\.\d+-[0-9a-f]+\.partial$/);
    await rerunSucceeds(out);
    expect(readdirSync(dir).sort()).toEqual(['out.mp4', 'out.mp4.report.json']);
  });
});

describe('a closed terminal', () => {
  it('hangup (SIGHUP) mid-export: exit 130 as for Ctrl-C, nothing left, no ffmpeg left', async () => {
    const dir = outDir();
    const out = join(dir, 'out.mp4');
    let sent = false;
    let children: number[] = [];
    const job = runJob(['export', clip, '--plan', plan, '-o', out], (line, j) => {
      if (!sent && line.startsWith('redacting')) {
        children = childrenOf(j.pid, /ffmpeg/);
        process.kill(j.pid, 'SIGHUP');
        sent = true;
      }
    });
    const r = await job.result;
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(readdirSync(dir)).toEqual([]);
    expect(children.filter(alive)).toEqual([]);
  });
});

describe('faults during detection', () => {
  it('cancelled (SIGINT) mid-detection: exit 130, no plan, no ffmpeg left; rerun succeeds', async () => {
    const dir = outDir();
    const out = join(dir, 'plan.json');
    let sent = false;
    let children: number[] = [];
    const job = runJob(['detect', detectClip, '-o', out, '--every', '1'], (line, j) => {
      if (!sent && line.startsWith('detecting')) {
        children = childrenOf(j.pid, /ffmpeg/);
        process.kill(j.pid, 'SIGINT');
        sent = true;
      }
    });
    const r = await job.result;
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('redactor: the detection was cancelled');
    expect(readdirSync(dir)).toEqual([]);
    expect(children.filter(alive)).toEqual([]);
    const again = await redactor(['detect', detectClip, '-o', out, '-q']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).schema).toBe('evidence-redactor/plan');
  });

  it('killed outright (SIGKILL) mid-detection: no plan, its ffmpeg ends too; rerun succeeds', async () => {
    const dir = outDir();
    const out = join(dir, 'plan.json');
    let children: number[] = [];
    const job = runJob(['detect', detectClip, '-o', out, '--every', '1'], (line, j) => {
      if (!children.length && line.startsWith('detecting')) {
        children = childrenOf(j.pid, /ffmpeg/);
        process.kill(j.pid, 'SIGKILL');
      }
    });
    const r = await job.result;
    expect(r.signal).toBe('SIGKILL');
    expect(children.length).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
    // The orphaned decoder stops at its next write to the closed pipe.
    for (let i = 0; i < 100 && children.some(alive); i++) await new Promise((res) => setTimeout(res, 100));
    expect(children.filter(alive)).toEqual([]);
    const again = await redactor(['detect', detectClip, '-o', out, '-q']);
    expect(again.code, again.stderr).toBe(0);
  });
});
