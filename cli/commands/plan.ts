import { PLAN_VERSION, PlanValidationError } from '../../common/plan';
import type { Track } from '../../common/track';
import { sha256File } from '../../engine/media/hash';
import { probe } from '../../engine/media/probe';
import { checkOutputPath, type OutputRules } from '../../engine/export/output-file';
import { newPlan, writePlanFile } from '../../engine/plan-file';
import { UsageError, writeJson, type CommandContext } from '../context';
import { decimal, onePositional, parseCommandArgs, styleFromOptions } from '../options';
import { countOf } from '../../common/count-of';

export const usage = "redactor plan <video> -o <plan.json> [--region x,y,w,h[,first,last]]... [--style blur|pixelate|solid] [--fill '#RRGGBB'] [--force]";

/**
 * Writes a plan for a video: its hash and stream facts, plus any manual regions given here. The
 * starting point for hand-made or scripted plans.
 */
export async function run(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    output: { type: 'string', short: 'o' },
    region: { type: 'string', multiple: true },
    style: { type: 'string' },
    fill: { type: 'string' },
    force: { type: 'boolean' },
  });
  const path = onePositional(positionals, 'video');
  if (!values.output) throw new UsageError('missing -o <plan.json>');
  const style = styleFromOptions(values.style, values.fill);
  const rules: OutputRules = { protect: [path], overwrite: values.force };
  checkOutputPath(values.output, rules);
  const regions = (values.region ?? []).map(parseRegion);
  const probed = await probe(path, ctx.signal);
  const sha256 = await sha256File(path, {
    signal: ctx.signal,
    size: probed.size,
    onProgress: ctx.progress.forHashing(),
  });
  ctx.progress.done();
  const last = probed.video.frameCount - 1;
  const tracks = regions.map((region, i) => manualTrack(region, i, last));
  let plan;
  try {
    plan = newPlan(probed, sha256, tracks);
  } catch (err) {
    // Only the regions given here can make the plan invalid (a coordinate far outside any picture).
    if (err instanceof PlanValidationError) throw new UsageError(`--region: ${err.message}`);
    throw err;
  }
  if (style) plan.output.style = style;
  writePlanFile(values.output, plan, rules);
  if (ctx.json) writeJson(ctx, { plan: values.output, version: PLAN_VERSION, sha256, tracks: tracks.length });
  else ctx.stdout.write(`wrote ${values.output} (${countOf(tracks.length, 'region')}, source sha256 ${sha256})\n`);
  return 0;
}

/** A --region's numbers, read before any work so that a typo is refused at once. */
function parseRegion(spec: string): { spec: string; parts: number[] } {
  const parts = spec.split(',').map(decimal);
  if ((parts.length !== 4 && parts.length !== 6) || parts.some((n) => !Number.isFinite(n))) {
    throw new UsageError(`--region must be x,y,w,h or x,y,w,h,first,last (frames), not '${spec}'`);
  }
  return { spec, parts };
}

function manualTrack({ spec, parts }: { spec: string; parts: number[] }, index: number, lastFrame: number): Track {
  const [x, y, w, h, first = 0, lastShown = lastFrame] = parts as [number, number, number, number, number?, number?];
  if (w <= 0 || h <= 0) throw new UsageError(`--region '${spec}': width and height must be positive`);
  if (!Number.isInteger(first) || !Number.isInteger(lastShown) || first < 0 || lastShown < first || lastShown > lastFrame) {
    throw new UsageError(`--region '${spec}': frames must satisfy 0 ≤ first ≤ last ≤ ${lastFrame}`);
  }
  const keyframes: Track['keyframes'] = [{ frame: first, x, y, w, h, outside: false, source: 'manual' }];
  if (lastShown < lastFrame) keyframes.push({ frame: lastShown + 1, x, y, w, h, outside: true, source: 'manual' });
  return {
    id: `manual-${String(index + 1).padStart(4, '0')}`,
    label: 'manual',
    shape: 'rectangle',
    reason: 'other',
    reasonText: 'region given on the command line',
    provenance: { origin: 'manual', createdBy: process.env.USER ?? process.env.USERNAME ?? 'unknown' },
    decision: 'redact',
    keyframes,
  };
}
