import type { RedactionPlan } from '../../common/plan';
import { fileArg } from '../ffmpeg/quote';
import { firstFrameOnFfmpegClock, firstFrameOnFileClock, videoMap, type ProbeResult } from '../media/probe';
import { audioFilterChain, type AudioTrim } from './audio-filter';
import type { OutputContainer } from './output-container';

/**
 * The two ffmpeg command lines of an export. The decoder streams raw yuv420p frames wrapped in NUT
 * (which keeps every frame's time stamp); the encoder reads them back and takes audio straight
 * from the source. Both keep the source's time base, so no frame is dropped, duplicated or moved.
 */

/** In-line lookahead, analysed in two fixed slices: repeatable bytes at nearly threaded speed. */
export const X264_PARAMS = 'sync-lookahead=0:lookahead-threads=2';

export function decoderArgs(sourcePath: string, plan: RedactionPlan, probed: ProbeResult): string[] {
  const filters: string[] = [];
  // yuv420p means limited range to ffmpeg, so a full-range source would be squeezed into 16–235 and
  // then tagged full range by the encoder: a washed-out picture. Keep its samples as they are.
  if (probed.video.colour.range === 'pc') filters.push('scale=out_range=pc');
  if (plan.trim) filters.push(`select='between(n\\,${plan.trim.startFrame}\\,${plan.trim.endFrame})'`, 'setpts=PTS-STARTPTS');
  return [
    '-nostdin', '-hide_banner', '-v', 'error',
    '-i', fileArg(sourcePath),
    '-map', videoMap(probed),
    ...(filters.length ? ['-vf', filters.join(',')] : []),
    '-fps_mode', 'passthrough', '-enc_time_base', '-1',
    '-c:v', 'rawvideo', '-pix_fmt', 'yuv420p',
    '-f', 'nut', 'pipe:1',
  ];
}

export interface EncoderPlan {
  args: string[];
  /** Set when the picture had to be padded to even dimensions for H.264 4:2:0. */
  paddedTo: { width: number; height: number } | null;
  audio: 'none' | 'copied' | 're-encoded';
  /** Set when sound before the first frame or after the last was left out (seconds of each). */
  soundLeftOut: { before: number; after: number } | null;
}

/**
 * Sound this far outside the picture is left out of an export. The reviewer works on a timeline that
 * spans the frames, so sound before the first or after the last could go out unheard and unredacted;
 * less than this is a fraction of a syllable (AAC's own padding is about 0.02 s at each end).
 */
export const SOUND_OUTSIDE_PICTURE_TOLERANCE_SECONDS = 0.1;

/** Seconds of sound before the first frame and after the end of the last, on the file's own clock. */
export function soundOutsidePicture(probed: ProbeResult): { before: number; after: number } {
  if (!probed.audio.length) return { before: 0, after: 0 };
  const first = firstFrameOnFileClock(probed);
  const pictureEnd = first + wholePicture(probed).endSeconds;
  const soundStart = Math.min(...probed.audio.map((a) => a.startSeconds));
  // Streams without a duration of their own (Matroska) may run to the end of the file.
  const fileEnd = probed.startSeconds + probed.durationSeconds;
  const soundEnd = Math.max(...probed.audio.map((a) => (Number.isFinite(a.durationSeconds) ? a.startSeconds + a.durationSeconds : fileEnd)));
  return { before: Math.max(0, first - soundStart), after: Math.max(0, soundEnd - pictureEnd) };
}

