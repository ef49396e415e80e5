import type { Box } from '../../common/geometry';

/** A face found in a picture: top-left corner, size, and the model's confidence in [0, 1]. */
export interface Detection extends Box {
  score: number;
  /**
   * Five landmarks as x, y pairs in the same pixels as the box: right eye, left eye, nose tip, right
   * and left mouth corner (the subject's right and left). Absent where a detection was not made by
   * the model (tests, content following).
   */
  landmarks?: readonly number[];
  /** Reason code the detection suggests for its track (text: by the region's shape); the tracker's default when absent. */
  reason?: string;
}

/** An RGB24 picture: `data` holds width × height × 3 bytes, rows top to bottom, no padding. */
export interface RgbFrame {
  width: number;
  height: number;
  data: Uint8Array;
}
