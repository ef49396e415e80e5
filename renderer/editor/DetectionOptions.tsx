import { DETECT_KINDS, type DetectKind } from '../../common/detect-kinds';
import type { DetectOptions } from '../app/detection-runs';

/**
 * What detection looks for (faces, text: number plates, documents, screens) and how thoroughly, in the
 * reviewer's terms: how many frames it analyses (the tracker covers those between) and how weak a face
 * it proposes. The defaults are the engine's; each run records what it used in the audit trail and in
 * every proposal's provenance.
 */
const SAMPLING = [
  { label: 'every 2nd frame', every: undefined },
  { label: 'every frame (slower)', every: 1 },
  { label: 'every 3rd (quicker)', every: 3 },
] as const;

// Short labels: the toolbar has one row at 1366 px; the selects' titles say more.
const SENSITIVITY = [
  { label: 'standard sensitivity', threshold: undefined },
  { label: 'high sensitivity', threshold: 0.25 },
] as const;

const KIND_LABELS: Record<DetectKind, string> = { faces: 'faces', text: 'text' };

export function DetectionOptions({ value, onChange, disabled }: { value: DetectOptions; onChange(options: DetectOptions): void; disabled: boolean }) {
  const sampling = Math.max(0, SAMPLING.findIndex((s) => s.every === value.every));
  const sensitivity = Math.max(0, SENSITIVITY.findIndex((s) => s.threshold === value.threshold));
  const find = value.find ?? DETECT_KINDS;
  const pick = (every: number | undefined, threshold: number | undefined, kinds: readonly DetectKind[] = find) =>
    onChange({
      ...(every !== undefined ? { every } : {}),
      ...(threshold !== undefined ? { threshold } : {}),
      // Both is the default: stored only when narrowed.
      ...(kinds.length < DETECT_KINDS.length ? { find: [...kinds] } : {}),
    });
  const toggle = (kind: DetectKind, on: boolean) => {
    const kinds = DETECT_KINDS.filter((k) => (k === kind ? on : find.includes(k)));
    // At least one kind: unticking the last one is refused rather than leaving nothing to find.
    if (kinds.length) pick(value.every, value.threshold, kinds);
  };
  return (
    <>
      {DETECT_KINDS.map((kind) => (
        <label key={kind} className="detect-kind" title={kind === 'text' ? 'Number plates, documents, screens' : undefined}>
          <input
            type="checkbox"
            checked={find.includes(kind)}
            disabled={disabled || (find.length === 1 && find.includes(kind))}
            onChange={(e) => toggle(kind, e.target.checked)}
            data-testid={`detect-find-${kind}`}
          />
          {KIND_LABELS[kind]}
        </label>
      ))}
      <select value={sampling} disabled={disabled} onChange={(e) => pick(SAMPLING[Number(e.target.value)]!.every, value.threshold)} aria-label="Frames detection analyses" title="How many frames detection looks at; the tracker covers those between" className="whole" data-testid="detect-sampling">
        {SAMPLING.map((s, i) => <option key={s.label} value={i}>{s.label}</option>)}
      </select>
      <select value={sensitivity} disabled={disabled} onChange={(e) => pick(value.every, SENSITIVITY[Number(e.target.value)]!.threshold)} aria-label="Detection sensitivity" title="High: weaker faces proposed too (more proposals, more of them false)" className="whole" data-testid="detect-sensitivity">
        {SENSITIVITY.map((s, i) => <option key={s.label} value={i}>{s.label}</option>)}
      </select>
    </>
  );
}
