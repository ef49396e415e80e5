import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeFaceClip, tempDir } from '../helpers/media';
import { chromiumAvailable, CHROMIUM, createCaseWithClip, remoteRequests, startHarness, type Harness, videoReady } from './harness';
import { drag, onVideo } from './pointer';

/**
 * Reason codes from the configurable list, end to end (issue 4): the reviewer adds a reason of their
 * own in the preferences (refused when it duplicates one), it survives a reload, a region and an
 * audio range are redacted with it (refused until its free text is given), the audio range then
 * takes another reason and treatment (undoable), and the sealed report names each in words.
 */
const tmp = tempDir('redactor-e2e-reasons-');
let h: Harness;
let clip: string;

const rows = (page: Page) => page.getByTestId('reason-row').count();

describe.skipIf(!chromiumAvailable())('reason codes in Chromium (real services)', () => {
  beforeAll(async () => {
    clip = join(tmp.dir, 'bodycam 0091.mp4');
    makeFaceClip(clip, { seconds: 2, x: '40+5*n', audio: true });
    h = await startHarness({ dataDir: join(tmp.dir, 'proxies') });
  });
  afterAll(async () => {
    await h?.close();
    tmp.cleanup();
  });

  it('adds a reason in the preferences and the report carries its label and free text', async () => {
    const { page } = h;
    await page.goto(`${h.origin}/`);

    // The defaults, until the reviewer changes them.
    await page.getByTestId('edit-reasons').click();
    await expect.poll(() => rows(page)).toBe(5);
    // A code already in the list is refused, and the list stays as it was.
    await page.getByTestId('new-reason-code').fill('other');
    await page.getByTestId('new-reason-label').fill('Another other');
    await page.getByTestId('add-reason').click();
    await expect.poll(() => page.getByTestId('reasons-problem').textContent()).toMatch(/duplicate reason code other/);
    expect(await rows(page)).toBe(5);
    await page.getByTestId('new-reason-code').fill('legal-privilege');
    await page.getByTestId('new-reason-label').fill('Legal professional privilege');
    await page.getByTestId('new-reason-needs-text').check();
    await page.getByTestId('add-reason').click();
    await expect.poll(() => rows(page)).toBe(6);
    expect(await page.getByTestId('reasons-problem').count()).toBe(0);

    // It is a stored preference.
    await page.reload();
    await page.getByTestId('edit-reasons').click();
    await expect.poll(() => rows(page)).toBe(6);
    await page.getByTestId('close-reasons').click();

    await createCaseWithClip(h, 'Op Quill 3/2026', clip);
    await videoReady(page);

    // A drawn region, then redacted for the new reason: refused until the free text is given.
    await page.getByTestId('draw').click();
    await drag(page, await onVideo(page, 450, 200), await onVideo(page, 560, 300));
    await page.getByTestId('selected-track').waitFor();
    expect(await page.getByTestId('reason').locator('option').allTextContents()).toContain('Legal professional privilege');
    await page.getByTestId('reason').selectOption('legal-privilege');
    await page.getByTestId('accept').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Not decided: reason 'Legal professional privilege' needs a free-text explanation/);
    expect(await page.getByTestId('selected-reason').textContent()).toBe('Reason: Third-party face');
    const text = "solicitor's letter on the desk";
    await page.getByTestId('reason-text').fill(text);
    await page.getByTestId('accept').click();
    await expect.poll(() => page.getByTestId('selected-reason').textContent()).toBe(`Reason: Legal professional privilege: ${text}`);
    expect(await page.getByRole('alert').count()).toBe(0);

    // An audio range takes its reason from the same list (default: spoken personal data), shown for audio work.
    expect(await page.getByTestId('audio-reason').count()).toBe(0);
    await page.getByTestId('audio-tools').click();
    expect(await page.getByTestId('audio-reason').inputValue()).toBe('spoken-personal-data');
    await page.getByTestId('audio-reason').selectOption('legal-privilege');
    await expect.poll(async () => Number(await page.getByTestId('timeline').getAttribute('data-waveform'))).toBeGreaterThan(100);
    const tl = (await page.getByTestId('timeline').boundingBox())!;
    const overWaveform = () => drag(page, { x: tl.x + tl.width * 0.25, y: tl.y + 82 }, { x: tl.x + tl.width * 0.5, y: tl.y + 82 });
    await overWaveform();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Audio range not added: reason 'Legal professional privilege' needs a free-text explanation/);
    expect(await page.getByTestId('timeline').getAttribute('data-audio-ranges')).toBe('0');
    await page.getByTestId('audio-reason-text').fill('client named on the phone');
    await overWaveform();
    await expect.poll(async () => Number(await page.getByTestId('timeline').getAttribute('data-audio-ranges'))).toBe(1);
    // Selected, it shows its reason in words.
    await page.mouse.click(tl.x + tl.width * 0.375, tl.y + 82);
    await expect.poll(() => page.getByTestId('selected-audio').textContent()).toMatch(/Reason: Legal professional privilege: client named on the phone$/);

    // An existing range takes a new reason (and a new treatment), each one undoable edit.
    await page.getByTestId('audio-reason').selectOption('spoken-personal-data');
    await page.getByTestId('audio-apply-reason').click();
    await expect.poll(() => page.getByTestId('selected-audio').textContent()).toMatch(/Reason: Spoken personal data$/);
    await page.getByTestId('undo').click();
    await expect.poll(() => page.getByTestId('selected-audio').textContent()).toMatch(/Reason: Legal professional privilege: client named on the phone$/);
    await page.getByTestId('redo').click();
    await expect.poll(() => page.getByTestId('selected-audio').textContent()).toMatch(/Reason: Spoken personal data$/);
    await page.getByTestId('audio-switch-mode').click();
    await expect.poll(() => page.getByTestId('selected-audio').textContent()).toMatch(/^Audio mute /);

    // Export (nothing was watched, so the incomplete review is confirmed with a reason).
    const out = join(tmp.dir, 'bodycam 0091.redacted.mp4');
    await page.getByTestId('open-export').click();
    h.nextSave = out;
    await page.getByRole('button', { name: 'Choose output…' }).click();
    await expect.poll(() => page.getByTestId('export-path').textContent()).toBe(out);
    await page.getByTestId('confirm-incomplete').check();
    await page.getByTestId('confirm-reason').fill('test of reason codes');
    await page.getByTestId('export').click();
    await page.getByTestId('export-done').waitFor({ timeout: 120_000 });

    // The report: the configured list, the region's reason in words with its text, the audio range's new reason.
    const report = JSON.parse(readFileSync(`${out}.report.json`, 'utf8'));
    expect(report.disclosure.reasons).toContainEqual({ code: 'legal-privilege', label: 'Legal professional privilege', needsText: true });
    expect(report.redactions).toEqual([
      expect.objectContaining({ origin: 'manual', decision: 'redact', reason: 'legal-privilege', reasonText: text, reasonLabel: `Legal professional privilege: ${text}` }),
    ]);
    expect(report.audioRedactions).toEqual([expect.objectContaining({ mode: 'mute', reason: 'spoken-personal-data', reasonLabel: 'Spoken personal data' })]);
    expect(report.audioRedactions[0].reasonText).toBeUndefined();

    expect(h.pageErrors).toEqual([]);
    expect(remoteRequests(h.requests, h.origin)).toEqual([]);
  });
});

describe.skipIf(chromiumAvailable())('reason codes (no Chromium)', () => {
  it.skip(`skipped: no Chromium at ${CHROMIUM}; install it with "apt-get install -y chromium"`, () => {});
});
