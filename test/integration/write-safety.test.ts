import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../common/canonical-json';
import { redactor } from '../helpers/cli';
import { makeClip, tempDir } from '../helpers/media';

/**
 * No command may replace an original or an existing file unasked, and no record may be made from, or
 * pass with, a report that is not what the export wrote (SECURITY.md §1, §2, §4).
 */
const tmp = tempDir('redactor-write-safety-');
afterAll(tmp.cleanup);
let clip: string;
let plan: string;
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(async () => {
  clip = makeClip(join(tmp.dir, 'clip.mp4'), { seconds: 1 });
  plan = join(tmp.dir, 'plan.json');
  expect((await redactor(['plan', clip, '-o', plan, '--region', '10,10,80,60', '-q'])).code).toBe(0);
});

function folder(name: string): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir);
  return dir;
}

describe('plans, proposals and pages never replace an original, nor an existing file unasked', () => {
  it('plan and detect refuse -o the original itself, even with --force, and leave it unchanged', async () => {
    const before = sha(clip);
    for (const args of [['plan', clip, '-o', clip], ['plan', clip, '-o', clip, '--force'], ['detect', clip, '-o', clip, '--force']]) {
      const r = await redactor(args);
      expect(r.code, args.join(' ')).toBe(5);
      expect(r.stderr).toMatch(/refusing to overwrite the original/);
    }
    expect(sha(clip)).toBe(before);
  });

  it('plan replaces an existing file only with --force', async () => {
    const dir = folder('plans');
    const other = join(dir, 'other.json');
    writeFileSync(other, 'someone else\'s file');
    const r = await redactor(['plan', clip, '-o', other]);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/other\.json already exists \(use --force/);
    expect(readFileSync(other, 'utf8')).toBe('someone else\'s file');
    expect((await redactor(['plan', clip, '-o', other, '--force', '-q'])).code).toBe(0);
    expect(JSON.parse(readFileSync(other, 'utf8')).schema).toBe('evidence-redactor/plan');
  });

  it('detect checks where it will write before it runs: a missing folder is exit 5 at once', async () => {
    const r = await redactor(['detect', clip, '-o', join(tmp.dir, 'no-such-folder', 'p.json')]);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/output folder does not exist/);
    expect(r.stderr).not.toMatch(/detecting/);
  });

  it("export refuses a report path that is the original, or an existing file unasked", async () => {
    const dir = folder('report-path');
    // The source is named so that the export's report would land on it.
    const source = join(dir, 'c.mp4.report.json');
    copyFileSync(clip, source);
    const before = sha(source);
    const p = join(dir, 'c.plan.json');
    expect((await redactor(['plan', source, '-o', p, '-q'])).code).toBe(0);
    for (const force of [[], ['--force']]) {
      const r = await redactor(['export', source, '--plan', p, '-o', join(dir, 'c.mp4'), '-q', ...force]);
      expect(r.code, force.join(' ')).toBe(5);
      expect(r.stderr).toMatch(/refusing to overwrite the original/);
    }
    expect(sha(source)).toBe(before);
    expect(existsSync(join(dir, 'c.mp4'))).toBe(false);
    writeFileSync(join(dir, 'z.mp4.report.json'), 'precious');
    const r = await redactor(['export', clip, '--plan', plan, '-o', join(dir, 'z.mp4'), '-q']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/z\.mp4\.report\.json already exists/);
    expect(readFileSync(join(dir, 'z.mp4.report.json'), 'utf8')).toBe('precious');
    expect(existsSync(join(dir, 'z.mp4'))).toBe(false);
  });

  it('auto refuses two inputs that would be written to the same file, before any work', async () => {
    const dir = folder('same-name');
    copyFileSync(clip, join(dir, 'a.mp4'));
    copyFileSync(clip, join(dir, 'a.mov'));
    const out = folder('same-name-out');
    const r = await redactor(['auto', dir, '-o', out, '--force', '--no-leak-check', '-q']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/a\.mov and .*a\.mp4 would both be written to .*a\.redacted\.mp4/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('report never writes its page over the record it shows or the original, even with --force', async () => {
    const dir = folder('pages');
    const out = join(dir, 'r.mp4');
    expect((await redactor(['export', clip, '--plan', plan, '-o', out, '-q'])).code).toBe(0);
    const report = `${out}.report.json`;
    const sealed = readFileSync(report, 'utf8');
    const before = sha(clip);
    for (const target of [clip, report, out]) {
      const r = await redactor(['report', report, '-o', target, '--force']);
      expect(r.code, target).toBe(5);
      expect(r.stderr).toMatch(/refusing to overwrite the original/);
    }
    expect(sha(clip)).toBe(before);
    expect(readFileSync(report, 'utf8')).toBe(sealed);
    expect((await redactor(['verify', out])).code).toBe(0);
  });
});

describe('records: no page from a changed report, no pass for a copy of the original', () => {
  it('report refuses a report changed after the export (exit 7), writing no page', async () => {
    const dir = folder('tampered');
    const out = join(dir, 't.mp4');
    expect((await redactor(['export', clip, '--plan', plan, '-o', out, '-q'])).code).toBe(0);
    const path = `${out}.report.json`;
    const report = JSON.parse(readFileSync(path, 'utf8'));
    report.redactions[0].decision = 'keep';
    writeFileSync(path, JSON.stringify(report, null, 2));
    const r = await redactor(['report', path]);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/changed after it was written \(its seal does not hold\)/);
    expect(readdirSync(dir).sort()).toEqual(['t.mp4', 't.mp4.report.json']);
  });

  it('verify fails an output that is the original itself, even under a resealed report', async () => {
    const dir = folder('swapped');
    const out = join(dir, 's.mp4');
    expect((await redactor(['export', clip, '--plan', plan, '-o', out, '-q'])).code).toBe(0);
    // Swap in the original and reseal the report over it (the seal is a checksum, not a signature).
    copyFileSync(clip, out);
    const path = `${out}.report.json`;
    const report = JSON.parse(readFileSync(path, 'utf8'));
    report.output.size = readFileSync(out).length;
    report.output.sha256 = sha(out);
    delete report.seal;
    report.seal = { algorithm: 'sha256', digest: createHash('sha256').update(canonicalJson(report)).digest('hex') };
    writeFileSync(path, JSON.stringify(report, null, 2));
    const r = await redactor(['verify', out]);
    expect(r.code).toBe(7);
    expect(r.stdout).toMatch(/ok {4}report seal/);
    expect(r.stdout).toMatch(/FAIL {2}output is not the original: the output is byte for byte the original/);
  });

  it("verify does not follow a changed report's input path (a device would never end)", async () => {
    const dir = folder('device');
    const out = join(dir, 'd.mp4');
    expect((await redactor(['export', clip, '--plan', plan, '-o', out, '-q'])).code).toBe(0);
    const path = `${out}.report.json`;
    const report = JSON.parse(readFileSync(path, 'utf8'));
    report.input.path = '/dev/zero';
    writeFileSync(path, JSON.stringify(report, null, 2));
    const r = await redactor(['verify', out]);
    expect(r.code).toBe(7);
    expect(r.stdout).toMatch(/FAIL {2}report seal/);
    expect(r.stdout).toMatch(/input SHA-256: not checked: the report's seal does not hold/);
  });
});
