import { parseRational, type Rational } from '../../common/rational';
import type { VideoFacts } from '../../common/plan';
import { UserError } from '../errors';
import { fileArg } from '../ffmpeg/quote';
import { FfmpegFailedError, runFfmpeg } from '../ffmpeg/run';
import { toolVersion } from '../ffmpeg/version';
import type { ColourMatrix, ColourRange } from '../export/yuv-frame';
import { assertReadableFile } from './source-file';

export interface VideoStreamInfo extends VideoFacts {
  index: number;
  /** Size as stored; width/height above are as displayed, after rotation. */
  codedWidth: number;
  codedHeight: number;
  /** Clockwise rotation the player applies (0, 90, 180, 270). */
  rotation: number;
  /** Presentation time stamp of the first frame, in time-base units. */
  startPts: number;
  durationSeconds: number;
  colour: { matrix: ColourMatrix; range: ColourRange; space?: string; primaries?: string; transfer?: string; rangeTag?: string };
  /** Which field is shown first, for interlaced video (CCTV, broadcast); null when progressive or unknown. */
  firstField: 'top' | 'bottom' | null;
}

export interface AudioStreamInfo {
  index: number;
  codec: string;
  sampleRate: number;
  channels: number;
  channelLayout: string;
  durationSeconds: number;
  /** Time stamp of the first sample, seconds, on the same clock as the video's time stamps. */
  startSeconds: number;
}

export interface ProbeResult {
  path: string;
  size: number;
  formatName: string;
  durationSeconds: number;
  /**
   * The container's start time, seconds (the earliest stream's; 0 for most files). ffmpeg, reading the
   * file, subtracts it from every stream's time stamps, so its filters and outputs count from here.
   */
  startSeconds: number;
  video: VideoStreamInfo;
  audio: AudioStreamInfo[];
  /**
   * The streams besides `video` and `audio` (more video, cover pictures, subtitles, data), described
   * for people: an export carries none of them, and its report says so.
   */
  otherStreams: string[];
  /** Presentation time stamps of every video frame in display order, time-base units. */
  framePts: number[];
  /**
   * Set when the file's streams all end well before the length its container declares (Matroska,
   * WebM): a file cut short. Its frames are all there is to export; reports say so.
   */
  endsEarly: { declaredSeconds: number; lastSeconds: number } | null;
}

/** Streams ending this much before the declared length make a file "ends early": more than a few frames' or packets' worth. */
const ENDS_EARLY_SECONDS = 0.5;

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown): number => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : NaN;
};
/** A start time ffprobe may leave out ("N/A"): read as 0, where ffmpeg starts counting. */
const finiteOrZero = (v: unknown): number => {
  const n = num(v);
  return Number.isFinite(n) ? n : 0;
};

/**
 * Probes a file with ffprobe: container, streams and, by reading every video packet (no decoding),
 * the exact frame count and time stamps. Throws UserError('input') for anything that is not a
 * usable video.
 */
