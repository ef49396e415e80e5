import { describe, expect, it } from 'vitest';
import { apiEventSchema } from '../../common/api';

/** Events pushed to the renderer are checked against the schema there (renderer/api/client.ts). */
describe('API events', () => {
  const track = {
    id: 'face-provisional-0001', label: 'face', shape: 'rectangle', reason: 'third-party-face', decision: 'proposed',
    provenance: { origin: 'detected', detector: 'd' },
    keyframes: [{ frame: 0, x: 1, y: 2, w: 3, h: 4, outside: false, source: 'detected', confidence: 0.9 }],
  };
  it('provisional proposals carry valid tracks and how far detection got', () => {
    expect(apiEventSchema.safeParse({ type: 'provisional-proposals', jobId: 'det-1', framesDone: 30, tracks: [track] }).success).toBe(true);
    expect(apiEventSchema.safeParse({ type: 'provisional-proposals', jobId: 'det-1', framesDone: -1, tracks: [] }).success).toBe(false);
    expect(apiEventSchema.safeParse({ type: 'provisional-proposals', jobId: 'det 1', framesDone: 0, tracks: [] }).success).toBe(false);
    const bad = { ...track, keyframes: [{ ...track.keyframes[0], x: Number.NaN }] };
    expect(apiEventSchema.safeParse({ type: 'provisional-proposals', jobId: 'det-1', framesDone: 0, tracks: [bad] }).success).toBe(false);
    expect(apiEventSchema.safeParse({ type: 'provisional-proposals', jobId: 'det-1', framesDone: 0, tracks: [], extra: 1 }).success).toBe(false);
  });
});
