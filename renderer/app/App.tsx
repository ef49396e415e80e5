import { useEffect, useRef, useState } from 'react';
import { ApiError, type OpenedFile } from '../../common/api';
import { call, dropFiles, errorMessage, newJobId, onApiEvent } from '../api/client';
import { Editor } from '../editor/Editor';
import type { CaseRow, ClipRow } from '../store/db';
import { repository, withFacts, type OpenClip } from './repository';
import { useClipSession } from './use-clip-session';
import { resumeDetections } from './detection-runs';
import { resumeExports } from './export-runs';
import type { ReasonCode } from '../../common/reasons';
import { REASON_LIST_SETTING, storedReasonList } from '../model/reason-list';
import { ReasonsPanel } from './ReasonsPanel';
import { describeAuditEvent } from '../model/audit-lines';
import { countOf } from '../../common/count-of';
import { JobProgress } from '../editor/JobProgress';
import { pendingJob, type JobProgressState } from '../model/job-progress';
import { DuplicateClipError } from '../store/store-error';
import { useFollowedJob, useFollowedJobs } from './use-followed-jobs';
import { loadLastPlace, rememberPlace, takeStartCase, takeStartClip } from './last-place';

/** The preference holding the name every decision and audit event records (default: the OS user). */
export const USER_NAME_SETTING = 'userName';

/** Cases, their clips, import, and the editor for the open clip. */
export function App() {
  const [cases, setCases] = useState<CaseRow[]>([]);
  const [openCase, setOpenCase] = useState<CaseRow | null>(null);
  const [userName, setUserName] = useState<string | null>(null);
  const [toolVersion, setToolVersion] = useState('unknown');
  // The reasons to redact (a preference; the defaults when unset).
  const [reasons, setReasons] = useState<ReasonCode[] | null>(null);
  const [editingReasons, setEditingReasons] = useState(false);
  const refresh = async () => setCases(await repository.listCases());
  const [placeLoaded, setPlaceLoaded] = useState(false);
  // Back where the reviewer was (a reload, a crashed page reloaded, the next start): the case, then its clip and frame.
  useEffect(() => {
    void (async () => {
      await loadLastPlace();
      const list = await repository.listCases();
      setCases(list);
      const startCase = takeStartCase();
      setOpenCase(list.find((c) => c.id === startCase) ?? null);
      setPlaceLoaded(true);
    })();
  }, []);
  useEffect(() => {
    if (placeLoaded) rememberPlace({ caseId: openCase?.id ?? null });
  }, [openCase?.id, placeLoaded]);

  // Who is working: the stored preference, else the OS user; the audit trail records it with the version.
  useEffect(() => {
    void (async () => {
      const stored = await repository.getSetting<string>(USER_NAME_SETTING).catch(() => undefined);
      const info = await call('appInfo', {}).catch(() => ({ userName: 'unknown', toolVersion: 'unknown' }));
      setToolVersion(info.toolVersion);
      setUserName(stored?.trim() || info.userName);
      setReasons(storedReasonList(await repository.getSetting(REASON_LIST_SETTING).catch(() => undefined)));
    })();
  }, []);
  useEffect(() => {
    if (!userName) return;
    repository.setActor({ user: userName, toolVersion });
    // Jobs a previous page started go on in main: take them up, now that their audit events can say who.
    takeUpJobsOnce();
  }, [userName, toolVersion]);
  useEffect(() => {
    if (reasons) repository.setReasons(reasons);
  }, [reasons]);

  if (!userName || !reasons || !placeLoaded) return <div className="empty muted">Loading…</div>;
  const user = (
    <>
      <div className="row">
        <UserName name={userName} onChange={async (n) => { await repository.setSetting(USER_NAME_SETTING, n); setUserName(n); }} />
        <button onClick={() => setEditingReasons((e) => !e)} data-testid="edit-reasons">Reasons…</button>
      </div>
      {editingReasons && <ReasonsPanel reasons={reasons} onChange={async (list) => { await repository.setSetting(REASON_LIST_SETTING, list); setReasons(list); }} onClose={() => setEditingReasons(false)} />}
    </>
  );
  if (!openCase) return <>{user}<CaseList cases={cases} onOpen={setOpenCase} onChanged={refresh} /></>;
  return <>{user}<CaseView kase={openCase} userName={userName} reasons={reasons} onClose={() => { setOpenCase(null); void refresh(); }} /></>;
}

let jobsTakenUp = false;

function takeUpJobsOnce(): void {
  if (jobsTakenUp) return;
  jobsTakenUp = true;
  void resumeDetections().catch((err: unknown) => console.error('could not take up detection runs', err));
  void resumeExports().catch((err: unknown) => console.error('could not take up exports', err));
}