export async function probe(path: string, signal?: AbortSignal): Promise<ProbeResult> {
  const size = assertReadableFile(path);
  const name = path.split(/[\\/]/).pop();
  // A wrong program in ffprobe's place must be a tool error, not a verdict that the file is unreadable.
  await toolVersion('ffprobe');
  let info: Json;
  try {
    const out = await runFfmpeg({
      tool: 'ffprobe',
      args: ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', fileArg(path)],
      signal,
    }).done;
    info = parseProbeJson(out.stdout.toString('utf8'));
  } catch (err) {
    if (err instanceof FfmpegFailedError) throw new UserError('input', `${name} is not a readable media file (${err.stderrTail.trim().split('\n').at(-1) ?? 'ffprobe failed'})`);
    throw err;
  }
  const streams = (info.streams as Json[] | undefined) ?? [];
  const format = (info.format as Json | undefined) ?? {};
  const videoJson = mainVideoStream(streams);
  if (!videoJson) throw new UserError('input', `${name} has no video stream`);

  const { framePts, packets } = await readFramePts(path, num(videoJson.index), signal);
  if (framePts.length === 0) throw new UserError('input', `${name} has a video stream with no frames (is the file truncated?)`);
  // An MP4 index (moov) that lists more frames than the file holds: the file was cut short. Only MP4 and
  // its kin: an AVI index also counts the empty chunks a DivX/Xvid encoder leaves for dropped frames.
  const indexed = num(videoJson.nb_frames);
  const isoMedia = (str(format.format_name) ?? '').split(',').includes('mov');
  if (isoMedia && Number.isFinite(indexed) && indexed > packets) {
    throw new UserError('input', `${name} is truncated: its index lists ${indexed} frames but only ${packets} are in the file`);
  }

  const video = toVideoInfo(videoJson, framePts);
  const audio = streams.filter((s) => s.codec_type === 'audio').map(toAudioInfo);
  // Matroska keeps no duration per stream: read where each sound stream really ends from its last
  // packets, rather than guess from the container's length (which Matroska counts from time 0).
  const videoEnd = video.startPts * (video.timeBase.num / video.timeBase.den) + video.durationSeconds;
  for (const a of audio) {
    if (Number.isFinite(a.durationSeconds)) continue;
    const end = await lastPacketEnd(path, a.index, Math.max(0, Math.min(a.startSeconds, videoEnd) - 1), signal);
    if (end !== null) a.durationSeconds = Math.max(0, end - a.startSeconds);
  }
  const formatName = str(format.format_name) ?? 'unknown';
  const lastSeconds = Math.max(videoEnd, ...audio.map((a) => a.startSeconds + (Number.isFinite(a.durationSeconds) ? a.durationSeconds : 0)));
  const declaredSeconds = num(format.duration);
  const endsEarly = formatName.includes('matroska') && declaredSeconds - lastSeconds > ENDS_EARLY_SECONDS ? { declaredSeconds, lastSeconds } : null;
  const otherStreams = streams
    .filter((s) => s !== videoJson && s.codec_type !== 'audio')
    .map((s) => `${str(s.codec_type) ?? 'unknown'} stream ${num(s.index)} (${str(s.codec_name) ?? str(s.codec_tag_string) ?? 'unknown codec'}${(s.disposition as Json | undefined)?.attached_pic === 1 ? ', cover picture' : ''})`);
  return {
    path,
    size,
    formatName,
    // Matroska's declared length counts from time 0 (and overstates a file cut short): its streams' span instead.
    durationSeconds: formatName.includes('matroska') ? lastSeconds - finiteOrZero(format.start_time) : num(format.duration) || video.durationSeconds,
    startSeconds: finiteOrZero(format.start_time),
    video,
    audio,
    otherStreams,
    framePts,
    endsEarly,
  };
}

/**
 * Where stream `index` ends (its last packet's time stamp plus duration, seconds on the file's clock),
 * reading only its packets from `fromSeconds` on; null when it has none there.
 */
async function lastPacketEnd(path: string, index: number, fromSeconds: number, signal?: AbortSignal): Promise<number | null> {
  let out;
  try {
    out = await runFfmpeg({
      tool: 'ffprobe',
      args: ['-v', 'error', '-select_streams', String(index), '-read_intervals', `${fromSeconds.toFixed(3)}%`, '-show_entries', 'packet=pts_time,dts_time,duration_time', '-of', 'csv=p=0', fileArg(path)],
      signal,
    }).done;
  } catch (err) {
    if (err instanceof FfmpegFailedError) return null;
    throw err;
  }
  let end: number | null = null;
  for (const line of out.stdout.toString('utf8').split('\n')) {
    const [p, d, dur] = line.split(',').map(num);
    const t = Number.isFinite(p!) ? p! : d!;
    if (Number.isFinite(t)) end = Math.max(end ?? -Infinity, t + (Number.isFinite(dur!) ? dur! : 0));
  }
  return end;
}

function parseProbeJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new UserError('tool', 'ffprobe gave an answer that is not JSON: check which ffprobe is used (REDACTOR_FFPROBE)');
  }
}

/**
 * The footage among a file's video streams: not a cover picture, and the largest picture, the first of
 * equals (as ffmpeg itself chooses). A Matroska file may carry its cover art as an ordinary one-frame
 * video track ahead of the footage.
 */
