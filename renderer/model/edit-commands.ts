/**
 * Undoable edit commands, after cvat-core: each edit is a small plain object that maps ClipEdits to
 * the next ClipEdits (apply) and back (revert). On its first apply a command computes its result and
 * records a patch holding only the tracks and audio ranges it changed, before and after, with their
 * positions; revert and redo replay that patch, so undo restores the exact previous value and redo
 * the exact next one. `changedTrackIds` / `changedAudioIds` are known up front, so the store writes
 * only those rows.
 *
 * A command whose edit makes no sense (a box where the track is absent, merging overlapping tracks)
 * throws EditError on apply, with a sentence the UI can show; nothing is changed then.
 */
import { audioRedactionSchema } from '../../common/plan';
import type { RedactionStyle } from '../../common/style';
import type { Box } from '../../common/geometry';
import {
  boxAtFrame,
  joinKeyframes,
  keyframeIndexAtOrBefore,
  keyframesForSpan,
  keyframesWithin,
  trackSpan,
  withKeyframe,
  withoutKeyframe,
  type Decision,
  type Keyframe,
  type Track,
  type TrackLabel,
  type TrackShape,
} from '../../common/track';
import { newId, type AudioRange, type ClipEdits } from './clip-edits';
import { countOf } from '../../common/count-of';

export interface EditCommand {
  readonly label: string;
  readonly changedTrackIds: readonly string[];
  readonly changedAudioIds: readonly string[];
  apply(edits: ClipEdits): ClipEdits;
  revert(edits: ClipEdits): ClipEdits;
}

/** An edit the user asked for that cannot be made; the message is for the user. */
export class EditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EditError';
  }
}

/** The state does not hold what the command recorded (applied to the wrong clip or out of order). */
export class EditConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EditConflictError';
  }
}

// ---- patches: the changed items of a list, before and after, with their indices ----

interface Placed<T> {
  index: number;
  item: T;
}
interface ListPatch<T> {
  before: Placed<T>[];
  after: Placed<T>[];
}
interface Patch {
  tracks: ListPatch<Track>;
  audio: ListPatch<AudioRange>;
}

function placed<T extends { id: string }>(list: readonly T[], ids: ReadonlySet<string>): Placed<T>[] {
  const out: Placed<T>[] = [];
  list.forEach((item, index) => {
    if (ids.has(item.id)) out.push({ index, item });
  });
  return out;
}

function diffList<T extends { id: string }>(label: string, before: readonly T[], after: readonly T[], ids: ReadonlySet<string>): ListPatch<T> {
  const restBefore = before.filter((x) => !ids.has(x.id));
  const restAfter = after.filter((x) => !ids.has(x.id));
  if (restBefore.length !== restAfter.length || restBefore.some((x, i) => x !== restAfter[i])) {
    throw new Error(`command "${label}" changed an item it did not declare`);
  }
  return { before: placed(before, ids), after: placed(after, ids) };
}

/** Replaces the items `from` (which must be what the list holds for `ids`) by the items `to`. */
function patchList<T extends { id: string }>(list: readonly T[], ids: ReadonlySet<string>, from: Placed<T>[], to: Placed<T>[]): T[] {
  const present = list.filter((x) => ids.has(x.id)).map((x) => x.id);
  const expected = from.map((p) => p.item.id);
  if (present.length !== expected.length || present.some((id, i) => id !== expected[i])) {
    throw new EditConflictError(`expected items [${expected.join(', ')}] but found [${present.join(', ')}]`);
  }
  const out = list.filter((x) => !ids.has(x.id));
  for (const p of to) out.splice(p.index, 0, p.item);
  return out;
}

const patches = new WeakMap<EditCommand, { patch: () => Patch | null; trackIds: ReadonlySet<string>; audioIds: ReadonlySet<string> }>();

