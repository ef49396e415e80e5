import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../common/audit-chain';
import { describeAuditEvent } from '../../renderer/model/audit-lines';

const H = 'ab'.repeat(32);
const event = (type: AuditEvent['type'], payload: Record<string, unknown>): AuditEvent => ({ seq: 1, time: '2026-11-29T23:00:00.000Z', user: 'PC 1234', toolVersion: '0.1.0', type, payload, prevHash: H, hash: H });
const names = new Map([['c1', 'bodycam 0042.mp4']]);

describe('the audit trail in words', () => {
  it('says what each event did, to which clip by name, with its evidential detail', () => {
    expect(describeAuditEvent(event('case', { action: 'created', reference: 'OP-42/2026' }), names)).toBe('Case created (OP-42/2026)');
    expect(describeAuditEvent(event('import', { clipId: 'c1', path: '/e/b.mp4', name: 'bodycam 0042.mp4', size: 1234, sha256: H }), names)).toBe('Imported bodycam 0042.mp4 (1234 bytes, SHA-256 abababababab…)');
    expect(describeAuditEvent(event('import', { clipId: 'c1', path: '/e/b.mp4', name: 'bodycam 0042.mp4', size: 1234, sha256: H, located: true }), names)).toMatch(/^Located the original of bodycam 0042\.mp4/);
    expect(describeAuditEvent(event('detection', { clipId: 'c1', model: 'blazeface-back-256@427cbbe0 {"every":2}', settings: {}, tracks: 3 }), names)).toBe('Detection on bodycam 0042.mp4: 3 proposals (blazeface-back-256@427cbbe0)');
    expect(describeAuditEvent(event('edit', { clipId: 'c1', target: 'face-0001', command: 'Move box', before: null, after: null }), names)).toBe('Move box on bodycam 0042.mp4');
    expect(describeAuditEvent(event('decision', { clipId: 'c1', trackId: 'face-0001', decision: 'keep', reason: 'not-a-face', reasonLabel: 'Not a face' }), names)).toBe('Keep region face-0001 on bodycam 0042.mp4: Not a face');
    expect(describeAuditEvent(event('review', { clipId: 'c1', frameCount: 60, framesWatched: 2, confirmation: { reason: 'urgent disclosure' } }), names)).toBe('Review of bodycam 0042.mp4: 2 of 60 frames watched; exported anyway: urgent disclosure');
    expect(describeAuditEvent(event('export', { clipId: 'c1', inputSha256: H, outputPath: '/out/b.mp4', outputSha256: H }), names)).toBe('Exported bodycam 0042.mp4 to /out/b.mp4 (SHA-256 abababababab…)');
    expect(describeAuditEvent(event('export', { clipId: 'c1', inputSha256: H, outputPath: '/out/b.mp4', outputSha256: H, recipient: 'CPS Wessex', purpose: 'IDPC' }), names)).toBe('Exported bodycam 0042.mp4 to /out/b.mp4 for CPS Wessex (IDPC) (SHA-256 abababababab…)');
    expect(describeAuditEvent(event('verification', { target: 'audit trail', intact: true, detail: 'ok' }), names)).toBe('Verified audit trail: intact');
    expect(describeAuditEvent(event('verification', { target: '/out/b.mp4', intact: false, detail: 'output SHA-256 differs' }), names)).toBe('Verified /out/b.mp4: NOT intact (output SHA-256 differs)');
  });

  it('names a clip it does not know by its id', () => {
    expect(describeAuditEvent(event('edit', { clipId: 'gone', target: 'x', command: 'Delete region', before: null, after: null }), names)).toBe('Delete region on clip gone');
  });
});