function mainVideoStream(streams: Json[]): Json | undefined {
  let best: Json | undefined;
  const area = (s: Json) => (num(s.width) || 0) * (num(s.height) || 0);
  for (const s of streams) {
    if (s.codec_type !== 'video' || (s.disposition as Json | undefined)?.attached_pic === 1) continue;
    if (!best || area(s) > area(best)) best = s;
  }
  return best;
}

/** ffmpeg's `-map` for the video stream a probe chose (by index: the first video stream may be a cover picture). */
export function videoMap(p: Pick<ProbeResult, 'video'>): string {
  return `0:${p.video.index}`;
}

/** The first video frame's own time stamp, seconds, as the file records it (and Chromium plays it). */
export function firstFrameOnFileClock(p: ProbeResult): number {
  const v = p.video;
  return (v.startPts * v.timeBase.num) / v.timeBase.den;
}

/**
 * Where the first video frame lies on the clock ffmpeg gives this file (seconds after the container's
 * start). Not 0 when the video starts after the audio, as in a recording whose picture began late.
 */
export function firstFrameOnFfmpegClock(p: ProbeResult): number {
  return firstFrameOnFileClock(p) - p.startSeconds;
}

/**
 * Every shown video packet's pts, sorted into display order. One packet is one frame for the codecs we
 * accept. Packets flagged discard are left out: an MP4 cut with stream copy keeps the frames from the
 * key frame before the cut, with an edit list that starts later; the decoder decodes them for
 * reference but never outputs them, and players never show them.
 */
async function readFramePts(path: string, streamIndex: number, signal?: AbortSignal): Promise<{ framePts: number[]; packets: number }> {
  let out;
  try {
    out = await runFfmpeg({
      tool: 'ffprobe',
      // By the stream's own index: the first video stream may be a cover picture (Matroska attachments).
      args: ['-v', 'error', '-select_streams', String(streamIndex), '-show_entries', 'packet=pts,dts,flags', '-of', 'csv=p=0', fileArg(path)],
      signal,
    }).done;
  } catch (err) {
    if (err instanceof FfmpegFailedError) throw new UserError('input', `cannot read the video packets of ${path.split(/[\\/]/).pop()}`);
    throw err;
  }
  const pts: number[] = [];
  let packets = 0;
  for (const line of out.stdout.toString('utf8').split('\n')) {
    if (!line) continue;
    packets++;
    const [p, d, flags] = line.split(',');
    if (flags?.includes('D')) continue;
    // Some containers leave pts unset on packets; their dts is then the presentation time.
    const v = num(p !== undefined && p !== 'N/A' ? p : d);
    if (Number.isFinite(v)) pts.push(v);
  }
  return { framePts: pts.sort((a, b) => a - b), packets };
}

function rotationOf(s: Json): number {
  const sideData = (s.side_data_list as Json[] | undefined) ?? [];
  const matrix = sideData.find((d) => d.rotation !== undefined);
  const tag = (s.tags as Json | undefined)?.rotate;
  const raw = matrix ? num(matrix.rotation) : tag !== undefined ? -num(tag) : 0;
  // ffprobe's display-matrix rotation is counter-clockwise; players rotate clockwise by its negation.
  const clockwise = (((-raw % 360) + 360) % 360);
  return Number.isFinite(clockwise) ? Math.round(clockwise / 90) * 90 % 360 : 0;
}

/** More than this many ticks of jitter between frame intervals means the rate truly varies. */
const RATE_JITTER_TICKS = 1;

/**
 * The frame intervals that tell the rate. A first interval longer than every other is where the
 * streams start apart, not a rate: a fragmented MP4 has no edit list, so ffmpeg's muxer holds the first
 * frame for the audio encoder's priming too (840 ticks, then 512 each, at 30 fps), and a constant-rate
 * clip would read as variable.
 */
function rateIntervals(durations: number[]): { intervals: number[]; firstHeld: boolean } {
  const rest = durations.slice(1);
  const firstHeld = rest.length > 0 && durations[0]! - Math.max(...rest) > RATE_JITTER_TICKS;
  return { intervals: firstHeld ? rest : durations, firstHeld };
}

