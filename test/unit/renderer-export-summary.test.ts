import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../common/reasons';
import type { Track } from '../../common/track';
import { exportSummary } from '../../renderer/model/export-summary';

const t = (id: string, first: number, last: number, decision: Track['decision'], reason = 'third-party-face', reasonText?: string): Track => ({
  id, label: 'face', shape: 'ellipse', reason, ...(reasonText ? { reasonText } : {}), provenance: { origin: 'detected' }, decision,
  keyframes: [{ frame: first, x: 0, y: 0, w: 10, h: 10, outside: false, source: 'detected' }, { frame: last + 1, x: 0, y: 0, w: 10, h: 10, outside: true, source: 'detected' }],
});

describe('export summary', () => {
  it('counts regions to redact by reason, kept, undecided, audio and coverage', () => {
    const tracks = [
      t('a', 0, 9, 'redact'),
      t('b', 5, 14, 'redact'),
      t('c', 50, 59, 'redact', 'other', 'a tattoo'),
      t('d', 20, 29, 'keep', 'not-a-face'),
      t('e', 80, 89, 'proposed'),
    ];
    const s = exportSummary(tracks, [{ start: 1, end: 2.5 }, { start: 3, end: 3.25 }], [[0, 49], [60, 69]], 100, DEFAULT_REASONS);
    expect(s.redactByReason).toEqual([{ reason: 'Third-party face', count: 2 }, { reason: 'Other: a tattoo', count: 1 }]);
    expect([s.kept, s.undecided]).toEqual([1, 1]);
    expect(s.audio).toEqual({ count: 2, seconds: 1.8 });
    expect(s.framesWatched).toBe(60);
    // 0–14, 50–59 and the undecided 80–89 (redacted too); the kept one is not.
    expect(s.framesRedacted).toBe(35);
    expect(exportSummary([], [], [], 0, DEFAULT_REASONS)).toMatchObject({ redactByReason: [], kept: 0, undecided: 0, framesRedacted: 0, framesWatched: 0 });
  });
});
