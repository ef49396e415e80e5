import { useEffect, useRef, useState } from 'react';
import { ApiError, type OpenedFile } from '../../common/api';
import { call, cancelJob, dropFiles, errorMessage, newJobId, onApiEvent } from '../api/client';
import { Editor } from '../editor/Editor';
import type { CaseRow, ClipRow } from '../store/db';
import { repository, withFacts, type OpenClip } from './repository';
import { useClipSession } from './use-clip-session';
import type { ReasonCode } from '../../common/reasons';
import { JobProgress } from '../editor/JobProgress';
import { pendingJob, type JobProgressState } from '../model/job-progress';
import { DuplicateClipError } from '../store/store-error';
import { useFollowedJob, useFollowedJobs } from './use-followed-jobs';
import { rememberPlace, takeStartClip } from './last-place';
import { AuditTrail } from './AuditTrail';
import { CaseFileExport } from './CaseFiles';
import { DeleteCase, RetentionControl } from './CaseLifecycle';
export function CaseView({ kase: opened, userName, reasons, account, onClose }: { kase: CaseRow; userName: string; reasons: readonly ReasonCode[]; account?: React.ReactNode; onClose(): void }) {
  const [kase, setKase] = useState(opened);
  const [clipsAsList, setClipsAsList] = useState(() => clipsShownAsList);
  // Every clip row, with its checked facts when it can be opened; refused clips are listed, marked.
  const [listed, setListed] = useState<{ row: ClipRow; clip: OpenClip | null }[]>([]);
  const [openClipId, setOpenClipId] = useState<string | null>(() => takeStartClip(kase.id));
  useEffect(() => {
    if (openClipId) rememberPlace({ clipId: openClipId });
  }, [openClipId]);
  const [importing, setImporting] = useFollowedJobs<JobProgressState & { name: string }>();
  // Imports cancelled while queued or running: a queued one is then never started.
  const cancelledImports = useRef(new Set<string>());
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = async () => setListed((await repository.listClips(kase.id)).map((row) => ({ row, clip: withFacts(row) })).filter((c) => c.clip || c.row.integrity));
  useEffect(() => void refresh(), [kase.id]);

  const importFiles = async (files: OpenedFile[]) => {
    // One line per file that could not be imported, so a batch with several bad files names each.
    const failures: string[] = [];
    const notes: string[] = [];
    setError(null);
    setNotice(null);
    // Every file is listed (and can be cancelled) from the start; they are read one at a time.
    const queue = files.map((f) => ({ ...pendingJob(newJobId('import'), 'queued'), name: f.name, file: f }));
    setImporting((i) => [...i, ...queue.map(({ file: _file, ...job }) => job)]);
    for (const { jobId, file: f } of queue) {
      try {
        if (cancelledImports.current.has(jobId)) throw new ApiError('cancelled', 'cancelled');
        const facts = await call('importClip', { jobId, path: f.path });
        // Left the case meanwhile: nothing joins a case nobody is looking at.
        if (cancelledImports.current.has(jobId)) throw new ApiError('cancelled', 'cancelled');
        const clip = await repository.addClip(kase.id, { path: f.path, name: f.name, size: facts.size, sha256: facts.sha256, probe: facts });
        await refresh();
        setOpenClipId(clip.id);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'cancelled') {
          notes.push(`${f.name}: import cancelled; nothing was added.`);
          setNotice(notes.join('\n'));
        } else if (err instanceof DuplicateClipError) {
          notes.push(`${f.name} is ${err.message}: not imported again.`);
          setNotice(notes.join('\n'));
          setOpenClipId(err.existing.id);
        } else {
          // Engine messages usually name the file already; say so once, and that nothing was added.
          const message = errorMessage(err);
          failures.push(`${message.startsWith(f.name) ? message : `${f.name}: ${message}`} (not imported)`);
          setError(failures.join('\n'));
        }
      } finally {
        cancelledImports.current.delete(jobId);
        setImporting((i) => i.filter((x) => x.jobId !== jobId));
      }
    }
  };
  const cancelImport = (jobId: string) => {
    cancelledImports.current.add(jobId);
    cancelJob(jobId);
  };
  // Leaving the case cancels its imports, running or queued: an import finishing out of sight would add
  // a clip (and an audit event) to the case without the reviewer knowing.
  const importingNow = useRef(importing);
  importingNow.current = importing;
  useEffect(() => () => importingNow.current.forEach((job) => cancelImport(job.jobId)), []);

  useEffect(
    () =>
      onApiEvent((e) => {
        if (e.type === 'files-dropped') void importFiles(e.files);
      }),
    [kase.id],
  );

  const selected = listed.find((c) => c.row.id === openClipId);
  const openClip = selected?.clip ?? null;
  const refusedClip = selected?.row.integrity ? selected.row : null;

  return (
    <div
      className="case-view"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        dropFiles(Array.from(e.dataTransfer.files));
      }}
    >
      <header className="case-header">
        <button onClick={onClose} data-testid="back-to-cases">← Cases</button>
        <h2 data-testid="case-name">{kase.name}</h2>
        <button
          onClick={async () => {
            try {
              const { files } = await call('openVideoDialog', {});
              await importFiles(files);
            } catch (err) {
              setError(errorMessage(err));
            }
          }}
          data-testid="import"
        >
          Import footage…
        </button>
        <span className="muted drop-hint">or drop video files here</span>
        <AuditTrail caseId={kase.id} reference={kase.reference ?? kase.name} />
        <CaseFileExport caseId={kase.id} reference={kase.reference ?? kase.name} />
        <RetentionControl kase={kase} onChanged={setKase} />
        <DeleteCase kase={kase} userName={userName} onDeleted={onClose} />
        {importing.map((i) => (
          <JobProgress key={i.jobId} job={i} label={i.name} testId="import-progress" onCancel={() => cancelImport(i.jobId)} cancelTestId="cancel-import" />
        ))}
        <span className="spacer" />
        {account}
      </header>
      {error && <div className="error" role="alert" onClick={() => setError(null)}>{error}</div>}
      {notice && <div className="notice" role="status" data-testid="import-notice" onClick={() => setNotice(null)}>{notice}</div>}
      <div className={clipsAsList ? 'case-body' : 'case-body strip'}>
        <nav className={clipsAsList ? 'clips' : 'clips strip'} data-testid="clip-list" aria-label="Clips">
          <button
            className="clips-toggle"
            onClick={() => setClipsAsList((l) => (clipsShownAsList = !l))}
            title={clipsAsList ? 'Show the clips as a strip, for a larger player' : 'Show the clips as a list'}
            aria-pressed={clipsAsList}
            data-testid="clips-toggle"
          >
            {clipsAsList ? '⇤ Clips' : '☰ Clips'}
          </button>
          {listed.map(({ row: r, clip: c }) => (
            <button key={r.id} className={`clip${r.id === openClipId ? ' active' : ''}${r.integrity ? ' refused' : ''}`} onClick={() => setOpenClipId(r.id)} data-testid="clip" data-refused={r.integrity?.status}>
              {r.name}
              {c ? (
                <span className="muted"> {c.facts.video.width}×{c.facts.video.height}, {c.facts.video.frameCount} frames</span>
              ) : (
                <span className="error"> refused: {r.integrity?.status === 'missing' ? 'file missing' : 'not the recorded file'}</span>
              )}
            </button>
          ))}
          {listed.length === 0 && <p className="muted">No footage yet.</p>}
        </nav>
        {refusedClip ? <RefusedClip key={refusedClip.id} row={refusedClip} onLocated={refresh} /> : openClip ? <ClipEditor key={openClip.id} caseId={kase.id} clip={openClip} userName={userName} reasons={reasons} caseReference={kase.reference ?? kase.name} onProxy={async (p) => { await repository.setProxyPath(openClip.id, p); await refresh(); }} onRepaired={refresh} /> : <div className="empty muted">Import or select a clip.</div>}
      </div>
    </div>
  );
}

