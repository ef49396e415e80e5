/**
 * Cases, clips and their edits in IndexedDB. Every edit is saved as it happens: applyCommand applies
 * a command to the clip's current edits and writes exactly the rows it changed (plus the clip's
 * lane order and timestamps, and its audit events) in ONE transaction. If the write fails,
 * the transaction rolls back and the in-memory state stays as it was, so the app never shows an
 * edit that was not saved, and a crash loses at most the edit in flight. Undo and redo are commands
 * too and take the same path. Edits on one clip are applied one at a time, in call order.
 *
 * The audit trail: every action on a case (import, every edit with the changed regions before and
 * after, decisions with their reason, and what the app reports: detection, review, export,
 * verification) is appended as a hash-chained event (common/audit-chain.ts) with time, user name and
 * tool version. Events are chained outside the write (WebCrypto is asynchronous, and an IndexedDB
 * transaction must not wait on it) but appends to one case run one at a time, and the write checks
 * that the trail's head is still the one the events were chained to.
 */
import type Dexie from 'dexie';
import type { ZodType } from 'zod';
import type { CaseClipCheckResult } from '../../common/api';
import type { CaseFile } from '../../common/case-file';
import { appendEvent, chainHead, verifyChain, type AuditEvent, type AuditEventType, type AuditHead, type AuditPayload, type ChainVerdict } from '../../common/audit-chain';
import { addWatched, mergeWatched, NOTHING_WATCHED, type WatchedFrames } from '../../common/review-coverage';
import { audioRedactionSchema, trackSchema } from '../../common/plan';
import { DEFAULT_REASONS, describeReason, reasonsForDecision, type ReasonCode } from '../../common/reasons';
import type { Track } from '../../common/track';
import { auditTarget, regionsAddedEdit, trailMismatches } from '../../common/trail-replay';
import { firstFew } from '../../common/first-few';
import { caseWorkKey } from '../../common/case-work-key';
import { EMPTY_CLIP_EDITS, newId, type AudioRange, type ClipEdits } from '../model/clip-edits';
import type { EditCommand } from '../model/edit-commands';
import type { UndoStack } from '../model/undo-stack';
import { defaultRetainUntil, type AudioRangeRow, type CaseRow, type ClipRow, type DetectionRunRow, type ExportRunRow, type RedactorDb, type TrackRow } from './db';
import { DuplicateClipError, StoreError } from './store-error';
import { caseFileFromStore, caseImportPayload, rowsFromCaseFile, type StoredClip } from './case-transfer';

/** Who is acting, as every audit event records it. */
export interface AuditActor {
  user: string;
  toolVersion: string;
}

/** An audit event as the app asks for it; the repository adds time, user, version and the chain. */
export type AuditInput = { [T in AuditEventType]: { type: T; payload: AuditPayload<T> } }[AuditEventType];

export { DuplicateClipError, StoreError };

/** What the caller knows of a clip it adds; ids, order and times are the repository's. */
export type NewClip = Pick<ClipRow, 'path' | 'name' | 'size' | 'sha256' | 'probe' | 'proxyPath'>;

