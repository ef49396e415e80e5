import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS, appendEvent, chainHead, verifyChain, type AuditEvent } from '../../common/audit-chain';

const H = 'b'.repeat(64);
const who = { user: 'alice', toolVersion: '0.1.0' };

/** A trail with one event of every type, times fixed so runs are repeatable. */
async function sampleTrail(): Promise<AuditEvent[]> {
  let t: AuditEvent[] = [];
  const at = (s: number) => `2026-11-28T10:00:${String(s).padStart(2, '0')}.000Z`;
  t = await appendEvent(t, { ...who, time: at(0), type: 'case', payload: { action: 'created', reference: 'OP-1' } });
  t = await appendEvent(t, { ...who, time: at(1), type: 'import', payload: { clipId: 'c1', path: '/v/a.mp4', name: 'a.mp4', size: 10, sha256: H } });
  t = await appendEvent(t, { ...who, time: at(2), type: 'detection', payload: { clipId: 'c1', model: 'blazeface', modelSha256: H, settings: { every: 2 }, tracks: 3 } });
  t = await appendEvent(t, { ...who, time: at(3), type: 'edit', payload: { clipId: 'c1', target: 'track t1', command: 'move keyframe', before: { x: 1 }, after: { x: 2 } } });
  t = await appendEvent(t, { ...who, time: at(4), type: 'decision', payload: { clipId: 'c1', trackId: 't1', decision: 'redact', reason: 'third-party-face' } });
  t = await appendEvent(t, { ...who, time: at(5), type: 'export', payload: { clipId: 'c1', inputSha256: H, outputPath: '/o/a.mp4', outputSha256: H } });
  t = await appendEvent(t, { ...who, time: at(6), type: 'verification', payload: { target: '/o/a.mp4', intact: true } });
  return t;
}

const clone = (t: AuditEvent[]) => JSON.parse(JSON.stringify(t)) as AuditEvent[];

