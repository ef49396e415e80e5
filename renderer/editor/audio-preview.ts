import { BLEEP_FREQUENCY_HZ, BLEEP_LEVEL } from '../../common/plan';
import type { SoundAsExported } from '../model/sound-as-exported';

/**
 * The redaction preview for the ear: the video element is muted inside redacted ranges, and a bleep
 * range plays the export's tone (Web Audio, the same frequency and level). It follows the frames the
 * player shows, so it is right to the frame; the export itself is right to the sample. The state is
 * on the video element (`data-sound`) for tests and assistive tools.
 */
export class AudioPreview {
  private context: AudioContext | null = null;
  private gain: GainNode | null = null;
  private sound: SoundAsExported = 'as-recorded';

  constructor(private readonly video: HTMLVideoElement) {
    video.dataset.sound = this.sound;
  }

  set(sound: SoundAsExported): void {
    if (sound === this.sound) return;
    this.sound = sound;
    this.video.muted = sound !== 'as-recorded';
    this.video.dataset.sound = sound;
    if (sound === 'bleeped') {
      // Without Web Audio (no sound device) the range is still silent: the safe side.
      const gain = this.tone();
      gain?.gain.setValueAtTime(BLEEP_LEVEL * this.video.volume, gain.context.currentTime);
    } else if (this.gain) {
      this.gain.gain.setValueAtTime(0, this.gain.context.currentTime);
    }
  }

  dispose(): void {
    this.set('as-recorded');
    void this.context?.close();
    this.context = null;
    this.gain = null;
  }

  /** The tone, made on first use and then left running at zero gain: starting an oscillator is one-shot. */
  private tone(): GainNode | null {
    if (!this.context || !this.gain) {
      let context: AudioContext;
      try {
        context = new AudioContext();
      } catch {
        return null;
      }
      const oscillator = context.createOscillator();
      oscillator.frequency.value = BLEEP_FREQUENCY_HZ;
      const gain = context.createGain();
      gain.gain.value = 0;
      oscillator.connect(gain).connect(context.destination);
      oscillator.start();
      this.context = context;
      this.gain = gain;
    }
    // A context made outside a click starts suspended; playback was started by the user.
    if (this.context.state === 'suspended') void this.context.resume();
    return this.gain;
  }
}
