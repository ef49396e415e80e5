import { mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlan, PlanValidationError } from '../../common/plan';
import { redactor } from '../helpers/cli';
import { makeClip, tempDir } from '../helpers/media';

/**
 * Hostile plan files (issue 5): malformed, oversized and hostile values, each refused by
 * `parsePlan` and by `redactor export --plan` with one clear line, exit code 4 and no output.
 */
const tmp = tempDir('redactor-plan-inputs-');
afterAll(tmp.cleanup);
let clip: string;
let validText: string;

beforeAll(async () => {
  clip = makeClip(join(tmp.dir, 'clip.mp4'), { width: 160, height: 120, seconds: 1, audio: false });
  const r = await redactor(['plan', clip, '-o', join(tmp.dir, 'valid.json'), '--region', '10,10,40,30,0,29']);
  expect(r.code, r.stderr).toBe(0);
  validText = readFileSync(join(tmp.dir, 'valid.json'), 'utf8');
});

type Plan = any;
/** The valid plan with `field` of `source` (or the root) replaced by raw JSON text (too deep for JSON.stringify). */
const withRaw = (valid: string, set: (p: Plan) => void, raw: string) => {
  const p = JSON.parse(valid);
  set(p);
  return JSON.stringify(p).replace('"@@RAW@@"', raw);
};

/** Each case edits the valid plan (as parsed JSON) or replaces the whole text; `issue` names the fault. */
const CASES: Array<{ name: string; edit?: (p: Plan) => void; text?: (valid: string) => string; issue: RegExp }> = [
  { name: 'negative huge x', edit: (p) => (p.tracks[0].keyframes[0].x = -1e9), issue: /tracks\.0\.keyframes\.0\.x/ },
  { name: 'huge width', edit: (p) => (p.tracks[0].keyframes[0].w = 1e12), issue: /tracks\.0\.keyframes\.0\.w/ },
  { name: 'negative height', edit: (p) => (p.tracks[0].keyframes[0].h = -5), issue: /tracks\.0\.keyframes\.0\.h/ },
  { name: 'fractional frame', edit: (p) => (p.tracks[0].keyframes[0].frame = 1.5), issue: /keyframes\.0\.frame/ },
  { name: 'negative frame', edit: (p) => (p.tracks[0].keyframes[0].frame = -1), issue: /keyframes\.0\.frame/ },
  { name: 'a number as a string', edit: (p) => (p.tracks[0].keyframes[0].y = '10'), issue: /keyframes\.0\.y/ },
  { name: 'NaN (null in JSON)', text: (v) => v.replace(/"x": \d+/, '"x": null'), issue: /keyframes\.0\.x/ },
  { name: 'NaN as a bare word', text: (v) => v.replace(/"x": \d+/, '"x": NaN'), issue: /not valid JSON/ },
  { name: 'Infinity (1e999)', text: (v) => v.replace(/"x": \d+/, '"x": 1e999'), issue: /keyframes\.0\.x/ },
  { name: 'an audio range ending before it starts', edit: (p) => (p.audio = [{ id: 'a', start: 5, end: 2, mode: 'mute', reason: 'r' }]), issue: /audio\.0\.end/ },
  { name: 'a negative time', edit: (p) => (p.audio = [{ id: 'a', start: -1, end: 2, mode: 'mute', reason: 'r' }]), issue: /audio\.0\.start/ },
  { name: 'crf out of range', edit: (p) => (p.output.crf = 99), issue: /output\.crf/ },
  { name: 'an ffmpeg option smuggled in as a preset', edit: (p) => (p.output.preset = 'veryfast -f tee'), issue: /output\.preset/ },
  { name: 'a fill that is not a colour', edit: (p) => (p.output.style = { kind: 'solid', fill: "red'; drawtext=text=x" }), issue: /output\.style\.fill/ },
  { name: 'an unknown field at the root', edit: (p) => (p.extra = 1), issue: /Unrecognized key: "extra"/ },
  { name: 'an unknown field in a keyframe', edit: (p) => (p.tracks[0].keyframes[0].path = '/etc/passwd'), issue: /Unrecognized key: "path"/ },
  { name: '__proto__ at the root', text: (v) => v.replace('{', '{"__proto__": {"polluted": true},'), issue: /Unrecognized key: "__proto__"/ },
  { name: '__proto__ in a track', text: (v) => v.replace('"id":', '"__proto__": {"decision": "keep"}, "id":'), issue: /tracks\.0: Unrecognized key: "__proto__"/ },
  { name: 'constructor.prototype', edit: (p) => (p.output.constructor = { prototype: { polluted: true } }), issue: /Unrecognized key: "constructor"/ },
  { name: 'a deeply nested array (100 000 levels)', text: (v) => withRaw(v, (p) => (p.tracks = '@@RAW@@'), `${'['.repeat(100_000)}1${']'.repeat(100_000)}`), issue: /tracks\.0/ },
  { name: 'a deeply nested object in an unknown field', text: (v) => withRaw(v, (p) => (p.source.more = '@@RAW@@'), `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`), issue: /Unrecognized key: "more"/ },
  { name: 'a deeply nested object where a keyframe belongs', text: (v) => withRaw(v, (p) => (p.tracks[0].keyframes[0] = '@@RAW@@'), `${'{"x":'.repeat(100_000)}1${'}'.repeat(100_000)}`), issue: /keyframes\.0/ },
  { name: 'a huge array (a million numbers)', edit: (p) => (p.tracks = new Array(1_000_000).fill(0)), issue: /tracks: Too big/ },
  { name: 'too many audio ranges', edit: (p) => (p.audio = Array.from({ length: 100_001 }, (_, i) => ({ id: `a${i}`, start: 0, end: 1, mode: 'mute', reason: 'r' }))), issue: /audio: Too big/ },
  { name: 'an oversized string', edit: (p) => (p.tracks[0].reasonText = 'x'.repeat(1_000_000)), issue: /reasonText/ },
  { name: 'a wrong schema', edit: (p) => (p.schema = 'something-else'), issue: /schema/ },
  { name: 'a future version', edit: (p) => (p.version = 2), issue: /version/ },
  { name: 'keyframes out of order', edit: (p) => (p.tracks[0].keyframes = [{ ...p.tracks[0].keyframes[0], frame: 5 }, { ...p.tracks[0].keyframes[0], frame: 3 }]), issue: /increasing frame order/ },
  { name: 'null', text: () => 'null', issue: /\(root\)/ },
  { name: 'an array', text: () => '[]', issue: /\(root\)/ },
  { name: 'an empty file', text: () => '', issue: /not valid JSON/ },
  { name: 'binary junk', text: () => '\u0000\u0001\u00ff{{', issue: /not valid JSON/ },
];

