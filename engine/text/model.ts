import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors';
import { readVerifiedModel } from '../detect/model-file';

/**
 * The vendored text model and its fingerprint (models/README.md). As with the face model, text
 * proposals go into an evidential record, so the model is named by hash and any other file is refused.
 */
export const PPOCR_V4_DET = Object.freeze({
  name: 'ppocrv4-det',
  fileName: 'ch_PP-OCRv4_det_infer.onnx',
  sha256: '30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff',
});

/** "ppocrv4-det@30a86f57": the name plus the first 8 hex digits of the file's SHA-256. */
export const TEXT_MODEL_ID = `${PPOCR_V4_DET.name}@${PPOCR_V4_DET.sha256.slice(0, 8)}`;

/** The nearest `models/` folder above this module holding the text model (works from sources and from dist/). */
export function defaultTextModelPath(): string {
  for (let dir = __dirname; ; ) {
    const candidate = join(dir, 'models', PPOCR_V4_DET.fileName);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new UserError('tool', `The text model ${PPOCR_V4_DET.fileName} was not found above ${__dirname}.`);
    dir = parent;
  }
}

/** The model's bytes, refused (ModelIntegrityError) unless their SHA-256 is the recorded one. */
export function readVerifiedTextModel(path: string): Uint8Array {
  try {
    return readVerifiedModel(path, PPOCR_V4_DET.sha256);
  } catch (err) {
    // model-file.ts words its errors for the face model; say which model it is.
    if (err instanceof UserError) {
      throw new UserError('tool', err.message.replace(/\bface model\b/g, 'text model'), { cause: err });
    }
    throw err;
  }
}
