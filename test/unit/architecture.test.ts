import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The process split, enforced: each folder may import only from the folders listed for it
 * (ARCHITECTURE.md). A renderer file importing the engine, or the domain model importing Node,
 * fails here.
 */
const ROOT = resolve(__dirname, '..', '..');
const RULES: Record<string, { folders: string[]; node: boolean; packages: RegExp }> = {
  common: { folders: ['common'], node: false, packages: /^zod$/ },
  engine: { folders: ['common', 'engine'], node: true, packages: /^(zod|onnxruntime-node)$/ },
  cli: { folders: ['common', 'engine', 'cli'], node: true, packages: /^$/ },
  electron: { folders: ['common', 'engine', 'electron'], node: true, packages: /^(electron|zod)$/ },
  renderer: { folders: ['common', 'renderer'], node: false, packages: /^(react|react-dom|react-dom\/client|dexie|zod)$/ },
};

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    specs.push((m[1] ?? m[2] ?? m[3])!);
  }
  return specs;
}

describe('process split', () => {
  for (const [folder, rule] of Object.entries(RULES)) {
    it(`${folder}/ imports only what it may`, () => {
      const violations: string[] = [];
      for (const file of sourceFiles(join(ROOT, folder))) {
        for (const spec of importsOf(file)) {
          const where = relative(ROOT, file);
          if (spec.startsWith('.')) {
            const target = relative(ROOT, resolve(file, '..', spec)).split(sep)[0]!;
            if (!rule.folders.includes(target)) violations.push(`${where} imports ${spec} (${target}/)`);
          } else if (spec.startsWith('node:')) {
            if (!rule.node) violations.push(`${where} imports ${spec} (Node built-in)`);
          } else if (!rule.packages.test(spec)) {
            violations.push(`${where} imports package ${spec}`);
          }
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it('the domain model does not use Node globals', () => {
    const offenders = sourceFiles(join(ROOT, 'common')).filter((f) => /\b(process|Buffer|require|__dirname)\b/.test(readFileSync(f, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
