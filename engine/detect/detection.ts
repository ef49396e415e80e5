import type { Box } from '../../common/geometry';

/** A face found in a picture: top-left corner, size, and the model's confidence in [0, 1]. */
export interface Detection extends Box {
  score: number;
}

/** An RGB24 picture: `data` holds width × height × 3 bytes, rows top to bottom, no padding. */
export interface RgbFrame {
  width: number;
  height: number;
  data: Uint8Array;
}
