import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { audioFilterChain, inAnyRange, mergedRanges } from '../../engine/export/audio-filter';
import { ProgressParser, type FfmpegProgress } from '../../engine/ffmpeg/progress';
import { commandLine, fileArg, shellQuote } from '../../engine/ffmpeg/quote';
import { resolveTool, ToolNotFoundError } from '../../engine/ffmpeg/resolve';
import { tempDir } from '../helpers/media';
import { seededRandom } from '../helpers/random';

const tmp = tempDir('redactor-plumbing-');
afterAll(tmp.cleanup);

function fakeBinary(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

describe('resolveTool', () => {
  const setting = fakeBinary(join(tmp.dir, 'setting'), 'ffmpeg');
  const fromEnv = fakeBinary(join(tmp.dir, 'env'), 'ffmpeg');
  const bundledDir = join(tmp.dir, 'bundled');
  fakeBinary(bundledDir, 'ffmpeg');
  const pathDir = join(tmp.dir, 'path');
  fakeBinary(pathDir, 'ffmpeg');

  it('prefers the setting, then the environment, then the bundled binary, then PATH', () => {
    const env = { REDACTOR_FFMPEG: fromEnv, PATH: pathDir };
    expect(resolveTool('ffmpeg', { setting, env, bundledDir })).toEqual({ path: setting, from: 'setting' });
    expect(resolveTool('ffmpeg', { env, bundledDir })).toEqual({ path: fromEnv, from: 'environment' });
    expect(resolveTool('ffmpeg', { env: { PATH: pathDir }, bundledDir })).toEqual({ path: join(bundledDir, 'ffmpeg'), from: 'bundled' });
    expect(resolveTool('ffmpeg', { env: { PATH: pathDir } })).toEqual({ path: join(pathDir, 'ffmpeg'), from: 'path' });
  });

  it('skips a setting that is not executable and says how to fix a missing binary', () => {
    expect(resolveTool('ffmpeg', { setting: join(tmp.dir, 'nope'), env: { PATH: pathDir } }).from).toBe('path');
    expect(() => resolveTool('ffprobe', { env: { PATH: join(tmp.dir, 'empty') } })).toThrow(ToolNotFoundError);
    expect(() => resolveTool('ffprobe', { env: { PATH: '' } })).toThrow(/apt-get install ffmpeg.*REDACTOR_FFPROBE/);
  });

  it('looks for .exe on Windows', () => {
    const winDir = join(tmp.dir, 'win');
    fakeBinary(winDir, 'ffmpeg.exe');
    expect(resolveTool('ffmpeg', { env: { PATH: winDir }, platform: 'win32' }).path).toBe(join(winDir, 'ffmpeg.exe'));
  });
});

describe('ProgressParser', () => {
  it('parses blocks split at any point', () => {
    const seen: FfmpegProgress[] = [];
    const parser = new ProgressParser((p) => seen.push(p));
    const text = 'frame=10\nfps=0.0\nout_time_us=333333\nspeed=1.5x\nprogress=continue\nframe=30\nout_time_us=1000000\nspeed=N/A\nprogress=end\n';
    for (const ch of text) parser.push(ch);
    expect(seen).toEqual([
      { frame: 10, outTimeSeconds: 0.333333, speed: 1.5, end: false },
      { frame: 30, outTimeSeconds: 1, end: true },
    ]);
  });
});

describe('command lines and paths', () => {
  it('quotes arguments so a logged command can be pasted into a shell', () => {
    expect(shellQuote('plain-arg_1.mp4')).toBe('plain-arg_1.mp4');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
    expect(commandLine('/usr/bin/ffmpeg', ['-i', 'a b.mp4', '-vf', "select='eq(n,1)'"])).toBe(
      `/usr/bin/ffmpeg -i 'a b.mp4' -vf 'select='\\''eq(n,1)'\\'''`,
    );
  });

  it('passes files as absolute file: URLs so no name is read as an option or protocol', () => {
    expect(fileArg('/x/-i.mp4')).toBe('file:/x/-i.mp4');
    expect(fileArg('concat:a|b.mp4')).toMatch(/^file:\/.*concat:a\|b\.mp4$/);
  });
});

describe('audioFilterChain', () => {
  it('copies untouched audio', () => {
    expect(audioFilterChain([], null)).toBeNull();
  });
  it('mutes and bleeps per sample, offset to the stream clock, then trims', () => {
    const chain = audioFilterChain(
      [
        { id: 'a', start: 1, end: 2.5, mode: 'mute', reason: 'x' },
        { id: 'b', start: 3, end: 4, mode: 'bleep', reason: 'x' },
      ],
      { startSeconds: 0.5, endSeconds: 5 },
      0.1,
    )!;
    expect(chain).toContain('if(lt(t,3.100000),between(t,1.100000,2.600000),between(t,3.100000,4.100000))');
    expect(chain).toContain('sin(2*PI*1000*t)');
    expect(chain).toMatch(/atrim=start=0\.600000:end=5\.100000,asetpts=PTS-STARTPTS$/);
  });
});

/** Evaluates the subset of ffmpeg's expression language inAnyRange writes: if, lt, between, numbers and t. */
function evaluate(expr: string, t: number): number {
  let i = 0;
  const args = (): number[] => {
    const out: number[] = [];
    i++; // (
    for (;;) {
      out.push(value());
      if (expr[i++] === ')') return out;
    }
  };
  const value = (): number => {
    if (expr.startsWith('if(', i)) {
      i += 2;
      i++; // (
      const c = value();
      i++;
      // Both branches are read to move past them; only the chosen one counts, as in ffmpeg.
      const a = value();
      i++;
      const b = value();
      i++;
      return c ? a : b;
    }
    if (expr.startsWith('lt(', i)) {
      i += 2;
      const [a, b] = args();
      return a! < b! ? 1 : 0;
    }
    if (expr.startsWith('between(', i)) {
      i += 7;
      const [x, a, b] = args();
      return x! >= a! && x! <= b! ? 1 : 0;
    }
    if (expr[i] === 't') {
      i++;
      return t;
    }
    const m = /^[0-9.]+/.exec(expr.slice(i))!;
    i += m[0].length;
    return Number(m[0]);
  };
  return value();
}

describe('inAnyRange: a binary search over the merged ranges', () => {
  const rand = seededRandom(7);
  for (const n of [1, 2, 3, 7, 100, 1000]) {
    it(`is 1 exactly inside one of ${n} random ranges (some overlapping), with nesting of about log2(n)`, () => {
      const ranges = Array.from({ length: n }, (_, k) => {
        const start = Math.round(rand() * 2000) / 10;
        return { id: `r${k}`, start, end: start + Math.round(rand() * 30) / 10, mode: 'mute' as const, reason: 'x' };
      });
      const expr = inAnyRange(ranges, 0.5);
      for (let k = 0; k < 2000; k++) {
        // Range ends lie on a 0.1 s grid; t lies between grid lines, clear of floating-point rounding.
        const t = Math.round(rand() * 2100) / 10 + 0.05;
        const inside = ranges.some((r) => t >= r.start + 0.5 && t <= r.end + 0.5) ? 1 : 0;
        expect(evaluate(expr, t), `t = ${t}`).toBe(inside);
      }
      expect(expr.split('if(').length - 1).toBeLessThan(mergedRanges(ranges).length);
      let depth = 0;
      let deepest = 0;
      for (const ch of expr) {
        if (ch === '(') deepest = Math.max(deepest, ++depth);
        if (ch === ')') depth--;
      }
      expect(deepest).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n + 1)) + 2);
    });
  }
  it('merges overlapping and touching ranges', () => {
    const r = (start: number, end: number) => ({ id: `${start}`, start, end, mode: 'mute' as const, reason: 'x' });
    expect(mergedRanges([r(5, 6), r(1, 2), r(2, 3), r(1.5, 2.5), r(7, 8)])).toEqual([{ start: 1, end: 3 }, { start: 5, end: 6 }, { start: 7, end: 8 }]);
  });
});

