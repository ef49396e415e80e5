import { describe, expect, it } from 'vitest';
import { type Box, intersection, area } from '../../common/geometry';
import { DEFAULT_REASONS } from '../../common/reasons';
import type { TextLine } from '../../engine/text/text-detection';
import { REGION_DEFAULTS, growRegion, joinLines, suggestReason, textRegions } from '../../engine/text/text-regions';

/** A horizontal line of characters: its box, with the box's height as its thickness. */
const line = (x: number, y: number, w: number, h: number, score = 0.8): TextLine => ({ box: { x, y, w, h }, score, length: w, thickness: h });
const covered = (box: Box, plate: Box) => area(intersection(box, plate) ?? { x: 0, y: 0, w: 0, h: 0 }) / area(plate);

describe('joining pieces of a line', () => {
  it('joins pieces side by side with a gap under a thickness, and nothing else', () => {
    const a = line(100, 100, 60, 20); // "CF 691"
    const b = line(175, 101, 30, 19); // "BN", 15 px (0.75 thickness) further on
    const far = line(300, 100, 60, 20); // 95 px further: another piece of text
    const below = line(100, 140, 60, 20); // 20 px below: the next line of something else
    const small = line(210, 104, 20, 8); // much thinner text beside the plate
    const groups = joinLines([a, b, far, below, small], 1);
    expect(groups.map((g) => g.length).sort()).toEqual([1, 1, 1, 2]);
    expect(groups.find((g) => g.length === 2)).toEqual(expect.arrayContaining([a, b]));
  });
});

describe('growing the characters to the plate', () => {
  it('grows by multiples of the thickness and stays in the frame', () => {
    const g = growRegion({ x: 10, y: 50, w: 100, h: 20 }, 20, { growSides: 0.5, growAbove: 0.25, growBelow: 1 }, 115, 200);
    expect(g).toEqual({ x: 0, y: 45, w: 115, h: 45 });
  });

  it('covers at least 80% of a plate whose characters alone cover less, with the measured defaults', () => {
    // A UK plate 520 × 111 mm at 30 px tall: characters 79 mm tall, with margins around them.
    const plate: Box = { x: 200, y: 300, w: 140, h: 30 };
    const chars = line(212, 305, 112, 22); // the model's (unclipped) line of characters
    expect(covered(chars.box, plate)).toBeLessThan(0.8);
    const [region] = textRegions([chars], 1920, 1080);
    expect(covered(region!.box, plate)).toBeGreaterThanOrEqual(0.8);
    // Grown, not blown up: under three times the plate's area.
    expect(area(region!.box)).toBeLessThan(3 * area(plate));
  });
});

describe('suggested reason by shape', () => {
  const p = REGION_DEFAULTS;
  it('suggests vehicle registration for a short wide line and personal data for other text', () => {
    expect(suggestReason([line(0, 0, 100, 22)], p)).toBe('vehicle-registration'); // 7 characters
    expect(suggestReason([line(0, 0, 60, 20), line(70, 0, 30, 20)], p)).toBe('vehicle-registration'); // a plate in two pieces
    expect(suggestReason([line(0, 0, 400, 20)], p)).toBe('personal-data-visual'); // a sentence
    expect(suggestReason([line(0, 0, 20, 20)], p)).toBe('personal-data-visual'); // one mark
  });

  it('suggests personal data for a block of lines, whatever their length', () => {
    const block = joinLines([line(0, 0, 90, 20), line(5, 26, 80, 20)], 1); // an address: two short lines
    expect(block).toHaveLength(1);
    expect(suggestReason(block[0]!, p)).toBe('personal-data-visual');
  });

  it('suggests only codes from the default list of reasons', () => {
    const codes = DEFAULT_REASONS.map((r) => r.code);
    expect(codes).toContain('vehicle-registration');
    expect(codes).toContain('personal-data-visual');
    for (const r of textRegions([line(0, 0, 100, 22), line(0, 200, 500, 22)], 1920, 1080)) expect(codes).toContain(r.reason);
  });
});

describe('lines too thick to be text', () => {
  // A line's length as given: the rectangle's long side, not its box (a head reads as a tilted blob).
  const blob = (x: number, y: number, w: number, h: number, length: number, thickness: number): TextLine => ({ box: { x, y, w, h }, score: 0.95, length, thickness });

  it('proposes no line over a tenth of the frame thick and shorter than twice its thickness (a face or head read as one "line")', () => {
    const head = blob(560, 70, 248, 190, 221, 123); // as the model gave on a 720p face clip: 1.8 thicknesses long
    const face = blob(0, 300, 200, 319, 306, 191); // 1.6, apart from the rest
    const plate = line(300, 400, 355, 114, 0.99); // a close plate's characters, 114 px thick, 3.1 long
    const found = textRegions([head, face, plate], 1280, 720);
    expect(found).toHaveLength(1);
    expect(found[0]!.lines).toEqual([plate]);
    // Either setting off brings them back.
    expect(textRegions([head, face], 1280, 720, { thickMinAspect: 0 })).toHaveLength(2);
    expect(textRegions([head, face], 1280, 720, { thickFraction: 1 })).toHaveLength(2);
  });

  it('judges joined pieces by their span: a close plate read in two short pieces stays', () => {
    const left = line(300, 400, 170, 100); // "41", 1.7 thicknesses
    const right = line(500, 402, 190, 98); // "RS-TZ", 1.9, 30 px further on
    const found = textRegions([left, right], 1280, 720);
    expect(found).toHaveLength(1);
    expect(found[0]!.lines).toHaveLength(2);
    // Apart (too far to join), each is too short for its thickness.
    expect(textRegions([left, line(900, 402, 190, 98)], 1280, 720)).toEqual([]);
  });

  it('keeps short lines that are thin: a plate\'s piece, a single mark', () => {
    const piece = line(175, 101, 30, 19); // "BN", 1.6 thicknesses long, 19 px on a 720p frame
    expect(textRegions([piece], 1280, 720)).toHaveLength(1);
  });
});
