import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DECISION_COLOURS, SELECTED_COLOUR } from '../../renderer/editor/decision-colours';
import { checkPairs, contrastRatio, over, parseColour, Sheet, type Pair } from '../helpers/css-contrast';

/**
 * WCAG 2.1 AA contrast of the app's colours (issue 20), read from the renderer's style sheet itself:
 * text at least 4.5:1 on what it is shown on; focus rings, field borders, the splitter and the decision
 * colours at least 3:1 against what surrounds them. Disabled controls are exempt (WCAG 1.4.3).
 */
const sheet = new Sheet(readFileSync(join(__dirname, '..', '..', 'renderer', 'styles.css'), 'utf8'));

const BODY: [string, string] = ['body', 'background'];
const PANEL: [string, string] = ['button', 'background'];
const MODAL: [string, string] = ['.modal', 'background'];
const CARD: [string, string] = ['.card', 'background'];

const TEXT: Pair[] = [
  { what: 'text on the page', fg: ['body', 'color'], bg: BODY, min: 4.5 },
  { what: 'muted text on the page', fg: ['.muted', 'color'], bg: BODY, min: 4.5 },
  { what: 'muted text on a card', fg: ['.muted', 'color'], bg: CARD, min: 4.5 },
  { what: 'muted text on a chosen card', fg: ['.muted', 'color'], bg: ['.card.chosen', 'background'], min: 4.5 },
  { what: 'muted text in a dialog', fg: ['.muted', 'color'], bg: MODAL, min: 4.5 },
  { what: 'a job\'s progress', fg: ['.job', 'color'], bg: BODY, min: 4.5 },
  { what: 'button text', fg: ['button', 'color'], bg: PANEL, min: 4.5 },
  { what: 'a primary or active button', fg: ['button.primary', 'color'], bg: ['button.primary', 'background'], min: 4.5 },
  { what: 'a danger button', fg: ['button.danger', 'color'], bg: PANEL, min: 4.5 },
  { what: 'a link button on the page', fg: ['button.link', 'color'], bg: BODY, min: 4.5 },
  { what: 'the timecode under the player', fg: ['button.timecode', 'color'], bg: ['.stage', 'background'], min: 4.5 },
  { what: 'a field\'s text', fg: ['input', 'color'], bg: ['input', 'background'], min: 4.5 },
  { what: 'an error', fg: ['body', 'color'], bg: ['.error', 'background'], min: 4.5 },
  { what: 'a warning', fg: ['body', 'color'], bg: ['.warning', 'background'], min: 4.5 },
  { what: 'a notice', fg: ['body', 'color'], bg: ['.notice', 'background'], min: 4.5 },
  { what: 'a leak alert', fg: ['body', 'color'], bg: ['.leak-check.alert', 'background'], min: 4.5 },
  { what: 'the export done line', fg: ['.done', 'color'], bg: MODAL, min: 4.5 },
  { what: 'export warnings', fg: ['.done .export-warnings', 'color'], bg: ['.done .export-warnings', 'background'], min: 4.5 },
  { what: 'the export summary\'s headings', fg: ['.export-summary th', 'color'], bg: MODAL, min: 4.5 },
  { what: 'a case due for deletion', fg: ['.retention.due', 'color'], bg: BODY, min: 4.5 },
  { what: 'a due case in the list', fg: ['body', 'color'], bg: ['.case-items li.due', 'background'], min: 4.5 },
  { what: 'the active clip', fg: ['button', 'color'], bg: ['.clip.active', 'background'], min: 4.5 },
  { what: 'an undecided badge', fg: ['.badge', 'color'], bg: ['.badge.proposed', 'background'], min: 4.5 },
  { what: 'a redact badge', fg: ['.badge', 'color'], bg: ['.badge.redact', 'background'], min: 4.5 },
  { what: 'a keep badge', fg: ['.badge', 'color'], bg: ['.badge.keep', 'background'], min: 4.5 },
  { what: 'a same-person suggestion on a card', fg: ['.card-line.suggest', 'color'], bg: CARD, min: 4.5 },
  { what: 'a same-person suggestion on a chosen card', fg: ['.card-line.suggest', 'color'], bg: ['.card.chosen', 'background'], min: 4.5 },
  { what: 'the lane labels\' heading', fg: ['.lane-labels-head span', 'color'], bg: ['.lane-labels', 'background'], min: 4.5 },
  { what: 'a lane label', fg: ['button', 'color'], bg: ['.lane-labels', 'background'], min: 4.5 },
  { what: 'the selected lane label', fg: ['button', 'color'], bg: ['.lane-label.selected', 'background'], min: 4.5 },
];

