import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The command-line tests run the compiled `redactor`, so build it once before any test starts. */
export default function setup(): void {
  const root = join(__dirname, '..');
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.node.json')], {
    stdio: 'inherit',
  });
}
