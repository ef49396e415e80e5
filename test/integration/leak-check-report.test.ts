import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedactionPlan } from '../../common/plan';
import { mergeWatched } from '../../common/review-coverage';
import { UserError } from '../../engine/errors';
import { exportRedacted } from '../../engine/export/export';
import { sha256File } from '../../engine/media/hash';
import { probe } from '../../engine/media/probe';
import { newPlan, writePlanFile } from '../../engine/plan-file';
import { redactor } from '../helpers/cli';
import { verifyExport } from '../../engine/report/verify';
import { ffmpeg, tempDir } from '../helpers/media';
import { manualTrack } from '../helpers/plans';

/**
 * The public-domain astronaut photo, 256×256, still on a grey 640×360 frame for 10 frames. Its face is
 * at about (282, 93, 46×49) (detect-photo.test.ts gives the box in the photo); the region below covers
 * it with a margin.
 */
const FRAMES = 10;
const REGION = { x: 262, y: 68, w: 86, h: 100 };
const tmp = tempDir('redactor-leak-');
afterAll(tmp.cleanup);
let clip: string;
let base: RedactionPlan;

beforeAll(async () => {
  clip = join(tmp.dir, 'face.mp4');
  ffmpeg([
    '-f', 'lavfi', '-i', `color=c=gray:size=640x360:rate=10:duration=${FRAMES / 10}`,
    '-i', join(__dirname, '..', 'fixtures', 'astronaut.png'),
    '-f', 'lavfi', '-i', `sine=duration=${FRAMES / 10}`,
    '-filter_complex', '[1:v]scale=256:256[p];[0:v][p]overlay=x=192:y=52[v]',
    '-map', '[v]', '-map', '2:a', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip,
  ]);
  base = newPlan(await probe(clip), await sha256File(clip));
});

/** The face's region redacted, kept on purpose, or absent ('none': nothing covers the face). */
function facePlan(decision: 'redact' | 'keep' | 'none', style: RedactionPlan['output']['style']): RedactionPlan {
  return {
    ...base,
    tracks: decision === 'none' ? [] : [manualTrack('face', [{ frame: 0, ...REGION }], { decision, decidedBy: 'alice', decidedAt: '2026-11-28T10:00:00.000Z' })],
    audio: [{ id: 'a1', start: 0.2, end: 0.5, mode: 'bleep', reason: 'spoken-personal-data', decidedBy: 'bob' }],
    output: { style, crf: 18, preset: 'ultrafast' },
  };
}

