import { describe, expect, it } from 'vitest';
import { decoderArgs, encoderArgs } from '../../engine/export/ffmpeg-args';
import { outputContainer } from '../../engine/export/output-container';
import type { ProbeResult } from '../../engine/media/probe';
import { samplePlan } from '../helpers/plans';

/**
 * Paths never reach a filter string (SECURITY.md): with a trim and audio redactions every filter is
 * in use, and a hostile file name still appears only as a whole `file:` argument of -i or the output.
 */
const HOSTILE = "/cases/x'[a];movie=/etc/passwd,drawtext=text=%{pts}:file=\\evil.mp4";
const OUT = "/out/.o'ut;[v]null[w].mp4.partial";

const probed: ProbeResult = {
  path: HOSTILE,
  size: 1000,
  formatName: 'mov,mp4',
  durationSeconds: 2,
  startSeconds: 0,
  video: {
    index: 0, width: 320, height: 240, codedWidth: 320, codedHeight: 240, rotation: 0, frameCount: 60,
    timeBase: { num: 1, den: 15360 }, frameRate: { num: 30, den: 1 }, codec: 'h264', pixelFormat: 'yuv420p',
    variableFrameRate: false, startPts: 0, durationSeconds: 2, colour: { matrix: 'bt601', range: 'tv' }, firstField: null,
  },
  audio: [{ index: 1, codec: 'aac', sampleRate: 48000, channels: 2, channelLayout: 'stereo', durationSeconds: 2, startSeconds: 0 }],
  otherStreams: [],
  framePts: Array.from({ length: 60 }, (_, i) => i * 512),
  endsEarly: null,
};
const plan = samplePlan({
  trim: { startFrame: 5, endFrame: 50 },
  audio: [{ id: 'a', start: 0.5, end: 1, mode: 'bleep', reason: 'spoken-personal-data' }],
});

function check(args: string[], paths: string[]) {
  const filterArgs = args.filter((_, i) => ['-vf', '-af', '-filter_complex', '-lavfi'].includes(args[i - 1] ?? ''));
  expect(filterArgs.length).toBeGreaterThan(0);
  for (const f of filterArgs) for (const p of paths) for (const part of p.split('/').filter(Boolean)) expect(f).not.toContain(part);
  for (const p of paths) {
    const holding = args.filter((a) => a.includes(p));
    expect(holding.length).toBeGreaterThan(0);
    for (const a of holding) expect(a).toBe(`file:${p}`);
  }
}

describe('paths never pasted into filter strings', () => {
  it('decoder', () => check(decoderArgs(HOSTILE, plan, probed), [HOSTILE]));
  it('encoder, with audio filters and padding', () => {
    const odd = { ...probed, video: { ...probed.video, width: 321, height: 241 } };
    check(encoderArgs(HOSTILE, OUT, plan, odd, outputContainer('out.mp4')!).args, [HOSTILE, OUT]);
  });
});