function patchCommand(
  label: string,
  trackIds: readonly string[],
  audioIds: readonly string[],
  compute: ((edits: ClipEdits) => ClipEdits) | null,
  recorded: Patch | null = null,
): EditCommand {
  const tIds = new Set(trackIds);
  const aIds = new Set(audioIds);
  let patch = recorded;
  const replay = (edits: ClipEdits, forward: boolean): ClipEdits => {
    const p = patch!;
    return {
      tracks: patchList(edits.tracks, tIds, forward ? p.tracks.before : p.tracks.after, forward ? p.tracks.after : p.tracks.before),
      audio: patchList(edits.audio, aIds, forward ? p.audio.before : p.audio.after, forward ? p.audio.after : p.audio.before),
    };
  };
  const command: EditCommand = {
    label,
    changedTrackIds: [...tIds],
    changedAudioIds: [...aIds],
    apply(edits) {
      if (patch) return replay(edits, true);
      const after = compute!(edits);
      patch = { tracks: diffList(label, edits.tracks, after.tracks, tIds), audio: diffList(label, edits.audio, after.audio, aIds) };
      return { tracks: after.tracks, audio: after.audio };
    },
    revert(edits) {
      if (!patch) throw new Error(`command "${label}" reverted before it was applied`);
      return replay(edits, false);
    },
  };
  patches.set(command, { patch: () => patch, trackIds: tIds, audioIds: aIds });
  return command;
}

/**
 * The command that undoes `command` (which must have been applied). It says so in its label, which the
 * audit trail records: an undone deletion must read as a region restored, not as a second deletion.
 */
export function inverse(command: EditCommand): EditCommand {
  return {
    label: `Undo: ${command.label}`,
    changedTrackIds: command.changedTrackIds,
    changedAudioIds: command.changedAudioIds,
    apply: (edits) => command.revert(edits),
    revert: (edits) => command.apply(edits),
  };
}

/** `command` applied again after an undo, labelled so (the trail tells a redo from a new edit). */
export function redone(command: EditCommand): EditCommand {
  return { ...command, label: `Redo: ${command.label}`, apply: (edits) => command.apply(edits), revert: (edits) => command.revert(edits) };
}

/**
 * One command doing `first` then `second`, recorded as a single patch, for coalescing a drag into one
 * undo step. Only for applied commands over the same items; null otherwise.
 */
export function squash(first: EditCommand, second: EditCommand, label = first.label): EditCommand | null {
  const a = patches.get(first);
  const b = patches.get(second);
  const pa = a?.patch();
  const pb = b?.patch();
  if (!a || !b || !pa || !pb) return null;
  const same = (x: ReadonlySet<string>, y: ReadonlySet<string>) => x.size === y.size && [...x].every((id) => y.has(id));
  if (!same(a.trackIds, b.trackIds) || !same(a.audioIds, b.audioIds)) return null;
  // The same items change, so the unchanged rest (and the indices relative to it) is the same.
  return patchCommand(label, [...a.trackIds], [...a.audioIds], null, {
    tracks: { before: pa.tracks.before, after: pb.tracks.after },
    audio: { before: pa.audio.before, after: pb.audio.after },
  });
}

// ---- helpers ----

function requireTrack(edits: ClipEdits, id: string): Track {
  const t = edits.tracks.find((x) => x.id === id);
  if (!t) throw new EditError(`There is no track ${id} on this clip.`);
  return t;
}

function replaceTracks(edits: ClipEdits, replacements: ReadonlyMap<string, Track | null>): ClipEdits {
  const tracks: Track[] = [];
  for (const t of edits.tracks) {
    if (!replacements.has(t.id)) tracks.push(t);
    else {
      const r = replacements.get(t.id);
      if (r) tracks.push(r);
    }
  }
  return { tracks, audio: edits.audio };
}

function updateTrack(edits: ClipEdits, id: string, change: (t: Track) => Track): ClipEdits {
  return replaceTracks(edits, new Map([[id, change(requireTrack(edits, id))]]));
}

/** Provenance with `editor` added to editedBy (once, in order of first edit). */
function editedBy(track: Track, editor: string | undefined): Track['provenance'] {
  const list = track.provenance.editedBy ?? [];
  if (!editor || list.includes(editor)) return track.provenance;
  return { ...track.provenance, editedBy: [...list, editor] };
}

function checkFrame(frame: number, what: string): void {
  if (!Number.isInteger(frame) || frame < 0) throw new EditError(`The ${what} must be a whole frame number from 0.`);
}

function checkBox(box: Box): Box {
  const { x, y, w, h } = box;
  if (![x, y, w, h].every(Number.isFinite) || w <= 0 || h <= 0) throw new EditError('A region needs a finite position and a positive width and height.');
  return { x, y, w, h };
}

