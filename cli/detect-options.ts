import { parseDetectKinds } from '../common/detect-kinds';
import type { DetectVideoSettings } from '../engine/detect/detect-video';
import { UsageError } from './context';
import { numberOption } from './options';

/** Options shared by `detect` and `auto`. */
export const DETECT_OPTIONS = {
  every: { type: 'string' },
  threshold: { type: 'string' },
  find: { type: 'string' },
} as const;

export function detectSettingsFrom(values: { every?: string; threshold?: string; find?: string }): Partial<DetectVideoSettings> {
  const settings: Partial<DetectVideoSettings> = { detector: {} };
  if (values.find !== undefined) {
    try {
      settings.find = parseDetectKinds(values.find);
    } catch (err) {
      throw new UsageError(`--find: ${(err as Error).message}`);
    }
  }
  const every = numberOption(values.every, '--every', { min: 1, max: 300, integer: true });
  if (every !== undefined) settings.every = every;
  const threshold = numberOption(values.threshold, '--threshold', { min: 0.01, max: 0.99 });
  if (threshold !== undefined) settings.detector!.scoreThreshold = threshold;
  return settings;
}
