import { UserError } from '../engine/errors';
import { killAllRuns } from '../engine/ffmpeg/run';
import { setLogSink } from '../engine/log';
import { TOOL_VERSION } from '../engine/version';
import { UsageError, type CommandContext } from './context';
import { EXIT, exitCodeFor } from './exit-codes';
import { ProgressDisplay } from './progress-display';
import * as autoCommand from './commands/auto';
import * as bundleCommand from './commands/bundle';
import * as caseCommand from './commands/case';
import * as detectCommand from './commands/detect';
import * as exportCommand from './commands/export';
import * as planCommand from './commands/plan';
import * as probeCommand from './commands/probe';
import * as reportCommand from './commands/report';
import * as verifyCommand from './commands/verify';

interface Command {
  usage: string;
  run(args: string[], ctx: CommandContext): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  probe: probeCommand,
  plan: planCommand,
  export: exportCommand,
  verify: verifyCommand,
  detect: detectCommand,
  auto: autoCommand,
  report: reportCommand,
  case: caseCommand,
  bundle: bundleCommand,
};

function help(): string {
  return [
    `redactor ${TOOL_VERSION}: redact faces and audio in video, with a verifiable report.`,
    '',
    'usage:',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
    '',
    'Every command takes --json (machine-readable output), -q/--quiet (no progress) and --help (its usage).',
    'Exit codes: 0 ok, 1 internal error, 2 usage, 3 bad input, 4 bad plan or plan/source mismatch,',
    '            5 cannot write output, 6 ffmpeg missing or failed, 7 verification failed, 130 cancelled.',
  ].join('\n');
}

/** Runs the command line; returns the exit code. Never throws. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${TOOL_VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`redactor: unknown command '${name}' (try: redactor --help)\n`);
    return EXIT.usage;
  }
  // `redactor <command> --help`: the command's usage, before anything runs (options after `--` are arguments).
  const sep = rest.indexOf('--');
  if ((sep === -1 ? rest : rest.slice(0, sep)).some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(`usage: ${command.usage}\n`);
    return EXIT.ok;
  }
  const json = rest.includes('--json');
  const quiet = json || rest.includes('--quiet') || rest.includes('-q');
  if (process.env.REDACTOR_DEBUG) setLogSink((level, m) => process.stderr.write(`[${level}] ${m}\n`));

  const controller = new AbortController();
  const onSignal = () => controller.abort();
  // SIGHUP too: a closed terminal must cancel cleanly (nothing half-written), as Ctrl-C does.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.once(s, onSignal);
  const progress = new ProgressDisplay(process.stderr, quiet);
  const ctx: CommandContext = { stdout: process.stdout, stderr: process.stderr, progress, signal: controller.signal, json };
  try {
    return await command.run(rest, ctx);
  } catch (err) {
    progress.done();
    return reportError(err, command);
  } finally {
    for (const s of signals) process.off(s, onSignal);
    killAllRuns();
  }
}

/** One clear line on stderr; a stack trace only when REDACTOR_DEBUG is set. */
function reportError(err: unknown, command: Command): number {
  if (err instanceof UsageError) {
    process.stderr.write(err.options.withUsage === false ? `redactor: ${err.message}\n` : `redactor: ${err.message}\nusage: ${command.usage}\n`);
    return EXIT.usage;
  }
  if (err instanceof UserError) {
    process.stderr.write(`redactor: ${err.code === 'cancelled' ? '' : 'error: '}${err.message}\n`);
    return exitCodeFor(err.code);
  }
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  if (errno === 'ENOSPC' || errno === 'EFBIG' || errno === 'EDQUOT') {
    process.stderr.write('redactor: error: cannot write the output: the disk is full or a file size limit was reached. Free some space and run the job again\n');
    return EXIT.output;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`redactor: internal error: ${message} (set REDACTOR_DEBUG=1 for details, and please report it)\n`);
  if (process.env.REDACTOR_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return EXIT.internal;
}
