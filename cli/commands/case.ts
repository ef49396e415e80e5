import { checkOutputPath } from '../../engine/export/output-file';
import { statSync } from 'node:fs';
import { detectVideo } from '../../engine/detect/detect-video';
import { YUNET_N } from '../../engine/detect/model-file';
import { appendEvent } from '../../common/audit-chain';
import { detectionEditLabel, regionsAddedEdit } from '../../common/trail-replay';
import { clipPath, newCase, verifyCase, writeCaseFile } from '../../engine/case/case-file';
import { UserError } from '../../engine/errors';
import { probe } from '../../engine/media/probe';
import { defaultOperator } from '../../engine/report/evidence';
import { TOOL_VERSION } from '../../engine/version';
import { EXIT } from '../exit-codes';
import { UsageError, writeJson, type CommandContext } from '../context';
import { DETECT_OPTIONS, detectSettingsFrom } from '../detect-options';
import { onePositional, parseCommandArgs } from '../options';
import { countOf } from '../../common/count-of';

export const usage =
  'redactor case new <video>... -o <case.json> --reference <ref> [--user NAME] [--detect [--every N] [--threshold T]]\n' +
  '  redactor case verify <case.json> [--json]';

/** Case files: create one from videos (optionally with face proposals), and verify one. */
export async function run(args: string[], ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'new') return create(rest, ctx);
  if (sub === 'verify') return verify(rest, ctx);
  throw new UsageError(sub ? `unknown case command '${sub}' (new, verify)` : 'missing case command (new, verify)');
}

async function create(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    output: { type: 'string', short: 'o' },
    reference: { type: 'string' },
    title: { type: 'string' },
    user: { type: 'string' },
    detect: { type: 'boolean' },
    ...DETECT_OPTIONS,
  });
  if (!positionals.length) throw new UsageError('missing <video>');
  if (!values.output) throw new UsageError('missing -o <case.json>');
  if (!values.reference?.trim()) throw new UsageError('missing --reference <case reference>');
  if (existsQuiet(values.output)) throw new UserError('output', `${values.output} already exists: a case file is never overwritten`);
  checkOutputPath(values.output, { protect: positionals });
  const user = values.user?.trim() || defaultOperator();
  const created = await newCase({ reference: values.reference.trim(), title: values.title, videos: positionals, user, signal: ctx.signal });
  if (values.detect) {
    const settings = detectSettingsFrom(values);
    for (const clip of created.clips) {
      const probed = await probe(clipPath(values.output, clip), ctx.signal);
      const found = await detectVideo(probed, { settings, signal: ctx.signal, onProgress: ctx.progress.forJob(`detecting ${clip.name}`) });
      ctx.progress.done();
      clip.plan = { ...clip.plan, tracks: found.tracks };
      created.audit = await appendEvent(created.audit, {
        type: 'detection',
        user,
        toolVersion: TOOL_VERSION,
        payload: { clipId: clip.id, model: found.detector, modelSha256: YUNET_N.sha256, settings: found.settings, tracks: found.tracks.length },
      });
      // The proposals themselves, as the app records adding them: the trail accounts for every region.
      created.audit = await appendEvent(created.audit, {
        type: 'edit',
        user,
        toolVersion: TOOL_VERSION,
        payload: regionsAddedEdit(clip.id, detectionEditLabel(found.tracks.length), { tracks: found.tracks, audio: [] }),
      });
    }
  }
  const saved = writeCaseFile(values.output, created, { protect: positionals });
  if (ctx.json) writeJson(ctx, { case: values.output, reference: saved.reference, clips: saved.clips.map((c) => ({ id: c.id, sha256: c.sha256, tracks: c.plan.tracks.length })), auditHead: saved.auditHead });
  else {
    for (const c of saved.clips) ctx.stdout.write(`${c.id}: ${c.name} sha256 ${c.sha256}${values.detect ? `, ${c.plan.tracks.length} face proposals` : ''}\n`);
    ctx.stdout.write(`wrote case ${saved.reference} to ${values.output} (${countOf(saved.clips.length, 'clip')}, ${countOf(saved.audit.length, 'audit event')})\n`);
  }
  return EXIT.ok;
}

async function verify(args: string[], ctx: CommandContext): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  const path = onePositional(positionals, 'case file');
  const result = await verifyCase(path, { signal: ctx.signal });
  printCaseVerification(ctx, path, result);
  return result.ok ? EXIT.ok : EXIT.verify;
}

export function printCaseVerification(ctx: CommandContext, path: string, result: Awaited<ReturnType<typeof verifyCase>>): void {
  if (ctx.json) {
    writeJson(ctx, { ok: result.ok, case: path, reference: result.caseFile.reference, checks: result.checks, chain: result.chain });
    return;
  }
  for (const c of result.checks) ctx.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}\n`);
  ctx.stdout.write(result.ok ? `intact: case ${result.caseFile.reference} matches its clips and its audit trail\n` : `NOT INTACT: case ${result.caseFile.reference} (see FAIL lines)\n`);
}

function existsQuiet(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
