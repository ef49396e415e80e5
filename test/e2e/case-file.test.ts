import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain, type AuditEvent } from '../../common/audit-chain';
import { readCaseFile } from '../../engine/case/case-file';
import { makeFaceClip, tempDir } from '../helpers/media';
import { chromiumAvailable, CHROMIUM, createCaseWithClip, detectAndWait, remoteRequests, startHarness, type Harness, videoReady, openCase } from './harness';
import { drag, lanes, onVideo } from './pointer';
import { storedRows, storedTrail } from './stored';

/**
 * Case files end to end (issue 4): a reviewer detects, decides and watches part of a clip, and exports
 * the case file. In a fresh profile (another machine: empty IndexedDB, no files opened) the case file
 * is imported: the clip is re-hashed, and tracks, decisions, coverage and the audit trail are all
 * there, with the import on the chain. Importing it again is refused. A case file with an edited
 * audit event is refused. After one byte of the clip changes, an import marks the clip refused: it
 * will not open, the app says why and to locate the original, and the original, once located, opens.
 */
const tmp = tempDir('redactor-e2e-case-');
const harnesses: Harness[] = [];
let clip: string;
let original: string;
let casePath: string;
let exported: ReturnType<typeof readCaseFile>;
let detected = 0;

async function fresh(): Promise<Harness> {
  const h = await startHarness({ dataDir: join(tmp.dir, `proxies-${harnesses.length}`) });
  harnesses.push(h);
  await h.page.goto(`${h.origin}/`);
  await h.page.getByTestId('case-list').waitFor();
  return h;
}


async function importCaseFile(h: Harness, path: string): Promise<string> {
  h.nextOpen = [path];
  await h.page.getByTestId('import-case').click();
  await h.page.getByTestId('case-import-result').waitFor({ timeout: 120_000 });
  return (await h.page.getByTestId('case-import-result').textContent()) ?? '';
}

