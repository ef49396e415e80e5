import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { padBox, type Box } from '../../common/geometry';
import { parsePlan, type RedactionPlan } from '../../common/plan';
import type { SubjectAccess } from '../../common/subject-access';
import { boxAtFrame, type Keyframe, type Track } from '../../common/track';
import { exportRedacted } from '../../engine/export/export';
import { innerPixels } from '../../engine/export/frame-renderer';
import { rgbToYuv } from '../../engine/export/styles/colour';
import { sha256File } from '../../engine/media/hash';
import { probe, type ProbeResult } from '../../engine/media/probe';
import { newPlan } from '../../engine/plan-file';
import { renderDisclosureHtml } from '../../engine/report/disclosure-html';
import { readReport } from '../../engine/report/export-report';
import { verifyExport } from '../../engine/report/verify';
import { readCaseFile, writeCaseFile } from '../../engine/case/case-file';
import { redactor } from '../helpers/cli';
import { decodeFrames, ffmpeg, makeClip, monoPcm, rmsBetween, tempDir } from '../helpers/media';
import { manualTrack, recordRegions } from '../helpers/plans';

/*
 * Subject access exports (issue 22): the requester shown, everyone else hidden, in both modes.
 * The synthetic clip is exported losslessly, so every pixel can be compared with the source; the
 * clip from ../shared/bench (three real faces) is scored with its score.mjs, and skips where absent.
 */
const tmp = tempDir('redactor-sar-');
afterAll(tmp.cleanup);

const W = 320;
const H = 240;
const MAGENTA = '#FF00FF';
let clip: string;
let probed: ProbeResult;
let base: RedactionPlan;
let source: Buffer[];

/** The requester walks across and leaves at frame 50; "a" is kept (a decision everyone-else overrides), "b" undecided. */
const requester = manualTrack('me', [{ frame: 0, x: 40, y: 60, w: 61, h: 71 }, { frame: 49, x: 181, y: 90, w: 81, h: 91 }, { frame: 50, outside: true }], { requester: true, decision: 'keep', reason: 'other', reasonText: 'the requester' });
const kept = manualTrack('a', [{ frame: 0, x: 230, y: 20, w: 50, h: 50 }], { decision: 'keep', reason: 'consent-given' });
const undecided = manualTrack('b', [{ frame: 10, x: 10, y: 170, w: 60, h: 50 }, { frame: 40, outside: true }], { decision: 'proposed' });

beforeAll(async () => {
  clip = makeClip(join(tmp.dir, 'three people.mp4'), { width: W, height: H, seconds: 2, audio: true });
  probed = await probe(clip);
  base = { ...newPlan(probed, await sha256File(clip)), tracks: [requester, kept, undecided], output: { style: { kind: 'solid', fill: MAGENTA }, crf: 0, preset: 'ultrafast' } };
  source = decodeFrames(clip, W, H);
});

function subjectPlan(subject: SubjectAccess): RedactionPlan {
  return parsePlan({ ...base, subject });
}

const magenta = () => rgbToYuv({ r: 255, g: 0, b: 255 }, probed.video.colour.matrix, probed.video.colour.range);

/** Luma of every pixel of `rect` in frame `f` equals the source's (own = true) or magenta's (own = false). */
function lumaIs(frames: Buffer[], f: number, r: { x0: number; y0: number; x1: number; y1: number }, own: boolean): number {
  const y = magenta().y;
  let wrong = 0;
  for (let yy = r.y0; yy < r.y1; yy++) {
    for (let xx = r.x0; xx < r.x1; xx++) {
      const v = frames[f]![yy * W + xx]!;
      if (own ? v !== source[f]![yy * W + xx] : Math.abs(v - y) > 1) wrong++;
    }
  }
  return wrong;
}

function rectOf(b: Box, inner = false) {
  if (inner) return innerPixels(b, W, H)!;
  return { x0: Math.max(0, Math.floor(b.x)), y0: Math.max(0, Math.floor(b.y)), x1: Math.min(W, Math.ceil(b.x + b.w)), y1: Math.min(H, Math.ceil(b.y + b.h)) };
}

