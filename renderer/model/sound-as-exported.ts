import type { AudioRedaction } from '../../common/plan';

/** The sound at a moment as the export will have it. */
export type SoundAsExported = 'as-recorded' | 'muted' | 'bleeped';

/**
 * What the export does to the sound at `seconds` (from the first frame; ends included, as the
 * export's filter has them). Where a bleep and a mute overlap the bleep sounds, as in the export.
 */
export function soundAt(ranges: ReadonlyArray<Pick<AudioRedaction, 'start' | 'end' | 'mode'>>, seconds: number): SoundAsExported {
  let sound: SoundAsExported = 'as-recorded';
  for (const r of ranges) {
    if (seconds < r.start || seconds > r.end) continue;
    if (r.mode === 'bleep') return 'bleeped';
    sound = 'muted';
  }
  return sound;
}
