import type { ApiRequest, ApiResponse } from '../../common/api';
import type { AuditEvent } from '../../common/audit-chain';
import { call, errorMessage } from '../api/client';
import type { ExportRunRow } from '../store/db';
import { ClipRuns, type ClipRunProgress } from './clip-runs';
import { pendingJob } from '../model/job-progress';
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
export interface ResumedExport extends ClipRunProgress {
  outputPath: string;
}

/** Taken-up exports, and what each came to until an editor on its clip shows it. */
const resumed = new ClipRuns<ResumedExport, string>();

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
  await repository.appendClipAuditEvents(row.clipId, [row.review, { type: 'export', payload: { clipId: row.clipId, inputSha256: row.inputSha256, outputPath: out.outputPath, outputSha256: out.sha256, reportPath: out.reportPath, ...(row.recipient ? { recipient: row.recipient } : {}), ...(row.purpose ? { purpose: row.purpose } : {}), ...(out.subjectAccess ? { subjectAccess: out.subjectAccess } : {}) } }]);
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
  await Promise.all(
    rows.map(async (row) => {
      resumed.start(row.clipId, { ...pendingJob(row.jobId, 'exporting'), outputPath: row.outputPath });
      let outcome: string | undefined;
      try {
        const { result } = await call('exportResult', { jobId: row.jobId });
        if (!result) {
          outcome = `The export to ${row.outputPath} was stopped when the app closed; no file was written. Export again.`;
        } else if (!(await alreadyRecorded(row.clipId, result))) {
          // (Already recorded: the old page recorded it and went just before it could clear the run.)
          const { verified } = await record(row, result);
          outcome = `The export to ${result.outputPath} finished while the app reloaded and is recorded: ${verified.ok ? 'verified' : 'verification FAILED'}.`;
        }
      } catch (err) {
        outcome = `The export to ${row.outputPath} did not finish: ${errorMessage(err)}`;
      }
      await repository.removeExportRun(row.jobId).catch(() => {});
      resumed.end(row.clipId, outcome);
    }),
  );
}

/** The audit trail of the clip's case (none for a clip no longer stored). */
async function caseTrailOf(clipId: string): Promise<AuditEvent[]> {
  const clip = await repository.getClip(clipId);
  return clip ? repository.listAuditEvents(clip.caseId) : [];
}

async function alreadyRecorded(clipId: string, out: ExportResult): Promise<boolean> {
  return (await caseTrailOf(clipId)).some((e) => e.type === 'export' && e.payload.outputPath === out.outputPath && e.payload.outputSha256 === out.sha256);
}

/**
 * Who the case's last export was disclosed to, and why: the next export's dialog starts from them,
 * since a case's clips usually go to the same recipient. Empty strings when none was recorded.
 */
export async function lastDisclosure(clipId: string): Promise<{ recipient: string; purpose: string }> {
  const events = await caseTrailOf(clipId);
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type !== 'export') continue;
    const p = e.payload as { recipient?: unknown; purpose?: unknown };
    if (typeof p.recipient === 'string' || typeof p.purpose === 'string') return { recipient: typeof p.recipient === 'string' ? p.recipient : '', purpose: typeof p.purpose === 'string' ? p.purpose : '' };
  }
  return { recipient: '', purpose: '' };
}

/** The taken-up export running on a clip (null when none), kept current. */
export function useResumedExport(clipId: string): ResumedExport | null {
  return resumed.use(clipId);
}

/** What a taken-up export on the clip came to, once (undefined: nothing new). */
export function takeExportOutcome(clipId: string): string | undefined {
  return resumed.takeOutcome(clipId);
}
