import type { Box } from '../../common/geometry';

/**
 * An RGB24 picture: `data` holds width × height × 3 bytes, rows top to bottom, no padding. The same
 * shape as the face detector's frame, so one decoded frame can go to both.
 */
export interface TextFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Reason codes (common/reasons.ts) a text region suggests by its shape. */
export type TextReason = 'vehicle-registration' | 'personal-data-visual';

/** A line of text found in a frame, in frame pixels, before growing it to what carries it. */
export interface TextLine {
  /** Axis-aligned bounds of the line of characters, clipped to the frame. */
  box: Box;
  /** Mean model probability over the line's region, in [0, 1]. */
  score: number;
  /** The line's extent along its writing direction and across it (character height), in frame pixels. */
  length: number;
  thickness: number;
}

/** A proposed text region: the box to redact (grown from the characters), its score and suggested reason. */
export interface TextDetection {
  box: Box;
  score: number;
  reason: TextReason;
  /** The characters' line(s) the box was grown from. */
  lines: TextLine[];
}
