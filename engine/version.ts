import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The tool's name and version, as recorded in every report. Read from package.json once. */
function readVersion(): string {
  // Compiled files live one level deeper (dist/engine) than the sources (engine).
  for (const rel of ['..', '../..']) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, rel, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'evidence-redactor' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0-unknown';
}

export const TOOL_NAME = 'evidence-redactor';
export const TOOL_VERSION = readVersion();
