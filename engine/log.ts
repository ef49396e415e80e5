/**
 * The engine's one logger. Every external command is logged here with its exact command line, so a
 * third party can repeat it. The CLI and the app choose where lines go; the default is silence.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogSink = (level: LogLevel, message: string) => void;

let sink: LogSink = () => {};

export function setLogSink(next: LogSink): void {
  sink = next;
}

export const log = {
  debug: (m: string) => sink('debug', m),
  info: (m: string) => sink('info', m),
  warn: (m: string) => sink('warn', m),
  error: (m: string) => sink('error', m),
};
