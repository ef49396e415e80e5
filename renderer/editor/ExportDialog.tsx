import { useState } from 'react';
import type { RedactionStyle } from '../../common/style';
import type { Track } from '../../common/track';

export interface ExportChoice {
  style: RedactionStyle;
  outputPath: string;
  trim: { startFrame: number; endFrame: number } | null;
}

export interface ExportDialogProps {
  suggestedName: string;
  undecided: Track[];
  inPoint: number | null;
  outPoint: number | null;
  frameCount: number;
  busy: boolean;
  progress: { phase: string; done: number; total: number } | null;
  result: { outputPath: string; verified: string | null } | null;
  error: string | null;
  chooseOutput(suggestedName: string): Promise<string | null>;
  onExport(choice: ExportChoice): void;
  onCancel(): void;
  onShowInFolder(path: string): void;
  onClose(): void;
}

/** Style, trim and output path; a warning listing undecided proposals; progress, cancel, show in folder. */
export function ExportDialog(props: ExportDialogProps) {
  const [kind, setKind] = useState<RedactionStyle['kind']>('blur');
  const [fill, setFill] = useState('#000000');
  const [outputPath, setOutputPath] = useState<string | null>(null);
  const [useTrim, setUseTrim] = useState(props.inPoint !== null || props.outPoint !== null);
  const trim = { startFrame: props.inPoint ?? 0, endFrame: props.outPoint ?? props.frameCount - 1 };
  const style: RedactionStyle = kind === 'solid' ? { kind, fill } : { kind };

  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-label="Export">
        <h2>Export redacted copy</h2>
        {props.undecided.length > 0 && (
          <div className="warning" data-testid="undecided-warning">
            {props.undecided.length} proposal{props.undecided.length === 1 ? ' is' : 's are'} not decided yet. They will be redacted (safe default):
            <ul>
              {props.undecided.slice(0, 8).map((t) => (
                <li key={t.id}>
                  {t.label} {t.id.slice(0, 8)} from frame {t.keyframes[0]?.frame ?? 0}
                </li>
              ))}
              {props.undecided.length > 8 && <li>and {props.undecided.length - 8} more</li>}
            </ul>
          </div>
        )}
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
        <label>
          <input type="checkbox" checked={useTrim} onChange={(e) => setUseTrim(e.target.checked)} disabled={props.busy} /> Only frames {trim.startFrame}–{trim.endFrame} (in/out points)
        </label>
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
            {props.progress.phase}: <progress max={props.progress.total || 1} value={props.progress.done} />
          </div>
        )}
        {props.error && <div className="error" role="alert">{props.error}</div>}
        {props.result && (
          <div className="done" data-testid="export-done">
            Exported {props.result.outputPath}
            {props.result.verified && <div>{props.result.verified}</div>}
            <button onClick={() => props.onShowInFolder(props.result!.outputPath)}>Show in folder</button>
          </div>
        )}
        <div className="row end">
          {props.busy ? (
            <button onClick={props.onCancel}>Cancel export</button>
          ) : (
            <>
              <button onClick={props.onClose}>Close</button>
              <button className="primary" disabled={!outputPath} onClick={() => outputPath && props.onExport({ style, outputPath, trim: useTrim ? trim : null })}>
                Export
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
