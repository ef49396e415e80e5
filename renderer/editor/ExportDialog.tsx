import { useEffect, useState } from 'react';
import { reviewSummary, type WatchedFrames } from '../../common/review-coverage';
import type { RedactionStyle } from '../../common/style';
import type { Track } from '../../common/track';
import type { SubjectAccess, SubjectMode } from '../../common/subject-access';
import { Modal } from './Modal';
import type { JobProgressState } from '../model/job-progress';
import { JobProgress } from './JobProgress';
import type { ExportSummary } from '../model/export-summary';

export interface ExportChoice {
  style: RedactionStyle;
  outputPath: string;
  trim: { startFrame: number; endFrame: number } | null;
  /** Why the reviewer exports although the review is incomplete; null when it is complete. */
  confirmation: string | null;
  leakCheck: boolean;
  /** Who the copy is disclosed to, and why; empty when not given. */
  recipient: string;
  purpose: string;
  /** A subject access export (common/subject-access.ts); null for an ordinary one. */
  subject: SubjectAccess | null;
}

export interface ExportDialogProps {
  suggestedName: string;
  undecided: Track[];
  inPoint: number | null;
  outPoint: number | null;
  frameCount: number;
  /** Frames the reviewer watched (review coverage). */
  watched: WatchedFrames;
  busy: boolean;
  progress: JobProgressState | null;
  result: { outputPath: string; verified: string | null; leakSummary?: string | null; warnings?: string[] } | null;
  /** Recipient and purpose to start from (the case's last export's). */
  disclosure?: { recipient: string; purpose: string };
  error: string | null;
  /** Regions marked as the requester (inspector); a subject access export needs at least one. */
  requesters?: string[];
  hasAudio?: boolean;
  chooseOutput(suggestedName: string): Promise<string | null>;
  onExport(choice: ExportChoice): void;
  onCancel(): void;
  onShowInFolder(path: string): void;
  onClose(): void;
  /** What the export will do, shown first (renderer/model/export-summary.ts). */
  summary?: ExportSummary;
}

/**
 * Style, trim and output path; who the copy is for and why; the review's state (undecided proposals, share of frames watched)
 * with an explicit confirmation and a reason when it is incomplete; progress, cancel, show in folder.
 */