describe('leak check after export', () => {
  it('finds the face no region covers, in every frame, and seals the finding in the report', async () => {
    const out = join(tmp.dir, 'uncovered.mp4');
    const { report } = await exportRedacted({ sourcePath: clip, plan: facePlan('none', { kind: 'blur' }), outputPath: out, evidence: { leakCheck: true, operator: 'alice' } });
    const leak = report.leakCheck!;
    expect(leak.clean).toBe(false);
    expect(leak.framesChecked).toBe(FRAMES);
    expect(leak.framesWithLeaks).toEqual(Array.from({ length: FRAMES }, (_, i) => i));
    for (const l of leak.leaks) {
      // The leak is where the face is.
      expect(l.box.x + l.box.w / 2).toBeGreaterThan(282 - 10);
      expect(l.box.x + l.box.w / 2).toBeLessThan(282 + 46 + 10);
      expect(l.coveredShare).toBe(0);
    }
    expect(leak.modelSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.models).toEqual([{ name: leak.model, sha256: leak.modelSha256, usedFor: ['leak check'] }]);
    expect(report.commands.map((c) => c.role)).toContain('leak check (decode for detection)');
    expect(report.warnings.join('\n')).toMatch(/leak check: .* outside redacted regions in 10 frames/);
    expect((await verifyExport(out)).ok).toBe(true);
  });

  it('counts the face inside a region kept on purpose apart, never as a leak', async () => {
    const out = join(tmp.dir, 'kept.mp4');
    const { report } = await exportRedacted({ sourcePath: clip, plan: facePlan('keep', { kind: 'blur' }), outputPath: out, evidence: { leakCheck: true, operator: 'alice' } });
    const leak = report.leakCheck!;
    expect(leak).toMatchObject({ clean: true, leakCount: 0, leaks: [], framesWithLeaks: [], framesChecked: FRAMES });
    // The same face the check above finds in every frame, here shown by decision.
    expect(leak.insideKept).toBeGreaterThanOrEqual(FRAMES);
    expect(report.warnings.join('\n')).not.toMatch(/leak check/);
    expect((await verifyExport(out)).ok).toBe(true);
  });

  it('redactor export --leak-check warns about the leak and records operator, case and reason', async () => {
    const planPath = join(tmp.dir, 'kept-plan.json');
    writePlanFile(planPath, facePlan('none', { kind: 'blur' }));
    const out = join(tmp.dir, 'uncovered-cli.mp4');
    const r = await redactor(['export', clip, '--plan', planPath, '-o', out, '--leak-check', '--operator', 'dave', '--case-ref', 'OP-9', '--recipient', 'the requester', '--purpose', 'subject access request', '--confirm-reason', 'urgent disclosure']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: LEAK CHECK: \d+ face detections? outside redacted regions in 10 frames/);
    const report = JSON.parse(readFileSync(`${out}.report.json`, 'utf8'));
    expect(report.disclosure).toMatchObject({ operator: 'dave', caseReference: 'OP-9', recipient: 'the requester', purpose: 'subject access request' });
    expect(report.review.confirmation).toMatchObject({ reason: 'urgent disclosure', by: 'dave' });
    expect(report.leakCheck.clean).toBe(false);
  });

  for (const style of [{ kind: 'solid', fill: '#000000' }, { kind: 'blur' }] as const) {
    it(`reports none when the face is redacted (${style.kind})`, async () => {
      const out = join(tmp.dir, `redacted-${style.kind}.mp4`);
      const { report } = await exportRedacted({ sourcePath: clip, plan: facePlan('redact', style), outputPath: out, evidence: { leakCheck: true } });
      expect(report.leakCheck, JSON.stringify(report.leakCheck?.leaks.slice(0, 3))).toMatchObject({ clean: true, leakCount: 0, framesChecked: FRAMES });
    });
  }
});