/** The user name preference: shown at the top, editable; recorded with every decision and audit event. */
function UserName({ name, onChange }: { name: string; onChange(name: string): Promise<void> }) {
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <div className="user-name row">
      {editing === null ? (
        <>
          <span className="muted">Working as</span> <strong data-testid="user-name">{name}</strong>
          <button onClick={() => setEditing(name)} data-testid="change-user">Change</button>
        </>
      ) : (
        <form
          className="row"
          onSubmit={async (e) => {
            e.preventDefault();
            const n = editing.trim();
            if (n) await onChange(n.slice(0, 200));
            setEditing(null);
          }}
        >
          <label>
            Your name <input value={editing} onChange={(e) => setEditing(e.target.value)} maxLength={200} autoFocus data-testid="user-name-input" />
          </label>
          <button type="submit" data-testid="save-user">Save</button>
        </form>
      )}
    </div>
  );
}

function CaseList(props: { cases: CaseRow[]; onOpen(c: CaseRow): void; onChanged(): Promise<void> }) {
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  return (
    <div className="cases" data-testid="case-list">
      <h1>Evidence Redactor</h1>
      <form
        className="row"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!name.trim()) return;
          const c = await repository.createCase(name.trim());
          setName('');
          await props.onChanged();
          props.onOpen(c);
        }}
      >
        <input placeholder="New case name or reference" value={name} onChange={(e) => setName(e.target.value)} data-testid="new-case-name" />
        <button type="submit" data-testid="create-case">Create case</button>
      </form>
      <CaseFileImport onImported={props.onChanged} />
      <ul className="case-items">
        {props.cases.map((c) => (
          <li key={c.id}>
            {renaming?.id === c.id ? (
              <form
                className="row"
                onSubmit={async (e) => {
                  e.preventDefault();
                  await repository.renameCase(c.id, renaming.name.trim() || c.name);
                  setRenaming(null);
                  await props.onChanged();
                }}
              >
                <input value={renaming.name} onChange={(e) => setRenaming({ id: c.id, name: e.target.value })} autoFocus data-testid="rename-input" />
                <button type="submit">Save</button>
              </form>
            ) : (
              <>
                <button className="link" onClick={() => props.onOpen(c)} data-testid="open-case">{c.name}</button>
                <span className="muted"> updated {new Date(c.updated).toLocaleString()}</span>
                <button onClick={() => setRenaming({ id: c.id, name: c.name })}>Rename</button>
              </>
            )}
          </li>
        ))}
      </ul>
      {props.cases.length === 0 && <p className="muted">No cases yet. Create one to import footage.</p>}
    </div>
  );
}

function CaseView({ kase, userName, reasons, onClose }: { kase: CaseRow; userName: string; reasons: readonly ReasonCode[]; onClose(): void }) {
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
    void call('cancel', { jobId }).catch(() => {});
  };

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
        <span className="muted">or drop video files here</span>
        <AuditTrail caseId={kase.id} reference={kase.reference ?? kase.name} />
        <CaseFileExport caseId={kase.id} reference={kase.reference ?? kase.name} />
        {importing.map((i) => (
          <JobProgress key={i.jobId} job={i} label={i.name} testId="import-progress" onCancel={() => cancelImport(i.jobId)} cancelTestId="cancel-import" />
        ))}
      </header>
      {error && <div className="error" role="alert" onClick={() => setError(null)}>{error}</div>}
      {notice && <div className="notice" role="status" data-testid="import-notice" onClick={() => setNotice(null)}>{notice}</div>}
      <div className="case-body">
        <nav className="clips" data-testid="clip-list">
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
        {refusedClip ? <RefusedClip key={refusedClip.id} row={refusedClip} onLocated={refresh} /> : openClip ? <ClipEditor key={openClip.id} clip={openClip} userName={userName} reasons={reasons} caseReference={kase.reference ?? kase.name} onProxy={async (p) => { await repository.setProxyPath(openClip.id, p); await refresh(); }} onRepaired={refresh} /> : <div className="empty muted">Import or select a clip.</div>}
      </div>
    </div>
  );
}

function ClipEditor({ clip, userName, reasons, caseReference, onProxy, onRepaired }: { clip: OpenClip; userName: string; reasons: readonly ReasonCode[]; caseReference: string; onProxy(path: string): void; onRepaired(): Promise<void> }) {
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
  if (!session.loaded || repair === 'needed') return <div className="empty muted">Loading…</div>;
  return <Editor clip={clip} session={session} userName={userName} reasons={reasons} caseReference={caseReference} onProxy={onProxy} />;
}

