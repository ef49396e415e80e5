/**
 * WCAG 2 contrast from a style sheet: colours are read from the sheet's own rules (custom properties
 * resolved from :root), so a colour changed in the CSS changes what the check sees. A small parser for
 * the app's plain sheet (rules, one level of @media), not a general CSS engine.
 */

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

export interface Rule {
  selectors: string[];
  decls: Map<string, string>;
  /** Inside an @media block. */
  media: boolean;
}

const NAMED: Record<string, string> = { white: '#ffffff', black: '#000000' };

/** #rgb, #rrggbb, rgb(), rgba() or white/black; null for anything else. */
export function parseColour(s: string): Rgba | null {
  const t = (NAMED[s.trim().toLowerCase()] ?? s).trim().toLowerCase();
  let m = /^#([0-9a-f]{3})$/.exec(t);
  if (m) {
    const [r, g, b] = m[1]!.split('').map((c) => parseInt(c + c, 16));
    return { r: r!, g: g!, b: b!, a: 1 };
  }
  m = /^#([0-9a-f]{6})$/.exec(t);
  if (m) return { r: parseInt(m[1]!.slice(0, 2), 16), g: parseInt(m[1]!.slice(2, 4), 16), b: parseInt(m[1]!.slice(4, 6), 16), a: 1 };
  m = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(t);
  if (m) return { r: Number(m[1]), g: Number(m[2]), b: Number(m[3]), a: m[4] === undefined ? 1 : Number(m[4]) };
  return null;
}

/** WCAG 2 relative luminance of an opaque colour. */
export function luminance(c: Rgba): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** `top` painted over the opaque `under`. */
export function over(top: Rgba, under: Rgba): Rgba {
  const a = top.a;
  return { r: top.r * a + under.r * (1 - a), g: top.g * a + under.g * (1 - a), b: top.b * a + under.b * (1 - a), a: 1 };
}

/** WCAG 2 contrast ratio (1 to 21) of a foreground over an opaque background. */
export function contrastRatio(fg: Rgba, bg: Rgba): number {
  const a = luminance(over(fg, bg));
  const b = luminance(bg);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/** The sheet's rules in order, with declarations by property (the last one wins, as in CSS). */
export function parseRules(css: string): Rule[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const rules: Rule[] = [];
  const block = (body: string, media: boolean) => {
    let i = 0;
    while (i < body.length) {
      const open = body.indexOf('{', i);
      if (open < 0) break;
      const head = body.slice(i, open).trim();
      if (head.startsWith('@')) {
        // Find the matching close of a nested block.
        let depth = 1;
        let j = open + 1;
        for (; j < body.length && depth; j++) depth += body[j] === '{' ? 1 : body[j] === '}' ? -1 : 0;
        block(body.slice(open + 1, j - 1), true);
        i = j;
        continue;
      }
      const close = body.indexOf('}', open);
      const decls = new Map<string, string>();
      for (const d of body.slice(open + 1, close).split(';')) {
        const colon = d.indexOf(':');
        if (colon > 0) decls.set(d.slice(0, colon).trim().toLowerCase(), d.slice(colon + 1).trim());
      }
      rules.push({ selectors: head.split(',').map((s) => s.trim().replace(/\s+/g, ' ')), decls, media });
      i = close + 1;
    }
  };
  block(text, false);
  return rules;
}

export class Sheet {
  readonly rules: Rule[];
  private readonly vars = new Map<string, string>();

  constructor(css: string) {
    this.rules = parseRules(css);
    for (const r of this.rules) if (r.selectors.includes(':root')) for (const [k, v] of r.decls) if (k.startsWith('--')) this.vars.set(k, v);
  }

  /** The value a property is given by rules naming exactly `selector` (outside @media; the last wins), var() resolved. */
  value(selector: string, prop: string): string | null {
    let found: string | null = null;
    for (const r of this.rules) {
      if (r.media || !r.selectors.includes(selector)) continue;
      const v = r.decls.get(prop) ?? (prop === 'background-color' ? r.decls.get('background') : prop === 'border-color' ? r.decls.get('border') : undefined);
      if (v !== undefined) found = v;
    }
    return found === null ? null : this.resolveVars(found);
  }

  /** The colour a property gives `selector` (the colour token in a shorthand such as `1px solid #333`). */
  colour(selector: string, prop: string): Rgba {
    const v = this.value(selector, prop);
    if (v === null) throw new Error(`no ${prop} for "${selector}" in the sheet`);
    const c = colourToken(v);
    if (!c) throw new Error(`no colour in ${prop}: ${v} for "${selector}"`);
    return c;
  }

  resolveVars(v: string): string {
    return v.replace(/var\((--[\w-]+)\)/g, (_, name: string) => {
      const got = this.vars.get(name);
      if (got === undefined) throw new Error(`undefined custom property ${name}`);
      return this.resolveVars(got);
    });
  }
}

/** The first colour in a declaration's value. */
export function colourToken(v: string): Rgba | null {
  for (const m of v.matchAll(/#[0-9a-fA-F]{3,6}\b|rgba?\([^)]*\)|\b(?:white|black)\b/g)) {
    const c = parseColour(m[0]);
    if (c) return c;
  }
  return null;
}

/** A foreground and the background it is seen on, each as (selector, property) in the sheet. */
export interface Pair {
  what: string;
  fg: [selector: string, prop: string];
  bg: [selector: string, prop: string];
  /** 4.5 for normal text, 3 for large text, UI component boundaries and focus rings (WCAG 2.1 AA). */
  min: 4.5 | 3;
}

export interface PairResult {
  what: string;
  ratio: number;
  min: number;
  ok: boolean;
}

export function checkPairs(sheet: Sheet, pairs: readonly Pair[]): PairResult[] {
  return pairs.map((p) => {
    const ratio = contrastRatio(sheet.colour(...p.fg), sheet.colour(...p.bg));
    return { what: p.what, ratio: Math.round(ratio * 100) / 100, min: p.min, ok: ratio >= p.min };
  });
}
