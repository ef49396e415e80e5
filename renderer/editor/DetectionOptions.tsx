import type { DetectOptions } from '../app/detection-runs';

/**
 * How thoroughly detection looks, in the reviewer's terms: how many frames it analyses (the tracker
 * covers those between) and how weak a face it proposes. The defaults are the engine's; each run
 * records what it used in the audit trail and in every proposal's provenance.
 */
const SAMPLING = [
  { label: 'every 2nd frame', every: undefined },
  { label: 'every frame (slower)', every: 1 },
  { label: 'every 3rd frame (quicker)', every: 3 },
] as const;

const SENSITIVITY = [
  { label: 'standard sensitivity', threshold: undefined },
  { label: 'high sensitivity (more proposals)', threshold: 0.25 },
] as const;

export function DetectionOptions({ value, onChange, disabled }: { value: DetectOptions; onChange(options: DetectOptions): void; disabled: boolean }) {
  const sampling = Math.max(0, SAMPLING.findIndex((s) => s.every === value.every));
  const sensitivity = Math.max(0, SENSITIVITY.findIndex((s) => s.threshold === value.threshold));
  const pick = (every: number | undefined, threshold: number | undefined) => onChange({ ...(every !== undefined ? { every } : {}), ...(threshold !== undefined ? { threshold } : {}) });
  return (
    <>
      <select value={sampling} disabled={disabled} onChange={(e) => pick(SAMPLING[Number(e.target.value)]!.every, value.threshold)} aria-label="Frames detection analyses" data-testid="detect-sampling">
        {SAMPLING.map((s, i) => <option key={s.label} value={i}>{s.label}</option>)}
      </select>
      <select value={sensitivity} disabled={disabled} onChange={(e) => pick(value.every, SENSITIVITY[Number(e.target.value)]!.threshold)} aria-label="Detection sensitivity" data-testid="detect-sensitivity">
        {SENSITIVITY.map((s, i) => <option key={s.label} value={i}>{s.label}</option>)}
      </select>
    </>
  );
}