export function encoderArgs(sourcePath: string, tempOutputPath: string, plan: RedactionPlan, probed: ProbeResult, container: OutputContainer): EncoderPlan {
  const v = probed.video;
  const { width, height } = v;
  const evenW = width + (width % 2);
  const evenH = height + (height % 2);
  const paddedTo = evenW !== width || evenH !== height ? { width: evenW, height: evenH } : null;

  // Sound is cut to the frames exported: to the trim, or to the whole picture where the sound runs on
  // beyond it (SOUND_OUTSIDE_PICTURE_TOLERANCE_SECONDS). Then both streams start at zero. Otherwise the
  // decoder's frames, which reach this process counted from their first one, are put back where they lie
  // on the source's clock, so a picture that starts after the sound keeps its place against it.
  const outside = soundOutsidePicture(probed);
  const soundLeftOut = !plan.trim && Math.max(outside.before, outside.after) > SOUND_OUTSIDE_PICTURE_TOLERANCE_SECONDS ? outside : null;
  const audioSpan: AudioTrim | null = plan.trim ? trimSeconds(plan, probed) : soundLeftOut ? wholePicture(probed) : null;
  const videoStart = firstFrameOnFfmpegClock(probed);
  const args = ['-nostdin', '-hide_banner', '-v', 'error', ...(videoStart > 0 && !audioSpan ? ['-itsoffset', seconds(videoStart)] : []), '-f', 'nut', '-i', 'pipe:0'];
  let audio: EncoderPlan['audio'] = 'none';
  const audioFilters: string[] = [];
  if (probed.audio.length) {
    args.push('-i', fileArg(sourcePath));
    const chain = audioFilterChain(plan.audio, audioSpan, videoStart, keptSpeech(plan));
    const copyable = probed.audio.every((a) => container.copyableAudio.has(a.codec));
    audio = chain || !copyable ? 're-encoded' : 'copied';
    probed.audio.forEach((_, i) => {
      if (audio === 're-encoded') audioFilters.push(`[1:a:${i}]${chain ?? 'anull'}[a${i}]`);
    });
  }
  args.push('-map', '0:v:0');
  if (paddedTo) args.push('-vf', `pad=${paddedTo.width}:${paddedTo.height}:0:0`);
  if (audioFilters.length) {
    args.push('-filter_complex', audioFilters.join(';'));
    probed.audio.forEach((_, i) => args.push('-map', `[a${i}]`));
    args.push('-c:a', 'aac', '-b:a', '192k');
  } else if (audio === 'copied') {
    args.push('-map', '1:a', '-c:a', 'copy');
  }
  args.push(
    '-c:v', 'libx264', '-preset', plan.output.preset, '-crf', String(plan.output.crf), '-pix_fmt', 'yuv420p',
    // x264's threaded lookahead decides frame types and mbtree over however many frames happen to
    // have arrived through the pipe, so the same export could give different bytes under load
    // (measured: 3 of 45 differed). In-line lookahead decides at fixed points, so an export is
    // repeatable on a given machine; splitting its analysis into a fixed two slices wins back about
    // half of what running it in-line costs, and still gives the same bytes (BENCHMARKS.md).
    '-x264-params', x264Params(v.firstField),
    '-fps_mode', 'passthrough', '-enc_time_base', '-1',
  );
  if (v.timeBase.num === 1) args.push('-video_track_timescale', String(v.timeBase.den));
  const c = v.colour;
  if (c.space && c.space !== 'unknown') args.push('-colorspace', c.space);
  if (c.primaries && c.primaries !== 'unknown') args.push('-color_primaries', c.primaries);
  if (c.transfer && c.transfer !== 'unknown') args.push('-color_trc', c.transfer);
  if (c.rangeTag && c.rangeTag !== 'unknown') args.push('-color_range', c.rangeTag);
  // Nothing of the source's metadata goes out: tags (device, officer, place, time) and chapter markers
  // can name people, and the report records the source's facts instead.
  args.push('-map_metadata', '-1', '-map_chapters', '-1', '-f', container.muxer, '-y', fileArg(tempOutputPath));
  return { args, paddedTo, audio, soundLeftOut };
}

/**
 * A subject access export keeps sound only inside the requester's speech ranges (none marked: no
 * sound), unless the reviewer chose to keep all of it; null when no such limit applies.
 */
export function keptSpeech(plan: Pick<RedactionPlan, 'subject'>): ReadonlyArray<{ start: number; end: number }> | null {
  const s = plan.subject;
  if (!s || s.sound?.keep === 'all') return null;
  return s.sound?.speech ?? [];
}

/**
 * Interlaced sources stay interlaced, with the same field shown first: coded as progressive, players
 * would not deinterlace them (combing) and the export would not keep the original's properties.
 */
function x264Params(firstField: ProbeResult['video']['firstField']): string {
  if (firstField === 'top') return `${X264_PARAMS}:tff=1`;
  if (firstField === 'bottom') return `${X264_PARAMS}:bff=1`;
  return X264_PARAMS;
}

/** Seconds for an ffmpeg option: fixed notation to the microsecond, which is ffmpeg's own resolution. */
function seconds(t: number): string {
  return t.toFixed(6);
}

/** Every frame, as a trim: from the first frame's start to the last one's end. */
function wholePicture(probed: ProbeResult): AudioTrim {
  return trimSeconds({ trim: { startFrame: 0, endFrame: probed.framePts.length - 1 } }, probed);
}

/** The trim as seconds counted from the first video frame (as plan times are), from the exact time stamps of its frames. */
export function trimSeconds(plan: Pick<RedactionPlan, 'trim'>, probed: ProbeResult): AudioTrim {
  const trim = plan.trim!;
  const { framePts, video } = probed;
  const tb = video.timeBase;
  const at = (pts: number) => ((pts - video.startPts) * tb.num) / tb.den;
  const start = at(framePts[trim.startFrame]!);
  const next = framePts[trim.endFrame + 1];
  const end = next !== undefined ? at(next) : at(framePts[trim.endFrame]!) + (video.frameRate.den / video.frameRate.num);
  return { startSeconds: start, endSeconds: end };
}
