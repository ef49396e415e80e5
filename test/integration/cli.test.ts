import { copyFileSync, existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactor } from '../helpers/cli';
import { ffmpeg, frameTimes, makeClip, tempDir } from '../helpers/media';

const tmp = tempDir('redactor-cli-');
afterAll(tmp.cleanup);
let clip: string;

beforeAll(() => {
  clip = makeClip(join(tmp.dir, 'clip.mp4'), { seconds: 1 });
});

/** A bad-input case: one clear line on stderr, the given exit code, no stack trace, nothing written. */
async function expectCleanFailure(args: string[], code: number, pattern: RegExp, dir = tmp.dir) {
  const before = new Set(readdirSync(dir));
  const r = await redactor(args);
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trim().split('\n');
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(readdirSync(dir).filter((f) => !before.has(f))).toEqual([]);
  return lines;
}

/** expectCleanFailure, with the environment changed. */
async function expectCleanFailureWith(env: NodeJS.ProcessEnv, args: string[], code: number, pattern: RegExp) {
  const before = new Set(readdirSync(tmp.dir));
  const r = await redactor(args, { env });
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr.trim().split('\n')[0]).toMatch(pattern);
  expect(readdirSync(tmp.dir).filter((f) => !before.has(f))).toEqual([]);
}