describe.skipIf(!chromiumAvailable())('case file in Chromium (real services)', () => {
  beforeAll(() => {
    clip = join(tmp.dir, 'bodycam 0101.mp4');
    makeFaceClip(clip, { seconds: 2, x: '40+5*n' });
    // A copy kept elsewhere, as an evidence store would.
    mkdirSync(join(tmp.dir, 'evidence-store'));
    original = join(tmp.dir, 'evidence-store', 'bodycam 0101.mp4');
    copyFileSync(clip, original);
    casePath = join(tmp.dir, 'Op Keel 3_2026.case.json');
  });
  afterEach(() => {
    for (const h of harnesses) expect(h.pageErrors).toEqual([]);
  });
  afterAll(async () => {
    for (const h of harnesses) {
      expect(remoteRequests(h.requests, h.origin)).toEqual([]);
      await h.close();
    }
    tmp.cleanup();
  });

  it('exports a case file, imports it whole into a fresh profile, and refuses it twice', async () => {
    const a = await fresh();
    await createCaseWithClip(a, 'Op Keel 3/2026', clip);
    await videoReady(a.page);
    detected = await detectAndWait(a.page);
    // A manual region, kept with a reason: a decision the case file must carry.
    await a.page.getByTestId('draw').click();
    await drag(a.page, await onVideo(a.page, 450, 200), await onVideo(a.page, 560, 300));
    await expect.poll(() => lanes(a.page)).toBe(detected + 1);
    await a.page.getByTestId('keep-reason').selectOption('not-a-face');
    await a.page.getByTestId('reject').click();
    await expect.poll(() => a.page.locator('[data-testid=selected-track] .badge').textContent()).toBe('keep');
    // Step through frames 0..4: review coverage, written to the store within a second.
    for (let i = 1; i <= 4; i++) {
      await a.page.keyboard.press('ArrowRight');
      await expect.poll(() => a.page.getByTestId('frame-number').textContent()).toBe(`frame ${i} / 59`);
    }
    await expect.poll(async () => (await storedRows<{ intervals: number[][] }>(a.page, 'watched'))[0]?.intervals).toEqual([[0, 4]]);

    a.nextSave = casePath;
    await a.page.getByTestId('export-case').click();
    await expect.poll(() => a.page.getByTestId('case-export-verdict').textContent()).toMatch(/Saved the case file \(1 clip, \d+ audit events\) to .*Op Keel 3_2026\.case\.json/);

    // The file: the clip by path and hash, every track and decision, coverage, and the trail with its head.
    exported = readCaseFile(casePath);
    const sourceTrail = await storedTrail(a.page);
    expect(exported.reference).toBe('Op Keel 3/2026');
    expect(exported.clips).toHaveLength(1);
    const c = exported.clips[0]!;
    expect(c.path).toBe(clip);
    expect(c.sha256).toBe(sourceTrail.find((e) => e.type === 'import')!.payload.sha256);
    expect(c.probe.formatName).toMatch(/mp4/);
    expect(c.plan.tracks).toHaveLength(detected + 1);
    expect(c.plan.tracks.filter((t) => t.decision === 'keep')).toEqual([expect.objectContaining({ reason: 'not-a-face', provenance: expect.objectContaining({ origin: 'manual' }) })]);
    expect(c.watched).toEqual([[0, 4]]);
    expect(exported.audit.map((e) => e.type)).toEqual(expect.arrayContaining(['import', 'detection', 'edit', 'decision']));
    expect(await verifyChain(exported.audit, exported.auditHead)).toMatchObject({ intact: true, events: exported.audit.length });
    // The export itself is recorded after the file was written, naming the head it holds.
    expect(sourceTrail.at(-1)).toMatchObject({ type: 'case', payload: { action: 'exported', path: casePath, auditHead: exported.auditHead } });

    // A fresh profile: no cases, and no file opened.
    const b = await fresh();
    expect(await b.page.getByTestId('open-case').count()).toBe(0);
    expect(await importCaseFile(b, casePath)).toMatch(/Imported case “Op Keel 3\/2026”: 1 clip, each re-hashed and matching/);
    expect(await b.page.locator('[data-testid=case-import-result] li[data-status=matches]').count()).toBe(1);
    await openCase(b.page, 'Op Keel 3/2026');
    await b.page.getByTestId('clip').first().click();
    await b.page.getByTestId('video').waitFor();
    await videoReady(b.page);
    await expect.poll(() => lanes(b.page)).toBe(detected + 1);
    await expect.poll(() => b.page.getByTestId('timeline').getAttribute('data-unwatched')).toBe('5-59');
    await b.page.mouse.click(...(Object.values(await onVideo(b.page, 505, 250)) as [number, number]));
    await expect.poll(() => b.page.locator('[data-testid=selected-track] .badge').textContent()).toBe('keep');
    const tracks = await storedRows<{ clipId: string; track: { decision: string; reason: string } }>(b.page, 'tracks');
    expect(tracks.map((r) => r.track).sort((x, y) => x.decision.localeCompare(y.decision))).toEqual([...c.plan.tracks].sort((x, y) => x.decision.localeCompare(y.decision)));
    expect(tracks.filter((r) => r.track.decision === 'keep').map((r) => r.track.reason)).toEqual(['not-a-face']);

    // The trail: the file's, event for event, then the import, on one chain the app checks.
    const imported = await storedTrail(b.page);
    expect(imported.slice(0, exported.audit.length)).toEqual(exported.audit);
    expect(imported[exported.audit.length]).toMatchObject({ type: 'case', payload: { action: 'imported', from: casePath, auditHead: exported.auditHead, clips: [{ clipId: c.id, status: 'matches', sha256: c.sha256 }] } });
    await b.page.getByTestId('verify-audit').click();
    await expect.poll(async () => (await b.page.getByTestId('audit-verdict').textContent())?.trim()).toBe(`Audit trail intact: ${exported.audit.length + 1} events`);

    // The same case file again: refused, since the case is already here.
    await b.page.getByTestId('back-to-cases').click();
    expect(await importCaseFile(b, casePath)).toMatch(/Case file NOT imported: .*already in the app as “Op Keel 3\/2026”/);
    expect(await b.page.getByTestId('open-case').count()).toBe(1);
  });

  it('refuses a case file with an edited audit event, and imports nothing', async () => {
    const b = harnesses[1]!;
    await b.page.reload();
    await b.page.getByTestId('case-list').waitFor();
    const json = JSON.parse(readFileSync(casePath, 'utf8'));
    const decision = (json.audit as AuditEvent[]).find((e) => e.type === 'decision' && e.payload.decision === 'keep')!;
    decision.payload.decision = 'redact';
    const tampered = join(tmp.dir, 'tampered.case.json');
    writeFileSync(tampered, JSON.stringify(json));
    const text = await importCaseFile(b, tampered);
    expect(text).toMatch(new RegExp(`Case file NOT imported: tampered\\.case\\.json refused: its audit trail is not intact \\(changed\\): event #${decision.seq} \\(decision, .*\\) was changed after it was recorded`));
    expect(await b.page.getByTestId('open-case').count()).toBe(1);
    expect((await storedRows(b.page, 'cases')).length).toBe(1);
  });

  it('after one byte of the clip changed, the clip is refused with the reason until its original is located', async () => {
    const bytes = readFileSync(clip);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01;
    writeFileSync(clip, bytes);

    const d = await fresh();
    const text = await importCaseFile(d, casePath);
    expect(text).toMatch(/Imported case “Op Keel 3\/2026”, but 1 of 1 clips is REFUSED: bodycam 0101\.mp4 \(hash differs: not the recorded file\)\. Open the case and locate the originals\./);
    expect(await d.page.locator('[data-testid=case-import-result] li[data-status=hash-differs]').count()).toBe(1);
    await openCase(d.page, 'Op Keel 3/2026');
    const item = d.page.getByTestId('clip').first();
    expect(await item.getAttribute('data-refused')).toBe('hash-differs');
    await item.click();
    await d.page.getByTestId('clip-refused').waitFor();
    expect(await d.page.getByTestId('refused-reason').textContent()).toMatch(/not the footage this case was made from: its SHA-256 differs .* the app will not open this clip for editing or export it/);
    expect(await d.page.getByTestId('refused-detail').textContent()).toContain(`the case recorded ${exported.clips[0]!.sha256}`);
    expect(await d.page.getByTestId('clip-refused').textContent()).toMatch(/locate the original file, the one with SHA-256 [0-9a-f]{64}/);
    // No editor, no player, no export; and the main process will not serve the changed file either.
    expect(await d.page.getByTestId('video').count()).toBe(0);
    expect(await d.page.getByTestId('open-export').count()).toBe(0);
    const served = await d.page.evaluate((p) => (globalThis as any).redactor.invoke('mediaUrl', { path: p }), clip);
    expect(served).toMatchObject({ ok: false, error: { code: 'forbidden-path' } });

    // The changed file is not accepted as the original; the copy in the evidence store is.
    d.nextOpen = [clip];
    await d.page.getByTestId('locate-original').click();
    await expect.poll(() => d.page.getByTestId('locate-problem').textContent(), { timeout: 60_000 }).toMatch(/is not the original of bodycam 0101\.mp4: its SHA-256 is [0-9a-f]{64}, the case recorded/);
    d.nextOpen = [original];
    await d.page.getByTestId('locate-original').click();
    await d.page.getByTestId('video').waitFor({ timeout: 60_000 });
    await expect.poll(() => lanes(d.page)).toBe(detected + 1);
    expect(await d.page.getByTestId('clip').first().getAttribute('data-refused')).toBeNull();
    const t = await storedTrail(d.page);
    expect(t.at(-1)).toMatchObject({ type: 'import', payload: { path: original, sha256: exported.clips[0]!.sha256, located: true, previousPath: clip } });
    expect(await verifyChain(t)).toMatchObject({ intact: true });
  });
});

describe.skipIf(chromiumAvailable())('case file (no Chromium)', () => {
  it.skip(`skipped: no Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium"`, () => {});
});
