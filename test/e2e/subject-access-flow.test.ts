import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain, type AuditEvent } from '../../common/audit-chain';
import { sha256File } from '../../engine/media/hash';
import { redactor } from '../helpers/cli';
import { makeClip, monoPcm, rmsBetween, tempDir } from '../helpers/media';
import { chromiumAvailable, createCaseWithClip, ROOT, showCaseList, startHarness, type Harness } from './harness';
import { drag, lanes, onVideo } from './pointer';
import { storedRows, storedTrail } from './stored';

/**
 * Subject access and the case lifecycle in the app (issue 22). The reviewer marks the requester in the
 * inspector, exports in "everything else" mode with a request reference, and the report and the audit
 * trail record it. Then the case's retention date is changed with a reason (it is due), and the case is
 * deleted: its playable copy goes, the original and the export stay byte for byte, and the deletion log
 * records the case with the trail's head.
 */
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const tmp = tempDir('redactor-e2e-sar-');
let h: Harness;
let clip: string;
let dataDir: string;

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

describe.skipIf(!chromiumAvailable())('subject access and case deletion in Chromium (real services)', () => {
  beforeAll(async () => {
    // An MJPEG AVI: Chromium cannot play it, so the app makes a playable copy, a working file.
    clip = makeClip(join(tmp.dir, 'bodycam 0091.avi'), { width: 640, height: 360, seconds: 2, audio: true, extra: ['-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', '-c:a', 'pcm_s16le'] });
    dataDir = join(tmp.dir, 'app data');
    mkdirSync(dataDir);
    h = await startHarness({ dataDir });
  });
  afterAll(async () => {
    await h?.close();
    tmp.cleanup();
  });

  it('marks a requester, exports for a subject access request, then changes the retention and deletes the case', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);
    await createCaseWithClip(h, 'SAR 2026-0042', clip);
    await expect.poll(() => page.getByTestId('frame-number').textContent(), { timeout: 60_000 }).toBe('frame 0 / 59');
    // The playable copy is made in the case's folder under the app's data folder, nothing beside the original.
    await expect.poll(() => existsSync(join(dataDir, 'cases')) && readdirSync(join(dataDir, 'cases')).length, { timeout: 60_000 }).toBe(1);
    const caseKey = readdirSync(join(dataDir, 'cases'))[0]!;
    await expect.poll(() => readdirSync(join(dataDir, 'cases', caseKey, 'proxies')).filter((f) => f.endsWith('.proxy.mp4')).length, { timeout: 60_000 }).toBe(1);
    expect(readdirSync(tmp.dir).sort()).toEqual(['app data', 'bodycam 0091.avi']);

    // Two people: the requester on the left (marked in the inspector), someone else on the right.
    await page.getByTestId('draw').click();
    await drag(page, await onVideo(page, 60, 80), await onVideo(page, 200, 260));
    await expect.poll(() => lanes(page)).toBe(1);
    await page.getByTestId('requester').click();
    await expect.poll(() => page.getByTestId('requester').isChecked()).toBe(true);
    await page.getByTestId('draw').click();
    await drag(page, await onVideo(page, 400, 60), await onVideo(page, 560, 240));
    await expect.poll(() => lanes(page)).toBe(2);
    expect(await page.getByTestId('requester').isChecked()).toBe(false);
    const tracks = (await storedRows<{ id: string; track: { id: string; requester?: boolean } }>(page, 'tracks')).map((r) => r.track);
    const requester = tracks.find((t) => t.requester)!;
    const other = tracks.find((t) => !t.requester)!;
    expect(requester && other).toBeTruthy();

    const out = join(tmp.dir, 'exports', 'bodycam 0091.sar.mp4');
    mkdirSync(join(tmp.dir, 'exports'));
    await page.getByTestId('open-export').click();
    h.nextSave = out;
    await page.getByRole('button', { name: 'Choose output…' }).click();
    await expect.poll(() => page.getByTestId('export-path').textContent()).toBe(out);
    await page.getByTestId('confirm-incomplete').check();
    await page.getByTestId('confirm-reason').fill('test clip');
    await page.getByTestId('subject-access').check();
    const exportButton = page.getByTestId('export');
    // No request reference yet: no export.
    expect(await exportButton.isDisabled()).toBe(true);
    await page.getByTestId('request-ref').fill('SAR-2026-0042');
    expect(await page.getByTestId('subject-mode').inputValue()).toBe('everything-else');
    // Sound only where the requester speaks: a malformed list is refused.
    await page.getByTestId('subject-speech').fill('0.5-');
    expect(await exportButton.isDisabled()).toBe(true);
    await page.getByTestId('subject-speech').fill('0.5-1');
    await page.getByTestId('recipient').fill('the requester');
    await page.getByTestId('purpose').fill('subject access request');
    await shot(page, 'sar-01-export-dialog');
    expect(await exportButton.isDisabled()).toBe(false);
    await exportButton.click();
    await page.getByTestId('export-done').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('export-done').textContent()).toMatch(/Verified: 60 frames/);

    const report = JSON.parse(readFileSync(`${out}.report.json`, 'utf8'));
    expect(report.plan.subject).toMatchObject({ mode: 'everything-else', requestRef: 'SAR-2026-0042', padding: 0.25 });
    expect(report.subjectAccess).toMatchObject({
      mode: 'everything-else',
      requestRef: 'SAR-2026-0042',
      requesterRegions: [expect.objectContaining({ trackId: requester.id })],
      hiddenRegions: [other.id],
      frames: { exported: 60, withRequester: 60, redactedWhole: 0 },
      sound: { kept: 'speech', reason: null, speech: [expect.objectContaining({ startSeconds: 0.5, endSeconds: 1 })] },
    });
    const pcm = monoPcm(out);
    expect(rmsBetween(pcm, 0.6, 0.9)).toBeGreaterThan(1000);
    expect(rmsBetween(pcm, 0.1, 0.45)).toBeLessThan(5);
    expect(rmsBetween(pcm, 1.1, 1.9)).toBeLessThan(5);
    expect(report.subjectAccess.hidden).toMatch(/whole picture outside the requester's 1 region/);
    const verified = await redactor(['verify', out]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/subject access record: everything-else, request SAR-2026-0042/);

    // The trail: the requester mark as an edit, and the export event with what it showed and hid.
    await expect.poll(async () => (await storedTrail(page)).some((e) => e.type === 'verification')).toBe(true);
    const trail = await storedTrail(page);
    const mark = trail.find((e) => e.type === 'edit' && (e.payload as { command: string }).command === 'Mark as requester')!;
    expect((mark.payload as { after: { tracks: Array<{ requester?: boolean }> } }).after.tracks[0]!.requester).toBe(true);
    expect(trail.find((e) => e.type === 'export')!.payload).toMatchObject({
      outputSha256: report.output.sha256,
      subjectAccess: { mode: 'everything-else', requestRef: 'SAR-2026-0042', requesterRegions: [requester.id], hiddenRegions: [other.id] },
    });
    expect(trail[0]!.hash.slice(0, 32)).toBe(caseKey);
    await page.getByRole('button', { name: 'Close' }).click();

    // Retention: 31 days from creation by default; changed to a past date with a reason, the case is due.
    const retention = page.getByTestId('retention');
    const due31 = new Date(Date.now() + 31 * 86_400_000).toISOString().slice(0, 10);
    expect(await retention.textContent()).toContain(`Keep until ${due31}`);
    await page.getByTestId('change-retention').click();
    await page.getByTestId('retention-date').fill('2026-01-31');
    expect(await page.getByTestId('save-retention').isDisabled()).toBe(true);
    await page.getByTestId('retention-reason').fill('request answered; no evidential value');
    await page.getByTestId('save-retention').click();
    await expect.poll(() => retention.textContent()).toMatch(/Keep until 2026-01-31 \(due for deletion\)/);
    const retained = (await storedTrail(page)).at(-1)!;
    expect(retained.payload).toMatchObject({ action: 'retention', to: '2026-01-31', from: due31, reason: 'request answered; no evidential value' });
    await showCaseList(page);
    // A second case, not due, is listed after the due one; the due one is highlighted.
    await page.getByTestId('new-case-name').fill('Later case');
    await page.getByTestId('create-case').click();
    await showCaseList(page);
    await expect.poll(() => page.getByTestId('case-item').count()).toBe(2);
    expect(await page.getByTestId('case-item').first().getAttribute('data-due')).toBe('yes');
    expect(await page.getByTestId('case-item').first().textContent()).toMatch(/SAR 2026-0042.*keep until 2026-01-31: due/);
    expect(await page.getByTestId('case-item').nth(1).getAttribute('data-due')).toBe('no');
    await page.getByTestId('cases-due').waitFor();
    await shot(page, 'sar-02-case-list-due');

    // Delete: refused until the reference is typed; the playable copy goes; the original and export stay.
    const before = { clip: await sha256File(clip), out: await sha256File(out), report: readFileSync(`${out}.report.json`, 'utf8') };
    const head = (await storedTrail(page)).filter((e: AuditEvent) => e.hash).at(-1)!;
    await page.getByTestId('open-case').filter({ hasText: 'SAR 2026-0042' }).click();
    await page.getByTestId('delete-case').click();
    await page.getByTestId('delete-case-dialog').waitFor();
    const go = page.getByTestId('delete-case-go');
    expect(await go.isDisabled()).toBe(true);
    await page.getByTestId('delete-case-confirm').fill('SAR 2026-004');
    expect(await go.isDisabled()).toBe(true);
    await page.getByTestId('delete-case-confirm').fill('SAR 2026-0042');
    await shot(page, 'sar-03-delete-dialog');
    await go.click();
    await page.getByTestId('new-case-name').waitFor();
    await expect.poll(() => page.getByTestId('case-item').count()).toBe(1);
    expect(existsSync(join(dataDir, 'cases', caseKey))).toBe(false);
    expect(await storedRows(page, 'auditEvents')).toEqual([]);
    expect(await storedRows(page, 'tracks')).toEqual([]);
    expect(await storedRows(page, 'clips')).toEqual([]);
    expect({ clip: await sha256File(clip), out: await sha256File(out), report: readFileSync(`${out}.report.json`, 'utf8') }).toEqual(before);
    const log = JSON.parse(readFileSync(join(dataDir, 'deletion-log.json'), 'utf8')).entries;
    expect(log).toEqual([expect.objectContaining({ action: 'deleted', caseReference: 'SAR 2026-0042', caseKey, auditHead: { seq: head.seq, hash: head.hash }, workingFiles: expect.objectContaining({ files: 1 }) })]);
    expect(await verifyChain(trail)).toMatchObject({ intact: true });

    // The log outlives the case and can be exported.
    const logOut = join(tmp.dir, 'exports', 'deletion-log.json');
    h.nextSave = logOut;
    await page.getByTestId('export-deletion-log').click();
    await expect.poll(() => page.getByTestId('deletion-log-result').textContent()).toMatch(/Saved the deletion log \(1 entry\)/);
    expect(JSON.parse(readFileSync(logOut, 'utf8')).entries[0].caseReference).toBe('SAR 2026-0042');
  });
});