export function ExportDialog(props: ExportDialogProps) {
  const [kind, setKind] = useState<RedactionStyle['kind']>('blur');
  const [fill, setFill] = useState('#000000');
  const [outputPath, setOutputPath] = useState<string | null>(null);
  // Never ticked by itself: in/out points set for other work must not silently cut the disclosure short.
  const [useTrim, setUseTrim] = useState(false);
  const trim = { startFrame: props.inPoint ?? 0, endFrame: props.outPoint ?? props.frameCount - 1 };
  const marked = props.inPoint !== null || props.outPoint !== null;
  const style: RedactionStyle = kind === 'solid' ? { kind, fill } : { kind };
  const [confirmed, setConfirmed] = useState(false);
  const [reason, setReason] = useState('');
  const [leakCheck, setLeakCheck] = useState(false);
  const [recipient, setRecipient] = useState(props.disclosure?.recipient ?? '');
  const [purpose, setPurpose] = useState(props.disclosure?.purpose ?? '');
  const requesters = props.requesters ?? [];
  const [subjectOn, setSubjectOn] = useState(false);
  const [subjectMode, setSubjectMode] = useState<SubjectMode>('everything-else');
  const [requestRef, setRequestRef] = useState('');
  const [padding, setPadding] = useState(0.25);
  const [cutAbsent, setCutAbsent] = useState(false);
  const [keepAllSound, setKeepAllSound] = useState(false);
  const [soundReason, setSoundReason] = useState('');
  const [speechText, setSpeechText] = useState('');
  const speech = parseSpeechRanges(speechText);
  const subjectOk = !subjectOn || (requesters.length > 0 && requestRef.trim().length > 0 && (keepAllSound ? soundReason.trim().length > 0 : speech !== null));
  const subject: SubjectAccess | null =
    subjectOn && requesters.length
      ? {
          mode: subjectMode,
          requestRef: requestRef.trim(),
          ...(padding ? { padding } : {}),
          ...(cutAbsent ? { absent: 'cut' as const } : {}),
          sound: keepAllSound ? { keep: 'all', reason: soundReason.trim() } : { keep: 'speech', speech: speech ?? [] },
        }
      : null;
  // After an export the chosen file is that export: another one needs a file chosen (and a replacement asked) again.
  useEffect(() => {
    if (props.result) setOutputPath(null);
  }, [props.result]);
  const review = reviewSummary({ ...(useTrim ? { trim } : {}), tracks: props.undecided, source: { video: { frameCount: props.frameCount } } }, props.watched);
  const percent = review.shareWatched === null ? 0 : Math.floor(review.shareWatched * 1000) / 10;
  const confirmationOk = review.complete || (confirmed && reason.trim().length > 0);

  return (
    <Modal label="Export" testId="export-dialog" onClose={props.busy ? null : props.onClose}>
        <h2>Export redacted copy</h2>
        {props.summary && <SummaryOf summary={props.summary} />}
        {props.undecided.length > 0 && (
          <div className="warning" data-testid="undecided-warning">
            {props.undecided.length} proposal{props.undecided.length === 1 ? ' is' : 's are'} not decided yet. They will be redacted (safe default):
            <ul>
              {props.undecided.slice(0, 8).map((t) => (
                <li key={t.id}>
                  {t.label} {t.id.length > 24 ? `${t.id.slice(0, 24)}…` : t.id} from frame {t.keyframes[0]?.frame ?? 0}
                </li>
              ))}
              {props.undecided.length > 8 && <li>and {props.undecided.length - 8} more</li>}
            </ul>
          </div>
        )}
        <div className={review.framesWatched === review.frameCount ? 'coverage' : 'coverage warning'} data-testid="coverage">
          Watched {review.framesWatched ?? 0} of {review.frameCount} frames ({percent}%) at normal speed or frame by frame.
          {review.unwatched.length > 0 && (
            <> Not watched: {review.unwatched.slice(0, 4).map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join(', ')}{review.unwatched.length > 4 ? ` and ${review.unwatched.length - 4} more stretches` : ''}.</>
          )}
        </div>
        {!review.complete && (
          <div className="warning" data-testid="review-incomplete">
            The review is incomplete. To export anyway, confirm and say why; the reason goes into the report and the audit trail.
            <label>
              <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} disabled={props.busy} data-testid="confirm-incomplete" /> I confirm the export of an incomplete review
            </label>
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Reason" maxLength={2000} rows={2} disabled={props.busy} data-testid="confirm-reason" />
          </div>
        )}
        <label>
          Disclosed to{' '}
          <input value={recipient} onChange={(e) => setRecipient(e.target.value)} placeholder="e.g. CPS, defence, the requester" maxLength={200} disabled={props.busy} data-testid="recipient" />
        </label>
        <label>
          Purpose{' '}
          <input value={purpose} onChange={(e) => setPurpose(e.target.value)} placeholder="e.g. IDPC service, subject access request" maxLength={2000} disabled={props.busy} data-testid="purpose" />
        </label>
        {requesters.length > 0 && (
          <fieldset className="subject-access" data-testid="subject-access-options">
            <label>
              <input type="checkbox" checked={subjectOn} onChange={(e) => setSubjectOn(e.target.checked)} disabled={props.busy} data-testid="subject-access" /> Subject access: show the requester ({requesters.length === 1 ? 'the region' : `${requesters.length} regions`} marked in the inspector), hide everyone else
            </label>
            {subjectOn && (
              <>
                <label>
                  Request reference{' '}
                  <input value={requestRef} onChange={(e) => setRequestRef(e.target.value)} placeholder="e.g. SAR-2026-0042 (not a name)" maxLength={200} disabled={props.busy} data-testid="request-ref" />
                </label>
                <label>
                  Hide{' '}
                  <select value={subjectMode} onChange={(e) => setSubjectMode(e.target.value as SubjectMode)} disabled={props.busy} data-testid="subject-mode">
                    <option value="everything-else">everything else: the whole picture outside the requester (safest)</option>
                    <option value="everyone-else">everyone else: every other region, whatever its decision</option>
                  </select>
                </label>
                <label>
                  Padding around the requester{' '}
                  <select value={padding} onChange={(e) => setPadding(Number(e.target.value))} disabled={props.busy} data-testid="subject-padding">
                    <option value={0}>none</option>
                    <option value={0.1}>10%</option>
                    <option value={0.25}>25%</option>
                    <option value={0.5}>50%</option>
                  </select>
                </label>
                <label>
                  <input type="checkbox" checked={cutAbsent} onChange={(e) => setCutAbsent(e.target.checked)} disabled={props.busy} data-testid="subject-cut" /> Cut the frames before the requester first appears and after they last do (recorded in the report)
                </label>
                {props.hasAudio !== false && (
                  <div>
                    {!keepAllSound && (
                      <label>
                        Sound kept only where the requester speaks (seconds, e.g. 1.5-4, 7-9.2; empty: no sound){' '}
                        <input value={speechText} onChange={(e) => setSpeechText(e.target.value)} placeholder="start-end, …" maxLength={2000} disabled={props.busy} data-testid="subject-speech" />
                        {speech === null && <span className="error">not ranges like 1.5-4, 7-9.2</span>}
                      </label>
                    )}
                    <label>
                      <input type="checkbox" checked={keepAllSound} onChange={(e) => setKeepAllSound(e.target.checked)} disabled={props.busy} data-testid="subject-keep-sound" /> Keep all the sound, because:
                    </label>
                    {keepAllSound && <input value={soundReason} onChange={(e) => setSoundReason(e.target.value)} placeholder="Why all the sound may go out" maxLength={2000} disabled={props.busy} data-testid="subject-sound-reason" />}
                  </div>
                )}
              </>
            )}
          </fieldset>
        )}
        <label>
          <input type="checkbox" checked={leakCheck} onChange={(e) => setLeakCheck(e.target.checked)} disabled={props.busy} data-testid="leak-check" /> Leak check: detect faces again in the output
        </label>
        <label>
          Style{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as RedactionStyle['kind'])} disabled={props.busy}>
            <option value="blur">blur</option>
            <option value="pixelate">pixelate</option>
            <option value="solid">solid fill</option>
          </select>
        </label>
        {kind === 'solid' && (
          <label>
            Fill <input type="color" value={fill} onChange={(e) => setFill(e.target.value)} disabled={props.busy} />
          </label>
        )}
        {marked && (
          <label>
            <input type="checkbox" checked={useTrim} onChange={(e) => setUseTrim(e.target.checked)} disabled={props.busy} data-testid="use-trim" /> Only frames {trim.startFrame}–{trim.endFrame} (the in and out points), not the whole clip
          </label>
        )}
        <div className="row">
          <button
            onClick={async () => {
              const p = await props.chooseOutput(props.suggestedName);
              if (p) setOutputPath(p);
            }}
            disabled={props.busy}
          >
            Choose output…
          </button>
          <span className="path" data-testid="export-path">{outputPath ?? 'no file chosen'}</span>
        </div>
        {props.progress && (
          <div className="progress-line">
            <JobProgress job={props.progress} />
          </div>
        )}
        {props.error && <div className="error" role="alert">{props.error}</div>}
        {props.result && (
          <div className="done" data-testid="export-done">
            Exported {props.result.outputPath}
            {props.result.verified && <div>{props.result.verified}</div>}
            {props.result.leakSummary && <div data-testid="export-leak-summary">{props.result.leakSummary}</div>}
            {!!props.result.warnings?.length && (
              <ul className="export-warnings" data-testid="export-warnings">
                {props.result.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            )}
            <button onClick={() => props.onShowInFolder(props.result!.outputPath)}>Show in folder</button>
          </div>
        )}
        <div className="row end">
          {props.busy ? (
            <button onClick={props.onCancel}>Cancel export</button>
          ) : (
            <>
              <button onClick={props.onClose}>Close</button>
              <button
                className="primary"
                disabled={!outputPath || !confirmationOk || !subjectOk}
                title={!confirmationOk ? 'Confirm the incomplete review and give a reason first' : !subjectOk ? 'Give the request reference (and why all the sound goes out)' : ''}
                onClick={() => outputPath && confirmationOk && subjectOk && props.onExport({ style, outputPath, trim: useTrim ? trim : null, confirmation: review.complete ? null : reason.trim(), leakCheck, recipient: recipient.trim(), purpose: purpose.trim(), subject })}
                data-testid="export"
              >
                Export
              </button>
            </>
          )}
        </div>
    </Modal>
  );
}

