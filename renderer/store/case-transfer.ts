/**
 * A case in the store <-> a case file (common/case-file.ts), as pure mappings; the repository reads
 * and writes the rows. Export: the case, each clip by path, hash and probe facts, its tracks and audio
 * ranges as a plan, its watched frames, and the audit trail as stored. Import: the same back into rows,
 * under a new case id but with the file's clip, track and range ids (the trail names them), and each
 * clip that re-hashing did not match marked refused.
 */
import { clipFactsSchema, type CaseClipCheckResult, type ClipFacts } from '../../common/api';
import { chainHead, type AuditEvent, type AuditHead } from '../../common/audit-chain';
import { CASE_SCHEMA_ID, CASE_VERSION, CaseValidationError, caseClipProbeSchema, parseCaseFile, type CaseClip, type CaseFile } from '../../common/case-file';
import { DEFAULT_OUTPUT, PLAN_SCHEMA_ID, PLAN_VERSION } from '../../common/plan';
import { DEFAULT_REASONS, type ReasonCode } from '../../common/reasons';
import type { WatchedFrames } from '../../common/review-coverage';
import type { ClipEdits } from '../model/clip-edits';
import { defaultRetainUntil, type AudioRangeRow, type CaseRow, type ClipRow, type TrackRow, type WatchedRow } from './db';
import { StoreError } from './store-error';

export interface StoredClip {
  row: ClipRow;
  edits: ClipEdits;
  watched: WatchedFrames;
}

/** The probe facts a case file records, from what the clip row holds (full facts, or facts recorded by an earlier case file). */
export function recordedProbe(row: ClipRow): CaseClip['probe'] {
  const facts = clipFactsSchema.safeParse(row.probe);
  if (facts.success) {
    const f = facts.data;
    // Clips stored before the container's name was kept: the case file needs some name.
    return { formatName: f.formatName ?? 'unknown', durationSeconds: f.durationSeconds, video: f.video, hasAudio: f.hasAudio };
  }
  const recorded = caseClipProbeSchema.safeParse(row.probe);
  if (recorded.success) return recorded.data;
  throw new StoreError(`Clip ${row.name} has no usable probe facts; import it again.`);
}

/** The case as a case file (validated), with the reasons list in use. `auditHead` is the trail's own head. */
export function caseFileFromStore(kase: CaseRow, clips: readonly StoredClip[], audit: readonly AuditEvent[], savedAt: string, reasons: readonly ReasonCode[] = DEFAULT_REASONS): CaseFile {
  const value = {
    schema: CASE_SCHEMA_ID,
    version: CASE_VERSION,
    reference: kase.reference ?? kase.name,
    title: kase.name,
    createdAt: kase.created,
    savedAt,
    reasons: [...reasons],
    clips: clips.map(({ row, edits, watched }) => {
      const probe = recordedProbe(row);
      return {
        id: row.id,
        path: row.path,
        name: row.name,
        size: row.size,
        sha256: row.sha256,
        probe,
        plan: {
          schema: PLAN_SCHEMA_ID,
          version: PLAN_VERSION,
          source: { name: row.name, size: row.size, sha256: row.sha256, video: probe.video, hasAudio: probe.hasAudio },
          tracks: [...edits.tracks],
          audio: [...edits.audio],
          output: DEFAULT_OUTPUT,
        },
        watched: watched.map(([a, b]) => [a, b] as [number, number]),
      };
    }),
    audit: [...audit],
    auditHead: chainHead(audit),
  };
  try {
    return parseCaseFile(value);
  } catch (err) {
    if (err instanceof CaseValidationError) throw new StoreError(`The case cannot be written as a case file: ${err.message}.`);
    throw err;
  }
}

export interface ImportedRows {
  kase: CaseRow;
  clips: ClipRow[];
  tracks: TrackRow[];
  audio: AudioRangeRow[];
  watched: WatchedRow[];
}

/**
 * Rows for a case file whose clips were checked (`checks`, one per clip). A clip that matches gets
 * its fresh facts; one that is missing or differs keeps the recorded facts and is marked refused.
 */
export function rowsFromCaseFile(caseFile: CaseFile, checks: readonly CaseClipCheckResult[], options: { caseId: string; now: string }): ImportedRows {
  const { caseId, now } = options;
  // Kept 31 days from the import into this app: the file's own retention is the sender's business.
  const kase: CaseRow = { id: caseId, name: caseFile.title?.trim() || caseFile.reference, reference: caseFile.reference, created: caseFile.createdAt, updated: now, retainUntil: defaultRetainUntil(now) };
  const rows: ImportedRows = { kase, clips: [], tracks: [], audio: [], watched: [] };
  for (const clip of caseFile.clips) {
    const check = checks.find((c) => c.clipId === clip.id);
    if (!check) throw new StoreError(`Clip ${clip.name} of the case file was not checked; nothing was imported.`);
    let probe: ClipFacts | CaseClip['probe'] = clip.probe;
    if (check.status === 'matches') {
      if (!check.facts || check.facts.sha256 !== clip.sha256) throw new StoreError(`Clip ${clip.name}: the check does not match the recorded SHA-256; nothing was imported.`);
      probe = check.facts;
    }
    rows.clips.push({
      id: clip.id,
      caseId,
      path: check.path,
      name: clip.name,
      size: clip.size,
      sha256: clip.sha256,
      probe,
      // The time the trail says the clip was added keeps the clips in their order.
      added: importTime(caseFile.audit, clip.id) ?? caseFile.createdAt,
      updated: now,
      trackOrder: clip.plan.tracks.map((t) => t.id),
      audioOrder: clip.plan.audio.map((a) => a.id),
      ...(check.status === 'matches' ? {} : { integrity: { status: check.status, detail: check.detail, checked: now } }),
    });
    rows.tracks.push(...clip.plan.tracks.map((track) => ({ clipId: clip.id, id: track.id, track })));
    rows.audio.push(...clip.plan.audio.map((range) => ({ clipId: clip.id, id: range.id, range })));
    if (clip.watched.length) rows.watched.push({ clipId: clip.id, intervals: clip.watched.map(([a, b]) => [a, b] as [number, number]), updated: now });
  }
  return rows;
}

/** The import event's payload: where the case came from, the head it recorded, and what each clip's check found. */
export function caseImportPayload(caseFile: CaseFile, from: string, checks: readonly CaseClipCheckResult[], verifiedHead: AuditHead) {
  return {
    action: 'imported' as const,
    reference: caseFile.reference,
    from,
    savedAt: caseFile.savedAt,
    auditHead: verifiedHead,
    clips: checks.map((c) => {
      const recorded = caseFile.clips.find((x) => x.id === c.clipId);
      return { clipId: c.clipId, path: c.path, status: c.status, sha256: recorded?.sha256 ?? null, ...(c.status === 'hash-differs' && c.sha256 ? { foundSha256: c.sha256 } : {}) };
    }),
  };
}

function importTime(audit: readonly AuditEvent[], clipId: string): string | undefined {
  return audit.find((e) => e.type === 'import' && e.payload.clipId === clipId)?.time;
}
