import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain, type AuditEvent } from '../../common/audit-chain';
import { readAuditTrail } from '../../engine/case/audit-file';
import { osUserName } from '../../electron/services/app-services';
import { makeFaceClip, tempDir } from '../helpers/media';
import { chromiumAvailable, CHROMIUM, createCaseWithClip, detectAndWait, remoteRequests, ROOT, startHarness, type Harness, videoReady, openCase } from './harness';
import { storedTrail } from './stored';
import { drag, lanes, onVideo } from './pointer';

/**
 * Evidential integrity in the app, end to end (issue 4): the reviewer names themselves, watches part
 * of the clip frame by frame, leaves a detected proposal undecided, and exports. The dialog shows the
 * share watched and the undecided proposal and will not export until the reviewer confirms with a
 * reason. The sealed report carries operator, case, coverage, undecided count and reason; the case's
 * audit trail holds import, detection, edit, decision, review, export and verification events whose
 * chain verifies, anchored by the head the report recorded.
 */
const tmp = tempDir('redactor-e2e-evidence-');
let h: Harness;
let clip: string;

describe.skipIf(!chromiumAvailable())('evidence flow in Chromium (real services)', () => {
  beforeAll(async () => {
    clip = join(tmp.dir, 'bodycam 0077.mp4');
    makeFaceClip(clip, { seconds: 2, x: '40+5*n' });
    h = await startHarness({ dataDir: join(tmp.dir, 'proxies') });
  });
  afterAll(async () => {
    await h?.close();
    tmp.cleanup();
  });

  it('warns about an incomplete review, takes a reason, and both the report and the audit trail record it', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);

    // The user name defaults to the OS user and is a preference the reviewer can change.
    await expect.poll(() => page.getByTestId('user-name').textContent()).toBe(osUserName());
    await page.getByTestId('change-user').click();
    await page.getByTestId('user-name-input').fill('PC 1234 Smith');
    await page.getByTestId('save-user').click();
    await expect.poll(() => page.getByTestId('user-name').textContent()).toBe('PC 1234 Smith');

    await createCaseWithClip(h, 'Op Harbour 7/2026', clip);
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 0 / 59');
    await videoReady(page);

    // Nothing watched yet: the whole clip is one unwatched stretch on the timeline.
    expect(await page.getByTestId('timeline').getAttribute('data-unwatched')).toBe('0-59');
    // Step through frames 0..9 frame by frame; a jump of ten does not count as watched.
    for (let i = 1; i <= 9; i++) {
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe(`frame ${i} / 59`);
    }
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => page.getByTestId('frame-number').textContent()).toBe('frame 19 / 59');
    await expect.poll(() => page.getByTestId('timeline').getAttribute('data-unwatched')).toBe('10-59');

    // Detect: the proposal stays undecided. Draw a manual region and decide it (keep, with a reason).
    const detected = await detectAndWait(page);
    await page.getByTestId('draw').click();
    await drag(page, await onVideo(page, 450, 200), await onVideo(page, 560, 300));
    await expect.poll(() => lanes(page)).toBe(detected + 1);
    // "Other" needs free text: without it the decision is refused and says why.
    await page.getByTestId('keep-reason').selectOption('other');
    await page.getByTestId('reject').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Not decided: reason 'Other' needs a free-text explanation/);
    expect(await page.locator('[data-testid=selected-track] .badge').textContent()).toBe('redact');
    await page.getByTestId('keep-reason-text').fill('reflection of the officer in a window');
    await page.getByTestId('reject').click();
    await expect.poll(() => page.locator('[data-testid=selected-track] .badge').textContent()).toBe('keep');
    expect(await page.getByTestId('selected-reason').textContent()).toBe('Reason: Other: reflection of the officer in a window');

    // Export: warned, and the Export button stays disabled until confirmed with a reason.
    const out = join(tmp.dir, 'bodycam 0077.redacted.mp4');
    await page.getByTestId('open-export').click();
    h.nextSave = out;
    await page.getByRole('button', { name: 'Choose output…' }).click();
    await expect.poll(() => page.getByTestId('export-path').textContent()).toBe(out);
    expect(await page.getByTestId('coverage').textContent()).toMatch(/Watched 10 of 60 frames \(16\.6%\).*Not watched: 10–59/);
    expect(await page.getByTestId('undecided-warning').textContent()).toMatch(new RegExp(`${detected} proposals? (is|are) not decided`));
    await page.getByTestId('review-incomplete').waitFor();
    const exportButton = page.getByTestId('export');
    expect(await exportButton.isDisabled()).toBe(true);
    await page.getByTestId('confirm-incomplete').check();
    expect(await exportButton.isDisabled()).toBe(true);
    const reason = 'Urgent disclosure ordered by the court; remaining frames show an empty corridor';
    await page.getByTestId('confirm-reason').fill(reason);
    // Who it is disclosed to, and why (ICO guidance): into the report and the trail.
    await page.getByTestId('recipient').fill('CPS Wessex');
    await page.getByTestId('purpose').fill('IDPC service');
    expect(await exportButton.isDisabled()).toBe(false);
    await exportButton.click();
    await page.getByTestId('export-done').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('export-done').textContent()).toMatch(/Verified: 60 frames/);

    // The sealed report carries operator, case, the coverage figure, the undecided proposals and the reason.
    const report = JSON.parse(readFileSync(`${out}.report.json`, 'utf8'));
    expect(report.disclosure.operator).toBe('PC 1234 Smith');
    expect(report.disclosure.caseReference).toBe('Op Harbour 7/2026');
    expect([report.disclosure.recipient, report.disclosure.purpose]).toEqual(['CPS Wessex', 'IDPC service']);
    expect(report.review).toMatchObject({ recorded: true, frameCount: 60, framesWatched: 10, unwatched: [[10, 59]], complete: false });
    expect(report.review.shareWatched).toBeCloseTo(10 / 60, 10);
    expect(report.review.undecided).toHaveLength(detected);
    expect(report.review.confirmation).toMatchObject({ reason, by: 'PC 1234 Smith' });
    const kept = (report.redactions as Array<{ decision: string; decidedBy?: string; origin: string }>).filter((r) => r.decision === 'keep');
    expect(kept).toEqual([
      expect.objectContaining({ origin: 'manual', decidedBy: 'PC 1234 Smith', reason: 'other', reasonText: 'reflection of the officer in a window', reasonLabel: 'Other: reflection of the officer in a window' }),
    ]);

    // The audit trail: every action, by this user and tool version, in one chain the report anchors.
    await expect.poll(async () => (await storedTrail(page)).some((e) => e.type === 'verification')).toBe(true);
    const trail = await storedTrail(page);
    const types = trail.map((e) => e.type);
    for (const t of ['import', 'detection', 'edit', 'decision', 'review', 'export', 'verification'] as const) expect(types, t).toContain(t);
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    expect(trail.every((e) => e.user === 'PC 1234 Smith' && e.toolVersion === version)).toBe(true);
    expect(trail.find((e) => e.type === 'import')!.payload).toMatchObject({ path: clip, sha256: report.input.sha256 });
    // Drawing the region decided 'redact'; rejecting it decided 'keep', each with its reason and who.
    expect(trail.filter((e) => e.type === 'decision').map((e) => e.payload)).toEqual([
      expect.objectContaining({ decision: 'redact', reason: 'third-party-face', reasonLabel: 'Third-party face', decidedBy: 'PC 1234 Smith' }),
      expect.objectContaining({ decision: 'keep', reason: 'other', reasonLabel: 'Other: reflection of the officer in a window', decidedBy: 'PC 1234 Smith' }),
    ]);
    expect(trail.find((e) => e.type === 'review')!.payload).toMatchObject({ framesWatched: 10, frameCount: 60, confirmation: { reason } });
    expect(trail.find((e) => e.type === 'export')!.payload).toMatchObject({ inputSha256: report.input.sha256, outputSha256: report.output.sha256, outputPath: out, recipient: 'CPS Wessex', purpose: 'IDPC service' });
    const edit = trail.find((e) => e.type === 'edit' && (e.payload as { command: string }).command.startsWith('Reject'))!;
    expect((edit.payload as { before: { tracks: Array<{ decision: string }> } }).before.tracks[0]!.decision).not.toBe('keep');
    expect((edit.payload as { after: { tracks: Array<{ decision: string }> } }).after.tracks[0]!.decision).toBe('keep');
    // The head recorded in the report is the trail as the export began; the review it was made on and the
    // export itself follow it directly (recorded together, only once the export succeeded).
    const headAt = trail.findIndex((e) => e.seq === report.audit.head.seq);
    expect(trail[headAt]!.hash).toBe(report.audit.head.hash);
    expect(trail.slice(headAt + 1, headAt + 3).map((e) => e.type)).toEqual(['review', 'export']);
    expect(await verifyChain(trail, report.audit.head)).toMatchObject({ intact: true, events: trail.length });
    // Tampering with a stored event is caught.
    const forged = structuredClone(trail);
    (forged.filter((e) => e.type === 'decision')[1]!.payload as { reason: string }).reason = 'third-party-face';
    expect(await verifyChain(forged)).toMatchObject({ intact: false, problem: 'changed' });

    // The app checks the chain too, and says so.
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('verify-audit').click();
    await expect.poll(() => page.getByTestId('audit-verdict').textContent()).toMatch(/Audit trail intact: \d+ events/);

    // The trail can be exported; the file holds the whole chain, which verifies against the report's head.
    const auditFile = join(tmp.dir, 'Op Harbour 7_2026.audit.json');
    h.nextSave = auditFile;
    await page.getByTestId('export-audit').click();
    await expect.poll(() => page.getByTestId('audit-verdict').textContent()).toMatch(/Saved \d+ audit events to /);
    const saved = readAuditTrail(auditFile);
    expect(await verifyChain(saved.events, report.audit.head)).toMatchObject({ intact: true, events: trail.length + 1 });
    expect((saved.events as AuditEvent[]).at(-1)).toMatchObject({ type: 'verification', payload: { target: 'audit trail', intact: true } });

    // The app shows the trail in words: one line per event, in order, by whom, naming the clip and the export.
    await page.getByTestId('show-audit').click();
    const lines = page.getByTestId('audit-event');
    await expect.poll(() => lines.count()).toBe((saved.events as AuditEvent[]).length);
    const texts = await lines.allTextContents();
    expect(texts[0]).toMatch(/^#1.*PC 1234 Smith/);
    expect(texts.some((t) => /Imported .*\.mp4 \(\d+ bytes, SHA-256 [0-9a-f]{12}…\)/.test(t))).toBe(true);
    expect(texts.some((t) => t.includes(`Exported `) && t.includes('for CPS Wessex (IDPC service)') && t.includes(report.output.sha256.slice(0, 12)))).toBe(true);
    expect(texts.at(-1)).toMatch(/Verified audit trail: intact$/);
    await page.screenshot({ path: join(ROOT, 'test-results', 'screenshots', '11-audit-trail.png') });
    await page.getByTestId('show-audit').click();
    await expect.poll(() => lines.count()).toBe(0);

    // The next export of the case starts from the same recipient and purpose.
    await page.getByTestId('open-export').click();
    await expect.poll(() => page.getByTestId('recipient').inputValue()).toBe('CPS Wessex');
    expect(await page.getByTestId('purpose').inputValue()).toBe('IDPC service');
    await page.getByRole('button', { name: 'Close' }).click();

    // Coverage is stored per clip: after a reload the timeline still shows only 10–59 unwatched.
    await page.reload();
    await openCase(page, 'Op Harbour 7/2026');
    await page.getByTestId('clip').first().click();
    await expect.poll(() => page.getByTestId('timeline').getAttribute('data-unwatched')).toBe('10-59');
    await expect.poll(() => page.getByTestId('user-name').textContent()).toBe('PC 1234 Smith');

    expect(h.pageErrors).toEqual([]);
    expect(remoteRequests(h.requests, h.origin)).toEqual([]);
  });
});

describe.skipIf(chromiumAvailable())('evidence flow (no Chromium)', () => {
  it.skip(`skipped: no Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium"`, () => {});
});
