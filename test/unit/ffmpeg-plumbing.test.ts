import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { audioFilterChain } from '../../engine/export/audio-filter';
import { ProgressParser, type FfmpegProgress } from '../../engine/ffmpeg/progress';
import { commandLine, fileArg, shellQuote } from '../../engine/ffmpeg/quote';
import { resolveTool, ToolNotFoundError } from '../../engine/ffmpeg/resolve';
import { tempDir } from '../helpers/media';

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
    expect(chain).toContain('between(t,1.100000,2.600000)+between(t,3.100000,4.100000)');
    expect(chain).toContain('sin(2*PI*1000*t)');
    expect(chain).toMatch(/atrim=start=0\.600000:end=5\.100000,asetpts=PTS-STARTPTS$/);
  });
});
