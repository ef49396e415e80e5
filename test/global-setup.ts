import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildRenderer } from './e2e/build-renderer';

const run = promisify(execFile);

/**
 * The command-line tests run the compiled `redactor` and the end-to-end tests load the built
 * renderer, so build both once before any test starts. The whole tree (tests, renderer) is
 * type-checked too, so a type error anywhere fails `npm test` and CI, not only the build.
 */
export default async function setup(): Promise<void> {
  const root = join(__dirname, '..');
  const tsc = (project: string) =>
    run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, project)]).catch((e: { stdout?: string; stderr?: string }) => {
      throw new Error(`type check of ${project} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    });
  await Promise.all([tsc('tsconfig.node.json'), tsc('tsconfig.json'), tsc('tsconfig.renderer.json')]);
  await buildRenderer(root);
}