describe('subject access export', () => {
  it('everyone-else: every region but the requester is redacted whatever its decision; the requester and the rest of the picture are shown', async () => {
    const out = join(tmp.dir, 'everyone-else.mp4');
    const plan = subjectPlan({ mode: 'everyone-else', requestRef: 'SAR-2026-0042', sound: { keep: 'all', reason: 'only the requester speaks' } });
    const { report } = await exportRedacted({ sourcePath: clip, plan, outputPath: out });
    const frames = decodeFrames(out, W, H);
    expect(frames).toHaveLength(60);
    for (let f = 0; f < 60; f++) {
      for (const t of [kept, undecided]) {
        const b = boxAtFrame(t, f);
        if (b) expect(lumaIs(frames, f, rectOf(b), false), `frame ${f}: region ${t.id} not covered`).toBe(0);
      }
      const me = boxAtFrame(requester, f);
      if (me) expect(lumaIs(frames, f, rectOf(me), true), `frame ${f}: the requester changed`).toBe(0);
      // A corner no region reaches is shown as it was.
      expect(lumaIs(frames, f, { x0: 300, y0: 200, x1: 320, y1: 240 }, true)).toBe(0);
    }
    const sa = report.subjectAccess!;
    expect(sa.mode).toBe('everyone-else');
    expect(sa.requestRef).toBe('SAR-2026-0042');
    expect(sa.requesterRegions.map((r) => r.trackId)).toEqual(['me']);
    expect(sa.hiddenRegions).toEqual(['a', 'b']);
    expect(sa.frames).toEqual({ exported: 60, withRequester: 50, redactedWhole: 0 });
    expect(sa.sound).toEqual({ kept: 'all', reason: 'only the requester speaks', speech: [] });
    expect(report.redactions!.find((r) => r.trackId === 'a')!.redacted).toBe(true);
    expect(report.redactions!.find((r) => r.trackId === 'me')).toMatchObject({ redacted: false, requester: true });
    // All the sound kept, as chosen.
    expect(rmsBetween(monoPcm(out), 0.2, 1.8)).toBeGreaterThan(1000);
    const v = await verifyExport(out);
    expect(v.ok, JSON.stringify(v.checks)).toBe(true);
    expect(v.checks.find((c) => c.name === 'subject access record')?.ok).toBe(true);
    const html = renderDisclosureHtml(report);
    expect(html).toContain('SAR-2026-0042');
    expect(html).toContain('Subject access');
  });

  it('everything-else: the whole frame outside the requester\'s padded box is filled, frames without the requester whole; sound only in the speech', async () => {
    const out = join(tmp.dir, 'everything-else.mp4');
    const padding = 0.2;
    const plan = subjectPlan({ mode: 'everything-else', requestRef: 'SAR-7', padding, sound: { keep: 'speech', speech: [{ start: 0.5, end: 1 }] } });
    const { report } = await exportRedacted({ sourcePath: clip, plan, outputPath: out });
    const frames = decodeFrames(out, W, H);
    const m = magenta();
    const cw = W / 2;
    for (let f = 0; f < 60; f++) {
      const me = boxAtFrame(requester, f);
      const keep = me ? rectOf(padBox(me, padding), true) : null;
      let wrongOutside = 0;
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const inside = keep && x >= keep.x0 && x < keep.x1 && y >= keep.y0 && y < keep.y1;
          if (!inside && Math.abs(frames[f]![y * W + x]! - m.y) > 1) wrongOutside++;
        }
      }
      expect(wrongOutside, `frame ${f}: pixels outside the requester's padded box not filled`).toBe(0);
      // Chroma outside too (a chroma sample is shown only when it lies wholly inside the box).
      let wrongChroma = 0;
      for (let y = 0; y < H / 2; y++) {
        for (let x = 0; x < cw; x++) {
          const inside = keep && 2 * x >= keep.x0 && 2 * x + 2 <= keep.x1 && 2 * y >= keep.y0 && 2 * y + 2 <= keep.y1;
          if (!inside && Math.abs(frames[f]![W * H + y * cw + x]! - m.u) > 1) wrongChroma++;
        }
      }
      expect(wrongChroma, `frame ${f}: chroma outside the box`).toBe(0);
      if (keep) expect(lumaIs(frames, f, keep, true), `frame ${f}: the requester changed`).toBe(0);
    }
    const sa = report.subjectAccess!;
    expect(sa.frames).toEqual({ exported: 60, withRequester: 50, redactedWhole: 10 });
    expect(sa.sound.kept).toBe('speech');
    expect(sa.hidden).toContain('whole picture outside');
    const pcm = monoPcm(out);
    expect(rmsBetween(pcm, 0.6, 0.9)).toBeGreaterThan(1000);
    expect(rmsBetween(pcm, 0.1, 0.45)).toBeLessThan(5);
    expect(rmsBetween(pcm, 1.05, 1.9)).toBeLessThan(5);
    expect((await verifyExport(out)).ok).toBe(true);
  });

  it('cuts the frames without the requester, with the cut in the report; refuses an export where the requester never shows', async () => {
    const out = join(tmp.dir, 'cut.mp4');
    const plan = subjectPlan({ mode: 'everything-else', requestRef: 'SAR-8', absent: 'cut' });
    const { report } = await exportRedacted({ sourcePath: clip, plan, outputPath: out });
    expect(decodeFrames(out, W, H)).toHaveLength(50);
    expect(report.plan.trim).toEqual({ startFrame: 0, endFrame: 49 });
    expect(report.subjectAccess!.cut).toEqual({ from: { startFrame: 0, endFrame: 59 }, to: { startFrame: 0, endFrame: 49 }, framesCut: 10 });
    // No speech marked: no sound at all.
    expect(rmsBetween(monoPcm(out), 0.05, 1.6)).toBeLessThan(5);
    expect((await verifyExport(out)).ok).toBe(true);

    const late = parsePlan({ ...plan, trim: { startFrame: 52, endFrame: 59 } });
    await expect(exportRedacted({ sourcePath: clip, plan: late, outputPath: join(tmp.dir, 'nobody.mp4') })).rejects.toThrow(/shows on none of the exported frames/);
    expect(existsSync(join(tmp.dir, 'nobody.mp4'))).toBe(false);
  });

  it('redactor export --subject … on the command line, and verify', async () => {
    const planPath = join(tmp.dir, 'plan.json');
    writeFileSync(planPath, JSON.stringify({ ...base, tracks: base.tracks.map(({ requester: _r, ...t }) => t) }));
    const out = join(tmp.dir, 'cli.mp4');
    const r = await redactor(['export', clip, '--plan', planPath, '-o', out, '--subject', 'me', '--subject-mode', 'everyone-else', '--request-ref', 'SAR-CLI-1', '--speech', '0.5-1']);
    expect(r.code, r.stderr).toBe(0);
    const report = readReport(`${out}.report.json`);
    expect(report.plan.tracks.filter((t) => t.requester).map((t) => t.id)).toEqual(['me']);
    expect(report.subjectAccess).toMatchObject({ mode: 'everyone-else', requestRef: 'SAR-CLI-1', hiddenRegions: ['a', 'b'] });
    const v = await redactor(['verify', out]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    // Subject options without a requester, an unknown region, and no reference are refused, with nothing written.
    expect((await redactor(['export', clip, '--plan', planPath, '-o', join(tmp.dir, 'x.mp4'), '--request-ref', 'R'])).code).toBe(2);
    const unknown = await redactor(['export', clip, '--plan', planPath, '-o', join(tmp.dir, 'x.mp4'), '--subject', 'nobody', '--request-ref', 'R']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("no region 'nobody'");
    expect((await redactor(['export', clip, '--plan', planPath, '-o', join(tmp.dir, 'x.mp4'), '--subject', 'me'])).code).toBe(2);
    expect(existsSync(join(tmp.dir, 'x.mp4'))).toBe(false);
  });
});