function withoutKeys<T extends object, K extends keyof T>(obj: T, ...keys: K[]): Omit<T, K> {
  const out = { ...obj };
  for (const k of keys) delete out[k];
  return out;
}

// ---- track geometry ----

/** Move or resize the track's box at `frame`: sets a manual keyframe there (CVAT semantics). */
export function setBoxAtFrame(trackId: string, frame: number, box: Box, editor?: string): EditCommand {
  checkFrame(frame, 'frame');
  const b = checkBox(box);
  return patchCommand(`Move region at frame ${frame}`, [trackId], [], (edits) =>
    updateTrack(edits, trackId, (t) => {
      if (!boxAtFrame(t, frame)) throw new EditError(`The region is not shown at frame ${frame}; extend its span first.`);
      const keyframes = withKeyframe(t.keyframes, { frame, ...b, outside: false, source: 'manual' });
      return { ...t, keyframes, provenance: editedBy(t, editor) };
    }),
  );
}

/** Delete the keyframe at `frame`; the region then interpolates across it. */
export function deleteKeyframe(trackId: string, frame: number, editor?: string): EditCommand {
  return patchCommand(`Delete keyframe at frame ${frame}`, [trackId], [], (edits) =>
    updateTrack(edits, trackId, (t) => {
      const i = keyframeIndexAtOrBefore(t.keyframes, frame);
      if (i < 0 || t.keyframes[i]!.frame !== frame) throw new EditError(`The region has no keyframe at frame ${frame}.`);
      const keyframes = withoutKeyframe(t.keyframes, frame);
      if (!keyframes.some((k) => !k.outside)) throw new EditError('That is the region’s only keyframe; delete the region instead.');
      return { ...t, keyframes, provenance: editedBy(t, editor) };
    }),
  );
}

/** Split a track at `frame`: frames before stay with it, frames from `frame` on go to a new track. */
export function splitTrack(trackId: string, frame: number, editor?: string, newTrackId = newId('track')): EditCommand {
  checkFrame(frame, 'split frame');
  return patchCommand(`Split region at frame ${frame}`, [trackId, newTrackId], [], (edits) => {
    const t = requireTrack(edits, trackId);
    if (edits.tracks.some((x) => x.id === newTrackId)) throw new EditError(`A track ${newTrackId} already exists.`);
    const span = trackSpan(t, Infinity);
    if (!span || frame <= span.first || frame > span.last) throw new EditError('Split inside the region’s span, after its first frame.');
    const provenance = editedBy(t, editor);
    const head: Track = { ...t, keyframes: keyframesWithin(t.keyframes, -Infinity, frame - 1), provenance };
    const tail: Track = { ...t, id: newTrackId, keyframes: keyframesWithin(t.keyframes, frame), provenance };
    const tracks = edits.tracks.slice();
    const i = tracks.indexOf(t);
    tracks.splice(i, 1, head, tail);
    return { tracks, audio: edits.audio };
  });
}

/**
 * Merge track `bId` into track `aId` (which keeps its id, label, shape, style and reason). The two
 * must not overlap in time. If their decisions differ the merged track goes back to 'proposed'
 * (still redacted on export) so a person decides again.
 */
export function mergeTracks(aId: string, bId: string, editor?: string): EditCommand {
  return patchCommand('Merge regions', [aId, bId], [], (edits) => {
    if (aId === bId) throw new EditError('Choose two different regions to merge.');
    const a = requireTrack(edits, aId);
    const b = requireTrack(edits, bId);
    let keyframes;
    try {
      keyframes = joinKeyframes(a.keyframes, b.keyframes);
    } catch {
      throw new EditError('These regions overlap in time; trim one of them before merging.');
    }
    const names = [...(a.provenance.editedBy ?? []), ...(b.provenance.editedBy ?? [])];
    const provenance = editedBy({ ...a, provenance: { ...a.provenance, ...(names.length ? { editedBy: [...new Set(names)] } : {}) } }, editor);
    let merged: Track = { ...a, keyframes, provenance };
    if (a.decision !== b.decision) merged = { ...withoutKeys(merged, 'decidedBy', 'decidedAt'), decision: 'proposed' };
    return replaceTracks(edits, new Map([[aId, merged], [bId, null]]));
  });
}

