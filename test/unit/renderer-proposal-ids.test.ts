import { describe, expect, it } from 'vitest';
import type { Track } from '../../common/track';
import { newProposals } from '../../renderer/model/proposal-ids';

function track(id: string, x: number): Track {
  return {
    id,
    label: 'face',
    shape: 'rectangle',
    reason: 'third-party-face',
    provenance: { origin: 'detected' },
    decision: 'proposed',
    keyframes: [{ frame: 0, x, y: 10, w: 40, h: 40, outside: false, source: 'detected' }],
  };
}

describe('newProposals: a detection run added to a clip', () => {
  it("renumbers a rerun's proposals whose ids are taken by other faces, keeping every one", () => {
    const clip = [track('face-0001', 0), track('face-0002', 100), track('face-0003', 200)];
    const rerun = [track('face-0001', 0), track('face-0002', 50), track('face-0003', 300), track('face-0004', 400)];
    const added = newProposals(clip, rerun);
    // face-0001 is the same track (taken up already); the others are other faces.
    expect(added.map((t) => [t.id, t.keyframes[0]!.x])).toEqual([
      ['face-0004', 50],
      ['face-0005', 300],
      ['face-0006', 400],
    ]);
  });

  it('adds nothing when the same result is taken up twice', () => {
    const run = [track('face-0001', 0), track('face-0002', 100)];
    expect(newProposals(run, run)).toEqual([]);
    expect(newProposals([], run)).toEqual(run);
  });
});
