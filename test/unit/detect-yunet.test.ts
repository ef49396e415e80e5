import { describe, expect, it } from 'vitest';
import { clipToFrame } from '../../engine/detect/detector';
import { YUNET_STRIDES, decodeYuNet, fillInput, inputGeometry, paddedSize, toFramePixels } from '../../engine/detect/yunet';

/** Model outputs for a padW × padH input with every cell at score 0, except the cells given. */
function outputs(padW: number, padH: number, cells: Array<{ stride: number; row: number; col: number; cls: number; obj: number; bbox: number[]; kps: number[] }>) {
  const out: Record<string, Float32Array> = {};
  for (const S of YUNET_STRIDES) {
    const n = (padW / S) * (padH / S);
    out[`cls_${S}`] = new Float32Array(n);
    out[`obj_${S}`] = new Float32Array(n);
    out[`bbox_${S}`] = new Float32Array(4 * n);
    out[`kps_${S}`] = new Float32Array(10 * n);
  }
  for (const c of cells) {
    const i = c.row * (padW / c.stride) + c.col;
    out[`cls_${c.stride}`]![i] = c.cls;
    out[`obj_${c.stride}`]![i] = c.obj;
    out[`bbox_${c.stride}`]!.set(c.bbox, 4 * i);
    out[`kps_${c.stride}`]!.set(c.kps, 10 * i);
  }
  return out;
}

describe('YuNet decoding', () => {
  it('decodes score, box and the five landmarks of a cell, as OpenCV FaceDetectorYN does', () => {
    // Stride 16, row 2, column 3 of a 96 × 64 input (6 columns): centre ((3 + 0.5)·16, (2 + 0.25)·16).
    const kps = [0.1, 0.2, 0.9, 0.2, 0.5, 0.6, 0.2, 0.9, 0.8, 0.9];
    const o = outputs(96, 64, [{ stride: 16, row: 2, col: 3, cls: 0.64, obj: 0.81, bbox: [0.5, 0.25, Math.log(2), Math.log(3)], kps }]);
    const [d, ...rest] = decodeYuNet(o, 96, 64, 0.5);
    expect(rest).toEqual([]);
    expect(d!.score).toBeCloseTo(Math.sqrt(0.64 * 0.81), 6); // 0.72
    expect(d!.w).toBeCloseTo(32, 4);
    expect(d!.h).toBeCloseTo(48, 4);
    expect(d!.x).toBeCloseTo(3.5 * 16 - 16, 4);
    expect(d!.y).toBeCloseTo(2.25 * 16 - 24, 4);
    const want = kps.map((v, k) => (k % 2 === 0 ? (3 + v) * 16 : (2 + v) * 16));
    d!.landmarks!.forEach((v, k) => expect(v).toBeCloseTo(want[k]!, 4));
  });

  it('clamps cls and obj to [0, 1] and drops cells below the threshold', () => {
    const o = outputs(64, 64, [
      { stride: 8, row: 0, col: 0, cls: 1.3, obj: 1, bbox: [0, 0, 0, 0], kps: new Array(10).fill(0) }, // score 1
      { stride: 32, row: 1, col: 1, cls: 0.2, obj: 0.2, bbox: [0, 0, 0, 0], kps: new Array(10).fill(0) }, // score 0.2
      { stride: 8, row: 7, col: 7, cls: -0.5, obj: 1, bbox: [0, 0, 0, 0], kps: new Array(10).fill(0) }, // score 0
    ]);
    const found = decodeYuNet(o, 64, 64, 0.3);
    expect(found.map((d) => d.score)).toEqual([1]);
    expect(decodeYuNet(o, 64, 64, 0.1).map((d) => d.score.toFixed(2))).toEqual(['1.00', '0.20']);
  });

  it('refuses outputs that do not match the input size', () => {
    const o = outputs(64, 64, []);
    expect(() => decodeYuNet(o, 96, 64, 0.5)).toThrow(/do not match a 96×64 input/);
  });
});

