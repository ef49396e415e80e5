import { useState } from 'react';
import { call, errorMessage } from '../api/client';
import { Modal } from '../editor/Modal';
import type { CaseRow } from '../store/db';
import { CaseFileExport, fileNameFor } from './CaseFiles';
import { repository } from './repository';
import { countOf } from '../../common/count-of';

/*
 * The case lifecycle (issue 22): how long a case is kept, deleting it with its working files, and the
 * deletion log that outlives it.
 */

/** Today as YYYY-MM-DD (UTC, as retention dates are). */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function isDue(kase: Pick<CaseRow, 'retainUntil'>): boolean {
  return kase.retainUntil <= today();
}

/** The case's retention date, and a change of it with a reason (recorded in the audit trail). */
export function RetentionControl({ kase, onChanged }: { kase: CaseRow; onChanged(kase: CaseRow): void }) {
  const [editing, setEditing] = useState<{ date: string; reason: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!editing) {
    return (
      <span className={isDue(kase) ? 'retention due' : 'retention'} data-testid="retention">
        Keep until {kase.retainUntil}
        {isDue(kase) ? ' (due for deletion)' : ''}{' '}
        <button onClick={() => setEditing({ date: kase.retainUntil, reason: '' })} data-testid="change-retention">Change…</button>
      </span>
    );
  }
  return (
    <form
      className="retention row"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          onChanged(await repository.setRetention(kase.id, editing.date, editing.reason));
          setEditing(null);
          setError(null);
        } catch (err) {
          setError(errorMessage(err));
        }
      }}
    >
      <label>
        Keep until <input type="date" value={editing.date} onChange={(e) => setEditing({ ...editing, date: e.target.value })} data-testid="retention-date" />
      </label>
      <input placeholder="Reason (e.g. evidence in a live case)" value={editing.reason} onChange={(e) => setEditing({ ...editing, reason: e.target.value })} maxLength={500} data-testid="retention-reason" />
      <button type="submit" disabled={!editing.reason.trim()} data-testid="save-retention">Save</button>
      <button type="button" onClick={() => setEditing(null)}>Cancel</button>
      {error && <span className="error" role="alert">{error}</span>}
    </form>
  );
}

/**
 * Delete case: the dialog offers to export the case file first and asks for the case's reference to
 * be typed. The working files go first (so none is left behind a deleted case), recorded in the
 * deletion log with the trail's head; then the case's rows. Originals and exports are never touched.
 */
export function DeleteCase({ kase, userName, onDeleted }: { kase: CaseRow; userName: string; onDeleted(): void }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reference = kase.reference ?? kase.name;
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      const auditHead = await repository.auditHead(kase.id);
      const caseKey = await repository.caseWorkKey(kase.id);
      const copies = (await repository.listClips(kase.id)).flatMap((c) => (c.proxyPath ? [c.proxyPath] : []));
      await call('deleteCaseFiles', { caseKey, copies, caseReference: reference, user: userName, auditHead });
      await repository.deleteCase(kase.id);
      onDeleted();
    } catch (err) {
      setError(`The case was NOT deleted: ${errorMessage(err)}`);
      setBusy(false);
    }
  };
  return (
    <>
      <button className="danger" onClick={() => setOpen(true)} data-testid="delete-case">Delete case…</button>
      {open && (
        <Modal label="Delete case" testId="delete-case-dialog" onClose={busy ? null : () => setOpen(false)}>
          <h2>Delete case “{reference}”</h2>
          <p>
            This removes the case from the app: its clips, regions, decisions, review and audit trail, and every working file the app made for it
            (playable copies). The original footage and the exported copies are not touched. The deletion is recorded in the app's deletion log
            (case reference, when, who, and the audit trail's head).
          </p>
          <p>Export the case file first to keep its record: <CaseFileExport caseId={kase.id} reference={reference} /></p>
          <label>
            Type the case reference <b>{reference}</b> to confirm:{' '}
            <input value={typed} onChange={(e) => setTyped(e.target.value)} disabled={busy} autoFocus data-testid="delete-case-confirm" />
          </label>
          {error && <div className="error" role="alert">{error}</div>}
          <div className="row">
            <button className="danger" disabled={busy || typed.trim() !== reference} onClick={() => void remove()} data-testid="delete-case-go">
              Delete case
            </button>
            <button onClick={() => setOpen(false)} disabled={busy}>Cancel</button>
          </div>
        </Modal>
      )}
    </>
  );
}

/** Exports the deletion log (kept by the main process, outliving every case it names). */
export function DeletionLogExport() {
  const [verdict, setVerdict] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <span className="deletion-log">
      <button
        onClick={async () => {
          try {
            const { path } = await call('chooseExportPath', { suggestedName: fileNameFor('deletion-log', '.json') });
            if (!path) return;
            const saved = await call('saveDeletionLog', { path });
            setVerdict({ ok: true, text: `Saved the deletion log (${countOf(saved.entries, 'entry', 'entries')}) to ${saved.path}` });
          } catch (err) {
            setVerdict({ ok: false, text: `Deletion log NOT saved: ${errorMessage(err)}` });
          }
        }}
        data-testid="export-deletion-log"
      >
        Export deletion log…
      </button>
      {verdict && <span className={verdict.ok ? 'muted' : 'error'} role={verdict.ok ? 'status' : 'alert'} data-testid="deletion-log-result"> {verdict.text}</span>}
    </span>
  );
}
