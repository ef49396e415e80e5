import type { Box } from '../../common/geometry';
import { progressMeter, type ProgressFigures } from '../../common/progress';
import { cutTemplate, ImagePyramid, matchTemplate, type GrayImage, type Template } from '../detect/template-match';
import { CutDetector } from '../detect/shot-cuts';
import { CancelledError, throwIfAborted, UserError } from '../errors';
import { analysisFrames } from '../media/frame-stream';
import { firstFrameOnFfmpegClock, type ProbeResult } from '../media/probe';

/**
 * Assisted tracking of a region the reviewer drew: from its box at one frame, follow its content
 * forward or back, frame by frame, with the content tracker detection uses (template-match.ts), until
 * the content is lost, a shot cut comes (shot-cuts.ts CutDetector), the clip ends or `maxFrames` are done. The
 * box keeps its size; the reviewer corrects what the tracker got wrong.
 */
export type FollowStop = 'lost' | 'cut' | 'end' | 'limit';

export interface FollowResult {
  /** The box at every followed frame after (forward) or before (back) the start, in order of frame. */
  path: Array<Box & { frame: number }>;
  stopped: FollowStop;
}

export interface FollowOptions {
  startFrame: number;
  box: Box;
  direction: 'forward' | 'back';
  /** At most this many frames are followed (default 10 s of video). */
  maxFrames?: number;
  signal?: AbortSignal;
  onProgress?: (p: ProgressFigures & { unit: 'frames' }) => void;
}

/** Analysis width: enough to follow a 20-pixel face in 1080p footage (about 12 px here). */
const ANALYSIS_WIDTH = 640;
/** Below this match score (NCC) the content is taken as lost: measured on the e2e clip, a face matched at 0.9+ and plain background under 0.5. */
const LOST_SCORE = 0.6;

export async function followRegion(probed: ProbeResult, options: FollowOptions): Promise<FollowResult> {
  const v = probed.video;
  const last = v.frameCount - 1;
  const start = options.startFrame;
  if (!Number.isInteger(start) || start < 0 || start > last) throw new UserError('input', `frame ${start} is not in this clip (0–${last})`);
  const forward = options.direction === 'forward';
  const fps = v.frameRate.num / Math.max(1, v.frameRate.den);
  const limit = Math.max(1, Math.floor(options.maxFrames ?? Math.round(fps * 10)));
  const first = forward ? start : Math.max(0, start - limit);
  const end = forward ? Math.min(last, start + limit) : start;
  if (first === end) return { path: [], stopped: 'end' };

  const width = Math.min(v.width, ANALYSIS_WIDTH) & ~1;
  const height = Math.max(2, Math.round((v.height * width) / v.width / 2) * 2);
  const scale = v.width / width;
  const tb = v.timeBase.num / v.timeBase.den;
  const timeOf = (f: number) => firstFrameOnFfmpegClock(probed) + ((probed.framePts[f] ?? probed.framePts[0]!) - probed.framePts[0]!) * tb;
  const meter = progressMeter();
  const total = end - first + 1;
  let lastReport = 0;

  // Back: the frames are decoded forward, kept (small and grey), then followed in reverse.
  const frames: GrayImage[] = [];
  const follow = makeFollower(options.box, scale);
  const path: FollowResult['path'] = [];
  let stopped: FollowStop = forward ? (end === last ? 'end' : 'limit') : first === 0 ? 'end' : 'limit';
  try {
    for await (const frame of analysisFrames({ path: probed.path, streamIndex: v.index, width, height, start: { index: first, seconds: timeOf(first), frameSeconds: 1 / fps }, signal: options.signal })) {
      if (frame.index > end) break;
      const grey = toGrey(frame.rgb, width, height, scale);
      const done = frame.index - first + 1;
      const now = performance.now();
      if (options.onProgress && (now - lastReport > 200 || done === total)) {
        lastReport = now;
        options.onProgress({ done: forward ? done : Math.round(done / 2), total, unit: 'frames', ...meter(forward ? 'following' : 'reading', done, total) });
      }
      if (!forward) {
        frames.push(grey);
        continue;
      }
      const step = follow(frame.index, grey);
      if (step.stop) {
        stopped = step.stop;
        break;
      }
      if (step.box) path.push({ frame: frame.index, ...step.box });
    }
    if (!forward) {
      for (let i = frames.length - 1; i >= 0; i--) {
        throwIfAborted(options.signal, 'the tracking');
        const f = first + i;
        const step = follow(f, frames[i]!);
        if (step.stop) {
          stopped = step.stop;
          break;
        }
        if (step.box) path.unshift({ frame: f, ...step.box });
        options.onProgress?.({ done: total - Math.round(i / 2), total, unit: 'frames', ...meter('following', total - i, total) });
      }
    }
  } catch (err) {
    if (options.signal?.aborted) throw new CancelledError('the tracking');
    throw err;
  }
  throwIfAborted(options.signal, 'the tracking');
  return { path, stopped };
}

