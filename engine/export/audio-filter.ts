/*
 * Builds the audio filter for one stream: mute and bleep ranges applied sample-exactly with aeval
 * (per-sample `t`), then the trim. Only numbers are ever written into the filter string: no path or
 * user text can reach it.
 */
import { BLEEP_FREQUENCY_HZ, BLEEP_LEVEL, type AudioRedaction } from '../../common/plan';

function num(n: number): string {
  // Fixed notation: filter expressions do not parse exponents like 1e-7 reliably.
  return Number.isInteger(n) ? String(n) : n.toFixed(6);
}

/** The ranges sorted, with overlapping or touching ones merged: disjoint, in order. */
export function mergedRanges(ranges: readonly AudioRedaction[]): Array<{ start: number; end: number }> {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: Array<{ start: number; end: number }> = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ start: r.start, end: r.end });
  }
  return out;
}

/**
 * An expression of `t` that is 1 inside any of the ranges and 0 outside: a binary search over the
 * merged ranges, so each sample costs about log2(n) comparisons. (A sum of one term per range cost
 * every range at every sample, and ffmpeg refuses a sum of more than about 95 terms.)
 */
export function inAnyRange(ranges: readonly AudioRedaction[], offset: number): string {
  const merged = mergedRanges(ranges);
  const search = (lo: number, hi: number): string => {
    if (lo === hi) return `between(t,${num(merged[lo]!.start + offset)},${num(merged[lo]!.end + offset)})`;
    const mid = (lo + hi + 1) >> 1;
    return `if(lt(t,${num(merged[mid]!.start + offset)}),${search(lo, mid - 1)},${search(mid, hi)})`;
  };
  return merged.length ? search(0, merged.length - 1) : '0';
}

export interface AudioTrim {
  startSeconds: number;
  endSeconds: number;
}

/**
 * Returns null when the stream can be copied untouched. Plan times count from the first video
 * frame; `offsetSeconds` is that frame's time on the stream clock that the filters see. `keepOnly`
 * (a subject access export's speech ranges) silences all the sound outside those ranges; an empty list
 * silences all of it.
 */
export function audioFilterChain(
  ranges: readonly AudioRedaction[],
  trim: AudioTrim | null,
  offsetSeconds = 0,
  keepOnly: ReadonlyArray<{ start: number; end: number }> | null = null,
): string | null {
  const parts: string[] = [];
  const mutes = ranges.filter((r) => r.mode === 'mute');
  const bleeps = ranges.filter((r) => r.mode === 'bleep');
  if (mutes.length || bleeps.length || keepOnly) {
    const silenced = inAnyRange([...mutes, ...bleeps], offsetSeconds);
    let expr = `val(ch)*(1-gt(${silenced},0))`;
    if (keepOnly) expr += `*gt(${inAnyRange(keepOnly.map(asRange), offsetSeconds)},0)`;
    if (bleeps.length) expr += `+gt(${inAnyRange(bleeps, offsetSeconds)},0)*${BLEEP_LEVEL}*sin(2*PI*${BLEEP_FREQUENCY_HZ}*t)`;
    // One expression serves every channel: aeval reuses the last one for the rest.
    parts.push(`aeval=exprs='${expr}':c=same`);
  }
  if (trim) parts.push(`atrim=start=${num(trim.startSeconds + offsetSeconds)}:end=${num(trim.endSeconds + offsetSeconds)}`, 'asetpts=PTS-STARTPTS');
  return parts.length ? parts.join(',') : null;
}

/** A speech range in the shape `inAnyRange` takes (only start and end are read). */
function asRange(r: { start: number; end: number }): AudioRedaction {
  return { id: '', start: r.start, end: r.end, mode: 'mute', reason: 'speech' };
}