describe('redactor command line', () => {
  it('prints help and documented exit codes', async () => {
    const r = await redactor(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/redactor export <video> --plan/);
    expect(r.stdout).toMatch(/Exit codes/);
    expect((await redactor([])).code).toBe(2);
    for (const args of [['detect', '--help'], ['auto', 'x.mp4', '-h']]) {
      const c = await redactor(args);
      expect(c.code, args.join(' ')).toBe(0);
      expect(c.stdout).toMatch(new RegExp(`^usage: redactor ${args[0]} `));
      expect(c.stderr).toBe('');
    }
    await expectCleanFailure(['frobnicate'], 2, /unknown command 'frobnicate'/);
  });

  it('probes a clip, as text and as JSON', async () => {
    const text = await redactor(['probe', clip]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/h264 320×240/);
    expect(text.stdout).toMatch(/frames:\s+30 at 30\/1/);
    const json = await redactor(['probe', clip, '--json']);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.video.frameCount).toBe(30);
    expect(parsed.audio[0].codec).toBe('aac');
  });

  it('plans, exports and verifies end to end, and detects a changed output or report', async () => {
    const plan = join(tmp.dir, 'plan.json');
    const out = join(tmp.dir, 'out.mp4');
    const p = await redactor(['plan', clip, '-o', plan, '--region', '10,10,80,60,0,14', '--json']);
    expect(p.code, p.stderr).toBe(0);
    expect(JSON.parse(readFileSync(plan, 'utf8')).tracks).toHaveLength(1);
    const e = await redactor(['export', clip, '--plan', plan, '-o', out, '--style', 'solid', '--fill', '#FF00FF']);
    expect(e.code, e.stderr).toBe(0);
    expect(existsSync(`${out}.report.json`)).toBe(true);
    const v = await redactor(['verify', out]);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toMatch(/intact/);

    // One byte of the output changed.
    const tampered = join(tmp.dir, 'tampered.mp4');
    copyFileSync(out, tampered);
    copyFileSync(`${out}.report.json`, `${tampered}.report.json`);
    const bytes = readFileSync(tampered);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 1;
    writeFileSync(tampered, bytes);
    const vt = await redactor(['verify', tampered, '--report', `${tampered}.report.json`, '--json']);
    expect(vt.code).toBe(7);
    expect(JSON.parse(vt.stdout).checks.find((c: any) => c.name === 'output SHA-256').ok).toBe(false);

    // One field of the report changed.
    const report = JSON.parse(readFileSync(`${out}.report.json`, 'utf8'));
    report.plan.tracks[0].keyframes[0].w = 1;
    writeFileSync(`${out}.report.json`, JSON.stringify(report));
    const vr = await redactor(['verify', out]);
    expect(vr.code).toBe(7);
    expect(vr.stdout).toMatch(/FAIL\s+report seal/);
  });

  it('handles paths with spaces, quotes, colons, semicolons, % and non-ASCII', async () => {
    const name = `we ird 'q"uote: semi;colon %d 100% ü ß 視頻.mp4`;
    const odd = join(tmp.dir, name);
    copyFileSync(clip, odd);
    const plan = join(tmp.dir, `plan ${name}.json`);
    const out = join(tmp.dir, `out ${name}`);
    expect((await redactor(['plan', odd, '-o', plan, '--region', '0,0,50,50'])).code).toBe(0);
    const e = await redactor(['export', odd, '--plan', plan, '-o', out, '--style', 'pixelate']);
    expect(e.code, e.stderr).toBe(0);
    expect((await redactor(['verify', out])).code).toBe(0);
  });

  it('says in the report when a redaction in the plan changed nothing', async () => {
    const plan = join(tmp.dir, 'idle.json');
    expect((await redactor(['plan', clip, '-o', plan, '--region', '10,10,40,40', '--region', '900,900,40,40', '-q'])).code).toBe(0);
    const p = JSON.parse(readFileSync(plan, 'utf8'));
    p.tracks.push({ ...p.tracks[0], id: 'late', keyframes: [{ ...p.tracks[0].keyframes[0], frame: 500 }] });
    p.audio = [{ id: 'far', start: 10, end: 20, mode: 'mute', reason: 'spoken-personal-data' }];
    writeFileSync(plan, JSON.stringify(p));
    const out = join(tmp.dir, 'idle.mp4');
    const r = await redactor(['export', clip, '--plan', plan, '-o', out, '-q']);
    expect(r.code, r.stderr).toBe(0);
    const warnings = JSON.parse(readFileSync(`${out}.report.json`, 'utf8')).warnings.join('\n');
    expect(warnings).toMatch(/2 regions to redact drew on no exported frame \(manual-0002; late\)/);
    expect(warnings).toMatch(/1 sound range \(far\) lies outside the exported sound/);
    expect(warnings).not.toMatch(/manual-0001/);
  });

  it('writes the container the output is named for (QuickTime for .mov, MP4 for .m4v), frame times kept, and verify and report read it', async () => {
    const plan = join(tmp.dir, 'container-plan.json');
    expect((await redactor(['plan', clip, '-o', plan, '--region', '10,10,40,40', '-q'])).code).toBe(0);
    for (const [name, brand] of [['out.mov', 'qt  '], ['out.m4v', 'isom']] as const) {
      const out = join(tmp.dir, name);
      const e = await redactor(['export', clip, '--plan', plan, '-o', out, '-q']);
      expect(e.code, e.stderr).toBe(0);
      // The file type box names the container: 'qt  ' for QuickTime, 'isom' for MP4.
      expect(readFileSync(out).subarray(4, 12).toString('latin1'), name).toBe(`ftyp${brand}`);
      expect(frameTimes(out), name).toEqual(frameTimes(clip));
      const v = await redactor(['verify', out]);
      expect(v.code, v.stdout).toBe(0);
      const page = await redactor(['report', `${out}.report.json`, '-o', join(tmp.dir, `${name}.html`)]);
      expect(page.code, page.stderr).toBe(0);
    }
  });

  it('exports a clip with no audio', async () => {
    const silent = makeClip(join(tmp.dir, 'silent.mp4'), { seconds: 1, audio: false });
    const plan = join(tmp.dir, 'silent.json');
    expect((await redactor(['plan', silent, '-o', plan, '--region', '5,5,40,40'])).code).toBe(0);
    const r = await redactor(['export', silent, '--plan', plan, '-o', join(tmp.dir, 'silent-out.mp4'), '--json']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('exports odd dimensions, padding to even with a warning', async () => {
    const odd = join(tmp.dir, 'odd.mkv');
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=321x181:rate=25:duration=1', '-c:v', 'ffv1', '-pix_fmt', 'yuv420p', odd]);
    const plan = join(tmp.dir, 'odd.json');
    expect((await redactor(['plan', odd, '-o', plan, '--region', '300,160,21,21'])).code).toBe(0);
    const r = await redactor(['export', odd, '--plan', plan, '-o', join(tmp.dir, 'odd-out.mp4')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*padded to 322×182/);
  });

  describe('bad input: one clear line, non-zero exit, nothing written', () => {
    it('missing file', () => expectCleanFailure(['probe', join(tmp.dir, 'nope.mp4')], 3, /no such file/));
    it('empty file', () => {
      writeFileSync(join(tmp.dir, 'empty.mp4'), '');
      return expectCleanFailure(['probe', join(tmp.dir, 'empty.mp4')], 3, /empty/);
    });
    it('a file that is not video', () => {
      writeFileSync(join(tmp.dir, 'notes.mp4'), 'these are not moving pictures\n'.repeat(100));
      return expectCleanFailure(['probe', join(tmp.dir, 'notes.mp4')], 3, /not a readable media file/);
    });
    it('audio only', () => {
      const audio = join(tmp.dir, 'audio.m4a');
      ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'aac', audio]);
      return expectCleanFailure(['probe', audio], 3, /no video stream/);
    });
    it('truncated MP4', () => {
      const cut = join(tmp.dir, 'cut.mp4');
      copyFileSync(clip, cut);
      truncateSync(cut, 3000);
      return expectCleanFailure(['probe', cut], 3, /error: /);
    });
    it('export with a missing plan', () => expectCleanFailure(['export', clip, '--plan', join(tmp.dir, 'none.json'), '-o', join(tmp.dir, 'x.mp4')], 4, /no such file/));
    it('export with an invalid plan', () => {
      writeFileSync(join(tmp.dir, 'bad-plan.json'), JSON.stringify({ schema: 'evidence-redactor/plan', version: 1, tracks: 'all of them' }));
      return expectCleanFailure(['export', clip, '--plan', join(tmp.dir, 'bad-plan.json'), '-o', join(tmp.dir, 'x.mp4')], 4, /invalid plan/);
    });
    it('export over the original', async () => {
      const plan = join(tmp.dir, 'p2.json');
      await redactor(['plan', clip, '-o', plan]);
      await expectCleanFailure(['export', clip, '--plan', plan, '-o', clip, '--force'], 5, /original/);
    });
    it('an output named for a container an export is not written in (.mkv, none), for export and auto: one line, before any work', async () => {
      const plan = join(tmp.dir, 'mkv-plan.json');
      expect((await redactor(['plan', clip, '-o', plan, '-q'])).code).toBe(0);
      for (const [args, name] of [
        [['export', clip, '--plan', plan, '-o', join(tmp.dir, 'out.mkv')], 'out.mkv'],
        [['export', clip, '--plan', plan, '-o', join(tmp.dir, 'no extension')], 'no extension'],
        [['auto', clip, '-o', join(tmp.dir, 'auto.mkv')], 'auto.mkv'],
      ] as const) {
        const lines = await expectCleanFailure([...args], 2, new RegExp(`^redactor: cannot write ${name}: an export is written as MP4 \\(\\.mp4, \\.m4v\\) or QuickTime \\(\\.mov\\)`));
        expect(lines, name).toHaveLength(1);
      }
    });
    it('verify given the report instead of the clip: one line naming the clip it belongs to', async () => {
      const plan = join(tmp.dir, 'report-plan.json');
      const out = join(tmp.dir, 'reported.mp4');
      expect((await redactor(['plan', clip, '-o', plan, '-q'])).code).toBe(0);
      expect((await redactor(['export', clip, '--plan', plan, '-o', out, '-q'])).code).toBe(0);
      const lines = await expectCleanFailure(['verify', `${out}.report.json`], 2, /reported\.mp4\.report\.json is an export's report, not the clip: verify takes the exported clip it belongs to: redactor verify \/.*\/reported\.mp4$/);
      expect(lines).toHaveLength(1);
      // Away from its clip, the report still names the clip it was written for.
      const copy = join(tmp.dir, 'copied report.json');
      copyFileSync(`${out}.report.json`, copy);
      expect((await expectCleanFailure(['verify', copy], 2, /copied report\.json is an export's report, not the clip: .*redactor verify \/.*\/reported\.mp4$/))).toHaveLength(1);
    });
    it('a bad --fill', () => expectCleanFailure(['export', clip, '--plan', 'p.json', '-o', 'x.mp4', '--fill', 'pink'], 2, /--fill must be a colour/));
    it('an unknown option', () => expectCleanFailure(['probe', clip, '--frobnicate'], 2, /frobnicate/));
    it('a --region with an empty or non-decimal field', async () => {
      for (const spec of ['10,10,50,50,,', '10,,50,50', '0x10,10,50,50']) {
        await expectCleanFailure(['plan', clip, '-o', join(tmp.dir, 'r.json'), `--region=${spec}`], 2, /--region must be x,y,w,h/);
      }
      // Far outside any picture: refused by the plan's schema once the clip is read, as a usage error.
      const far = await redactor(['plan', clip, '-o', join(tmp.dir, 'r.json'), '--region', '1e9,1,5,5']);
      expect(far.code, far.stderr).toBe(2);
      expect(far.stderr).toMatch(/redactor: --region: invalid plan: tracks\.0\.keyframes\.0\.x/);
      expect(existsSync(join(tmp.dir, 'r.json'))).toBe(false);
      await expectCleanFailure(['detect', clip, '-o', join(tmp.dir, 'r.json'), '--every', '0x10'], 2, /--every must be/);
    });
    it('an unknown or empty --find, for detect, auto and case new: one line naming the known kinds', async () => {
      await expectCleanFailure(['detect', clip, '-o', join(tmp.dir, 'r.json'), '--find', 'faces,plates'], 2, /--find: unknown kind 'plates' to find: known kinds are faces, text/);
      await expectCleanFailure(['auto', clip, '-o', join(tmp.dir, 'r.mp4'), '--find', 'cars'], 2, /--find: unknown kind 'cars'/);
      await expectCleanFailure(['case', 'new', clip, '-o', join(tmp.dir, 'c.json'), '--reference', 'R1', '--detect', '--find', ','], 2, /--find: nothing to find/);
    });
    it('a program that is not ffprobe or ffmpeg in their place: a tool error, not a verdict on the file', async () => {
      for (const env of [{ REDACTOR_FFPROBE: '/bin/true' }, { REDACTOR_FFPROBE: '/bin/false' }, { REDACTOR_FFPROBE: '/bin/echo' }]) {
        const r = await redactor(['probe', clip], { env });
        expect(r.code, JSON.stringify(env)).toBe(6);
        expect(r.stderr).toMatch(/does not answer as ffprobe does/);
      }
      const p = join(tmp.dir, 'tool-plan.json');
      expect((await redactor(['plan', clip, '-o', p, '-q'])).code).toBe(0);
      await expectCleanFailureWith({ REDACTOR_FFMPEG: '/bin/echo' }, ['export', clip, '--plan', p, '-o', join(tmp.dir, 'tool.mp4')], 6, /does not answer as ffmpeg does/);
    });
    it('ffmpeg missing', async () => {
      const r = await redactor(['probe', clip], { env: { PATH: '/nonexistent', REDACTOR_FFPROBE: '', REDACTOR_FFMPEG: '' } });
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(/ffprobe was not found .*apt-get install ffmpeg/);
    });
  });
});
