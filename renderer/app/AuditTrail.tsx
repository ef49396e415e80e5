import { useEffect, useState } from 'react';
import { call, errorMessage } from '../api/client';
import { repository } from './repository';
import { describeAuditEvent } from '../model/audit-lines';
import { countOf } from '../../common/count-of';
import { fileNameFor } from './CaseFiles';
/**
 * Checks the case's audit chain on request, shows the verdict, and records the check in the trail;
 * exports the trail to a file (`redactor verify --audit` checks it); shows it in words.
 */
export function AuditTrail({ caseId, reference }: { caseId: string; reference: string }) {
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
