/**
 * The app's IndexedDB schema (Dexie 4): cases hold clips; each clip's tracks and audio ranges are
 * one row each, so an edit rewrites only the rows it changed. A clip row keeps the order of its
 * tracks and ranges (lane order). Audit events are stored in sequence per case; each is a
 * hash-chained event of common/audit-chain.ts. Version 2 adds each clip's review coverage (the
 * frames the reviewer watched) as a row of its own, written often and apart from the clip row.
 * Version 3 adds the detection runs and exports still going on in the main process for a clip.
 * Version 4 adds each case's retention date (indexed).
 */
import Dexie, { type Table } from 'dexie';
import type { AudioRange } from '../model/clip-edits';
import type { AuditPayload } from '../../common/audit-chain';
import type { Track } from '../../common/track';

export const DEFAULT_DB_NAME = 'evidence-redactor';

export interface CaseRow {
  id: string;
  name: string;
  /** The force's own reference, e.g. a crime or disclosure number. */
  reference?: string;
  created: string;
  updated: string;
  /**
   * Until when the case may be kept (ISO date, YYYY-MM-DD): footage that is not evidence goes after
   * 31 days. Since schema version 4; set from `created` for older cases.
   */
  retainUntil: string;
}

/** Days a case is kept by default, from its creation or import. */
export const DEFAULT_RETENTION_DAYS = 31;

/** The default retention date for a case created or imported at `isoTime`. */
export function defaultRetainUntil(isoTime: string): string {
  // A creation time that is not a date (a hand-made row) counts from now: kept, never due at once.
  const parsed = new Date(isoTime);
  const d = Number.isNaN(parsed.getTime()) ? new Date() : parsed;
  d.setUTCDate(d.getUTCDate() + DEFAULT_RETENTION_DAYS);
  return d.toISOString().slice(0, 10);
}

export interface ClipRow {
  id: string;
  caseId: string;
  /** Absolute path of the original on this machine. */
  path: string;
  name: string;
  size: number;
  sha256: string;
  /** Probe facts as the engine reported them (JSON). */
  probe: unknown;
  /** A playable copy for clips Chromium cannot play; export always uses `path`. */
  proxyPath?: string;
  added: string;
  updated: string;
  /** Track and audio range ids in display order. */
  trackOrder: string[];
  audioOrder: string[];
  /**
   * Set when a case file was imported and this clip's file was missing or not the one recorded: the
   * clip is refused (not opened, not exported) until the original is located. Not indexed, so no
   * schema version was needed.
   */
  integrity?: ClipIntegrity;
}

/** Why a clip is refused: what re-hashing found at import. */
export interface ClipIntegrity {
  status: 'hash-differs' | 'missing';
  /** One line for people, from the check (paths and hashes). */
  detail: string;
  /** When it was checked (ISO time). */
  checked: string;
}

export interface TrackRow {
  clipId: string;
  id: string;
  track: Track;
}

export interface AudioRangeRow {
  clipId: string;
  id: string;
  range: AudioRange;
}

export interface AuditEventRow {
  caseId: string;
  seq: number;
  event: unknown;
}

/** Frames of a clip the reviewer watched at normal speed or stepped through (inclusive intervals). */
export interface WatchedRow {
  clipId: string;
  intervals: [number, number][];
  updated: string;
}

/**
 * A detection run started on a clip and not yet applied to it: the run goes on in the main process if
 * the page reloads, and the reloaded page takes its result by the job id (detection-runs.ts).
 */
export interface DetectionRunRow {
  clipId: string;
  jobId: string;
  /** The clip's frame count, for progress. */
  frameCount: number;
  /** The options the run was started with, for the audit trail. */
  options: Record<string, unknown>;
  started: string;
}

/** An export started on a clip and not yet recorded in the audit trail: as DetectionRunRow (export-runs.ts). */
export interface ExportRunRow {
  jobId: string;
  clipId: string;
  outputPath: string;
  /** The source's SHA-256 as the plan gave it. */
  inputSha256: string;
  /** Who the copy is disclosed to, and why, when given. */
  recipient?: string;
  purpose?: string;
  /** The review event to record with the export (what was watched and confirmed when it began). */
  review: { type: 'review'; payload: AuditPayload<'review'> };
  started: string;
}

export interface SettingRow {
  key: string;
  value: unknown;
}

export class RedactorDb extends Dexie {
  cases!: Table<CaseRow, string>;
  clips!: Table<ClipRow, string>;
  tracks!: Table<TrackRow, [string, string]>;
  audioRanges!: Table<AudioRangeRow, [string, string]>;
  auditEvents!: Table<AuditEventRow, [string, number]>;
  settings!: Table<SettingRow, string>;
  watched!: Table<WatchedRow, string>;
  detectionRuns!: Table<DetectionRunRow, string>;
  exportRuns!: Table<ExportRunRow, string>;

  constructor(name = DEFAULT_DB_NAME) {
    super(name);
    // Later schema changes add version(2) and so on with an upgrade function; never edit version 1.
    this.version(1).stores({
      cases: 'id, updated',
      clips: 'id, caseId',
      tracks: '[clipId+id], clipId',
      audioRanges: '[clipId+id], clipId',
      auditEvents: '[caseId+seq], caseId',
      settings: 'key',
    });
    // Review coverage; nothing was recorded before, so there is nothing to upgrade.
    this.version(2).stores({ watched: 'clipId' });
    // Detection runs not yet applied, exports not yet recorded; new, so nothing to upgrade.
    this.version(3).stores({ detectionRuns: 'clipId', exportRuns: 'jobId, clipId' });
    // Retention (issue 22): each case gets a date, indexed so the list sorts by what is due; older
    // cases are kept 31 days from their creation.
    this.version(4)
      .stores({ cases: 'id, updated, retainUntil' })
      .upgrade((tx) =>
        tx
          .table('cases')
          .toCollection()
          .modify((c: CaseRow) => {
            if (!c.retainUntil) c.retainUntil = defaultRetainUntil(c.created);
          }),
      );
  }
}