function textFor(c: (typeof CASES)[number]): string {
  if (c.text) return c.text(validText);
  const p = JSON.parse(validText);
  c.edit!(p);
  return JSON.stringify(p);
}

describe('parsePlan refuses hostile values with the field at fault', () => {
  it.each(CASES.filter((c) => !/not valid JSON/.test(String(c.issue))))('$name', (c) => {
    const input = JSON.parse(textFor(c));
    let error: unknown;
    try {
      parsePlan(input);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PlanValidationError);
    expect((error as Error).message).toMatch(c.issue);
    expect((error as Error).message.length).toBeLessThan(600); // one readable line, however many issues
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts the untouched plan (so the cases above fail for their own edit)', () => {
    expect(parsePlan(JSON.parse(validText)).tracks).toHaveLength(1);
  });
});

describe('redactor export --plan refuses hostile plan files: exit 4, one line, no output', () => {
  it('every case', async () => {
    for (const [i, c] of CASES.entries()) {
      const dir = join(tmp.dir, `case-${i}`);
      const planPath = join(tmp.dir, `case-${i}.json`);
      writeFileSync(planPath, textFor(c));
      mkdirSync(dir);
      const r = await redactor(['export', clip, '--plan', planPath, '-o', join(dir, 'out.mp4'), '-q']);
      expect(r.code, `${c.name}: ${r.stderr}`).toBe(4);
      const lines = r.stderr.trim().split('\n');
      expect(lines, c.name).toHaveLength(1);
      expect(lines[0], c.name).toMatch(/^redactor: error: case-\d+\.json/);
      expect(lines[0], c.name).toMatch(c.issue);
      expect(readdirSync(dir), c.name).toEqual([]);
    }
  });

  it('a plan file over the size limit is refused without being read', async () => {
    const big = join(tmp.dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 300 * 1024 * 1024); // sparse: costs no disk
    const r = await redactor(['export', clip, '--plan', big, '-o', join(tmp.dir, 'big-out.mp4'), '-q']);
    expect(r.code).toBe(4);
    expect(r.stderr.trim()).toBe('redactor: error: big.json is too large to be a plan (over 256 MiB)');
  });

  it('regions partly or wholly outside the picture are clipped, not an error', async () => {
    const p = JSON.parse(validText);
    p.tracks[0].keyframes = [
      { frame: 0, x: -16000, y: -16000, w: 16020, h: 16020, outside: false, source: 'manual' },
      { frame: 10, x: 150, y: 110, w: 30000, h: 30000, outside: false, source: 'manual' },
      { frame: 20, x: 5000, y: 5000, w: 10, h: 10, outside: false, source: 'manual' },
      { frame: 40_000_000, x: 0, y: 0, w: 0, h: 0, outside: true, source: 'manual' },
    ];
    const planPath = join(tmp.dir, 'edges.json');
    writeFileSync(planPath, JSON.stringify(p));
    const out = join(tmp.dir, 'edges.mp4');
    const r = await redactor(['export', clip, '--plan', planPath, '-o', out, '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect((await redactor(['verify', out])).code).toBe(0);
  });
});
