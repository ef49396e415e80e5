import { useEffect, useState } from 'react';
import { call } from '../api/client';
import type { CaseRow } from '../store/db';
import { repository } from './repository';
import { resumeDetections } from './detection-runs';
import { resumeExports } from './export-runs';
import type { ReasonCode } from '../../common/reasons';
import { REASON_LIST_SETTING, storedReasonList } from '../model/reason-list';
import { ReasonsPanel } from './ReasonsPanel';
import { loadLastPlace, rememberPlace, takeStartCase } from './last-place';
import { CaseList } from './CaseList';
import { CaseView } from './CaseView';
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
  // In a case, who is working sits in the case's own header row (one row above the work, not two).
  return <CaseView kase={openCase} userName={userName} reasons={reasons} account={user} onClose={() => { setOpenCase(null); void refresh(); }} />;
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