function ClipEditor({ caseId, clip, userName, reasons, caseReference, onProxy, onRepaired }: { caseId: string; clip: OpenClip; userName: string; reasons: readonly ReasonCode[]; caseReference: string; onProxy(path: string): void; onRepaired(): Promise<void> }) {
  const session = useClipSession(clip.id);
  // A clip stored before the player's start was kept gets it now, so the player shows the frame it names.
  const [repair, setRepair] = useState<'needed' | 'done' | 'failed'>(clip.facts.playerStart ? 'done' : 'needed');
  const repairing = useRef(false);
  useEffect(() => {
    if (repair !== 'needed' || repairing.current) return;
    repairing.current = true;
    void call('playerStart', { path: clip.path })
      .then((start) => repository.setPlayerStart(clip.id, start))
      .then(onRepaired)
      .then(() => setRepair('done'))
      .catch(() => setRepair('failed'));
  }, [repair, clip.id, clip.path, onRepaired]);
  if (session.error) return <div className="error" role="alert">{session.error}</div>;
  // The case's working folder is named by its first audit event (the clip's import at the latest).
  const [caseKey, setCaseKey] = useState<string | null>(null);
  useEffect(() => void repository.caseWorkKey(caseId).then(setCaseKey), [caseId]);
  if (!session.loaded || repair === 'needed' || !caseKey) return <div className="empty muted">Loading…</div>;
  return <Editor clip={clip} session={session} userName={userName} reasons={reasons} caseReference={caseReference} caseKey={caseKey} onProxy={onProxy} />;
}