/** Extend or trim the track so it shows from `first` to `last` (inclusive). */
export function setSpan(trackId: string, first: number, last: number, editor?: string): EditCommand {
  checkFrame(first, 'first frame');
  checkFrame(last, 'last frame');
  if (last < first) throw new EditError('A span must end at or after its first frame.');
  return patchCommand(`Set span ${first}–${last}`, [trackId], [], (edits) =>
    updateTrack(edits, trackId, (t) => {
      if (!t.keyframes.some((k) => !k.outside)) throw new EditError('The region is never shown; add a box first.');
      return { ...t, keyframes: keyframesForSpan(t.keyframes, first, last), provenance: editedBy(t, editor) };
    }),
  );
}

// ---- whole tracks ----

export interface NewManualTrack {
  shape: TrackShape;
  box: Box;
  first: number;
  last: number;
  label?: TrackLabel;
  reason?: string;
  reasonText?: string;
  style?: RedactionStyle;
  /** The person drawing it: creator and decider (a drawn region is a decision to redact). */
  createdBy?: string;
  /** ISO time of the decision; taken when the command is made so redo repeats it exactly. */
  decidedAt?: string;
}

/** Draw a new manual region shown from `first` to `last`, decided 'redact'. */
export function addManualTrack(spec: NewManualTrack, trackId = newId('track')): EditCommand {
  checkFrame(spec.first, 'first frame');
  checkFrame(spec.last, 'last frame');
  if (spec.last < spec.first) throw new EditError('A span must end at or after its first frame.');
  const box = checkBox(spec.box);
  const decidedAt = spec.decidedAt ?? new Date().toISOString();
  const track: Track = {
    id: trackId,
    label: spec.label ?? 'manual',
    shape: spec.shape,
    ...(spec.style ? { style: spec.style } : {}),
    reason: spec.reason ?? 'third-party-face',
    ...(spec.reasonText ? { reasonText: spec.reasonText } : {}),
    provenance: { origin: 'manual', ...(spec.createdBy ? { createdBy: spec.createdBy } : {}) },
    decision: 'redact',
    ...(spec.createdBy ? { decidedBy: spec.createdBy, decidedAt } : {}),
    keyframes: [
      { frame: spec.first, ...box, outside: false, source: 'manual' },
      { frame: spec.last + 1, ...box, outside: true, source: 'manual' },
    ],
  };
  return addTracks([track], 'Add region');
}

/** Add whole tracks (e.g. proposals from detection); ids must be new on the clip. */
export function addTracks(tracks: readonly Track[], label = `Add ${countOf(tracks.length, 'region')}`): EditCommand {
  const ids = tracks.map((t) => t.id);
  if (new Set(ids).size !== ids.length) throw new EditError('The new regions have duplicate ids.');
  return patchCommand(label, ids, [], (edits) => {
    for (const id of ids) if (edits.tracks.some((t) => t.id === id)) throw new EditError(`A track ${id} already exists.`);
    return { tracks: [...edits.tracks, ...tracks], audio: edits.audio };
  });
}

export function deleteTrack(trackId: string): EditCommand {
  return patchCommand('Delete region', [trackId], [], (edits) => {
    requireTrack(edits, trackId);
    return replaceTracks(edits, new Map([[trackId, null]]));
  });
}

/**
 * Decide tracks: 'redact' (accept a proposal), 'keep' (reject it) or back to 'proposed'. Records the
 * reason code and who decided when; 'proposed' clears who decided. Proposed tracks are still redacted
 * on export (common/track.ts isRedacted).
 */
export function setDecision(
  trackIds: readonly string[],
  decision: Decision,
  reasonCode: string,
  decidedBy: string,
  options: { reasonText?: string; decidedAt?: string } = {},
): EditCommand {
  if (!reasonCode) throw new EditError('Choose a reason.');
  const decidedAt = options.decidedAt ?? new Date().toISOString();
  const verb = decision === 'redact' ? 'Accept' : decision === 'keep' ? 'Reject' : 'Reopen';
  const ids = [...new Set(trackIds)];
  return patchCommand(`${verb} ${countOf(ids.length, 'region')}`, ids, [], (edits) => {
    const changes = new Map<string, Track>();
    for (const id of ids) {
      const t = withoutKeys(requireTrack(edits, id), 'reasonText', 'decidedBy', 'decidedAt');
      changes.set(id, {
        ...t,
        decision,
        reason: reasonCode,
        ...(options.reasonText ? { reasonText: options.reasonText } : {}),
        ...(decision !== 'proposed' ? { decidedBy, decidedAt } : {}),
      });
    }
    return replaceTracks(edits, changes);
  });
}

