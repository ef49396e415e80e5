import { parsePlan, PlanValidationError, type RedactionPlan } from '../common/plan';
import { markRequesters, SUBJECT_MODES, type SubjectAccess, type SubjectMode } from '../common/subject-access';
import { UserError } from '../engine/errors';
import { UsageError } from './context';
import { numberOption } from './options';

/** Options `export` and `bundle` share for a subject access export (issue 22). */
export const SUBJECT_OPTIONS = {
  'subject-mode': { type: 'string' },
  'request-ref': { type: 'string' },
  'subject-padding': { type: 'string' },
  'cut-absent': { type: 'boolean' },
  speech: { type: 'string', multiple: true },
  'keep-all-sound': { type: 'string' },
} as const;

export const SUBJECT_USAGE =
  '[--subject-mode everything-else|everyone-else] [--request-ref REF] [--subject-padding F] [--cut-absent] [--speech START-END]... [--keep-all-sound REASON]';

type SubjectValues = {
  'subject-mode'?: string;
  'request-ref'?: string;
  'subject-padding'?: string;
  'cut-absent'?: boolean;
  speech?: string[];
  'keep-all-sound'?: string;
};

/** The subject access settings the options give, or null when no requester was named (then none may be given). */
export function subjectFrom(values: SubjectValues, hasRequester: boolean): SubjectAccess | null {
  const given = (['subject-mode', 'request-ref', 'subject-padding', 'cut-absent', 'speech', 'keep-all-sound'] as const).filter((k) => values[k] !== undefined);
  if (!hasRequester) {
    if (given.length) throw new UsageError(`--${given[0]} needs --subject <region id>[,<id>...]`);
    return null;
  }
  const mode = (values['subject-mode'] ?? 'everything-else') as SubjectMode;
  if (!SUBJECT_MODES.includes(mode)) throw new UsageError(`--subject-mode must be ${SUBJECT_MODES.join(' or ')}, not '${values['subject-mode']}'`);
  const requestRef = values['request-ref']?.trim();
  if (!requestRef) throw new UsageError('a subject access export needs --request-ref REF (the request number)');
  if (values.speech?.length && values['keep-all-sound'] !== undefined) throw new UsageError('--speech and --keep-all-sound exclude each other');
  const keepAll = values['keep-all-sound'];
  if (keepAll !== undefined && !keepAll.trim()) throw new UsageError('--keep-all-sound needs a reason');
  const padding = numberOption(values['subject-padding'], '--subject-padding', { min: 0, max: 2 });
  return {
    mode,
    requestRef,
    ...(padding ? { padding } : {}),
    ...(values['cut-absent'] ? { absent: 'cut' as const } : {}),
    sound: keepAll !== undefined ? { keep: 'all', reason: keepAll.trim() } : { keep: 'speech', speech: (values.speech ?? []).map(parseSpeech) },
  };
}

/** "1.5-4.25": seconds from the first frame. */
function parseSpeech(text: string): { start: number; end: number } {
  const m = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m || !(Number(m[2]) > Number(m[1]))) throw new UsageError(`--speech must be START-END in seconds with END after START, not '${text}'`);
  return { start: Number(m[1]), end: Number(m[2]) };
}

/** "id,id2": the requester's region ids. */
export function parseRegionIds(text: string, option: string): string[] {
  const ids = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (!ids.length) throw new UsageError(`${option} needs at least one region id`);
  return ids;
}

/** The plan with the requester marked and the subject access settings set; a plan that would not validate is a plan error. */
export function withSubject(plan: RedactionPlan, requesterIds: readonly string[], subject: SubjectAccess, what = 'the plan'): RedactionPlan {
  try {
    return parsePlan({ ...plan, tracks: markRequesters(plan.tracks, requesterIds), subject });
  } catch (err) {
    if (err instanceof PlanValidationError) throw new UserError('plan', `${what}: ${err.message}`);
    throw new UserError('plan', `${what}: ${(err as Error).message}`);
  }
}
