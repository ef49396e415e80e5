import { useState } from 'react';
import { DEFAULT_REASONS, type ReasonCode } from '../../common/reasons';
import { checkedReasonList, withNeedsText, withoutReason, withReason } from '../model/reason-list';

/**
 * Preferences: the reasons to redact a region or audio range. Add a code with its label (and whether
 * it needs free text), remove one, or go back to the defaults. Every change is validated before it is
 * saved; a refused change says why and leaves the list as it was.
 */
export function ReasonsPanel({ reasons, onChange, onClose }: { reasons: readonly ReasonCode[]; onChange(list: ReasonCode[]): Promise<void>; onClose(): void }) {
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const [needsText, setNeedsText] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const save = async (change: () => ReasonCode[]) => {
    try {
      await onChange(change());
      setProblem(null);
      return true;
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
      return false;
    }
  };

  return (
    <div className="preferences" data-testid="reasons-panel">
      <h3>Reasons to redact</h3>
      <p className="muted">Offered for every region and audio range, and listed in every report. A reason marked "needs free text" is accepted only with an explanation.</p>
      <table>
        <tbody>
          {reasons.map((r) => (
            <tr key={r.code} data-testid="reason-row">
              <td><code>{r.code}</code></td>
              <td>{r.label}</td>
              <td>
                <label>
                  <input type="checkbox" checked={r.needsText} onChange={(e) => void save(() => withNeedsText(reasons, r.code, e.target.checked))} /> needs free text
                </label>
              </td>
              <td><button onClick={() => void save(() => withoutReason(reasons, r.code))} aria-label={`Remove ${r.code}`}>Remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="row"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await save(() => withReason(reasons, { code, label, needsText }))) {
            setCode('');
            setLabel('');
            setNeedsText(false);
          }
        }}
      >
        <input value={code} onChange={(e) => setCode(e.target.value)} placeholder="code, e.g. legal-privilege" maxLength={100} data-testid="new-reason-code" />
        <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="label, e.g. Legal professional privilege" maxLength={200} data-testid="new-reason-label" />
        <label>
          <input type="checkbox" checked={needsText} onChange={(e) => setNeedsText(e.target.checked)} data-testid="new-reason-needs-text" /> needs free text
        </label>
        <button type="submit" data-testid="add-reason">Add reason</button>
      </form>
      {problem && <div className="error" role="alert" data-testid="reasons-problem">{problem}</div>}
      <div className="row">
        <button onClick={() => void save(() => checkedReasonList(DEFAULT_REASONS))}>Restore the defaults</button>
        <button onClick={onClose} data-testid="close-reasons">Close</button>
      </div>
    </div>
  );
}
