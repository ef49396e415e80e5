import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent } from '../../common/audit-chain';
import { parseCaseFile } from '../../common/case-file';
import { exportBundle } from '../../engine/bundle/bundle';
import { importCase, readCaseFile, writeCaseFile } from '../../engine/case/case-file';
import { UserError } from '../../engine/errors';
import { findChromium } from '../../engine/report/pdf';
import { redactor } from '../helpers/cli';
import { makeClip, makeFaceClip, tempDir } from '../helpers/media';
import { manualTrack, recordRegions } from '../helpers/plans';

const tmp = tempDir('redactor-case-');
afterAll(tmp.cleanup);
let casePath: string;

beforeAll(async () => {
  makeClip(join(tmp.dir, 'front door.mp4'), { seconds: 1 });
  makeClip(join(tmp.dir, 'street.mp4'), { seconds: 1, source: 'testsrc' });
  casePath = join(tmp.dir, 'case.json');
  const r = await redactor(['case', 'new', join(tmp.dir, 'front door.mp4'), join(tmp.dir, 'street.mp4'), '-o', casePath, '--reference', 'OP-42/2026', '--user', 'alice']);
  expect(r.code, r.stderr).toBe(0);
  // A decided region in the first clip, and its frames watched, saved as the app saves a case (sealed, with the trail's head).
  const c = readCaseFile(casePath);
  c.clips[0]!.plan.tracks = [manualTrack('door', [{ frame: 0, x: 10, y: 10, w: 60, h: 60 }], { decidedBy: 'alice' })];
  c.audit = await recordRegions(c.audit, 'front-door', c.clips[0]!.plan.tracks);
  c.clips[0]!.watched = [[0, 29]];
  writeCaseFile(casePath, c, { overwrite: true });
});

