/**
 * SSD anchors of MediaPipe's BlazeFace "back" (256×256) model.
 *
 * MediaPipe generates them with SsdAnchorsCalculator (num_layers 4, strides 16/32/32/32,
 * fixed_anchor_size, anchor_offset 0.5). Layers with the same stride share one grid, so the four
 * layers collapse into two grids: 16×16 cells × 2 anchors, then 8×8 cells × 6 anchors = 896. With
 * fixed_anchor_size every anchor is 1×1 (normalised), so only the centres matter. The Unity port
 * (Postprocess1Kernel.hlsl) walks the outputs the same way: row-major cells, anchors innermost.
 */

export const BLAZEFACE_INPUT_SIZE = 256;

export interface AnchorGrid {
  /** Pixels of the model input per grid cell. */
  stride: number;
  /** Anchors sharing each cell centre. */
  anchorsPerCell: number;
}

/** The model's two output heads, in output order (Identity/Identity_2, then Identity_1/Identity_3). */
export const BLAZEFACE_BACK_GRIDS: readonly AnchorGrid[] = [
  { stride: 16, anchorsPerCell: 2 },
  { stride: 32, anchorsPerCell: 6 },
];

export function anchorCount(grids: readonly AnchorGrid[] = BLAZEFACE_BACK_GRIDS, inputSize = BLAZEFACE_INPUT_SIZE): number {
  let n = 0;
  for (const g of grids) n += (inputSize / g.stride) ** 2 * g.anchorsPerCell;
  return n;
}

/**
 * Anchor centres in model-input pixels, interleaved [cx0, cy0, cx1, cy1, ...], in the order the
 * model's outputs list them (grid by grid; cells row by row, left to right; anchors of a cell
 * consecutive).
 */
export function generateAnchors(
  grids: readonly AnchorGrid[] = BLAZEFACE_BACK_GRIDS,
  inputSize = BLAZEFACE_INPUT_SIZE,
): Float32Array {
  const out = new Float32Array(anchorCount(grids, inputSize) * 2);
  let i = 0;
  for (const { stride, anchorsPerCell } of grids) {
    const cells = inputSize / stride;
    if (!Number.isInteger(cells)) throw new Error(`stride ${stride} does not divide input size ${inputSize}`);
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (let a = 0; a < anchorsPerCell; a++) {
          out[i++] = (x + 0.5) * stride;
          out[i++] = (y + 0.5) * stride;
        }
      }
    }
  }
  return out;
}