/**
 * The frame-by-frame follower: the first frame given is the start (its box is cut as the template);
 * each later one is searched around where the content was, moving as it last moved. The template is cut
 * again at each found place, so a face that turns slowly is still followed.
 */
function makeFollower(box: Box, scale: number) {
  let template: Template | null = null;
  // Cuts as detection finds them: absolute changes, or a spike against the shot's own recent changes.
  const cuts = new CutDetector();
  // Position of the template's rect (analysis px), and its last move.
  let at = { x: 0, y: 0 };
  let velocity = { x: 0, y: 0 };
  const size = { w: Math.max(4, Math.round(box.w / scale)), h: Math.max(4, Math.round(box.h / scale)) };
  return (frame: number, grey: GrayImage): { box?: Box; stop?: FollowStop } => {
    const pyramid = new ImagePyramid(grey);
    const cut = cuts.push(grey);
    if (!template) {
      // The part of the box inside the picture is what is followed.
      const x = clampInt(box.x / scale, 0, grey.width - size.w);
      const y = clampInt(box.y / scale, 0, grey.height - size.h);
      at = { x, y };
      template = cutTemplate(pyramid, { x, y, w: Math.min(size.w, grey.width), h: Math.min(size.h, grey.height) });
      if (!template) throw new UserError('input', `the region at frame ${frame} is too plain to follow (no detail inside the box)`);
      return {};
    }
    if (cut) return { stop: 'cut' };
    const radius = Math.max(8, Math.round(Math.max(size.w, size.h) / 2) + Math.abs(velocity.x) + Math.abs(velocity.y));
    const m = matchTemplate(pyramid, template, velocity.x, velocity.y, radius);
    if (!m || m.score < LOST_SCORE) return { stop: 'lost' };
    const next = { x: at.x + m.dx, y: at.y + m.dy };
    velocity = { x: next.x - at.x, y: next.y - at.y };
    at = next;
    const rect = { x: clampInt(at.x, 0, grey.width - template.rect.w), y: clampInt(at.y, 0, grey.height - template.rect.h), w: template.rect.w, h: template.rect.h };
    template = cutTemplate(pyramid, rect) ?? template;
    // Sub-pixel drift from re-cutting at whole pixels: follow the rect actually cut.
    if (template.rect.x === rect.x && template.rect.y === rect.y) at = { x: rect.x, y: rect.y };
    return { box: { x: (at.x * scale), y: (at.y * scale), w: box.w, h: box.h } };
  };
}

function clampInt(v: number, lo: number, hi: number): number {
  return Math.round(Math.max(lo, Math.min(hi, v)));
}

/** BT.601 luma of an rgb24 frame, at the same size. */
function toGrey(rgb: Uint8Array, width: number, height: number, scale: number): GrayImage {
  const data = new Uint8Array(width * height);
  for (let i = 0, o = 0; o < data.length; i += 3, o++) data[o] = (77 * rgb[i]! + 150 * rgb[i + 1]! + 29 * rgb[i + 2]!) >> 8;
  return { width, height, data, scale };
}