/**
 * Mark a region as the requester of a subject access request, or unmark it (common/subject-access.ts).
 * Only a subject access export reads the mark; other exports go by the decision.
 */
export function setRequester(trackId: string, requester: boolean, editor?: string): EditCommand {
  return patchCommand(requester ? 'Mark as requester' : 'Unmark requester', [trackId], [], (edits) =>
    updateTrack(edits, trackId, (t) => {
      const base = withoutKeys(t, 'requester');
      return { ...base, ...(requester ? { requester: true as const } : {}), provenance: editedBy(t, editor) } as Track;
    }),
  );
}

/** Set the track's own style, or null to use the plan's default. */
export function setStyle(trackId: string, style: RedactionStyle | null, editor?: string): EditCommand {
  return patchCommand('Change style', [trackId], [], (edits) =>
    updateTrack(edits, trackId, (t) => {
      const base = withoutKeys(t, 'style');
      return { ...base, ...(style ? { style } : {}), provenance: editedBy(t, editor) } as Track;
    }),
  );
}

// ---- audio ----

/** Add an audio redaction (mute or bleep); validated against the plan schema. */
export function addAudioRange(range: AudioRange): EditCommand {
  const parsed = audioRedactionSchema.safeParse(range);
  if (!parsed.success) throw new EditError(`That audio range is not valid: ${parsed.error.issues[0]?.message ?? 'unknown problem'}.`);
  const r = parsed.data;
  return patchCommand(`Add audio ${r.mode}`, [], [r.id], (edits) => {
    if (edits.audio.some((a) => a.id === r.id)) throw new EditError(`An audio range ${r.id} already exists.`);
    refuseOverlap(r, edits.audio);
    return { tracks: edits.tracks, audio: [...edits.audio, r] };
  });
}

export function removeAudioRange(id: string): EditCommand {
  return patchCommand('Remove audio range', [], [id], (edits) => {
    if (!edits.audio.some((a) => a.id === id)) throw new EditError(`There is no audio range ${id} on this clip.`);
    return { tracks: edits.tracks, audio: edits.audio.filter((a) => a.id !== id) };
  });
}

/**
 * Give an audio range a new reason, said by `decidedBy`. The old free text goes with the old reason:
 * merged into the new one it would explain something it was never written for.
 */
export function setAudioRangeReason(id: string, reason: string, reasonText: string | undefined, decidedBy: string): EditCommand {
  return changeAudioRange('Change audio reason', id, ({ reasonText: _oldText, ...rest }) => ({ ...rest, reason, ...(reasonText ? { reasonText } : {}), decidedBy }));
}

/** Change an audio range's times, mode or reason (e.g. dragging its edges); validated like a new one. */
export function updateAudioRange(id: string, changes: Partial<Omit<AudioRange, 'id'>>): EditCommand {
  return changeAudioRange('Change audio range', id, (old) => ({ ...old, ...changes, id }));
}

/** Replaces audio range `id` with `change(old)`, validated like a new one. */
function changeAudioRange(label: string, id: string, change: (old: AudioRange) => unknown): EditCommand {
  return patchCommand(label, [], [id], (edits) => {
    const old = edits.audio.find((a) => a.id === id);
    if (!old) throw new EditError(`There is no audio range ${id} on this clip.`);
    const parsed = audioRedactionSchema.safeParse(change(old));
    if (!parsed.success) throw new EditError(`That audio range is not valid: ${parsed.error.issues[0]?.message ?? 'unknown problem'}.`);
    refuseOverlap(parsed.data, edits.audio);
    return { tracks: edits.tracks, audio: edits.audio.map((a) => (a.id === id ? parsed.data : a)) };
  });
}

/**
 * Two ranges over the same sound would leave the reviewer unsure what is heard there (a mute under a
 * bleep, two reasons for one second), so each stretch of sound has one range; ranges may touch.
 */
function refuseOverlap(range: AudioRange, others: readonly AudioRange[]): void {
  const hit = others.find((a) => a.id !== range.id && a.start < range.end && range.start < a.end);
  if (hit) throw new EditError(`Audio ranges cannot overlap: this ${range.mode} overlaps the ${hit.mode} from ${hit.start.toFixed(2)} s to ${hit.end.toFixed(2)} s. Delete that range and drag one range over the whole stretch.`);
}

