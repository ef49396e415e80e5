import type { LeakFindings as Findings } from '../../common/api';
import { formatTime } from './frame-clock';
import { countOf } from '../../common/count-of';

/** Findings listed in full up to this many; the rest are counted (all are in the report). */
const MAX_SHOWN = 300;

/**
 * The last export's leak check, shown to the reviewer: every face still detected in the output outside
 * a redacted region, by source frame and time, with its box. Clicking one seeks the player there, where
 * the box is drawn on the overlay. Faces inside regions kept on purpose are counted apart, never listed as leaks.
 */
export function LeakFindings({ findings, frameTimes, onShow, onDismiss }: { findings: Findings; frameTimes: readonly number[]; onShow(frame: number): void; onDismiss(): void }) {
  const frames = new Set(findings.leaks.map((l) => l.sourceFrame)).size;
  return (
    <div className={findings.clean ? 'leak-check ok' : 'leak-check alert'} data-testid="leak-findings">
      <h3>Leak check</h3>
      {findings.clean ? (
        <p data-testid="leak-clean">No face detected outside redacted regions ({findings.framesChecked} output frames checked).</p>
      ) : (
        <>
          <p data-testid="leak-summary">
            {countOf(findings.leakCount, 'face detection')} outside redacted regions in {countOf(frames, 'frame')} ({findings.framesChecked} checked). Click one to see it.
          </p>
          <ol className="leak-list">
            {findings.leaks.slice(0, MAX_SHOWN).map((l, i) => (
              <li key={i}>
                <button className="link" onClick={() => onShow(l.sourceFrame)} data-testid="leak-item">
                  frame {l.sourceFrame} at {formatTime(frameTimes[l.sourceFrame] ?? 0)}: box {Math.round(l.box.x)},{Math.round(l.box.y)} {Math.round(l.box.w)}×{Math.round(l.box.h)}, score {l.score.toFixed(2)}
                </button>
              </li>
            ))}
          </ol>
          {findings.leaks.length > MAX_SHOWN && <p className="muted">and {findings.leaks.length - MAX_SHOWN} more; all are in the report.</p>}
          {findings.leakCount > findings.leaks.length && <p className="muted">{findings.leakCount - findings.leaks.length} further detections are counted in the report.</p>}
        </>
      )}
      {!!findings.insideKept && (
        <p className="muted" data-testid="leak-inside-kept">
          {countOf(findings.insideKept, 'face detection')} inside regions kept on purpose: shown by decision, not leaks.
        </p>
      )}
      <button onClick={onDismiss}>Hide</button>
    </div>
  );
}
