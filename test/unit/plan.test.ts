import { describe, expect, it } from 'vitest';
import { parsePlan, PlanValidationError } from '../../common/plan';
import { manualTrack, samplePlan } from '../helpers/plans';

function issuesOf(input: unknown): string[] {
  try {
    parsePlan(input);
  } catch (err) {
    if (err instanceof PlanValidationError) return err.issues;
    throw err;
  }
  return [];
}

describe('plan validation', () => {
  it('accepts a well-formed plan and round-trips it through JSON', () => {
    const plan = samplePlan({
      tracks: [manualTrack('t1', [{ frame: 0 }, { frame: 10, x: 5 }, { frame: 20, outside: true }])],
      audio: [{ id: 'a1', start: 0.5, end: 1.25, mode: 'bleep', reason: 'spoken-personal-data' }],
      trim: { startFrame: 5, endFrame: 50 },
    });
    expect(parsePlan(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
  });

  it('names the field at fault', () => {
    const bad = samplePlan({ tracks: [manualTrack('t1', [{ frame: 0, w: Number.NaN }])] });
    expect(issuesOf(JSON.parse(JSON.stringify(bad).replace('"w":null', '"w":"wide"'))).join()).toMatch(/tracks\.0\.keyframes\.0\.w/);
  });

  it.each([
    ['unknown schema version', (p: any) => ({ ...p, version: 2 }), /version/],
    ['negative frame', (p: any) => ({ ...p, tracks: [manualTrack('t', [{ frame: -1 }])] }), /frame/],
    ['fractional frame', (p: any) => ({ ...p, tracks: [manualTrack('t', [{ frame: 1.5 }])] }), /frame/],
    ['huge coordinate', (p: any) => ({ ...p, tracks: [manualTrack('t', [{ frame: 0, x: 1e12 }])] }), /x/],
    ['negative size', (p: any) => ({ ...p, tracks: [manualTrack('t', [{ frame: 0, w: -4 }])] }), /w/],
    ['keyframes out of order', (p: any) => ({ ...p, tracks: [manualTrack('t', [{ frame: 5 }, { frame: 5 }])] }), /increasing/],
    ['duplicate track ids', (p: any) => ({ ...p, tracks: [manualTrack('t', [{ frame: 0 }]), manualTrack('t', [{ frame: 0 }])] }), /duplicate/],
    ['audio range backwards', (p: any) => ({ ...p, audio: [{ id: 'a', start: 2, end: 1, mode: 'mute', reason: 'x' }] }), /end after/],
    ['trim past the end', (p: any) => ({ ...p, trim: { startFrame: 0, endFrame: 60 } }), /last frame/],
    ['bad fill colour', (p: any) => ({ ...p, output: { ...p.output, style: { kind: 'solid', fill: 'red' } } }), /colour/],
    ['unknown style', (p: any) => ({ ...p, output: { ...p.output, style: { kind: 'swirl' } } }), /style/],
    ['unexpected field', (p: any) => ({ ...p, extra: true }), /extra|unrecognized/i],
    ['bad hash', (p: any) => ({ ...p, source: { ...p.source, sha256: 'xyz' } }), /sha256/],
    ['not an object', () => 'plan', /root|expected object/i],
  ])('rejects %s', (_name, mutate, pattern) => {
    const issues = issuesOf(mutate(samplePlan()));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.join('\n')).toMatch(pattern);
  });

  it('rejects deeply nested junk without overflowing the stack', () => {
    let deep: unknown = {};
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    expect(issuesOf({ ...samplePlan(), tracks: [deep] }).length).toBeGreaterThan(0);
  });
});
