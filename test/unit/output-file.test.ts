import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AtomicOutput, checkOutputPath, publishTogether, writeFileAtomically } from '../../engine/export/output-file';
import { tempDir } from '../helpers/media';

const tmp = tempDir('redactor-output-file-');
afterAll(tmp.cleanup);

let n = 0;
function folder(): string {
  const dir = join(tmp.dir, `case-${++n}`);
  mkdirSync(dir);
  return dir;
}

describe('checkOutputPath: where an output may be written', () => {
  it('never over a protected original, under its own name, a symlink or a hard link, even when overwriting', () => {
    const dir = folder();
    const original = join(dir, 'original.mp4');
    writeFileSync(original, 'evidence');
    symlinkSync(original, join(dir, 'via-symlink.mp4'));
    linkSync(original, join(dir, 'via-hardlink.mp4'));
    for (const name of ['original.mp4', 'via-symlink.mp4', 'via-hardlink.mp4']) {
      expect(() => checkOutputPath(join(dir, name), { protect: [original], overwrite: true }), name).toThrow(/refusing to overwrite the original/);
    }
    // An unprotected existing file: only when overwriting.
    writeFileSync(join(dir, 'old.json'), '{}');
    expect(() => checkOutputPath(join(dir, 'old.json'), { protect: [original] })).toThrow(/already exists \(use --force/);
    expect(() => checkOutputPath(join(dir, 'old.json'), { protect: [original], overwrite: true })).not.toThrow();
    expect(() => checkOutputPath(join(dir, 'new.json'), { protect: [original] })).not.toThrow();
  });

  it('refuses a missing folder, a folder as the output, and a name too long for its temporary file', () => {
    const dir = folder();
    expect(() => checkOutputPath(join(dir, 'nope', 'x.mp4'))).toThrow(/output folder does not exist/);
    mkdirSync(join(dir, 'taken.mp4'));
    expect(() => checkOutputPath(join(dir, 'taken.mp4'), { overwrite: true })).toThrow(/is a folder/);
    expect(() => checkOutputPath(join(dir, `${'a'.repeat(230)}.mp4`))).toThrow(/file name is too long/);
    expect(() => checkOutputPath(join(dir, `${'a'.repeat(200)}.mp4`))).not.toThrow();
  });
});

describe('AtomicOutput: published whole, never over a file that appeared meanwhile', () => {
  it('without overwrite, a file another job wrote meanwhile is kept and this output is refused', () => {
    const dir = folder();
    const final = join(dir, 'x.json');
    const out = new AtomicOutput(final);
    writeFileSync(out.tempPath, 'mine');
    writeFileSync(final, 'theirs'); // another job finished first
    expect(() => out.commit()).toThrow(/already exists: another job wrote it/);
    out.discard();
    expect(readFileSync(final, 'utf8')).toBe('theirs');
    expect(readdirSync(dir)).toEqual(['x.json']);
  });

  it('with overwrite, replaces an ordinary file but never a protected one', () => {
    const dir = folder();
    const final = join(dir, 'x.json');
    writeFileSync(final, 'old');
    writeFileAtomically(final, 'new', { overwrite: true });
    expect(readFileSync(final, 'utf8')).toBe('new');
    const original = join(dir, 'clip.mp4');
    writeFileSync(original, 'evidence');
    const out = new AtomicOutput(original, { protect: [original], overwrite: true });
    writeFileSync(out.tempPath, 'json');
    expect(() => out.commit()).toThrow(/original/);
    out.discard();
    expect(readFileSync(original, 'utf8')).toBe('evidence');
    expect(readdirSync(dir).sort()).toEqual(['clip.mp4', 'x.json']);
  });

  it('publishTogether: a clip whose report cannot be published is taken back, so neither appears', () => {
    const dir = folder();
    const clip = new AtomicOutput(join(dir, 'o.mp4'));
    const report = new AtomicOutput(join(dir, 'o.mp4.report.json'));
    writeFileSync(clip.tempPath, 'video');
    writeFileSync(report.tempPath, 'report');
    mkdirSync(join(dir, 'o.mp4.report.json')); // appears while the export runs
    expect(() => publishTogether([clip, report])).toThrow(/o\.mp4\.report\.json/);
    expect(existsSync(join(dir, 'o.mp4'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['o.mp4.report.json']); // the folder that was in the way, nothing of ours
  });

  it('retract() leaves a file that is no longer the one this output published', () => {
    const dir = folder();
    const final = join(dir, 'o.mp4');
    const out = new AtomicOutput(final);
    writeFileSync(out.tempPath, 'ours');
    out.commit();
    writeFileAtomically(final, 'someone else', { overwrite: true });
    out.retract();
    expect(readFileSync(final, 'utf8')).toBe('someone else');
  });
});