describe('the evidential report', () => {
  let out: string;
  let reportPath: string;

  beforeAll(async () => {
    out = join(tmp.dir, 'evidence.mp4');
    const r = await exportRedacted({
      sourcePath: clip,
      plan: facePlan('redact', { kind: 'solid', fill: '#000000' }),
      outputPath: out,
      evidence: { operator: 'alice', caseReference: 'OP-7/2026', auditHead: { seq: 4, hash: 'e'.repeat(64) } },
    });
    reportPath = r.reportPath;
  });

  it('records case, operator, redactions with time ranges, reasons and decision makers, audio, review and audit head', () => {
    const r = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(r.disclosure).toMatchObject({ caseReference: 'OP-7/2026', operator: 'alice', recipient: null, purpose: null });
    expect(r.redactions).toEqual([
      expect.objectContaining({ trackId: 'face', decision: 'redact', redacted: true, reason: 'third-party-face', reasonLabel: 'Third-party face', decidedBy: 'alice', firstFrame: 0, lastFrame: 9, start: '00:00:00:00 (00:00:00.000)', end: '00:00:00:09 (00:00:00.900)' }),
    ]);
    expect(r.audioRedactions).toEqual([expect.objectContaining({ id: 'a1', mode: 'bleep', start: '00:00:00.200', end: '00:00:00.500', reasonLabel: 'Spoken personal data', decidedBy: 'bob' })]);
    expect(r.review).toMatchObject({ recorded: false, frameCount: FRAMES, shareWatched: null, undecided: [], confirmation: null });
    expect(r.leakCheck).toBeNull();
    expect(r.audit).toEqual({ head: { seq: 4, hash: 'e'.repeat(64) } });
  });

  it('detects a change to any field of the report, nested ones included', async () => {
    const original = readFileSync(reportPath, 'utf8');
    const json = JSON.parse(original);
    const paths: string[][] = [];
    const walk = (v: unknown, path: string[]) => {
      if (path[0] === 'seal') return;
      if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...path, k]);
      else if (path.length) paths.push(path);
    };
    walk(json, []);
    expect(paths.length).toBeGreaterThan(60);
    const evidential = ['disclosure', 'redactions', 'audioRedactions', 'review', 'audit'];
    for (const top of evidential) expect(paths.some((p) => p[0] === top), top).toBe(true);
    try {
      // Every leaf of the evidential fields, and one leaf of each other top-level field (each verify re-hashes the output).
      const chosen = paths.filter((p, i) => evidential.includes(p[0]!) || paths.findIndex((q) => q[0] === p[0]) === i);
      for (const path of chosen) {
        const copy = JSON.parse(original);
        let node = copy;
        for (const k of path.slice(0, -1)) node = node[k];
        const last = path[path.length - 1]!;
        const v = node[last];
        node[last] = typeof v === 'number' ? v + 1 : typeof v === 'boolean' ? !v : v === null ? 'x' : `${v}x`;
        writeFileSync(reportPath, JSON.stringify(copy, null, 2));
        const result = await verifyExport(out, { checkInput: false }).catch((e: Error) => ({ ok: false, checks: [{ name: 'read', ok: false, detail: e.message }] }));
        expect(result.ok, path.join('.')).toBe(false);
      }
    } finally {
      writeFileSync(reportPath, original);
    }
    expect((await verifyExport(out)).ok).toBe(true);
  });

  it('detects a change to any byte of the output', async () => {
    const bytes = readFileSync(out);
    try {
      for (const at of [0, 100, bytes.length >> 1, bytes.length - 1]) {
        const bad = Buffer.from(bytes);
        bad[at] = bad[at]! ^ 0x01;
        writeFileSync(out, bad);
        const result = await verifyExport(out, { checkInput: false });
        expect(result.ok, `byte ${at}`).toBe(false);
        expect(result.checks.find((c) => c.name === 'output SHA-256')!.ok).toBe(false);
      }
    } finally {
      writeFileSync(out, bytes);
    }
  });
});

describe('review coverage at export', () => {
  it('refuses an incomplete review without a reason, and records the reason when given', async () => {
    const plan: RedactionPlan = { ...facePlan('redact', { kind: 'blur' }), tracks: [{ ...facePlan('redact', { kind: 'blur' }).tracks[0]!, decision: 'proposed', decidedBy: undefined }] };
    const watched = mergeWatched([[0, 4]]);
    const out = join(tmp.dir, 'review.mp4');
    const refused = exportRedacted({ sourcePath: clip, plan, outputPath: out, evidence: { review: { watched } } });
    await expect(refused).rejects.toThrow(UserError);
    await expect(refused).rejects.toThrow(/5 of 10 frames not watched, 1 proposal undecided/);
    const { report } = await exportRedacted({
      sourcePath: clip,
      plan,
      outputPath: out,
      evidence: { operator: 'carol', review: { watched, confirmation: { reason: 'remaining frames show only the ceiling' } } },
    });
    expect(report.review).toMatchObject({
      recorded: true,
      frameCount: 10,
      framesWatched: 5,
      shareWatched: 0.5,
      unwatched: [[5, 9]],
      undecided: [{ trackId: 'face', firstFrame: 0, lastFrame: 9 }],
      complete: false,
      confirmation: { reason: 'remaining frames show only the ceiling', by: 'carol' },
    });
  });
});