/** "1.5-4, 7-9.2": the requester's speech in seconds from the first frame; null when not such a list. */
export function parseSpeechRanges(text: string): Array<{ start: number; end: number }> | null {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const out: Array<{ start: number; end: number }> = [];
  for (const p of parts) {
    const m = /^(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)$/.exec(p);
    if (!m || !(Number(m[2]) > Number(m[1]))) return null;
    out.push({ start: Number(m[1]), end: Number(m[2]) });
  }
  return out;
}

/** The export's summary: regions to redact by reason, kept, undecided, audio ranges and coverage. */
function SummaryOf({ summary: s }: { summary: ExportSummary }) {
  const pct = (n: number) => (s.frameCount ? `${Math.floor((n / s.frameCount) * 1000) / 10}%` : '0%');
  const redact = s.redactByReason.reduce((n, r) => n + r.count, 0);
  return (
    <table className="export-summary" data-testid="export-summary">
      <tbody>
        <tr>
          <th scope="row">To redact</th>
          <td>{redact} region{redact === 1 ? '' : 's'}{s.redactByReason.length > 0 && `: ${s.redactByReason.map((r) => `${r.reason} ${r.count}`).join(', ')}`}</td>
        </tr>
        <tr>
          <th scope="row">Undecided</th>
          <td>{s.undecided} (redacted: the safe default)</td>
        </tr>
        <tr>
          <th scope="row">Kept visible</th>
          <td>{s.kept}</td>
        </tr>
        <tr>
          <th scope="row">Audio</th>
          <td>{s.audio.count} range{s.audio.count === 1 ? '' : 's'}, {s.audio.seconds} s</td>
        </tr>
        <tr>
          <th scope="row">Coverage</th>
          <td>{pct(s.framesRedacted)} of frames have a redaction; {pct(s.framesWatched)} watched</td>
        </tr>
      </tbody>
    </table>
  );
}