describe('redactor bundle --subject', () => {
  it('exports each clip for the requester named per clip, records it in the manifest, and refuses a clip without one', async () => {
    makeClip(join(tmp.dir, 'door.mp4'), { seconds: 1 });
    makeClip(join(tmp.dir, 'yard.mp4'), { seconds: 1, source: 'testsrc' });
    const casePath = join(tmp.dir, 'sar.case.json');
    const made = await redactor(['case', 'new', join(tmp.dir, 'door.mp4'), join(tmp.dir, 'yard.mp4'), '-o', casePath, '--reference', 'OP-SAR/1', '--user', 'alice']);
    expect(made.code, made.stderr).toBe(0);
    const c = readCaseFile(casePath);
    c.clips[0]!.plan.tracks = [manualTrack('him', [{ frame: 0, x: 10, y: 10, w: 60, h: 60 }]), manualTrack('her', [{ frame: 0, x: 200, y: 100, w: 60, h: 60 }], { decision: 'keep', reason: 'consent-given' })];
    c.clips[1]!.plan.tracks = [manualTrack('him-too', [{ frame: 0, x: 100, y: 50, w: 50, h: 50 }])];
    c.audit = await recordRegions(c.audit, c.clips[0]!.id, c.clips[0]!.plan.tracks);
    c.audit = await recordRegions(c.audit, c.clips[1]!.id, c.clips[1]!.plan.tracks);
    writeCaseFile(casePath, c, { overwrite: true });
    const [door, yard] = c.clips.map((x) => x.id);

    const refused = await redactor(['bundle', casePath, '-o', join(tmp.dir, 'sar-refused'), '--subject', `${door}:him`, '--request-ref', 'SAR-9', '--confirm-reason', 'test']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`none named for ${yard}`);
    expect(existsSync(join(tmp.dir, 'sar-refused'))).toBe(false);

    const out = join(tmp.dir, 'sar-bundle');
    const r = await redactor(['bundle', casePath, '-o', out, '--subject', `${door}:him`, '--subject', `${yard}:him-too`, '--subject-mode', 'everyone-else', '--request-ref', 'SAR-9', '--confirm-reason', 'test', '--keep-all-sound', 'the requester alone speaks']);
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.clips.map((x: { subjectAccess: unknown }) => x.subjectAccess)).toEqual([
      { mode: 'everyone-else', requestRef: 'SAR-9', requesterRegions: ['him'] },
      { mode: 'everyone-else', requestRef: 'SAR-9', requesterRegions: ['him-too'] },
    ]);
    const first = readReport(join(out, manifest.clips[0].report));
    expect(first.subjectAccess).toMatchObject({ hiddenRegions: ['her'], sound: { kept: 'all', reason: 'the requester alone speaks' } });
    const v = await redactor(['verify', out]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });
});