// ---- several edits as one step ----

/**
 * Several commands as one undo step and one audit event (bulk decisions from the gallery): applied in
 * order and recorded as a single patch over every item any of them changes. If one of them refuses,
 * nothing is changed.
 */
export function batch(label: string, commands: readonly EditCommand[]): EditCommand {
  if (!commands.length) throw new EditError('Nothing to do: choose at least one region.');
  const trackIds = [...new Set(commands.flatMap((c) => c.changedTrackIds))];
  const audioIds = [...new Set(commands.flatMap((c) => c.changedAudioIds))];
  return patchCommand(label, trackIds, audioIds, (edits) => commands.reduce((e, c) => c.apply(e), edits));
}

/** Delete several regions in one step. */
export function deleteTracks(trackIds: readonly string[]): EditCommand {
  const ids = [...new Set(trackIds)];
  return batch(`Delete ${countOf(ids.length, 'region')}`, ids.map((id) => deleteTrack(id)));
}

/**
 * Merge several regions into one, the one that appears first keeping its id: each later one is joined
 * on in order of first appearance. They must not overlap in time (mergeTracks says so otherwise).
 */
export function mergeMany(trackIds: readonly string[], editor?: string): EditCommand {
  const ids = [...new Set(trackIds)];
  if (ids.length < 2) throw new EditError('Choose two or more regions to merge.');
  return patchCommand(`Merge ${countOf(ids.length, 'region')}`, ids, [], (edits) => {
    const first = (id: string) => trackSpan(requireTrack(edits, id), Infinity)?.first ?? Infinity;
    const [into, ...rest] = ids.slice().sort((a, b) => first(a) - first(b));
    return rest.reduce((e, id) => mergeTracks(into!, id, editor).apply(e), edits);
  });
}

// ---- assisted tracking ----

/**
 * Writes a path the tracker followed from `from` (forward: the frames after it; back: the frames before
 * it) into the track as manual keyframes (the reviewer asked for them and corrects them like any other),
 * `keyframes` being the path reduced to the boxes interpolation needs. The followed side is replaced: on
 * it the region shows the path, then holds the path's last box to where the region ended before (or
 * from where it began), so it never covers less than it did. The other side keeps its boxes. One undo
 * step, labelled as assisted tracking for the audit trail.
 */
export function setTrackedPath(trackId: string, from: number, direction: 'forward' | 'back', keyframes: ReadonlyArray<Box & { frame: number }>, editor?: string): EditCommand {
  checkFrame(from, 'frame');
  if (!keyframes.length) throw new EditError('The tracker followed nothing: the content was lost at once.');
  const frames = keyframes.map((k) => k.frame);
  const low = Math.min(...frames);
  const high = Math.max(...frames);
  if (direction === 'forward' ? low <= from : high >= from) throw new EditError('A followed path must lie on the side of its start it was followed to.');
  const label = `Assisted tracking ${direction} from frame ${from} to ${direction === 'forward' ? high : low}`;
  return patchCommand(label, [trackId], [], (edits) =>
    updateTrack(edits, trackId, (t) => {
      const span = trackSpan(t, Infinity);
      if (!span || !boxAtFrame(t, from)) throw new EditError(`The region is not shown at frame ${from}.`);
      const path: Keyframe[] = keyframes.map((k) => ({ frame: k.frame, ...checkBox(k), outside: false, source: 'manual' as const })).sort((a, b) => a.frame - b.frame);
      let out: Keyframe[];
      if (direction === 'forward') {
        const before = keyframesWithin(t.keyframes, -Infinity, from).filter((k) => !(k.outside && k.frame === from + 1));
        const end = Number.isFinite(span.last) ? [{ ...path[path.length - 1]!, frame: Math.max(span.last, high) + 1, outside: true }] : [];
        out = [...before, ...path, ...end];
      } else {
        const start = span.first < low ? [{ ...path[0]!, frame: span.first }] : [];
        out = [...start, ...path, ...keyframesWithin(t.keyframes, from)];
      }
      return { ...t, keyframes: out, provenance: editedBy(t, editor) };
    }),
  );
}
