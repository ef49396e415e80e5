import type { AuditEvent } from './audit-chain';
import { canonicalJson } from './canonical-json';
import { countOf } from './count-of';

/**
 * The audit trail as a record of a clip's regions: every `edit` event names the regions and audio
 * ranges it changed, with each one's state before and after (absent where it did not exist). Replaying
 * a clip's edits from an empty clip therefore gives the regions it must have now. A case whose regions
 * differ from that was changed outside the app (a box moved by hand in the file, a region deleted), or
 * lost an edit, and nobody can account for it.
 */

/** The `before` and `after` of an edit event: the changed objects only. */
export interface EditState {
  tracks: ReadonlyArray<{ id: string }>;
  audio: ReadonlyArray<{ id: string }>;
}

/** Ids listed in an edit event's `target` before the rest are only counted: the states carry them all. */
const TARGET_IDS_LISTED = 50;

/** An edit event's `target`: the changed ids, the first fifty by name (a detection may add thousands). */
export function auditTarget(ids: readonly string[]): string {
  if (ids.length <= TARGET_IDS_LISTED) return ids.join(',');
  return `${ids.slice(0, TARGET_IDS_LISTED).join(',')} and ${ids.length - TARGET_IDS_LISTED} more`;
}

/**
 * The payload of an edit that adds regions and audio ranges to a clip from nothing (a detection's
 * proposals, the regions that come with a new clip), so the trail accounts for each of them.
 */
export function regionsAddedEdit(clipId: string, command: string, added: EditState): { clipId: string; target: string; command: string; before: EditState; after: EditState } {
  const ids = [...added.tracks, ...added.audio].map((x) => x.id);
  return { clipId, target: auditTarget(ids), command, before: { tracks: [], audio: [] }, after: { tracks: added.tracks, audio: added.audio } };
}

/** The edit that adds a detection's proposals, named alike by the app and the command line. */
export function detectionEditLabel(count: number): string {
  return `Detect: ${countOf(count, 'proposal')}`;
}

type Kind = 'tracks' | 'audio';
const NOUN: Record<Kind, string> = { tracks: 'region', audio: 'audio range' };

/** One way a clip's regions disagree with its trail, in words. */
export type TrailMismatch = string;

/** The regions and audio ranges the trail says the clip has, by id, and any edit that does not follow on. */
export function replayClipEdits(trail: readonly AuditEvent[], clipId: string): { tracks: Map<string, unknown>; audio: Map<string, unknown>; problems: TrailMismatch[] } {
  const state: Record<Kind, Map<string, unknown>> = { tracks: new Map(), audio: new Map() };
  const problems: TrailMismatch[] = [];
  for (const event of trail) {
    if (event.type !== 'edit' || event.payload.clipId !== clipId) continue;
    const before = asState(event.payload.before);
    const after = asState(event.payload.after);
    if (!before || !after) {
      problems.push(`audit event ${event.seq} (edit) does not record the regions it changed`);
      continue;
    }
    for (const kind of ['tracks', 'audio'] as const) {
      // By id: a detection's edit adds thousands of regions at once.
      const wasById = byId(before[kind]);
      const nowById = byId(after[kind]);
      for (const id of new Set([...wasById.keys(), ...nowById.keys()])) {
        const was = wasById.get(id);
        const had = state[kind].get(id);
        // Each edit starts from where the last one left the object.
        if (canonicalJson(was ?? null) !== canonicalJson(had ?? null)) problems.push(`audit event ${event.seq} (${String(event.payload.command)}) starts from a ${NOUN[kind]} ${id} the trail did not leave that way`);
        const now = nowById.get(id);
        if (now) state[kind].set(id, now);
        else state[kind].delete(id);
      }
    }
  }
  return { ...state, problems };
}

/**
 * Where a clip's regions and audio ranges disagree with what its trail records; empty when they match.
 * Compared as canonical JSON, so key order does not matter and any changed value does.
 */
export function trailMismatches(trail: readonly AuditEvent[], clipId: string, clipName: string, current: EditState): TrailMismatch[] {
  const replayed = replayClipEdits(trail, clipId);
  const out = replayed.problems.map((p) => `${clipName}: ${p}`);
  for (const kind of ['tracks', 'audio'] as const) {
    const expected = replayed[kind];
    const seen = new Set<string>();
    for (const item of current[kind]) {
      seen.add(item.id);
      const recorded = expected.get(item.id);
      if (recorded === undefined) out.push(`${clipName}: ${NOUN[kind]} ${item.id} is not in the audit trail`);
      else if (canonicalJson(recorded) !== canonicalJson(item)) out.push(`${clipName}: ${NOUN[kind]} ${item.id} differs from the audit trail's record of it`);
    }
    for (const id of expected.keys()) if (!seen.has(id)) out.push(`${clipName}: ${NOUN[kind]} ${id}, recorded in the audit trail, is missing`);
  }
  return out;
}

/** Each id's first object, as a search from the front would find it. */
function byId<T extends { id: string }>(list: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const x of list) if (!map.has(x.id)) map.set(x.id, x);
  return map;
}

function asState(value: unknown): EditState | null {
  if (!value || typeof value !== 'object') return null;
  const { tracks, audio } = value as Record<string, unknown>;
  const list = (v: unknown) => Array.isArray(v) && v.every((x) => x && typeof x === 'object' && typeof (x as { id?: unknown }).id === 'string');
  return list(tracks) && list(audio) ? (value as EditState) : null;
}
