import { useSyncExternalStore } from 'react';
import type { ApiRequest, ApiResponse } from '../../common/api';
import { call, errorMessage, onApiEvent } from '../api/client';
import type { ExportRunRow } from '../store/db';
import { repository } from './repository';

/**
 * Exports, each recorded in its case's audit trail (review, export, verification) when it ends, also
 * when the page that started it did not live to see the end. An export outlives its page: main goes on
 * with it, the run is recorded in IndexedDB before it starts, and the next page takes it up
 * (resumeExports), so no export written leaves the trail without an account of it.
 */
export type ExportResult = ApiResponse<'exportClip'>;
type VerifyResult = ApiResponse<'verify'>;

/** Exports this page took up from its predecessor, by clip, while they run (started here: the editor shows its own). */
export interface ResumedExport {
  jobId: string;
  outputPath: string;
  phase: string;
  done: number;
  total: number;
}

const resumed = new Map<string, ResumedExport>();
/** What a taken-up export came to, per clip, until an editor on the clip shows it. */
const outcomes = new Map<string, string>();
const listeners = new Set<() => void>();

function changed(): void {
  for (const l of listeners) l();
}

/** Exports a clip and records it; the result and its verification, or the export's error. */
export async function exportAndRecord(clipId: string, request: ApiRequest<'exportClip'>, review: ExportRunRow['review']): Promise<{ out: ExportResult; verified: VerifyResult }> {
  const { recipient, purpose } = request.evidence ?? {};
  const row: ExportRunRow = {
    jobId: request.jobId,
    clipId,
    outputPath: request.outputPath,
    inputSha256: request.plan.source.sha256,
    ...(recipient ? { recipient } : {}),
    ...(purpose ? { purpose } : {}),
    review,
    started: new Date().toISOString(),
  };
  await repository.addExportRun(row);
  try {
    return await record(row, await call('exportClip', request));
  } finally {
    await repository.removeExportRun(row.jobId).catch(() => {});
  }
}

/** The review and the export go into the trail together (a failed export records neither), then the verification. */
async function record(row: ExportRunRow, out: ExportResult): Promise<{ out: ExportResult; verified: VerifyResult }> {
  await repository.appendClipAuditEvents(row.clipId, [row.review, { type: 'export', payload: { clipId: row.clipId, inputSha256: row.inputSha256, outputPath: out.outputPath, outputSha256: out.sha256, reportPath: out.reportPath, ...(row.recipient ? { recipient: row.recipient } : {}), ...(row.purpose ? { purpose: row.purpose } : {}) } }]);
  const verified = await call('verify', { path: out.outputPath });
  const detail = verified.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join('; ') || 'all checks passed';
  await repository.appendClipAuditEvents(row.clipId, [{ type: 'verification', payload: { target: out.outputPath, intact: verified.ok, detail } }]);
  return { out, verified };
}

/**
 * Takes up the exports this page's predecessor started: each shows as running on its clip until main
 * has its result, which is then recorded as above. One main no longer knows was stopped with the app,
 * and the engine removed its partial file: there is nothing to record. Call once, when the app starts.
 */
export async function resumeExports(): Promise<void> {
  const rows = await repository.listExportRuns();
  if (rows.length) followProgress();
  await Promise.all(
    rows.map(async (row) => {
      resumed.set(row.clipId, { jobId: row.jobId, outputPath: row.outputPath, phase: 'exporting', done: 0, total: 1 });
      changed();
      try {
        const { result } = await call('exportResult', { jobId: row.jobId });
        if (!result) {
          outcomes.set(row.clipId, `The export to ${row.outputPath} was stopped when the app closed; no file was written. Export again.`);
        } else if (await alreadyRecorded(row.clipId, result)) {
          // The old page recorded it and went just before it could clear the run.
        } else {
          const { verified } = await record(row, result);
          outcomes.set(row.clipId, `The export to ${result.outputPath} finished while the app reloaded and is recorded: ${verified.ok ? 'verified' : 'verification FAILED'}.`);
        }
      } catch (err) {
        outcomes.set(row.clipId, `The export to ${row.outputPath} did not finish: ${errorMessage(err)}`);
      } finally {
        await repository.removeExportRun(row.jobId).catch(() => {});
        resumed.delete(row.clipId);
        changed();
      }
    }),
  );
}

let following = false;

function followProgress(): void {
  if (following) return;
  following = true;
  onApiEvent((e) => {
    if (e.type !== 'progress') return;
    for (const [clipId, run] of resumed) {
      if (run.jobId === e.jobId) resumed.set(clipId, { ...run, phase: e.phase, done: e.done, total: e.total });
    }
    changed();
  });
}

async function alreadyRecorded(clipId: string, out: ExportResult): Promise<boolean> {
  const clip = await repository.getClip(clipId);
  if (!clip) return false;
  return (await repository.listAuditEvents(clip.caseId)).some((e) => e.type === 'export' && e.payload.outputPath === out.outputPath && e.payload.outputSha256 === out.sha256);
}

/**
 * Who the case's last export was disclosed to, and why: the next export's dialog starts from them,
 * since a case's clips usually go to the same recipient. Empty strings when none was recorded.
 */
export async function lastDisclosure(clipId: string): Promise<{ recipient: string; purpose: string }> {
  const clip = await repository.getClip(clipId);
  const events = clip ? await repository.listAuditEvents(clip.caseId) : [];
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type !== 'export') continue;
    const p = e.payload as { recipient?: unknown; purpose?: unknown };
    if (typeof p.recipient === 'string' || typeof p.purpose === 'string') return { recipient: typeof p.recipient === 'string' ? p.recipient : '', purpose: typeof p.purpose === 'string' ? p.purpose : '' };
  }
  return { recipient: '', purpose: '' };
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The taken-up export running on a clip (null when none), kept current. */
export function useResumedExport(clipId: string): ResumedExport | null {
  return useSyncExternalStore(subscribe, () => resumed.get(clipId) ?? null);
}

/** What a taken-up export on the clip came to, once (undefined: nothing new). */
export function takeExportOutcome(clipId: string): string | undefined {
  const message = outcomes.get(clipId);
  outcomes.delete(clipId);
  return message;
}
