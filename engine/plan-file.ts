import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { DEFAULT_OUTPUT, parsePlan, PLAN_SCHEMA_ID, PLAN_VERSION, PlanValidationError, type RedactionPlan } from '../common/plan';
import type { Track } from '../common/track';
import { UserError } from './errors';
import { type OutputRules, writeJsonFile } from './export/output-file';
import { videoFacts, type ProbeResult } from './media/probe';

/** Largest plan file accepted: generous for hours of tracks, small enough to refuse junk quickly. */
const MAX_PLAN_BYTES = 256 * 1024 * 1024;

export function newPlan(probed: ProbeResult, sha256: string, tracks: Track[] = []): RedactionPlan {
  return parsePlan({
    schema: PLAN_SCHEMA_ID,
    version: PLAN_VERSION,
    source: { name: basename(probed.path), size: probed.size, sha256, video: videoFacts(probed), hasAudio: probed.audio.length > 0 },
    tracks,
    audio: [],
    output: DEFAULT_OUTPUT,
  });
}

export function readPlanFile(path: string): RedactionPlan {
  let text: string;
  try {
    // Size first: a huge file is refused without reading it into memory.
    if (statSync(path).size > MAX_PLAN_BYTES) throw new UserError('plan', `${basename(path)} is too large to be a plan (over ${MAX_PLAN_BYTES >> 20} MiB)`);
    text = readFileSync(path).toString('utf8');
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError('plan', `cannot read the plan ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError('plan', `${basename(path)} is not valid JSON`);
  }
  try {
    return parsePlan(json);
  } catch (err) {
    if (err instanceof PlanValidationError) throw new UserError('plan', `${basename(path)}: ${err.message}`);
    throw err;
  }
}

/** Writes a plan atomically (a reader never sees half a plan), by the output rules. */
export function writePlanFile(path: string, plan: RedactionPlan, rules: OutputRules = {}): void {
  writeJsonFile(path, parsePlan(plan), rules);
}
