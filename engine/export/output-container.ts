import { basename, extname } from 'node:path';
import { UserError } from '../errors';

/**
 * The container an export is written in, named by the output's extension. Only the ISO family: MP4
 * and QuickTime keep the source's time scale, so every frame keeps its exact time stamp. Matroska
 * (and WebM) count in milliseconds, which would move frames off their time stamps; other containers
 * hold no per-frame times at all. Any other name is refused rather than written as something else.
 */
export interface OutputContainer {
  /** ffmpeg's muxer. */
  muxer: 'mp4' | 'mov';
  /** Audio codecs it carries as they are; anything else is re-encoded to AAC. */
  copyableAudio: ReadonlySet<string>;
}

/** Not FLAC: ffmpeg 5.1 refuses it in MP4 unless told to allow experimental features. */
const MP4: OutputContainer = { muxer: 'mp4', copyableAudio: new Set(['aac', 'mp3', 'ac3', 'eac3', 'alac', 'opus']) };
/** QuickTime has no Opus (ffmpeg's mov muxer refuses it). */
const QUICKTIME: OutputContainer = { muxer: 'mov', copyableAudio: new Set(['aac', 'mp3', 'ac3', 'eac3', 'alac']) };

const BY_EXTENSION: Record<string, OutputContainer> = { '.mp4': MP4, '.m4v': MP4, '.mov': QUICKTIME };

/** The container for an output path, or null when its extension names none an export can be written in. */
export function outputContainer(path: string): OutputContainer | null {
  return BY_EXTENSION[extname(path).toLowerCase()] ?? null;
}

/** Why an output name is refused, in one line. */
export function unsupportedOutputName(path: string): string {
  return `cannot write ${basename(path)}: an export is written as MP4 (.mp4, .m4v) or QuickTime (.mov), which keep every frame's time stamp exactly; name the output with one of those extensions`;
}

/** The output's container; refuses (before any work) a name whose extension names none. */
export function requireOutputContainer(path: string): OutputContainer {
  const container = outputContainer(path);
  if (!container) throw new UserError('output', unsupportedOutputName(path));
  return container;
}
