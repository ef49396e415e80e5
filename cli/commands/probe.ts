import { formatRational } from '../../common/rational';
import { formatMediaTime } from '../../common/timecode';
import { probe } from '../../engine/media/probe';
import { writeJson, type CommandContext } from '../context';
import { onePositional, parseCommandArgs } from '../options';

export const usage = 'redactor probe <video> [--json]';

export async function run(args: string[], ctx: CommandContext): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  const path = onePositional(positionals, 'video');
  const p = await probe(path, ctx.signal);
  if (ctx.json) {
    // The per-frame time stamps are summarised: they can run to hundreds of thousands of numbers.
    const { framePts, ...rest } = p;
    writeJson(ctx, { ...rest, firstPts: framePts[0], lastPts: framePts.at(-1) });
    return 0;
  }
  const v = p.video;
  const lines = [
    `file:        ${p.path} (${p.size} bytes, ${p.formatName})`,
    `duration:    ${formatMediaTime(p.durationSeconds)}`,
    `video:       ${v.codec} ${v.width}×${v.height}${v.rotation ? ` (stored ${v.codedWidth}×${v.codedHeight}, rotated ${v.rotation}°)` : ''} ${v.pixelFormat}`,
    `frames:      ${v.frameCount} at ${formatRational(v.frameRate)} fps${v.variableFrameRate ? ' (variable frame rate)' : ''}, time base ${formatRational(v.timeBase)}`,
    `colour:      ${v.colour.space ?? 'untagged'}, ${v.colour.rangeTag ?? 'untagged'} range`,
    ...(p.audio.length
      ? p.audio.map((a, i) => `audio ${i}:     ${a.codec} ${a.sampleRate} Hz ${a.channelLayout}`)
      : ['audio:       none']),
    ...(p.otherStreams.length ? [`not exported: ${p.otherStreams.join(', ')}`] : []),
    ...(p.endsEarly ? [`warning:     the streams end at ${formatMediaTime(p.endsEarly.lastSeconds)}, before the declared ${formatMediaTime(p.endsEarly.declaredSeconds)}: the file may have been cut short`] : []),
  ];
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