function orderBy<T extends { id: string }>(rows: T[], order: readonly string[]): T[] {
  const rank = new Map(order.map((id, i) => [id, i]));
  // Rows missing from the order (should not happen) go last, by id, rather than being dropped.
  return rows.slice().sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export class CaseRepository {
  private readonly edits = new Map<string, ClipEdits>();
  private readonly watchers = new Map<string, Set<(edits: ClipEdits) => void>>();
  private readonly tails = new Map<string, Promise<unknown>>();
  private actor: AuditActor = { user: 'unknown', toolVersion: 'unknown' };
  private reasons: readonly ReasonCode[] = DEFAULT_REASONS;

  constructor(
    readonly db: RedactorDb,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  /** The user name (preferences) and tool version that later audit events record. */
  setActor(actor: AuditActor): void {
    this.actor = { user: actor.user.trim() || 'unknown', toolVersion: actor.toolVersion || 'unknown' };
  }

  getActor(): AuditActor {
    return { ...this.actor };
  }

  /** The configured reasons to redact, so decision events also record the reason in words. */
  setReasons(reasons: readonly ReasonCode[]): void {
    this.reasons = reasons;
  }

  // ---- cases ----

  async createCase(name: string, reference?: string): Promise<CaseRow> {
    const t = this.now();
    const row: CaseRow = { id: newId('case'), name: name.trim() || 'Untitled case', ...(reference ? { reference } : {}), created: t, updated: t, retainUntil: defaultRetainUntil(t) };
    await this.db.cases.add(row);
    return row;
  }

  async renameCase(id: string, name: string, reference?: string): Promise<void> {
    const changes: Partial<CaseRow> = { name: name.trim() || 'Untitled case', updated: this.now() };
    if (reference !== undefined) changes.reference = reference;
    if ((await this.db.cases.update(id, changes)) === 0) throw new StoreError(`There is no case ${id}.`);
  }

  /** The soonest due first (retention date), then the most recently updated. */
  async listCases(): Promise<CaseRow[]> {
    const rows = await this.db.cases.orderBy('updated').reverse().toArray();
    return rows.sort((a, b) => a.retainUntil.localeCompare(b.retainUntil));
  }

  /**
   * Changes how long a case is kept, with a reason; the audit trail records the change (before,
   * after, reason). A date in the past is allowed: the case is then due.
   */
  async setRetention(caseId: string, retainUntil: string, reason: string): Promise<CaseRow> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(retainUntil) || Number.isNaN(Date.parse(retainUntil))) throw new StoreError(`“${retainUntil}” is not a date (YYYY-MM-DD).`);
    if (!reason.trim()) throw new StoreError('Give a reason for changing how long the case is kept.');
    const row = await this.db.cases.get(caseId);
    if (!row) throw new StoreError(`There is no case ${caseId}.`);
    const changed: CaseRow = { ...row, retainUntil, updated: this.now() };
    await this.withAudit(
      caseId,
      [{ type: 'case', payload: { action: 'retention', reference: row.reference ?? row.name, from: row.retainUntil, to: retainUntil, reason: reason.trim() } }],
      [this.db.cases],
      async () => {
        await this.db.cases.put(changed);
      },
    );
    return changed;
  }

  getCase(id: string): Promise<CaseRow | undefined> {
    return this.db.cases.get(id);
  }

  /** The key of the case's working folder in the app's data folder; null before its first audit event. */
  async caseWorkKey(caseId: string): Promise<string | null> {
    const first = await this.db.auditEvents.get([caseId, 1]);
    return first ? caseWorkKey((first.event as AuditEvent).hash) : null;
  }

  /** Deletes a case with its clips, edits and audit events (the media files are not touched). */
  async deleteCase(id: string): Promise<void> {
    const db = this.db;
    const clipIds = await db.transaction('rw', [db.cases, db.clips, db.tracks, db.audioRanges, db.auditEvents, db.watched, db.detectionRuns, db.exportRuns], async () => {
      const clipIds = (await db.clips.where('caseId').equals(id).primaryKeys()) as string[];
      for (const clipId of clipIds) {
        await db.tracks.where('clipId').equals(clipId).delete();
        await db.audioRanges.where('clipId').equals(clipId).delete();
      }
      await db.watched.bulkDelete(clipIds);
      await db.detectionRuns.bulkDelete(clipIds);
      await db.exportRuns.where('clipId').anyOf(clipIds).delete();
      await db.clips.bulkDelete(clipIds);
      await db.auditEvents.where('caseId').equals(id).delete();
      await db.cases.delete(id);
      return clipIds;
    });
    for (const clipId of clipIds) this.edits.delete(clipId);
  }

  // ---- clips ----

  /**
   * Adds a clip to a case, with any initial edits (e.g. imported proposals), in one transaction, and
   * records the import (path, size and SHA-256 at this moment) in the case's audit trail.
   */
  async addClip(caseId: string, clip: NewClip, initial: ClipEdits = EMPTY_CLIP_EDITS): Promise<ClipRow> {
    const db = this.db;
    const t = this.now();
    const id = newId('clip');
    const row: ClipRow = {
      id,
      caseId,
      path: clip.path,
      name: clip.name,
      size: clip.size,
      sha256: clip.sha256,
      probe: clip.probe,
      ...(clip.proxyPath ? { proxyPath: clip.proxyPath } : {}),
      added: t,
      updated: t,
      trackOrder: initial.tracks.map((x) => x.id),
      audioOrder: initial.audio.map((x) => x.id),
    };
    const audit: AuditInput[] = [{ type: 'import', payload: { clipId: id, path: clip.path, name: clip.name, size: clip.size, sha256: clip.sha256 } }];
    // Regions that come with the clip are an edit like any other: the trail accounts for every one.
    if (initial.tracks.length || initial.audio.length) audit.push({ type: 'edit', payload: regionsAddedEdit(id, 'Regions imported with the clip', initial) });
    await this.withAudit(caseId, audit, [db.cases, db.clips, db.tracks, db.audioRanges], async () => {
      if ((await db.cases.update(caseId, { updated: t })) === 0) throw new StoreError(`There is no case ${caseId}.`);
      // The same footage twice in one case would be reviewed and redacted twice, and could be disclosed
      // in two versions: one clip per original, known by its hash.
      const same = (await db.clips.where('caseId').equals(caseId).toArray()).find((c) => c.sha256 === clip.sha256);
      if (same) throw new DuplicateClipError(same);
      await db.clips.add(row);
      await db.tracks.bulkAdd(initial.tracks.map((track) => ({ clipId: row.id, id: track.id, track })));
      await db.audioRanges.bulkAdd(initial.audio.map((range) => ({ clipId: row.id, id: range.id, range })));
    });
    this.edits.set(row.id, { tracks: [...initial.tracks], audio: [...initial.audio] });
    return row;
  }

  /** In the order they were added. */
  async listClips(caseId: string): Promise<ClipRow[]> {
    const rows = await this.db.clips.where('caseId').equals(caseId).toArray();
    return rows.sort((a, b) => (a.added < b.added ? -1 : a.added > b.added ? 1 : 0));
  }

  getClip(id: string): Promise<ClipRow | undefined> {
    return this.db.clips.get(id);
  }

  /** Fills in the probe facts' `playerStart` of a clip stored before it was kept. */
  async setPlayerStart(clipId: string, playerStart: { original: number; copy: number }): Promise<void> {
    const db = this.db;
    await db.transaction('rw', db.clips, async () => {
      const row = await db.clips.get(clipId);
      if (!row) throw new StoreError(`There is no clip ${clipId}.`);
      await db.clips.update(clipId, { probe: { ...(row.probe as object), playerStart } });
    });
  }

  async setProxyPath(clipId: string, proxyPath: string): Promise<void> {
    if ((await this.db.clips.update(clipId, { proxyPath })) === 0) throw new StoreError(`There is no clip ${clipId}.`);
  }

  // ---- edits ----

  /** The clip's tracks and audio ranges, validated against the plan schema. */
  loadClipEdits(clipId: string): Promise<ClipEdits> {
    return this.serially(clipId, () => this.current(clipId));
  }

  /**
   * Applies `command` to the clip and saves the result in one transaction; returns the new edits.
   * On any failure (an EditError from the command, or a failed write) nothing changes, in memory or
   * on disk, and the error is thrown. The edit (the changed regions and audio ranges before and
   * after) and any decision it makes are appended to the case's audit trail in the same transaction.
   */
  applyCommand(clipId: string, command: EditCommand): Promise<ClipEdits> {
    return this.serially(clipId, async () => {
      const before = await this.current(clipId);
      const after = command.apply(before);
      await this.save(clipId, before, after, command);
      this.edits.set(clipId, after);
      // Inside the clip's queue, so a watcher hears of it after any earlier load of the clip resolved.
      for (const watcher of this.watchers.get(clipId) ?? []) watcher(after);
      return after;
    });
  }

  /**
   * Calls `watcher` with the clip's edits after every command saved on it, whoever applied it (a
   * detection run that ended while no editor was open on the clip writes here directly). Returns the
   * way to stop.
   */
  watchClipEdits(clipId: string, watcher: (edits: ClipEdits) => void): () => void {
    const set = this.watchers.get(clipId) ?? new Set();
    set.add(watcher);
    this.watchers.set(clipId, set);
    return () => {
      set.delete(watcher);
      if (!set.size) this.watchers.delete(clipId);
    };
  }

  /** Applies and saves a command, then records it for undo. */
  async doCommand(clipId: string, stack: UndoStack, command: EditCommand, coalesceKey?: string): Promise<ClipEdits> {
    const after = await this.applyCommand(clipId, command);
    stack.record(command, coalesceKey);
    return after;
  }

  /** Undoes the last step and saves it; the stack moves only if the save succeeded. */
  async undo(clipId: string, stack: UndoStack): Promise<ClipEdits> {
    const c = stack.undoCommand();
    if (!c) return this.loadClipEdits(clipId);
    const after = await this.applyCommand(clipId, c);
    stack.markUndone();
    return after;
  }

  async redo(clipId: string, stack: UndoStack): Promise<ClipEdits> {
    const c = stack.redoCommand();
    if (!c) return this.loadClipEdits(clipId);
    const after = await this.applyCommand(clipId, c);
    stack.markRedone();
    return after;
  }

  // ---- case files ----

  /**
   * The case as a case file: read in one transaction, so the tracks, audio ranges, watched frames and
   * the trail are one consistent moment. Refused clips are included as recorded (path and hash).
   * The reason list in use (see `setReasons`) goes with it.
   */
  async exportCase(caseId: string): Promise<CaseFile> {
    const db = this.db;
    const read = await db.transaction('r', [db.cases, db.clips, db.tracks, db.audioRanges, db.watched, db.auditEvents], async () => {
      const kase = await db.cases.get(caseId);
      if (!kase) throw new StoreError(`There is no case ${caseId}.`);
      const clips = await this.listClips(caseId);
      const perClip = [];
      for (const row of clips) {
        const trackRows = await db.tracks.where('clipId').equals(row.id).toArray();
        const audioRows = await db.audioRanges.where('clipId').equals(row.id).toArray();
        const watched = await db.watched.get(row.id);
        perClip.push({ row, trackRows, audioRows, watched: watched?.intervals ?? [] });
      }
      return { kase, perClip, audit: await this.listAuditEvents(caseId) };
    });
    const clips: StoredClip[] = read.perClip.map((c) => ({ row: c.row, edits: editsFromRows(c.row, c.trackRows, c.audioRows), watched: mergeWatched(c.watched) }));
    return caseFileFromStore(read.kase, clips, read.audit, this.now(), this.reasons);
  }

  /**
   * Adds a case from a case file whose clips the main process re-hashed (`checks`, one per clip), as
   * a new case: its clips (refused where missing or changed), tracks, audio ranges, watched frames and
   * audit trail, plus a `case` event recording the import, all in ONE transaction: a failure leaves
   * nothing. The trail is verified against the file's head first; a broken one is refused, and so is a
   * clip whose regions or audio ranges differ from what the trail's edits leave. A case
   * whose clips are already in the app is refused (the trail names clip ids, so they are kept).
   */
  async importCase(imported: { path: string; caseFile: CaseFile; clips: readonly CaseClipCheckResult[] }): Promise<{ kase: CaseRow; clips: ClipRow[] }> {
    const { caseFile } = imported;
    const verdict = await verifyChain(caseFile.audit, caseFile.auditHead);
    if (!verdict.intact) throw new StoreError(`The case file's audit trail is not intact (${verdict.problem}): ${verdict.detail}. Nothing was imported.`);
    const unaccounted = caseFile.clips.flatMap((c) => trailMismatches(caseFile.audit, c.id, c.name, { tracks: c.plan.tracks, audio: c.plan.audio }));
    if (unaccounted.length) throw new StoreError(`The case file's regions are not what its audit trail records: ${firstFew(unaccounted, 3)}. Nothing was imported.`);
    const now = this.now();
    const rows = rowsFromCaseFile(caseFile, imported.clips, { caseId: newId('case'), now });
    const trail = await appendEvent(caseFile.audit, {
      type: 'case',
      ...this.actor,
      time: now,
      payload: caseImportPayload(caseFile, imported.path, imported.clips, verdict.head),
    });
    const db = this.db;
    await db.transaction('rw', [db.cases, db.clips, db.tracks, db.audioRanges, db.watched, db.auditEvents], async () => {
      const taken = (await db.clips.bulkGet(rows.clips.map((c) => c.id))).find((c) => c !== undefined);
      if (taken) {
        const other = await db.cases.get(taken.caseId);
        throw new StoreError(`This case is already in the app as “${other?.name ?? taken.caseId}” (clip ${taken.name}), so nothing was imported. Open that case instead.`);
      }
      await db.cases.add(rows.kase);
      await db.clips.bulkAdd(rows.clips);
      await db.tracks.bulkAdd(rows.tracks);
      await db.audioRanges.bulkAdd(rows.audio);
      await db.watched.bulkAdd(rows.watched);
      await db.auditEvents.bulkAdd(trail.map((event) => ({ caseId: rows.kase.id, seq: event.seq, event })));
    });
    for (const c of rows.clips) this.edits.delete(c.id);
    return { kase: rows.kase, clips: rows.clips };
  }

  /**
   * The original of a refused clip, located by the user: accepted only if its SHA-256 is the one the
   * case recorded. The clip then points at it, is no longer refused, and the trail records the file.
   */
  async relocateClip(clipId: string, found: { path: string; name: string; size: number; sha256: string; probe: unknown }): Promise<ClipRow> {
    const db = this.db;
    const row = await db.clips.get(clipId);
    if (!row) throw new StoreError(`There is no clip ${clipId}.`);
    if (found.sha256 !== row.sha256) {
      throw new StoreError(`${found.name} is not the original of ${row.name}: its SHA-256 is ${found.sha256}, the case recorded ${row.sha256}. Choose the file with that SHA-256.`);
    }
    const t = this.now();
    const audit: AuditInput[] = [{ type: 'import', payload: { clipId, path: found.path, name: found.name, size: found.size, sha256: found.sha256, located: true, previousPath: row.path } }];
    const changes: Partial<ClipRow> = { path: found.path, name: found.name, probe: found.probe, integrity: undefined, updated: t };
    await this.withAudit(row.caseId, audit, [db.clips, db.cases], async () => {
      if ((await db.clips.update(clipId, changes)) === 0) throw new StoreError(`There is no clip ${clipId}.`);
      await db.cases.update(row.caseId, { updated: t });
    });
    return (await db.clips.get(clipId))!;
  }

  // ---- audit trail, review coverage and settings ----

  /** Appends one chained event to the case's audit trail; returns it. */
  async appendAuditEvent(caseId: string, input: AuditInput): Promise<AuditEvent> {
    const [event] = await this.appendAuditEvents(caseId, [input]);
    return event!;
  }

  /**
   * Appends events that belong together (e.g. the review an export was made on, and the export) in
   * one transaction, next to each other: all are stored or none.
   */
  async appendAuditEvents(caseId: string, inputs: readonly AuditInput[]): Promise<AuditEvent[]> {
    if (!(await this.db.cases.get(caseId))) throw new StoreError(`There is no case ${caseId}.`);
    return this.withAudit(caseId, inputs, [], async () => {});
  }

  /** The same, for the case a clip belongs to. */
  async appendClipAuditEvents(clipId: string, inputs: readonly AuditInput[]): Promise<AuditEvent[]> {
    const clip = await this.db.clips.get(clipId);
    if (!clip) throw new StoreError(`There is no clip ${clipId}.`);
    return this.appendAuditEvents(clip.caseId, inputs);
  }

  async appendClipAuditEvent(clipId: string, input: AuditInput): Promise<AuditEvent> {
    const [event] = await this.appendClipAuditEvents(clipId, [input]);
    return event!;
  }

  /** The case's trail in order, as stored (a damaged trail still loads: `verifyAuditTrail` judges it). */
  async listAuditEvents(caseId: string): Promise<AuditEvent[]> {
    const rows = await this.db.auditEvents.where('[caseId+seq]').between([caseId, -Infinity], [caseId, Infinity]).toArray();
    return rows.map((r) => r.event as AuditEvent);
  }

  async auditHead(caseId: string): Promise<AuditHead> {
    const last = await this.lastAuditRow(caseId);
    return last ? { seq: last.seq, hash: (last.event as AuditEvent).hash } : chainHead([]);
  }

  /** Checks every event's hash, the sequence and every link (common/audit-chain.ts). */
  async verifyAuditTrail(caseId: string): Promise<ChainVerdict> {
    return verifyChain(await this.listAuditEvents(caseId));
  }

  /** Frames of the clip the reviewer watched (normalised intervals); none when nothing was recorded. */
  async loadWatched(clipId: string): Promise<WatchedFrames> {
    const row = await this.db.watched.get(clipId);
    return row ? mergeWatched(row.intervals) : NOTHING_WATCHED;
  }

  /** Adds watched intervals to what is stored for the clip (a union: coverage never shrinks). */
  async addWatched(clipId: string, intervals: ReadonlyArray<readonly [number, number]>): Promise<WatchedFrames> {
    const db = this.db;
    return db.transaction('rw', [db.clips, db.watched], async () => {
      if (!(await db.clips.get(clipId))) throw new StoreError(`There is no clip ${clipId}.`);
      const row = await db.watched.get(clipId);
      let set = row ? mergeWatched(row.intervals) : NOTHING_WATCHED;
      for (const [a, b] of intervals) set = addWatched(set, a, b);
      await db.watched.put({ clipId, intervals: set.map(([a, b]) => [a, b]), updated: this.now() });
      return set;
    });
  }

  // ---- detection runs (going on in the main process, not yet applied) ----

  async addDetectionRun(row: DetectionRunRow): Promise<void> {
    await this.db.detectionRuns.put(row);
  }

  listDetectionRuns(): Promise<DetectionRunRow[]> {
    return this.db.detectionRuns.toArray();
  }

  async removeDetectionRun(clipId: string, jobId: string): Promise<void> {
    const db = this.db;
    await db.transaction('rw', db.detectionRuns, async () => {
      if ((await db.detectionRuns.get(clipId))?.jobId === jobId) await db.detectionRuns.delete(clipId);
    });
  }

  // ---- exports (going on in the main process, not yet recorded) ----

  async addExportRun(row: ExportRunRow): Promise<void> {
    await this.db.exportRuns.put(row);
  }

  listExportRuns(): Promise<ExportRunRow[]> {
    return this.db.exportRuns.toArray();
  }

  async removeExportRun(jobId: string): Promise<void> {
    await this.db.exportRuns.delete(jobId);
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    return (await this.db.settings.get(key))?.value as T | undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    await this.db.settings.put({ key, value });
  }

  // ---- internals ----

  /** Runs `task` after every earlier task on the same clip has finished (successfully or not). */
  private serially<T>(clipId: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(clipId) ?? Promise.resolve();
    const run = prev.then(task, task);
    const tail = run.catch(() => undefined);
    this.tails.set(clipId, tail);
    void tail.then(() => {
      if (this.tails.get(clipId) === tail) this.tails.delete(clipId);
    });
    return run;
  }

  private async current(clipId: string): Promise<ClipEdits> {
    const cached = this.edits.get(clipId);
    if (cached) return cached;
    const db = this.db;
    const loaded = await db.transaction('r', [db.clips, db.tracks, db.audioRanges], async () => {
      const clip = await db.clips.get(clipId);
      if (!clip) throw new StoreError(`There is no clip ${clipId}.`);
      const trackRows = await db.tracks.where('clipId').equals(clipId).toArray();
      const audioRows = await db.audioRanges.where('clipId').equals(clipId).toArray();
      return { clip, trackRows, audioRows };
    });
    const edits = editsFromRows(loaded.clip, loaded.trackRows, loaded.audioRows);
    this.edits.set(clipId, edits);
    return edits;
  }

  private async save(clipId: string, before: ClipEdits, after: ClipEdits, command: EditCommand): Promise<void> {
    const db = this.db;
    const clipRow = await db.clips.get(clipId);
    if (!clipRow) throw new StoreError(`There is no clip ${clipId}.`);
    const trackPuts: TrackRow[] = [];
    const trackDeletes: [string, string][] = [];
    const changedTracks = new Set(command.changedTrackIds);
    const present = new Set<string>();
    for (const track of after.tracks) {
      if (changedTracks.has(track.id)) {
        trackPuts.push({ clipId, id: track.id, track });
        present.add(track.id);
      }
    }
    for (const id of changedTracks) if (!present.has(id)) trackDeletes.push([clipId, id]);
    const audioPuts: AudioRangeRow[] = [];
    const audioDeletes: [string, string][] = [];
    for (const id of command.changedAudioIds) {
      const range = after.audio.find((a) => a.id === id);
      if (range) audioPuts.push({ clipId, id, range });
      else audioDeletes.push([clipId, id]);
    }
    const trackOrder = after.tracks.map((t) => t.id);
    const audioOrder = after.audio.map((a) => a.id);
    const t = this.now();
    const tables = [db.clips, db.cases, db.tracks, db.audioRanges];
    await this.withAudit(clipRow.caseId, editAuditEvents(clipId, before, after, command, this.reasons), tables, async () => {
      const clip = await db.clips.get(clipId);
      if (!clip) throw new StoreError(`There is no clip ${clipId}.`);
      await db.tracks.bulkPut(trackPuts);
      await db.tracks.bulkDelete(trackDeletes);
      await db.audioRanges.bulkPut(audioPuts);
      await db.audioRanges.bulkDelete(audioDeletes);
      const changes: Partial<ClipRow> = { updated: t };
      if (!sameIds(clip.trackOrder, trackOrder)) changes.trackOrder = trackOrder;
      if (!sameIds(clip.audioOrder, audioOrder)) changes.audioOrder = audioOrder;
      await db.clips.update(clipId, changes);
      await db.cases.update(clip.caseId, { updated: t });
    });
  }

  private lastAuditRow(caseId: string) {
    return this.db.auditEvents.where('[caseId+seq]').between([caseId, -Infinity], [caseId, Infinity]).last();
  }

  /**
   * Chains `inputs` onto the case's trail, then runs `write` and stores the events in one
   * transaction. Appends to one case run one at a time; the transaction re-checks the head.
   */
  private withAudit(caseId: string, inputs: readonly AuditInput[], tables: Dexie.Table[], write: () => Promise<void>): Promise<AuditEvent[]> {
    return this.serially(`audit:${caseId}`, async () => {
      const db = this.db;
      const last = await this.lastAuditRow(caseId);
      let chain: AuditEvent[] = last ? [last.event as AuditEvent] : [];
      const base = chainHead(chain);
      const time = this.now();
      for (const input of inputs) chain = await appendEvent(chain, { ...input, ...this.actor, time } as Parameters<typeof appendEvent>[1]);
      const events = chain.slice(last ? 1 : 0);
      await db.transaction('rw', [...tables, db.auditEvents], async () => {
        const now = await this.lastAuditRow(caseId);
        if ((now?.seq ?? 0) !== base.seq) throw new StoreError(`The audit trail of case ${caseId} changed during the edit; nothing was saved. Try again.`);
        await write();
        await db.auditEvents.bulkAdd(events.map((event) => ({ caseId, seq: event.seq, event })));
      });
      return events;
    });
  }
}

