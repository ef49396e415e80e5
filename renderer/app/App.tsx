import { useEffect, useState } from 'react';
import type { OpenedFile } from '../../common/api';
import { call, dropFiles, errorMessage, newJobId, onApiEvent } from '../api/client';
import { Editor } from '../editor/Editor';
import type { CaseRow } from '../store/db';
import { repository, withFacts, type OpenClip } from './repository';
import { useClipSession } from './use-clip-session';
import type { ReasonCode } from '../../common/reasons';
import { REASON_LIST_SETTING, storedReasonList } from '../model/reason-list';
import { ReasonsPanel } from './ReasonsPanel';

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
  useEffect(() => void refresh(), []);

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
    if (userName) repository.setActor({ user: userName, toolVersion });
  }, [userName, toolVersion]);
  useEffect(() => {
    if (reasons) repository.setReasons(reasons);
  }, [reasons]);

  if (!userName || !reasons) return <div className="empty muted">Loading…</div>;
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
  const [clips, setClips] = useState<OpenClip[]>([]);
  const [openClipId, setOpenClipId] = useState<string | null>(null);
  const [importing, setImporting] = useState<{ jobId: string; name: string; phase: string; done: number; total: number }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const refresh = async () => setClips((await repository.listClips(kase.id)).map(withFacts).filter((c): c is OpenClip => c !== null));
  useEffect(() => void refresh(), [kase.id]);

  const importFiles = async (files: OpenedFile[]) => {
    for (const f of files) {
      const jobId = newJobId('import');
      setImporting((i) => [...i, { jobId, name: f.name, phase: 'queued', done: 0, total: 1 }]);
      try {
        const facts = await call('importClip', { jobId, path: f.path });
        const clip = await repository.addClip(kase.id, { path: f.path, name: f.name, size: facts.size, sha256: facts.sha256, probe: facts });
        await refresh();
        setOpenClipId(clip.id);
      } catch (err) {
        setError(`${f.name}: ${errorMessage(err)}`);
      } finally {
        setImporting((i) => i.filter((x) => x.jobId !== jobId));
      }
    }
  };

  useEffect(
    () =>
      onApiEvent((e) => {
        if (e.type === 'progress') setImporting((list) => list.map((i) => (i.jobId === e.jobId ? { ...i, phase: e.phase, done: e.done, total: e.total } : i)));
        if (e.type === 'files-dropped') void importFiles(e.files);
      }),
    [kase.id],
  );

  const openClip = clips.find((c) => c.id === openClipId) ?? null;

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
        {importing.map((i) => (
          <span key={i.jobId} className="job" data-testid="import-progress">
            {i.name}: {i.phase} <progress max={i.total || 1} value={i.done} />
          </span>
        ))}
      </header>
      {error && <div className="error" role="alert" onClick={() => setError(null)}>{error}</div>}
      <div className="case-body">
        <nav className="clips" data-testid="clip-list">
          {clips.map((c) => (
            <button key={c.id} className={c.id === openClipId ? 'clip active' : 'clip'} onClick={() => setOpenClipId(c.id)} data-testid="clip">
              {c.name}
              <span className="muted"> {c.facts.video.width}×{c.facts.video.height}, {c.facts.video.frameCount} frames</span>
            </button>
          ))}
          {clips.length === 0 && <p className="muted">No footage yet.</p>}
        </nav>
        {openClip ? <ClipEditor key={openClip.id} clip={openClip} userName={userName} reasons={reasons} caseReference={kase.reference ?? kase.name} onProxy={async (p) => { await repository.setProxyPath(openClip.id, p); await refresh(); }} /> : <div className="empty muted">Import or select a clip.</div>}
      </div>
    </div>
  );
}

function ClipEditor({ clip, userName, reasons, caseReference, onProxy }: { clip: OpenClip; userName: string; reasons: readonly ReasonCode[]; caseReference: string; onProxy(path: string): void }) {
  const session = useClipSession(clip.id);
  if (session.error) return <div className="error" role="alert">{session.error}</div>;
  if (!session.loaded) return <div className="empty muted">Loading…</div>;
  return <Editor clip={clip} session={session} userName={userName} reasons={reasons} caseReference={caseReference} onProxy={onProxy} />;
}

/**
 * Checks the case's audit chain on request, shows the verdict, and records the check in the trail;
 * exports the trail to a file (`redactor verify --audit` checks it).
 */
function AuditTrail({ caseId, reference }: { caseId: string; reference: string }) {
  const [verdict, setVerdict] = useState<string | null>(null);
  return (
    <span className="audit">
      <button
        onClick={async () => {
          try {
            const { path } = await call('chooseExportPath', { suggestedName: `${reference.replace(/[\\/\0:*?"<>|]+/g, '_').slice(0, 200) || 'case'}.audit.json` });
            if (!path) return;
            const saved = await call('saveAuditTrail', { path, caseReference: reference, events: await repository.listAuditEvents(caseId) });
            setVerdict(`Saved ${saved.events} audit events to ${saved.path}`);
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
          const text = v.intact ? `Audit trail intact: ${v.events} events` : `Audit trail NOT intact: ${v.detail}`;
          setVerdict(text);
          await repository.appendAuditEvent(caseId, { type: 'verification', payload: { target: 'audit trail', intact: v.intact, detail: text } }).catch(() => {});
        }}
        data-testid="verify-audit"
      >
        Verify audit trail
      </button>
      {verdict && <span data-testid="audit-verdict" className={verdict.includes('NOT') ? 'error' : 'muted'}> {verdict}</span>}
    </span>
  );
}