/**
 * A clip whose file was missing or not the recorded one when the case was imported. It is not opened
 * or exported; the reviewer is told why and may locate the original, which is accepted only if its
 * SHA-256 is the one the case recorded.
 */
function RefusedClip({ row, onLocated }: { row: ClipRow; onLocated(): Promise<void> }) {
  const [job, setJob] = useFollowedJob();
  const [problem, setProblem] = useState<string | null>(null);
  const integrity = row.integrity!;
  const locate = async () => {
    setProblem(null);
    try {
      const { files } = await call('openVideoDialog', {});
      const file = files[0];
      if (!file) return;
      const jobId = newJobId('locate');
      setJob(pendingJob(jobId, 'hashing'));
      const facts = await call('importClip', { jobId, path: file.path });
      await repository.relocateClip(row.id, { path: file.path, name: file.name, size: facts.size, sha256: facts.sha256, probe: facts });
      await onLocated();
    } catch (err) {
      setProblem(err instanceof ApiError && err.code === 'cancelled' ? 'Cancelled: the clip is still refused.' : errorMessage(err));
    } finally {
      setJob(null);
    }
  };
  return (
    <div className="refused-clip" role="alert" data-testid="clip-refused">
      <h3>{row.name} is refused</h3>
      <p data-testid="refused-reason">
        {integrity.status === 'missing'
          ? 'The file of this clip was not found where the case file says it is.'
          : 'The file at the recorded path is not the footage this case was made from: its SHA-256 differs from the one the case recorded, so it has been changed or replaced.'}{' '}
        To protect the evidence, the app will not open this clip for editing or export it.
      </p>
      <p className="muted" data-testid="refused-detail">{integrity.detail}</p>
      <p>
        What to do: locate the original file, the one with SHA-256 <code>{row.sha256}</code> (for example from the evidence store), and choose it with “Locate original…”. It is re-hashed, and the clip opens only if it matches.
      </p>
      <button onClick={() => void locate()} disabled={!!job} data-testid="locate-original">Locate original…</button>
      {job && <JobProgress job={job} onCancel={() => cancelJob(job.jobId)} />}
      {problem && <div className="error" data-testid="locate-problem">{problem}</div>}
    </div>
  );
}

/** Clips as a list beside the editor, or a strip above it (the default: the player gets the width). */
let clipsShownAsList = false;