/** An edit's audit events: the changed regions and audio ranges before and after, and each decision made. */
function editAuditEvents(clipId: string, before: ClipEdits, after: ClipEdits, command: EditCommand, reasons: readonly ReasonCode[]): AuditInput[] {
  const pick = <T extends { id: string }>(list: readonly T[], ids: readonly string[]) => {
    const wanted = new Set(ids);
    return list.filter((x) => wanted.has(x.id));
  };
  const events: AuditInput[] = [
    {
      type: 'edit',
      payload: {
        clipId,
        target: auditTarget([...command.changedTrackIds, ...command.changedAudioIds]),
        command: command.label,
        before: { tracks: pick(before.tracks, command.changedTrackIds), audio: pick(before.audio, command.changedAudioIds) },
        after: { tracks: pick(after.tracks, command.changedTrackIds), audio: pick(after.audio, command.changedAudioIds) },
      },
    },
  ];
  for (const t of pick(after.tracks, command.changedTrackIds)) {
    const old = before.tracks.find((x) => x.id === t.id);
    if (old && old.decision === t.decision && old.reason === t.reason && old.reasonText === t.reasonText) continue;
    if (!old && t.decision === 'proposed') continue;
    events.push({
      type: 'decision',
      payload: {
        clipId,
        trackId: t.id,
        decision: t.decision,
        reason: t.reason,
        ...(t.reasonText ? { reasonText: t.reasonText } : {}),
        reasonLabel: describeReason(reasonsForDecision(reasons, t.decision), t.reason, t.reasonText),
        ...(t.decidedBy ? { decidedBy: t.decidedBy } : {}),
      },
    });
  }
  return events;
}

/** A clip's edits from its rows, in lane order, each checked against the plan schema. */
function editsFromRows(clip: ClipRow, trackRows: TrackRow[], audioRows: AudioRangeRow[]): ClipEdits {
  const tracks = orderBy(trackRows, clip.trackOrder).map((r) => checked(trackSchema, r.track, `track ${r.id}`, clip.id) as Track);
  const audio = orderBy(audioRows, clip.audioOrder).map((r) => checked(audioRedactionSchema, r.range, `audio range ${r.id}`, clip.id) as AudioRange);
  return { tracks, audio };
}

function checked(schema: ZodType, value: unknown, what: string, clipId: string): unknown {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new StoreError(`Clip ${clipId}: stored ${what} is damaged (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}).`);
  }
  // The stored object itself, not zod's copy: what was saved is exactly what comes back.
  return value;
}
