import { useState } from 'react';
import { ApiError } from '../../common/api';
import { call, cancelJob, errorMessage, newJobId } from '../api/client';
import { repository } from './repository';
import { countOf } from '../../common/count-of';
import { JobProgress } from '../editor/JobProgress';
import { pendingJob } from '../model/job-progress';
import { useFollowedJob } from './use-followed-jobs';

/** A file name from a case reference (which may hold / and other characters no file name may). */
export function fileNameFor(reference: string, suffix: string): string {
  return `${reference.replace(/[\\/\0:*?"<>|]+/g, '_').slice(0, 200) || 'case'}${suffix}`;
}

/**
 * Imports a case file: the main process reads it, refuses a broken audit trail, and re-hashes every
 * clip (progress, cancel); the store then adds the case in one transaction. Says per clip what was found.
 */
export function CaseFileImport({ onImported }: { onImported(): Promise<void> }) {
  const [job, setJob] = useFollowedJob();
  const [result, setResult] = useState<{ ok: boolean; text: string; clips: { name: string; status: string }[] } | null>(null);
  const run = async () => {
    setResult(null);
    try {
      const { path } = await call('chooseCaseFile', {});
      if (!path) return;
      const jobId = newJobId('case');
      setJob(pendingJob(jobId, 'reading the case file'));
      const checked = await call('importCaseFile', { jobId, path });
      const { kase } = await repository.importCase(checked);
      const names = new Map(checked.caseFile.clips.map((c) => [c.id, c.name]));
      const clips = checked.clips.map((c) => ({ name: names.get(c.clipId) ?? c.clipId, status: c.status }));
      const refused = clips.filter((c) => c.status !== 'matches');
      const text = refused.length
        ? `Imported case “${kase.name}”, but ${refused.length} of ${clips.length} clips ${refused.length === 1 ? 'is' : 'are'} REFUSED: ${refused.map((c) => `${c.name} (${c.status === 'missing' ? 'file missing' : 'hash differs: not the recorded file'})`).join(', ')}. Open the case and locate the originals.`
        : `Imported case “${kase.name}”: ${countOf(clips.length, 'clip')}, each re-hashed and matching.`;
      setResult({ ok: !refused.length, text, clips });
      await onImported();
    } catch (err) {
      const cancelled = err instanceof ApiError && err.code === 'cancelled';
      setResult({ ok: false, text: cancelled ? 'Case import cancelled: nothing was imported.' : `Case file NOT imported: ${errorMessage(err)}`, clips: [] });
    } finally {
      setJob(null);
    }
  };
  return (
    <div className="case-import">
      <button onClick={() => void run()} disabled={!!job} data-testid="import-case">Import case file…</button>
      {job && <JobProgress job={job} testId="case-import-progress" onCancel={() => cancelJob(job.jobId)} cancelTestId="cancel-case-import" />}
      {result && (
        <div className={result.ok ? 'muted' : 'error'} role={result.ok ? 'status' : 'alert'} data-testid="case-import-result">
          {result.text}
          {result.clips.length > 0 && (
            <ul>
              {result.clips.map((c, i) => <li key={i} data-status={c.status}>{c.name}: {c.status === 'matches' ? 'matches' : c.status === 'missing' ? 'missing' : 'hash differs'}</li>)}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

/** Writes the case (clips by path and hash, tracks, decisions, audio, coverage, audit trail) to a file the user chooses, and records that it did. */
export function CaseFileExport({ caseId, reference }: { caseId: string; reference: string }) {
  const [verdict, setVerdict] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <span className="case-export">
      <button
        onClick={async () => {
          try {
            const { path } = await call('chooseExportPath', { suggestedName: fileNameFor(reference, '.case.json') });
            if (!path) return;
            const saved = await call('saveCaseFile', { path, caseFile: await repository.exportCase(caseId) });
            await repository.appendAuditEvent(caseId, { type: 'case', payload: { action: 'exported', reference, path: saved.path, auditHead: saved.head, clips: saved.clips } });
            setVerdict({ ok: true, text: `Saved the case file (${countOf(saved.clips, 'clip')}, ${countOf(saved.events, 'audit event')}) to ${saved.path}` });
          } catch (err) {
            setVerdict({ ok: false, text: `Case file NOT saved: ${errorMessage(err)}` });
          }
        }}
        data-testid="export-case"
      >
        Export case file…
      </button>
      {verdict && <span data-testid="case-export-verdict" className={verdict.ok ? 'muted' : 'error'}> {verdict.text}</span>}
    </span>
  );
}
