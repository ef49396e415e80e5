import { exportBundle, type BundleClipRequest } from '../../engine/bundle/bundle';
import { EXIT } from '../exit-codes';
import { UsageError, writeJson, type CommandContext } from '../context';
import { EVIDENCE_OPTIONS, evidenceFrom } from '../evidence-options';
import { onePositional, parseCommandArgs } from '../options';
import { countOf } from '../../common/count-of';
import { parseRegionIds, SUBJECT_OPTIONS, SUBJECT_USAGE, subjectFrom } from '../subject-options';

export const usage =
  'redactor bundle <case.json> -o <new folder> [--clip <id>[:first-last]]... [--operator NAME] [--recipient WHO] [--purpose WHY] [--confirm-reason TEXT] [--leak-check] [--leak-threshold T]\n' +
  `                 [--subject <clip id>:<region id>[,<id>...]]... ${SUBJECT_USAGE}`;

/** Several clips of a case into one folder with a sealed manifest; `redactor verify <folder>` checks it. */
export async function run(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    output: { type: 'string', short: 'o' },
    clip: { type: 'string', multiple: true },
    ...EVIDENCE_OPTIONS,
    'leak-check': { type: 'boolean' },
    subject: { type: 'string', multiple: true },
    ...SUBJECT_OPTIONS,
  });
  const casePath = onePositional(positionals, 'case file');
  if (!values.output) throw new UsageError('missing -o <new folder>');
  if (values['case-ref']) throw new UsageError('--case-ref is taken from the case file in a bundle');
  const evidence = evidenceFrom(values, values['leak-check'] === true);
  const subjects = new Map<string, string[]>();
  for (const text of values.subject ?? []) {
    const at = text.indexOf(':');
    if (at < 1) throw new UsageError(`--subject in a bundle is <clip id>:<region id>[,<id>...], not '${text}'`);
    const clipId = text.slice(0, at);
    if (subjects.has(clipId)) throw new UsageError(`--subject names clip ${clipId} twice`);
    subjects.set(clipId, parseRegionIds(text.slice(at + 1), `--subject ${clipId}`));
  }
  const subject = subjectFrom(values, subjects.size > 0);
  const clips = values.clip?.map(parseClipOption);
  const { dir, manifest } = await exportBundle({
    casePath,
    outDir: values.output,
    clips,
    operator: evidence.operator,
    recipient: evidence.recipient,
    purpose: evidence.purpose,
    confirmation: evidence.confirmation,
    leakCheck: evidence.leakCheck,
    ...(subject ? { subject: { settings: subject, requesters: subjects } } : {}),
    signal: ctx.signal,
    onProgress: (c, p) => ctx.progress.forJob(`[${c.index}/${c.total}] ${c.clipId} `)(p),
  });
  ctx.progress.done();
  if (ctx.json) writeJson(ctx, { bundle: dir, manifest });
  else {
    for (const c of manifest.clips) ctx.stdout.write(`${c.index}. ${c.clipId} → ${c.output} (${countOf(c.frames, 'frame')}${c.trim ? `, source frames ${c.trim.startFrame}–${c.trim.endFrame}` : ''}; leak check ${c.leakCheck})\n`);
    ctx.stdout.write(`wrote bundle ${dir} (${countOf(manifest.clips.length, 'clip')}, manifest sealed ${manifest.seal.digest})\n`);
  }
  return EXIT.ok;
}

/** "clip-id" or "clip-id:120-480" (inclusive source frames). */
function parseClipOption(text: string): BundleClipRequest {
  const m = /^(.+?)(?::(\d+)-(\d+))?$/.exec(text);
  if (!m) throw new UsageError(`--clip must be <id> or <id>:<first>-<last>, not '${text}'`);
  if (m[2] === undefined) return { clipId: m[1]! };
  const startFrame = Number(m[2]);
  const endFrame = Number(m[3]);
  if (endFrame < startFrame) throw new UsageError(`--clip ${text}: the trim must end at or after it starts`);
  return { clipId: m[1]!, trim: { startFrame, endFrame } };
}
