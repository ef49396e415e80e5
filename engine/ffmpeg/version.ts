import { UserError } from '../errors';
import { FfmpegFailedError, runFfmpeg } from './run';
import { tool, type MediaTool } from './resolve';

const versions = new Map<string, string>();

/**
 * First line of `ffmpeg -version`, e.g. "ffmpeg version 5.1.8-0+deb12u1", for reports. A program that
 * does not answer as the tool does (a wrong setting or REDACTOR_FFMPEG) is refused as a tool error
 * here, before its output could be mistaken for a verdict on the footage.
 */
export async function toolVersion(name: MediaTool = 'ffmpeg'): Promise<{ path: string; from: string; version: string }> {
  const resolved = tool(name);
  let version = versions.get(resolved.path);
  if (!version) {
    let first = '';
    try {
      const out = await runFfmpeg({ tool: name, args: ['-hide_banner', '-version'] }).done;
      first = out.stdout.toString('utf8').split('\n')[0]?.trim() ?? '';
    } catch (err) {
      if (!(err instanceof FfmpegFailedError)) throw err;
    }
    if (!first.startsWith(`${name} version`)) {
      throw new UserError('tool', `${resolved.path} (${resolved.from}) does not answer as ${name} does${first ? ` (its -version says "${first.slice(0, 80)}")` : ''}: point the setting at ${name}, or unset it`);
    }
    version = first;
    versions.set(resolved.path, version);
  }
  return { path: resolved.path, from: resolved.from, version };
}
