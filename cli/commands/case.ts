import { checkOutputPath } from '../../engine/export/output-file';
import { statSync } from 'node:fs';
import { detectVideo } from '../../engine/detect/detect-video';
import { YUNET_N } from '../../engine/detect/model-file';
import { PPOCR_V4_DET } from '../../engine/text/model';
import { appendEvent, chainHead } from '../../common/audit-chain';
import { detectionEditLabel, regionsAddedEdit } from '../../common/trail-replay';
import { clipPath, newCase, readCaseFile, verifyCase, writeCaseFile } from '../../engine/case/case-file';
import { caseWorkKey } from '../../common/case-work-key';
import { appendDeletionLog, defaultAppDataDir, DELETION_LOG_NAME, purgeCaseWork } from '../../engine/case/work-files';
import { join } from 'node:path';
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
  'redactor case new <video>... -o <case.json> --reference <ref> [--user NAME] [--detect [--find faces,text] [--every N] [--threshold T]]\n' +
  '  redactor case verify <case.json> [--json]\n' +
  '  redactor case purge <case.json> [--data-dir DIR] [--user NAME]';

/** Case files: create one from videos (optionally with face and text proposals), and verify one. */
export async function run(args: string[], ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'new') return create(rest, ctx);
  if (sub === 'verify') return verify(rest, ctx);
  if (sub === 'purge') return purge(rest, ctx);
  throw new UsageError(sub ? `unknown case command '${sub}' (new, verify, purge)` : 'missing case command (new, verify, purge)');
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
  // Checked before the clips are hashed: a bad option must not wait behind minutes of work.
  const settings = values.detect ? detectSettingsFrom(values) : undefined;
  const created = await newCase({ reference: values.reference.trim(), title: values.title, videos: positionals, user, signal: ctx.signal });
  if (settings) {
    for (const clip of created.clips) {
      const probed = await probe(clipPath(values.output, clip), ctx.signal);
      const found = await detectVideo(probed, { settings, signal: ctx.signal, onProgress: ctx.progress.forJob(`detecting ${clip.name}`) });
      ctx.progress.done();
      clip.plan = { ...clip.plan, tracks: found.tracks };
      created.audit = await appendEvent(created.audit, {
        type: 'detection',
        user,
        toolVersion: TOOL_VERSION,
        payload: {
          clipId: clip.id,
          model: found.detector,
          modelSha256: YUNET_N.sha256,
          ...(found.textDetector ? { textModelSha256: PPOCR_V4_DET.sha256 } : {}),
          find: found.settings.find,
          settings: found.settings,
          tracks: found.tracks.length,
        },
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
    for (const c of saved.clips) ctx.stdout.write(`${c.id}: ${c.name} sha256 ${c.sha256}${values.detect ? `, ${countOf(c.plan.tracks.length, 'proposal')}` : ''}\n`);
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

/**
 * Removes the working files the app made for a case (its folder under the app's data folder: playable
 * copies), for scripted clean-ups, and records it in the app's deletion log. The case file, the
 * originals and the exports are never touched.
 */
async function purge(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { 'data-dir': { type: 'string' }, user: { type: 'string' } });
  const casePath = onePositional(positionals, 'case file');
  const caseFile = readCaseFile(casePath);
  const first = caseFile.audit[0];
  if (!first) throw new UserError('plan', `${casePath} has no audit trail: no working files can be named by it`);
  const dataDir = values['data-dir'] ?? defaultAppDataDir();
  const key = caseWorkKey(first.hash);
  const removed = purgeCaseWork(dataDir, key);
  appendDeletionLog(dataDir, {
    action: 'purged',
    caseReference: caseFile.reference,
    caseKey: key,
    at: new Date().toISOString(),
    by: values.user?.trim() || defaultOperator(),
    auditHead: chainHead(caseFile.audit),
    workingFiles: { files: removed.files, bytes: removed.bytes },
  });
  if (ctx.json) writeJson(ctx, { case: caseFile.reference, folder: removed.dir, files: removed.files, bytes: removed.bytes });
  else ctx.stdout.write(`case ${caseFile.reference}: removed ${countOf(removed.files, 'working file')} (${removed.bytes} bytes) from ${removed.dir}; recorded in ${join(dataDir, DELETION_LOG_NAME)}\n`);
  return EXIT.ok;
}