const FOCUS = ['button:focus-visible', 'outline'] as [string, string];
const NON_TEXT: Pair[] = [
  { what: 'the focus ring on the page', fg: FOCUS, bg: BODY, min: 3 },
  { what: 'the focus ring on a panel', fg: FOCUS, bg: PANEL, min: 3 },
  { what: 'the focus ring in a dialog', fg: FOCUS, bg: MODAL, min: 3 },
  { what: 'the card list\'s focus ring', fg: ['.cards:focus-visible', 'outline'], bg: BODY, min: 3 },
  { what: 'the focused card\'s ring', fg: ['.card.focused', 'outline'], bg: BODY, min: 3 },
  { what: 'a chosen card\'s border', fg: ['.card.chosen', 'border-color'], bg: BODY, min: 3 },
  { what: 'a field\'s border on the page', fg: ['input', 'border'], bg: BODY, min: 3 },
  { what: 'a field\'s border on a panel', fg: ['input', 'border'], bg: PANEL, min: 3 },
  { what: 'a field\'s border in a dialog', fg: ['input', 'border'], bg: MODAL, min: 3 },
  { what: 'the timeline splitter', fg: ['.splitter', 'background'], bg: BODY, min: 3 },
  { what: 'an undecided card\'s edge', fg: ['.card.proposed', 'border-left-color'], bg: BODY, min: 3 },
  { what: 'a redact card\'s edge', fg: ['.card.redact', 'border-left-color'], bg: BODY, min: 3 },
  { what: 'a keep card\'s edge', fg: ['.card.keep', 'border-left-color'], bg: BODY, min: 3 },
  { what: 'the leak check passed', fg: ['.leak-check.ok', 'border'], bg: BODY, min: 3 },
  { what: 'the leak check alert', fg: ['.leak-check.alert', 'border'], bg: ['.leak-check.alert', 'background'], min: 3 },
];

describe('WCAG AA contrast of the style sheet', () => {
  it('text: at least 4.5:1', () => {
    const failed = checkPairs(sheet, TEXT).filter((r) => !r.ok);
    expect(failed, 'pairs under 4.5:1').toEqual([]);
  });

  it('focus rings, field borders, the splitter and decision edges: at least 3:1', () => {
    const failed = checkPairs(sheet, NON_TEXT).filter((r) => !r.ok);
    expect(failed, 'pairs under 3:1').toEqual([]);
  });

  it('the overlay and timeline colours (decision colours, the selection) stand 3:1 from the timeline and the dark video surround', () => {
    const timeline = parseColour('#15171a')!;
    const stage = sheet.colour('.stage', 'background');
    for (const c of [...Object.values(DECISION_COLOURS), SELECTED_COLOUR])
      for (const bg of [timeline, stage]) expect(contrastRatio(parseColour(c)!, bg), c).toBeGreaterThanOrEqual(3);
  });

  // Labels drawn over a picture on a translucent plate: checked over the worst pictures, white and black.
  const OVER_PICTURES = ['.card .crop .kind'];
  it('text on a translucent plate over a picture: at least 4.5:1 whatever the picture', () => {
    for (const selector of OVER_PICTURES) {
      for (const picture of ['#ffffff', '#000000']) {
        const plate = over(sheet.colour(selector, 'background'), parseColour(picture)!);
        expect(contrastRatio(sheet.colour(selector, 'color'), plate), `${selector} over ${picture}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('every rule that sets a text colour is checked', () => {
    const checked = new Set([...TEXT.map((p) => p.fg[0]), ...OVER_PICTURES]);
    // Rules whose colour is the same token as a checked one on the same backgrounds.
    const sameAs: Record<string, string> = { 'button.active': 'button.primary', select: 'input' };
    const unchecked = sheet.rules
      .filter((r) => !r.media && r.decls.has('color'))
      .flatMap((r) => r.selectors)
      .filter((s) => !checked.has(s) && !(s in sameAs && checked.has(sameAs[s]!)));
    expect(unchecked).toEqual([]);
    // …and those aliases really share the colour.
    for (const [s, as] of Object.entries(sameAs)) expect(sheet.value(s, 'color')).toBe(sheet.value(as, 'color'));
  });
});

describe('the contrast check itself', () => {
  it('computes the WCAG ratios: 21:1 for black on white, 1:1 for equal colours, 4.48:1 for #777 on white', () => {
    expect(contrastRatio(parseColour('#000')!, parseColour('#fff')!)).toBeCloseTo(21, 5);
    expect(contrastRatio(parseColour('#3e9bff')!, parseColour('#3e9bff')!)).toBeCloseTo(1, 5);
    expect(contrastRatio(parseColour('#777777')!, parseColour('#ffffff')!)).toBeCloseTo(4.48, 2);
  });

  it('fails a bad pair, read through custom properties and shorthands', () => {
    const bad = new Sheet(':root { --fg: #777777; --bg: #ffffff; } .x { color: var(--fg); background: var(--bg) url(a.png); } .y { border: 1px solid #ddd; }');
    const [text, border] = checkPairs(bad, [
      { what: 'grey on white', fg: ['.x', 'color'], bg: ['.x', 'background'], min: 4.5 },
      { what: 'light border', fg: ['.y', 'border'], bg: ['.x', 'background'], min: 3 },
    ]);
    expect(text).toMatchObject({ ok: false, ratio: 4.48 });
    expect(border!.ok).toBe(false);
    expect(() => bad.colour('.z', 'color')).toThrow(/no color/);
  });
});
