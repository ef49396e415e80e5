import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UserError } from '../errors';

export type MediaTool = 'ffmpeg' | 'ffprobe';

/** Where a binary was found, so reports and logs can say which build was used. */
export interface ResolvedTool {
  path: string;
  from: 'setting' | 'environment' | 'bundled' | 'path';
}

export class ToolNotFoundError extends UserError {
  constructor(readonly tool: MediaTool, tried: string[]) {
    super(
      'tool',
      `${tool} was not found (tried: ${tried.join(', ') || 'nothing'}). Install it (Debian/Ubuntu: "apt-get install ffmpeg"), ` +
        `or set ${envVariable(tool)} to the full path of the ${tool} executable.`,
    );
    this.name = 'ToolNotFoundError';
  }
}

export interface ResolveOptions {
  /** An explicit path from the user's settings; wins over everything else. */
  setting?: string;
  env?: NodeJS.ProcessEnv;
  /** Folder of binaries shipped with the packaged app (electron-builder extraResources). */
  bundledDir?: string;
  platform?: NodeJS.Platform;
}

export function envVariable(tool: MediaTool): string {
  return tool === 'ffmpeg' ? 'REDACTOR_FFMPEG' : 'REDACTOR_FFPROBE';
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Order: setting, then environment variable, then the bundled binary, then PATH. */
export function resolveTool(tool: MediaTool, options: ResolveOptions = {}): ResolvedTool {
  const env = options.env ?? process.env;
  const exe = (options.platform ?? process.platform) === 'win32' ? `${tool}.exe` : tool;
  const tried: string[] = [];
  const candidates: Array<[string | undefined, ResolvedTool['from']]> = [
    [options.setting, 'setting'],
    [env[envVariable(tool)], 'environment'],
    [options.bundledDir ? join(options.bundledDir, exe) : undefined, 'bundled'],
  ];
  for (const [path, from] of candidates) {
    if (!path) continue;
    tried.push(`${from} ${path}`);
    if (isExecutable(path)) return { path, from };
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, exe);
    if (existsSync(path) && isExecutable(path)) return { path, from: 'path' };
  }
  tried.push('PATH');
  throw new ToolNotFoundError(tool, tried);
}

const cache = new Map<MediaTool, ResolvedTool>();

/** The process-wide resolution, made once. Tests and the app may reset it after changing settings. */
export function tool(toolName: MediaTool): ResolvedTool {
  let found = cache.get(toolName);
  if (!found) {
    found = resolveTool(toolName, { bundledDir: process.env.REDACTOR_BUNDLED_BIN });
    cache.set(toolName, found);
  }
  return found;
}

export function resetToolCache(): void {
  cache.clear();
}

/**
 * The same search for other helper programs (Chromium for PDF printing): explicit candidates in
 * order, then each name on PATH. Null when none is found; the caller says what that means.
 */
export function resolveExecutable(explicit: ReadonlyArray<string | undefined>, names: readonly string[], env: NodeJS.ProcessEnv = process.env): string | null {
  for (const path of explicit) if (path && isExecutable(path)) return path;
  for (const name of names) {
    for (const dir of (env.PATH ?? '').split(delimiter)) {
      if (!dir) continue;
      const path = join(dir, name);
      if (existsSync(path) && isExecutable(path)) return path;
    }
  }
  return null;
}