describe('audit chain', () => {
  it('links events: seq from 1, each prevHash is the previous hash, the first links to genesis', async () => {
    const t = await sampleTrail();
    expect(t.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(t[0]!.prevHash).toBe(AUDIT_GENESIS);
    for (let i = 1; i < t.length; i++) expect(t[i]!.prevHash).toBe(t[i - 1]!.hash);
    expect(new Set(t.map((e) => e.hash)).size).toBe(t.length);
    expect(await verifyChain(t)).toEqual({ intact: true, events: 7, head: chainHead(t) });
    expect(await verifyChain([])).toMatchObject({ intact: true, events: 0 });
  });

  it('does not modify the trail it appends to, and survives a JSON round trip', async () => {
    const t = await sampleTrail();
    const before = JSON.stringify(t);
    const longer = await appendEvent(t, { ...who, type: 'verification', payload: { target: 'x', intact: false } });
    expect(JSON.stringify(t)).toBe(before);
    expect(longer).toHaveLength(8);
    expect((await verifyChain(JSON.parse(JSON.stringify(longer)))).intact).toBe(true);
  });

  it('refuses an event without its evidential minimum', async () => {
    // @ts-expect-error sha256 missing on purpose
    await expect(appendEvent([], { ...who, type: 'import', payload: { clipId: 'c', path: '/a', name: 'a', size: 1 } })).rejects.toThrow(/sha256/);
  });

  it('detects a change to any field of any event, and names the event', async () => {
    const t = await sampleTrail();
    const edits: Array<[string, (e: AuditEvent) => void]> = [
      ['seq', (e) => (e.seq += 10)],
      ['time', (e) => (e.time = '2020-01-01T00:00:00.000Z')],
      ['user', (e) => (e.user = 'mallory')],
      ['toolVersion', (e) => (e.toolVersion = '9.9.9')],
      ['type', (e) => (e.type = e.type === 'edit' ? 'note' as never : 'edit')],
      ['payload', (e) => (e.payload = { ...e.payload, extra: 1 })],
      ['prevHash', (e) => (e.prevHash = 'c'.repeat(64))],
      ['hash', (e) => (e.hash = 'd'.repeat(64))],
    ];
    for (let i = 0; i < t.length; i++) {
      for (const [field, edit] of edits) {
        const bad = clone(t);
        edit(bad[i]!);
        const v = await verifyChain(bad);
        expect(v.intact, `${field} of event ${i + 1}`).toBe(false);
        if (!v.intact) expect(v.index, `${field} of event ${i + 1}`).toBe(i);
      }
    }
  });

  it('detects a nested payload change (before/after of an edit)', async () => {
    const bad = clone(await sampleTrail());
    (bad[3]!.payload.before as { x: number }).x = 99;
    expect(await verifyChain(bad)).toMatchObject({ intact: false, index: 3, seq: 4, problem: 'changed' });
  });

  it('detects removal of any event; the last one against the recorded head', async () => {
    const t = await sampleTrail();
    for (let i = 0; i < t.length - 1; i++) {
      const bad = t.filter((_, k) => k !== i);
      const v = await verifyChain(bad);
      expect(v, `removing event ${i + 1}`).toMatchObject({ intact: false, problem: 'removed', index: i, seq: i + 2 });
      if (!v.intact) expect(v.detail).toContain(`#${i + 1} is missing`);
    }
    const cut = t.slice(0, -1);
    expect((await verifyChain(cut)).intact).toBe(true); // nothing inside says a tail existed...
    expect(await verifyChain(cut, chainHead(t))).toMatchObject({ intact: false, problem: 'truncated' }); // ...the anchor does
    expect((await verifyChain(t, chainHead(t.slice(0, 3)))).intact).toBe(true); // events added after the anchor are fine
  });

  it('detects reordering of any two adjacent events', async () => {
    const t = await sampleTrail();
    for (let i = 0; i < t.length - 1; i++) {
      const bad = clone(t);
      [bad[i], bad[i + 1]] = [bad[i + 1]!, bad[i]!];
      expect(await verifyChain(bad), `swapping ${i + 1} and ${i + 2}`).toMatchObject({ intact: false, problem: 'reordered', index: i });
    }
  });

  it('detects an inserted event, even one hashed correctly', async () => {
    const t = await sampleTrail();
    // A duplicate of an earlier event.
    const dup = [...t.slice(0, 4), t[1]!, ...t.slice(4)];
    expect(await verifyChain(dup)).toMatchObject({ intact: false, problem: 'inserted', index: 4, seq: 2 });
    // A forged event with a valid hash, linked to #3 and numbered #4: the genuine #4 no longer fits.
    const forged = await appendEvent(t.slice(0, 3), { ...who, type: 'decision', payload: { clipId: 'c1', trackId: 't9', decision: 'keep', reason: 'x' } });
    const bad = [...forged, ...t.slice(3)];
    expect(await verifyChain(bad)).toMatchObject({ intact: false, problem: 'inserted', index: 4, seq: 4 });
  });

  it('catches a trail rewritten consistently from some event on, against the recorded head', async () => {
    const t = await sampleTrail();
    let rewritten = t.slice(0, 4);
    for (const e of t.slice(4)) rewritten = await appendEvent(rewritten, { user: e.user, toolVersion: e.toolVersion, time: e.time, type: e.type, payload: e.type === 'decision' ? { ...e.payload, decision: 'keep' } : e.payload } as never);
    expect((await verifyChain(rewritten)).intact).toBe(true);
    expect(await verifyChain(rewritten, chainHead(t))).toMatchObject({ intact: false, problem: 'changed', seq: 7 });
  });

  it('reports a malformed event rather than throwing', async () => {
    const bad = clone(await sampleTrail()) as unknown[];
    bad[2] = { hello: 'world' };
    expect(await verifyChain(bad)).toMatchObject({ intact: false, problem: 'malformed', index: 2 });
    expect(await verifyChain({})).toMatchObject({ intact: false, problem: 'malformed' });
  });
});