describe('YuNet input and mapping back to frame pixels', () => {
  it('pads each side up to a multiple of 32, per pass', () => {
    expect(paddedSize(720)).toBe(736);
    expect(paddedSize(1280)).toBe(1280);
    expect(inputGeometry(1280, 720, 1)).toEqual({ width: 1280, height: 720, padW: 1280, padH: 736 });
    expect(inputGeometry(1280, 720, 2)).toEqual({ width: 640, height: 360, padW: 640, padH: 384 });
    expect(inputGeometry(1919, 1079, 2)).toEqual({ width: 960, height: 540, padW: 960, padH: 544 });
  });

  it('fills BGR planes, averages shrink × shrink blocks and leaves the padding zero', () => {
    // 3 × 2 frame: red, green, blue / white, black, grey (10, 20, 30).
    const rgb = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 10, 20, 30]);
    const frame = { width: 3, height: 2, data: rgb };
    // A reused buffer: whatever it held, the padding comes out zero.
    const one = new Float32Array(3 * 32 * 32).fill(7);
    fillInput(frame, 1, one);
    const plane = 32 * 32;
    expect([one[0], one[plane], one[2 * plane]]).toEqual([0, 0, 255]); // red pixel as B, G, R
    expect([one[2], one[plane + 2], one[2 * plane + 2]]).toEqual([255, 0, 0]); // blue
    expect([one[32 + 2], one[plane + 32 + 2], one[2 * plane + 32 + 2]]).toEqual([30, 20, 10]);
    expect(one[3]).toBe(0); // padding right of the picture
    expect(one[2 * 32]).toBe(0); // padding below it
    expect(one[2 * plane + 31 * 32 + 31]).toBe(0); // the last value of the last plane
    const half = new Float32Array(3 * 32 * 32).fill(7);
    fillInput(frame, 2, half);
    // First block: red, green, white, black → R (255+0+255+0)/4, G (0+255+255+0)/4, B (0+0+255+0)/4.
    expect([half[0], half[plane], half[2 * plane]]).toEqual([63.75, 127.5, 127.5]);
    // Last block is the frame's last column only: blue over grey.
    expect([half[1], half[plane + 1], half[2 * plane + 1]]).toEqual([(255 + 30) / 2, (0 + 20) / 2, (0 + 10) / 2]);
    expect(() => fillInput(frame, 1, new Float32Array(10))).toThrow(/input buffer/);
  });

  it('shrinks an even-sided frame by 2 to the mean of each 2 × 2 block, as B, G, R planes', () => {
    const W = 70;
    const H = 38;
    const data = new Uint8Array(W * H * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37 + (i >> 7) * 11) % 256;
    const g = inputGeometry(W, H, 2);
    const half = new Float32Array(3 * g.padW * g.padH).fill(9);
    fillInput({ width: W, height: H, data }, 2, half);
    const plane = g.padW * g.padH;
    for (let y = 0; y < g.padH; y++) {
      for (let x = 0; x < g.padW; x++) {
        for (let c = 0; c < 3; c++) {
          // Plane 0 is blue: channel 2 of the RGB frame.
          const channel = 2 - c;
          let expected = 0;
          if (x < W / 2 && y < H / 2) {
            for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) expected += data[3 * ((2 * y + dy) * W + 2 * x + dx) + channel]! / 4;
          }
          expect(half[c * plane + y * g.padW + x]).toBeCloseTo(expected, 4);
        }
      }
    }
  });

  it('maps a detection of a shrunk pass back to frame pixels, landmarks too, and clips it to the frame', () => {
    const d = { x: 10, y: 20, w: 30, h: 40, score: 0.8, landmarks: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] };
    expect(toFramePixels(d, 2)).toEqual({ x: 20, y: 40, w: 60, h: 80, score: 0.8, landmarks: [2, 4, 6, 8, 10, 12, 14, 16, 18, 20] });
    expect(toFramePixels(d, 1)).toBe(d);
    expect(clipToFrame({ x: -10, y: 90, w: 40, h: 40, score: 1 }, 100, 100)).toEqual({ x: 0, y: 90, w: 30, h: 10, score: 1 });
    expect(clipToFrame({ x: 100, y: 0, w: 10, h: 10, score: 1 }, 100, 100)).toBeNull();
  });
});