/**
 * Checks the case's audit chain on request, shows the verdict, and records the check in the trail;
 * exports the trail to a file (`redactor verify --audit` checks it); shows it in words.
 */
function AuditTrail({ caseId, reference }: { caseId: string; reference: string }) {
  const [verdict, setVerdict] = useState<string | null>(null);
  // Where the list opens: just below its button, so the button that closes it stays in view.
  const [shownAt, setShownAt] = useState<number | null>(null);
  return (
    <span className="audit">
      <button
        onClick={async () => {
          try {
            const { path } = await call('chooseExportPath', { suggestedName: fileNameFor(reference, '.audit.json') });
            if (!path) return;
            const saved = await call('saveAuditTrail', { path, caseReference: reference, events: await repository.listAuditEvents(caseId) });
            setVerdict(`Saved ${countOf(saved.events, 'audit event')} to ${saved.path}`);
          } catch (err) {
            setVerdict(`Audit trail NOT saved: ${errorMessage(err)}`);
          }
        }}
        data-testid="export-audit"
      >
        Export audit trail…
      </button>
      <button
        onClick={async () => {
          const v = await repository.verifyAuditTrail(caseId);
          const text = v.intact ? `Audit trail intact: ${countOf(v.events, 'event')}` : `Audit trail NOT intact: ${v.detail}`;
          setVerdict(text);
          await repository.appendAuditEvent(caseId, { type: 'verification', payload: { target: 'audit trail', intact: v.intact, detail: text } }).catch(() => {});
        }}
        data-testid="verify-audit"
      >
        Verify audit trail
      </button>
      <button
        onClick={(e) => {
          // Read now: React clears currentTarget once the handler returns.
          const below = e.currentTarget.getBoundingClientRect().bottom + 6;
          setShownAt((at) => (at === null ? below : null));
        }}
        className={shownAt !== null ? 'active' : ''} data-testid="show-audit">
        Audit trail
      </button>
      {verdict && <span data-testid="audit-verdict" className={verdict.includes('NOT') ? 'error' : 'muted'}> {verdict}</span>}
      {shownAt !== null && <AuditEvents caseId={caseId} top={shownAt} />}
    </span>
  );
}

/** The case's audit trail, one line in words per event, oldest first (read when shown). */
function AuditEvents({ caseId, top }: { caseId: string; top: number }) {
  const [rows, setRows] = useState<Array<{ seq: number; time: string; user: string; text: string }> | null>(null);
  useEffect(() => {
    void (async () => {
      const names = new Map((await repository.listClips(caseId)).map((c) => [c.id, c.name]));
      const events = await repository.listAuditEvents(caseId);
      setRows(events.map((e) => ({ seq: e.seq, time: e.time, user: e.user, text: describeAuditEvent(e, names) })));
    })().catch((err: unknown) => setRows([{ seq: 0, time: '', user: '', text: `Could not read the audit trail: ${errorMessage(err)}` }]));
  }, [caseId]);
  if (!rows) return <div className="audit-events muted" style={{ top }}>Loading…</div>;
  return (
    <div className="audit-events" data-testid="audit-events" style={{ top, maxHeight: `calc(100vh - ${Math.round(top) + 12}px)` }}>
      <table>
        <tbody>
          {rows.map((r) => (
            <tr key={r.seq} data-testid="audit-event">
              <td>#{r.seq}</td>
              <td>{r.time.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</td>
              <td>{r.user}</td>
              <td>{r.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A file name from a case reference (which may hold / and other characters no file name may). */
function fileNameFor(reference: string, suffix: string): string {
  return `${reference.replace(/[\\/\0:*?"<>|]+/g, '_').slice(0, 200) || 'case'}${suffix}`;
}

/**
 * Imports a case file: the main process reads it, refuses a broken audit trail, and re-hashes every
 * clip (progress, cancel); the store then adds the case in one transaction. Says per clip what was found.
 */
function CaseFileImport({ onImported }: { onImported(): Promise<void> }) {
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
      {job && <JobProgress job={job} testId="case-import-progress" onCancel={() => void call('cancel', { jobId: job.jobId }).catch(() => {})} cancelTestId="cancel-case-import" />}
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
function CaseFileExport({ caseId, reference }: { caseId: string; reference: string }) {
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
      {job && <JobProgress job={job} onCancel={() => void call('cancel', { jobId: job.jobId }).catch(() => {})} />}
      {problem && <div className="error" data-testid="locate-problem">{problem}</div>}
    </div>
  );
}