function toVideoInfo(s: Json, framePts: number[]): VideoStreamInfo {
  const timeBase = parseRational(str(s.time_base) ?? '') ?? { num: 1, den: 90000 };
  const avg = parseRational(str(s.avg_frame_rate) ?? '');
  const real = parseRational(str(s.r_frame_rate) ?? '');
  const codedWidth = num(s.width);
  const codedHeight = num(s.height);
  if (!(codedWidth > 0 && codedHeight > 0)) throw new UserError('input', 'the video stream has no picture size');
  const rotation = rotationOf(s);
  const swap = rotation === 90 || rotation === 270;
  const durations = framePts.slice(1).map((p, i) => p - framePts[i]!);
  const { intervals, firstHeld } = rateIntervals(durations);
  const minD = Math.min(...intervals);
  const maxD = Math.max(...intervals);
  const usable = (r: Rational | null) => (r && r.num > 0 ? r : null);
  // ffprobe's average spans every frame, so a held first frame pulls it down (29.68 fps for 30):
  // then the base rate, which the frames after it keep.
  const frameRate: Rational = (firstHeld ? usable(real) ?? usable(avg) : usable(avg) ?? usable(real)) ?? { num: 30, den: 1 };
  const space = str(s.color_space);
  const rangeTag = str(s.color_range);
  const first = framePts[0] ?? 0;
  const last = framePts.at(-1) ?? first;
  const frameTicks = durations.length ? (last - first) / durations.length : (timeBase.den * frameRate.den) / (timeBase.num * frameRate.num);
  return {
    index: num(s.index),
    width: swap ? codedHeight : codedWidth,
    height: swap ? codedWidth : codedHeight,
    codedWidth,
    codedHeight,
    rotation,
    frameCount: framePts.length,
    timeBase,
    frameRate,
    codec: str(s.codec_name) ?? 'unknown',
    pixelFormat: str(s.pix_fmt) ?? 'unknown',
    variableFrameRate: intervals.length > 1 && maxD - minD > RATE_JITTER_TICKS,
    startPts: first,
    // Without a duration of its own (Matroska), the frames' own span: the container's length counts from
    // time 0 there, and overstates a file cut short.
    durationSeconds: Number.isFinite(num(s.duration)) ? num(s.duration) : ((last - first + frameTicks) * timeBase.num) / timeBase.den,
    colour: {
      // Untagged streams are converted with BT.601 by ffmpeg's scaler, so fills must use it too.
      matrix: space === 'bt709' ? 'bt709' : 'bt601',
      // yuvj formats are full range whether or not the stream says so.
      range: rangeTag === 'pc' || str(s.pix_fmt)?.startsWith('yuvj') ? 'pc' : 'tv',
      space,
      primaries: str(s.color_primaries),
      transfer: str(s.color_transfer),
      rangeTag,
    },
    firstField: firstFieldOf(str(s.field_order)),
  };
}

/** ffprobe's field order is coded-then-shown ("tb": top coded first, bottom shown first); what is shown first counts. */
function firstFieldOf(fieldOrder: string | undefined): VideoStreamInfo['firstField'] {
  if (fieldOrder === 'tt' || fieldOrder === 'bt') return 'top';
  if (fieldOrder === 'bb' || fieldOrder === 'tb') return 'bottom';
  return null;
}

function toAudioInfo(s: Json): AudioStreamInfo {
  return {
    index: num(s.index),
    codec: str(s.codec_name) ?? 'unknown',
    sampleRate: num(s.sample_rate),
    channels: num(s.channels),
    channelLayout: str(s.channel_layout) ?? `${num(s.channels)} channels`,
    durationSeconds: num(s.duration),
    startSeconds: finiteOrZero(s.start_time),
  };
}

/** The stream facts a plan records and export checks. */
export function videoFacts(p: ProbeResult): VideoFacts {
  const v = p.video;
  return {
    width: v.width,
    height: v.height,
    frameCount: v.frameCount,
    timeBase: v.timeBase,
    frameRate: v.frameRate,
    codec: v.codec,
    pixelFormat: v.pixelFormat,
    variableFrameRate: v.variableFrameRate,
  };
}
