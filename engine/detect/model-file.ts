import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors';

/**
 * Vendored model files and their fingerprints. Detections go into an evidential record, so the exact
 * model that produced them is named by hash, and a model file that is not byte-for-byte the one
 * recorded here is refused rather than silently used. See models/README.md for provenance.
 */
export interface ModelFile {
  /** Short name used in records, e.g. "yunet-n". */
  name: string;
  /** File name under `models/`. */
  fileName: string;
  sha256: string;
}

export const YUNET_N: ModelFile = Object.freeze({
  name: 'yunet-n',
  fileName: 'yunet_n_dynamic.onnx',
  sha256: '104ee26c71d5c270ce79a6b3dced91c91013260d29a6bf18f9296c5b8c4c2b12',
});

/** "yunet-n@104ee26c": the name plus the first 8 hex digits of the file's SHA-256. */
export function modelIdentity(model: ModelFile = YUNET_N): string {
  return `${model.name}@${model.sha256.slice(0, 8).toLowerCase()}`;
}

export class ModelIntegrityError extends UserError {
  constructor(path: string, expected: string, actual: string) {
    super(
      'tool',
      `The model at ${path} is not the expected file (SHA-256 ${actual}, expected ${expected}). ` +
        'It may be damaged or replaced; reinstall the application to restore it.',
    );
    this.name = 'ModelIntegrityError';
  }
}

/**
 * The model shipped with the source tree: the nearest `models/` folder above this module, which works
 * both from the TypeScript sources and from the compiled `dist/` tree.
 */
export function defaultModelPath(model: ModelFile = YUNET_N): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'models', model.fileName);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new UserError('tool', `The model ${model.fileName} was not found above ${__dirname}.`);
    dir = parent;
  }
}

/**
 * Reads the model and checks its SHA-256. Returns the very bytes that were hashed, so the session is
 * built from what was verified (no window for the file to change in between).
 */
export function readVerifiedModel(path: string, expectedSha256: string = YUNET_N.sha256): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new UserError('tool', `The model could not be read from ${path}.`, { cause: err });
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== expectedSha256.toLowerCase()) throw new ModelIntegrityError(path, expectedSha256, actual);
  return bytes;
}