/*
 * Three real faces (a photograph from ../shared/bench, walked over by make-clip.mjs), the middle one
 * the requester. Regions are the truth boxes, as a reviewer would have drawn them; score.mjs reads the
 * magenta fill back from the exported clip.
 */
const BENCH = resolve(__dirname, '..', '..', '..', 'shared', 'bench');
const haveBench = existsSync(join(BENCH, 'score.mjs')) && existsSync(join(BENCH, 'make-clip.mjs'));

describe.skipIf(!haveBench)('subject access scored with ../shared/bench/score.mjs', () => {
  interface Truth { width: number; height: number; frames: number; faces: Array<{ id: string; boxes: Record<string, [number, number, number, number]> }> }
  let faceClip: string;
  let truth: Truth;
  let plan: RedactionPlan;
  let requesterId: string;

  beforeAll(async () => {
    faceClip = join(tmp.dir, 'faces.mp4');
    const made = spawnSync(process.execPath, [join(BENCH, 'make-clip.mjs'), '--gt', join(BENCH, 'faces', 'faces.json'), '--root', join(BENCH, 'faces'), '--out', faceClip, '--segments', '1', '--seconds', '2', '--size', '640x360', '--images', '0_Parade_Parade_0_429.jpg'], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(made.stderr);
    truth = JSON.parse(readFileSync(faceClip.replace(/\.mp4$/, '.gt.json'), 'utf8')) as Truth;
    expect(truth.faces).toHaveLength(3);
    const tracks: Track[] = truth.faces.map((face, i) => {
      const frames = Object.keys(face.boxes).map(Number).sort((a, b) => a - b);
      const keyframes: Keyframe[] = frames.map((f) => {
        const [x, y, w, h] = face.boxes[String(f)]!;
        return { frame: f, x, y, w, h, outside: false, source: 'manual' };
      });
      const last = frames.at(-1)!;
      if (last + 1 < truth.frames) keyframes.push({ ...keyframes.at(-1)!, frame: last + 1, outside: true });
      return manualTrack(`face-${i}`, [], { keyframes, decision: 'proposed' });
    });
    // The requester: the face in the most frames (the middle of the picture).
    const longest = [...tracks].sort((a, b) => b.keyframes.length - a.keyframes.length)[0]!;
    requesterId = longest.id;
    const p = await probe(faceClip);
    plan = { ...newPlan(p, await sha256File(faceClip)), tracks: tracks.map((t) => (t.id === requesterId ? { ...t, requester: true as const } : t)), output: { style: { kind: 'solid', fill: MAGENTA }, crf: 18, preset: 'ultrafast' } };
  });

  /** score.mjs on the output against the truth for the given faces only. */
  function score(out: string, faces: Truth['faces']): { frames: number; rows: Array<{ faceFrames: number; exposed: number; leakedFaces: number }> } {
    const gt = `${out}.${faces.length}.gt.json`;
    writeFileSync(gt, JSON.stringify({ ...truth, faces }));
    const r = spawnSync(process.execPath, [join(BENCH, 'score.mjs'), '--video', out, '--gt', gt, '--fill', 'ff00ff', '--json'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
  }
  const total = (rows: Array<{ faceFrames: number; exposed: number }>, k: 'faceFrames' | 'exposed') => rows.reduce((a, r) => a + r[k], 0);

  for (const mode of ['everyone-else', 'everything-else'] as const) {
    it(`${mode}: every face but the requester's covered in every frame`, async () => {
      const out = join(tmp.dir, `faces-${mode}.mp4`);
      await exportRedacted({ sourcePath: faceClip, plan: parsePlan({ ...plan, subject: { mode, requestRef: 'SAR-BENCH', padding: 0.1 } }), outputPath: out });
      const others = score(out, truth.faces.filter((_, i) => `face-${i}` !== requesterId));
      expect(others.frames).toBe(truth.frames);
      expect(total(others.rows, 'faceFrames')).toBeGreaterThan(80);
      expect(total(others.rows, 'exposed'), JSON.stringify(others.rows)).toBe(0);
      const me = score(out, truth.faces.filter((_, i) => `face-${i}` === requesterId));
      // The requester is shown: not one of their frames is covered.
      expect(total(me.rows, 'faceFrames')).toBe(truth.frames);
      expect(total(me.rows, 'exposed')).toBe(truth.frames);
    });
  }

  it('everything-else: the fill covers the whole frame outside the requester\'s padded box', async () => {
    const out = join(tmp.dir, 'faces-everything-else.mp4');
    const padding = 0.1;
    const { width: FW, height: FH } = truth;
    const rgb = ffmpeg(['-i', out, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
    const size = FW * FH * 3;
    expect(rgb.length / size).toBe(truth.frames);
    const track = plan.tracks.find((t) => t.id === requesterId)!;
    // Lossy H.264 smears colour across the box's edge by a few pixels; beyond that margin every pixel is the fill.
    const MARGIN = 4;
    for (let f = 0; f < truth.frames; f++) {
      const b = boxAtFrame(track, f);
      const keep = b ? padBox(b, padding) : null;
      let notFilled = 0;
      for (let y = 0; y < FH; y++) {
        for (let x = 0; x < FW; x++) {
          if (keep && x >= keep.x - MARGIN && x < keep.x + keep.w + MARGIN && y >= keep.y - MARGIN && y < keep.y + keep.h + MARGIN) continue;
          const i = f * size + (y * FW + x) * 3;
          if (!(Math.abs(rgb[i]! - 255) < 70 && rgb[i + 1]! < 70 && Math.abs(rgb[i + 2]! - 255) < 70)) notFilled++;
        }
      }
      expect(notFilled, `frame ${f}`).toBe(0);
    }
  });
});
