import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildRenderer } from './e2e/build-renderer';

/**
 * The command-line tests run the compiled `redactor` and the end-to-end tests load the built
 * renderer, so build both once before any test starts.
 */
export default async function setup(): Promise<void> {
  const root = join(__dirname, '..');
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.node.json')], {
    stdio: 'inherit',
  });
  await buildRenderer(root);
}
