import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors';

/**
 * The vendored face model and its fingerprint. Detections go into an evidential record, so the exact
 * model that produced them is named by hash, and a model file that is not byte-for-byte the one
 * recorded here is refused rather than silently used. See models/README.md for provenance.
 */
export const BLAZEFACE_BACK_256 = Object.freeze({
  name: 'blazeface-back-256',
  fileName: 'blazeface-back-256.onnx',
  sha256: '427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2',
});

/** "blazeface-back-256@427cbbe0": the name plus the first 8 hex digits of the file's SHA-256. */
export function modelIdentity(sha256: string = BLAZEFACE_BACK_256.sha256): string {
  return `${BLAZEFACE_BACK_256.name}@${sha256.slice(0, 8).toLowerCase()}`;
}

export class ModelIntegrityError extends UserError {
  constructor(path: string, expected: string, actual: string) {
    super(
      'tool',
      `The face model at ${path} is not the expected file (SHA-256 ${actual}, expected ${expected}). ` +
        'It may be damaged or replaced; reinstall the application to restore it.',
    );
    this.name = 'ModelIntegrityError';
  }
}

/**
 * The model shipped with the source tree: the nearest `models/` folder above this module, which works
 * both from the TypeScript sources and from the compiled `dist/` tree.
 */
export function defaultModelPath(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'models', BLAZEFACE_BACK_256.fileName);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new UserError('tool', `The face model ${BLAZEFACE_BACK_256.fileName} was not found above ${__dirname}.`);
    dir = parent;
  }
}

/**
 * Reads the model and checks its SHA-256. Returns the very bytes that were hashed, so the session is
 * built from what was verified (no window for the file to change in between).
 */
export function readVerifiedModel(path: string, expectedSha256: string = BLAZEFACE_BACK_256.sha256): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new UserError('tool', `The face model could not be read from ${path}.`, { cause: err });
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== expectedSha256.toLowerCase()) throw new ModelIntegrityError(path, expectedSha256, actual);
  return bytes;
}
