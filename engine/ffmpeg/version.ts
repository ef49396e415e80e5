import { runFfmpeg } from './run';
import { tool, type MediaTool } from './resolve';

const versions = new Map<string, string>();

/** First line of `ffmpeg -version`, e.g. "ffmpeg version 5.1.8-0+deb12u1", for reports. */
export async function toolVersion(name: MediaTool = 'ffmpeg'): Promise<{ path: string; from: string; version: string }> {
  const resolved = tool(name);
  let version = versions.get(resolved.path);
  if (!version) {
    const out = await runFfmpeg({ tool: name, args: ['-hide_banner', '-version'] }).done;
    version = out.stdout.toString('utf8').split('\n')[0]?.trim() ?? 'unknown';
    versions.set(resolved.path, version);
  }
  return { path: resolved.path, from: resolved.from, version };
}
