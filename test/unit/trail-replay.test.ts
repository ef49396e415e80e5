import { describe, expect, it } from 'vitest';
import { appendEvent, type AuditEvent } from '../../common/audit-chain';
import type { AudioRedaction } from '../../common/plan';
import { auditTarget, replayClipEdits, trailMismatches } from '../../common/trail-replay';
import type { Track } from '../../common/track';
import { manualTrack } from '../helpers/plans';

/** The trail as a record of a clip's regions: edits replayed from nothing must give what the clip holds. */
const door = manualTrack('door', [{ frame: 0, x: 10, y: 10, w: 60, h: 60 }]);
const movedDoor: Track = { ...door, keyframes: [{ ...door.keyframes[0]!, x: 30 }] };
const plate = manualTrack('plate', [{ frame: 5, x: 100, y: 80, w: 40, h: 20 }], { label: 'plate' });
const speech: AudioRedaction = { id: 'a1', start: 1, end: 2, mode: 'bleep', reason: 'spoken-personal-data' };

type State = { tracks: Track[]; audio: AudioRedaction[] };
const none: State = { tracks: [], audio: [] };

async function trail(...edits: Array<[clipId: string, before: State, after: State]>): Promise<AuditEvent[]> {
  let events: AuditEvent[] = [];
  events = await appendEvent(events, { type: 'import', user: 'alice', toolVersion: '0.1.0', payload: { clipId: 'c1', path: '/a.mp4', name: 'a.mp4', size: 1, sha256: 'a'.repeat(64) } });
  for (const [clipId, before, after] of edits) {
    events = await appendEvent(events, { type: 'edit', user: 'alice', toolVersion: '0.1.0', payload: { clipId, target: 'x', command: 'Test edit', before, after } });
  }
  return events;
}

describe('replaying a clip edits', () => {
  it('adds, changes and removes regions and audio ranges in trail order, ignoring other clips', async () => {
    const t = await trail(
      ['c1', none, { tracks: [door, plate], audio: [speech] }],
      ['c2', none, { tracks: [door], audio: [] }],
      ['c1', { tracks: [door], audio: [] }, { tracks: [movedDoor], audio: [] }],
      ['c1', { tracks: [plate], audio: [speech] }, none],
    );
    const r = replayClipEdits(t, 'c1');
    expect([...r.tracks.values()]).toEqual([movedDoor]);
    expect([...r.audio.values()]).toEqual([]);
    expect(r.problems).toEqual([]);
    expect(trailMismatches(t, 'c1', 'a.mp4', { tracks: [movedDoor], audio: [] })).toEqual([]);
    expect(trailMismatches(t, 'c2', 'b.mp4', { tracks: [door], audio: [] })).toEqual([]);
  });

  it('names every region that differs, is missing, or is not in the trail', async () => {
    const t = await trail(['c1', none, { tracks: [door, plate], audio: [speech] }]);
    expect(trailMismatches(t, 'c1', 'a.mp4', { tracks: [movedDoor, manualTrack('extra', [{ frame: 0 }])], audio: [] })).toEqual([
      "a.mp4: region door differs from the audit trail's record of it",
      'a.mp4: region extra is not in the audit trail',
      'a.mp4: region plate, recorded in the audit trail, is missing',
      'a.mp4: audio range a1, recorded in the audit trail, is missing',
    ]);
    // Key order is not a difference; any value is.
    const reordered = Object.fromEntries(Object.entries(door).reverse()) as unknown as Track;
    expect(trailMismatches(t, 'c1', 'a.mp4', { tracks: [reordered, plate], audio: [speech] })).toEqual([]);
    expect(trailMismatches(t, 'c1', 'a.mp4', { tracks: [door, plate], audio: [{ ...speech, mode: 'mute' as const }] as AudioRedaction[] })).toEqual(["a.mp4: audio range a1 differs from the audit trail's record of it"]);
  });

  it('reports an edit that does not start where the trail left the region, or records no regions', async () => {
    const t = await trail(['c1', none, { tracks: [door], audio: [] }], ['c1', { tracks: [movedDoor], audio: [] }, none]);
    expect(replayClipEdits(t, 'c1').problems).toEqual(['audit event 3 (Test edit) starts from a region door the trail did not leave that way']);
    const bare = await appendEvent(await trail(), { type: 'edit', user: 'alice', toolVersion: '0.1.0', payload: { clipId: 'c1', target: 'x', command: 'Odd', before: null, after: null } });
    expect(replayClipEdits(bare, 'c1').problems).toEqual(['audit event 2 (edit) does not record the regions it changed']);
  });
});

describe('auditTarget', () => {
  it('names up to fifty ids, then counts the rest', () => {
    expect(auditTarget(['a', 'b'])).toBe('a,b');
    const ids = Array.from({ length: 1203 }, (_, i) => `face-${i}`);
    const target = auditTarget(ids);
    expect(target.startsWith('face-0,face-1,')).toBe(true);
    expect(target.endsWith('face-49 and 1153 more')).toBe(true);
  });
});
