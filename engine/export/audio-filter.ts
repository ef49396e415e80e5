import type { AudioRedaction } from '../../common/plan';

/**
 * Builds the audio filter for one stream: mute and bleep ranges applied sample-exactly with aeval
 * (per-sample `t`), then the trim. Only numbers are ever written into the filter string: no path or
 * user text can reach it.
 */
export const BLEEP_FREQUENCY_HZ = 1000;
export const BLEEP_LEVEL = 0.25;

function num(n: number): string {
  // Fixed notation: filter expressions do not parse exponents like 1e-7 reliably.
  return Number.isInteger(n) ? String(n) : n.toFixed(6);
}

function inAnyRange(ranges: readonly AudioRedaction[], offset: number): string {
  return ranges.map((r) => `between(t,${num(r.start + offset)},${num(r.end + offset)})`).join('+');
}

export interface AudioTrim {
  startSeconds: number;
  endSeconds: number;
}

/**
 * Returns null when the stream can be copied untouched. Plan times count from the first video
 * frame; `offsetSeconds` is that frame's time on the stream clock that the filters see.
 */
export function audioFilterChain(ranges: readonly AudioRedaction[], trim: AudioTrim | null, offsetSeconds = 0): string | null {
  const parts: string[] = [];
  const mutes = ranges.filter((r) => r.mode === 'mute');
  const bleeps = ranges.filter((r) => r.mode === 'bleep');
  if (mutes.length || bleeps.length) {
    const silenced = inAnyRange([...mutes, ...bleeps], offsetSeconds);
    let expr = `val(ch)*(1-gt(${silenced},0))`;
    if (bleeps.length) expr += `+gt(${inAnyRange(bleeps, offsetSeconds)},0)*${BLEEP_LEVEL}*sin(2*PI*${BLEEP_FREQUENCY_HZ}*t)`;
    // One expression serves every channel: aeval reuses the last one for the rest.
    parts.push(`aeval=exprs='${expr}':c=same`);
  }
  if (trim) parts.push(`atrim=start=${num(trim.startSeconds + offsetSeconds)}:end=${num(trim.endSeconds + offsetSeconds)}`, 'asetpts=PTS-STARTPTS');
  return parts.length ? parts.join(',') : null;
}
