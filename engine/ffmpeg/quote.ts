import { resolve } from 'node:path';

/** Quotes one argument for a POSIX shell, so logged command lines can be pasted and re-run exactly. */
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(binary: string, args: readonly string[]): string {
  return [binary, ...args].map(shellQuote).join(' ');
}

/**
 * A file path as an ffmpeg input/output argument. The explicit `file:` protocol and an absolute path
 * mean no name can be read as an option ("-x.mp4") or another protocol ("concat:a|b", "http:…").
 */
export function fileArg(path: string): string {
  return `file:${resolve(path)}`;
}
