import { type ModelFile, defaultModelPath, modelIdentity } from '../detect/model-file';

/**
 * The vendored text model and its fingerprint (models/README.md). As with the face model, text
 * proposals go into an evidential record, so the model is named by hash and any other file is refused
 * (`readVerifiedModel` in engine/detect/model-file.ts).
 */
export const PPOCR_V4_DET: ModelFile = Object.freeze({
  name: 'ppocrv4-det',
  fileName: 'ch_PP-OCRv4_det_infer.onnx',
  sha256: '30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff',
});

/** "ppocrv4-det@30a86f57": the name plus the first 8 hex digits of the file's SHA-256. */
export const TEXT_MODEL_ID = modelIdentity(PPOCR_V4_DET);

/** The nearest `models/` folder above this module holding the text model (works from sources and from dist/). */
export function defaultTextModelPath(): string {
  return defaultModelPath(PPOCR_V4_DET);
}