describe('case file', () => {
  it('records clips by path, hash and probe facts, with an import event each, and verifies', async () => {
    const c = parseCaseFile(JSON.parse(readFileSync(casePath, 'utf8')));
    expect(c.reference).toBe('OP-42/2026');
    expect(c.clips.map((x) => x.id)).toEqual(['front-door', 'street']);
    expect(c.clips[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(c.clips[0]!.probe.video.frameCount).toBe(30);
    expect(c.audit.map((e) => e.type)).toEqual(['case', 'import', 'import', 'edit']);
    expect(c.auditHead).toEqual({ seq: 4, hash: c.audit[3]!.hash });
    const v = await redactor(['case', 'verify', casePath]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toMatch(/ok {4}audit trail: intact: 4 events/);
    expect(v.stdout).toMatch(/ok {4}regions of clip front-door \(front door\.mp4\): 1 regions and 0 audio ranges, as the audit trail records them/);
    expect(v.stdout).toMatch(/intact: case OP-42\/2026/);
  });

  it('`case new --detect` records the proposals themselves in the trail, so verify can account for every region', async () => {
    const face = makeFaceClip(join(tmp.dir, 'face.mp4'), { seconds: 1, x: '100+4*n' });
    const detected = join(tmp.dir, 'detected.case.json');
    const r = await redactor(['case', 'new', face, '-o', detected, '--reference', 'OP-43/2026', '--user', 'alice', '--detect']);
    expect(r.code, r.stderr).toBe(0);
    const c = readCaseFile(detected);
    expect(c.clips[0]!.plan.tracks.length).toBeGreaterThan(0);
    expect(c.audit.map((e) => e.type)).toEqual(['case', 'import', 'detection', 'edit']);
    let v = await redactor(['case', 'verify', detected]);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toMatch(new RegExp(`ok {4}regions of clip face \\(face\\.mp4\\): ${c.clips[0]!.plan.tracks.length} regions and 0 audio ranges, as the audit trail records them`));
    // A box moved in the file by hand: the clip and the trail are intact, the regions are not accounted for.
    c.clips[0]!.plan.tracks[0]!.keyframes[0]!.y += 50;
    writeFileSync(detected, JSON.stringify(c, null, 2));
    v = await redactor(['case', 'verify', detected]);
    expect(v.code).toBe(7);
    expect(v.stdout).toMatch(/ok {4}audit trail: intact/);
    expect(v.stdout).toMatch(new RegExp(`FAIL {2}regions of clip face \\(face\\.mp4\\): face\\.mp4: region ${c.clips[0]!.plan.tracks[0]!.id} differs from the audit trail's record of it`));
    await expect(importCase(detected)).rejects.toThrow(/refused, nothing was imported: regions of clip face/);
  });

  it('refuses to import a case whose clip changed, names the clip, and changes nothing', async () => {
    const dir = tempDir('redactor-case-changed-');
    try {
      copyFileSync(join(tmp.dir, 'front door.mp4'), join(dir.dir, 'front door.mp4'));
      copyFileSync(join(tmp.dir, 'street.mp4'), join(dir.dir, 'street.mp4'));
      const c = readCaseFile(casePath);
      for (const clip of c.clips) clip.path = clip.name; // relative to the case file
      const moved = join(dir.dir, 'case.json');
      writeFileSync(moved, JSON.stringify(c));
      expect((await importCase(moved)).reference).toBe('OP-42/2026');
      const bytes = readFileSync(join(dir.dir, 'street.mp4'));
      bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
      writeFileSync(join(dir.dir, 'street.mp4'), bytes);
      const before = readFileSync(moved, 'utf8');
      await expect(importCase(moved)).rejects.toThrow(UserError);
      await expect(importCase(moved)).rejects.toThrow(/refused.*clip street \(street\.mp4\): .* has SHA-256 [0-9a-f]{64} .*the case recorded/);
      expect(readFileSync(moved, 'utf8')).toBe(before);
      const v = await redactor(['verify', moved]);
      expect(v.code).toBe(7);
      expect(v.stdout).toMatch(/FAIL {2}clip street/);
      expect(v.stdout).toMatch(/ok {4}clip front-door/);
    } finally {
      dir.cleanup();
    }
  });

  it('reports a tampered audit trail exactly', async () => {
    const c = JSON.parse(readFileSync(casePath, 'utf8'));
    c.audit[1].payload.sha256 = 'f'.repeat(64);
    const bad = join(tmp.dir, 'tampered-case.json');
    writeFileSync(bad, JSON.stringify(c));
    const v = await redactor(['case', 'verify', bad]);
    expect(v.code).toBe(7);
    expect(v.stdout).toMatch(/FAIL {2}audit trail: changed: event #2 \(import, .*alice\) was changed after it was recorded/);
  });

  it('finds the hand edits the audit trail does not record: watched frames, a trim, the reference, the clips, a trail cut short with its head', async () => {
    // One more event that changes no region, so cutting it off leaves every region accounted for.
    const made = readCaseFile(casePath);
    made.audit = await appendEvent(made.audit, { type: 'verification', user: 'alice', toolVersion: 'test', payload: { target: 'case.json', intact: true } });
    const sealed = join(tmp.dir, 'sealed.case.json');
    writeCaseFile(sealed, made);
    const v = await redactor(['case', 'verify', sealed]);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toMatch(/ok {4}case file seal: the case file is as written/);
    expect(v.stdout).toMatch(/ok {4}clips of the case: 2 clips, each as the audit trail imported it/);

    const sealBroken = /FAIL {2}case file seal: the case file was changed after it was written/;
    const edits: Array<[string, (c: any) => void, RegExp[]]> = [
      ['watched frames', (c) => (c.clips[1].watched = [[0, 29]]), []],
      ['a trim', (c) => (c.clips[0].plan.trim = { startFrame: 5, endFrame: 9 }), []],
      ['the reference', (c) => (c.reference = 'OP-99/2026'), []],
      ['a clip removed', (c) => c.clips.pop(), [/FAIL {2}clips of the case: clip street \(street\.mp4\), imported in audit event #3, is missing from the case file/]],
      ['a clip added', (c) => c.clips.push({ ...c.clips[1], id: 'yard' }), [/FAIL {2}clips of the case: clip yard \(street\.mp4\) is not in the audit trail/]],
      ['the trail cut short with its head', (c) => {
        c.audit.pop();
        c.auditHead = { seq: c.audit.length, hash: c.audit.at(-1).hash };
      }, [/ok {4}audit trail: intact: 4 events/]],
    ];
    for (const [what, edit, more] of edits) {
      const c = JSON.parse(readFileSync(sealed, 'utf8'));
      edit(c);
      const edited = join(tmp.dir, `edited ${what}.case.json`);
      writeFileSync(edited, JSON.stringify(c, null, 2));
      const r = await redactor(['case', 'verify', edited]);
      expect(r.code, `${what}: ${r.stdout}`).toBe(7);
      for (const pattern of [sealBroken, ...more]) expect(r.stdout, what).toMatch(pattern);
      expect(r.stdout, what).toMatch(/NOT INTACT: case/);
    }
    await expect(importCase(join(tmp.dir, 'edited watched frames.case.json'))).rejects.toThrow(/refused, nothing was imported: case file seal/);

    // A file written before case files were sealed still verifies, saying what it cannot rule out; the
    // clips are still checked against the trail's imports.
    const old = JSON.parse(readFileSync(sealed, 'utf8'));
    delete old.seal;
    const unsealed = join(tmp.dir, 'unsealed.case.json');
    writeFileSync(unsealed, JSON.stringify(old));
    const u = await redactor(['case', 'verify', unsealed]);
    expect(u.code, u.stdout).toBe(0);
    expect(u.stdout).toMatch(/ok {4}case file seal: not checked: the case file has no seal/);
    expect(u.stdout).toMatch(/ok {4}audit trail: intact: 5 events, .*no seal, so events cut from the trail's end together with its recorded head cannot be ruled out/);
    old.clips.pop();
    writeFileSync(unsealed, JSON.stringify(old));
    const w = await redactor(['case', 'verify', unsealed]);
    expect(w.code).toBe(7);
    expect(w.stdout).toMatch(/FAIL {2}clips of the case: clip street \(street\.mp4\), imported in audit event #3, is missing/);
  });

  it('rejects a malformed case file with the path of the fault', async () => {
    const c = JSON.parse(readFileSync(casePath, 'utf8'));
    c.clips[1].plan.source.sha256 = c.clips[0].sha256;
    const bad = join(tmp.dir, 'malformed-case.json');
    writeFileSync(bad, JSON.stringify(c));
    const v = await redactor(['case', 'verify', bad]);
    expect(v.code).toBe(3);
    expect(v.stderr).toMatch(/clips\.1\.plan\.source\.sha256: the clip's plan is for another file/);
  });
});

describe('disclosure bundle', () => {
  let bundle: string;

  it('refuses an incomplete review without a reason, and leaves no folder', async () => {
    const out = join(tmp.dir, 'refused-bundle');
    const r = await redactor(['bundle', casePath, '-o', out]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/review is incomplete .*confirm with a reason/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it('exports the chosen clips, one trimmed, with a report each and a manifest that matches the files', async () => {
    bundle = join(tmp.dir, 'bundle OP-42');
    const r = await redactor(['bundle', casePath, '-o', bundle, '--clip', 'front-door', '--clip', 'street:5-14', '--operator', 'bob', '--recipient', 'CPS Wessex', '--purpose', 'IDPC service', '--confirm-reason', 'street clip shows no people']);
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(bundle).sort();
    expect(files).toEqual([
      '01-front-door.redacted.mp4', '01-front-door.redacted.mp4.report.html', '01-front-door.redacted.mp4.report.json',
      '02-street.redacted.mp4', '02-street.redacted.mp4.report.html', '02-street.redacted.mp4.report.json', 'manifest.json',
    ]);
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8'));
    expect(manifest.caseReference).toBe('OP-42/2026');
    // Who it is disclosed to and why (ICO), in the sealed manifest, every report and its HTML.
    expect([manifest.recipient, manifest.purpose]).toEqual(['CPS Wessex', 'IDPC service']);
    expect(manifest.clips.map((c: { frames: number; trim: unknown }) => [c.frames, c.trim])).toEqual([[30, null], [10, { startFrame: 5, endFrame: 14 }]]);
    const { createHash } = await import('node:crypto');
    for (const f of manifest.files) expect(createHash('sha256').update(readFileSync(join(bundle, f.file))).digest('hex'), f.file).toBe(f.sha256);
    expect(manifest.files.map((f: { file: string }) => f.file)).toEqual(files.filter((f) => f !== 'manifest.json'));
    const report = JSON.parse(readFileSync(join(bundle, '02-street.redacted.mp4.report.json'), 'utf8'));
    expect(report.output.path).toBe(join(bundle, '02-street.redacted.mp4'));
    expect(report.disclosure).toMatchObject({ caseReference: 'OP-42/2026', operator: 'bob', recipient: 'CPS Wessex', purpose: 'IDPC service' });
    expect(readFileSync(join(bundle, '02-street.redacted.mp4.report.html'), 'utf8')).toMatch(/Disclosed to<\/th>\s*<td>CPS Wessex<\/td>[\s\S]*Purpose of disclosure<\/th>\s*<td>IDPC service<\/td>/);
    expect(report.review.confirmation).toMatchObject({ reason: 'street clip shows no people', by: 'bob' });
    expect(report.audit.head).toEqual(manifest.auditHead);
    const v = await redactor(['verify', bundle]);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toMatch(/intact: bundle .* matches its manifest/);
  });

  it('detects a changed, missing or added file, and a changed manifest', async () => {
    const victim = join(bundle, '01-front-door.redacted.mp4.report.html');
    const original = readFileSync(victim);
    writeFileSync(victim, Buffer.concat([original, Buffer.from(' ')]));
    let v = await redactor(['verify', bundle]);
    expect(v.code).toBe(7);
    expect(v.stdout).toMatch(/FAIL {2}file 01-front-door\.redacted\.mp4\.report\.html: .*manifest says/);
    writeFileSync(victim, original);

    writeFileSync(join(bundle, 'extra.txt'), 'x');
    v = await redactor(['verify', bundle]);
    expect(v.stdout).toMatch(/FAIL {2}file extra\.txt: not listed/);
    const { rmSync } = await import('node:fs');
    rmSync(join(bundle, 'extra.txt'));

    const manifestPath = join(bundle, 'manifest.json');
    const m = readFileSync(manifestPath, 'utf8');
    writeFileSync(manifestPath, m.replace('"operator": "bob"', '"operator": "eve"'));
    v = await redactor(['verify', bundle]);
    expect(v.stdout).toMatch(/FAIL {2}manifest seal/);
    writeFileSync(manifestPath, m);

    const video = join(bundle, '02-street.redacted.mp4');
    const bytes = readFileSync(video);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 1;
    writeFileSync(video, bytes);
    v = await redactor(['verify', bundle]);
    expect(v.stdout).toMatch(/FAIL {2}file 02-street\.redacted\.mp4/);
    expect(v.stdout).toMatch(/FAIL {2}clip 2 \(street\) against its report: output SHA-256/);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 1;
    writeFileSync(video, bytes);
    expect((await redactor(['verify', bundle])).code).toBe(0);
  });

  it('refuses an existing folder and an unknown clip, leaving nothing behind', async () => {
    await expect(exportBundle({ casePath, outDir: bundle, confirmation: { reason: 'x' } })).rejects.toThrow(/already exists/);
    await expect(exportBundle({ casePath, outDir: join(tmp.dir, 'b2'), clips: [{ clipId: 'nope' }], confirmation: { reason: 'x' } })).rejects.toThrow(/no clip 'nope'/);
    expect(existsSync(join(tmp.dir, 'b2'))).toBe(false);
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.partial'))).toEqual([]);
  });
});

describe('verify with the audit trail, and the disclosure report', () => {
  it('checks the trail a report anchors, and says exactly what differs', async () => {
    const bundle = join(tmp.dir, 'bundle OP-42');
    const out = join(bundle, '01-front-door.redacted.mp4');
    let v = await redactor(['verify', out, '--audit', casePath]);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toMatch(/ok {4}audit trail: intact: 4 events, including the head this report recorded \(#4\)/);
    const c = JSON.parse(readFileSync(casePath, 'utf8'));
    const cut = join(tmp.dir, 'cut-trail.json');
    writeFileSync(cut, JSON.stringify({ events: c.audit.slice(0, 3) }));
    v = await redactor(['verify', out, '--audit', cut]);
    expect(v.code).toBe(7);
    expect(v.stdout).toMatch(/FAIL {2}audit trail: truncated: the trail ends at event #3, but the record says it reached #4/);
  });

  it('writes a self-contained HTML report a court can read, and a PDF where Chromium is found', async () => {
    const reportJson = join(tmp.dir, 'bundle OP-42', '01-front-door.redacted.mp4.report.json');
    const html = join(tmp.dir, 'disclosure.html');
    const r = await redactor(['report', reportJson, '-o', html, '--pdf']);
    expect(r.code, r.stderr).toBe(0);
    const page = readFileSync(html, 'utf8');
    const report = JSON.parse(readFileSync(reportJson, 'utf8'));
    for (const needle of ['OP-42/2026', 'bob', report.input.sha256, report.output.sha256, 'Third-party face', '00:00:00:00 (00:00:00.000)', 'alice', 'Review coverage', '30 of 30 (100.0%)', 'Leak check', report.commands[0].commandLine.slice(0, 40).replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;')]) {
      expect(page, needle).toContain(needle);
    }
    expect(page).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(page).not.toMatch(/<script/i);
    if (findChromium()) {
      expect(readFileSync(join(tmp.dir, 'disclosure.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    } else {
      expect(r.stderr).toMatch(/PDF skipped: no Chromium found/);
    }
    const noChromium = await redactor(['report', reportJson, '-o', join(tmp.dir, 'd2.html'), '--pdf'], { env: { PATH: '/nonexistent', REDACTOR_CHROMIUM: '' } });
    expect(noChromium.code, noChromium.stderr).toBe(0);
    expect(noChromium.stderr).toMatch(/PDF skipped: no Chromium found/);
  });
});
