import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../common/plan';
import { markRequesters, redactedInExport, requesterBoxesAt, requesterSpan } from '../../common/subject-access';
import { audioFilterChain } from '../../engine/export/audio-filter';
import { keptSpeech } from '../../engine/export/ffmpeg-args';
import { subjectExportPlan } from '../../engine/export/subject-export';
import { manualTrack, samplePlan } from '../helpers/plans';

const me = manualTrack('me', [{ frame: 5, x: 100, y: 100, w: 40, h: 50 }, { frame: 20, outside: true }], { requester: true });
const other = manualTrack('other', [{ frame: 0, x: 0, y: 0, w: 10, h: 10 }], { decision: 'keep', reason: 'consent-given' });

describe('subject access in the plan', () => {
  it('loads plans without it, and refuses a subject access plan with no requester, no reference, or all the sound kept without a reason', () => {
    expect(() => parsePlan(samplePlan({ tracks: [other] }))).not.toThrow();
    expect(() => parsePlan(samplePlan({ tracks: [other], subject: { mode: 'everything-else', requestRef: 'R' } }))).toThrow(/at least one region marked as the requester/);
    expect(() => parsePlan(samplePlan({ tracks: [me], subject: { mode: 'everything-else', requestRef: '  ' } }))).toThrow(/request reference/);
    expect(() => parsePlan(samplePlan({ tracks: [me], subject: { mode: 'everyone-else', requestRef: 'R', sound: { keep: 'all', reason: '' } } }))).toThrow(/needs a reason/);
    expect(() => parsePlan(samplePlan({ tracks: [me], subject: { mode: 'everyone-else', requestRef: 'R', sound: { keep: 'speech', speech: [{ start: 2, end: 1 }] } } }))).toThrow(/end after it starts/);
    expect(parsePlan(samplePlan({ tracks: [me, other], subject: { mode: 'everyone-else', requestRef: 'R' } })).subject?.mode).toBe('everyone-else');
  });

  it('redacts every region but the requester\'s, whatever its decision; other exports follow the decision', () => {
    const s = { mode: 'everyone-else' as const, requestRef: 'R' };
    expect(redactedInExport(other, s)).toBe(true);
    expect(redactedInExport(me, s)).toBe(false);
    expect(redactedInExport(other, undefined)).toBe(false);
    expect(redactedInExport(me, undefined)).toBe(true);
  });

  it('pads the requester\'s boxes and spans their frames', () => {
    expect(requesterBoxesAt([me], { mode: 'everything-else', requestRef: 'R', padding: 0.5 }, 10)).toEqual([{ x: 80, y: 75, w: 80, h: 100 }]);
    expect(requesterBoxesAt([me], { mode: 'everything-else', requestRef: 'R' }, 20)).toEqual([]);
    expect(requesterSpan([me], 59)).toEqual({ first: 5, last: 19 });
  });

  it('marks exactly the regions named as the requester, and names an unknown one', () => {
    const marked = markRequesters([me, other], ['other']);
    expect(marked.map((t) => t.requester)).toEqual([undefined, true]);
    expect(() => markRequesters([me, other], ['x', 'y'])).toThrow(/no region 'x', 'y'/);
  });

  it('cuts the frames without the requester only when asked, within the plan\'s own trim', () => {
    const plan = parsePlan(samplePlan({ tracks: [me, other], subject: { mode: 'everything-else', requestRef: 'R', absent: 'cut' } }));
    expect(subjectExportPlan(plan).cut).toEqual({ from: { startFrame: 0, endFrame: 59 }, to: { startFrame: 5, endFrame: 19 } });
    expect(subjectExportPlan({ ...plan, trim: { startFrame: 10, endFrame: 40 } }).plan.trim).toEqual({ startFrame: 10, endFrame: 19 });
    expect(subjectExportPlan({ ...plan, subject: { ...plan.subject!, absent: 'redact' } }).cut).toBeNull();
    expect(() => subjectExportPlan({ ...plan, trim: { startFrame: 30, endFrame: 40 } })).toThrow(/shows on none of the exported frames/);
  });

  it('keeps sound only inside the speech ranges, none when none is marked, all when chosen', () => {
    expect(keptSpeech({})).toBeNull();
    expect(keptSpeech({ subject: { mode: 'everyone-else', requestRef: 'R' } })).toEqual([]);
    expect(keptSpeech({ subject: { mode: 'everyone-else', requestRef: 'R', sound: { keep: 'all', reason: 'x' } } })).toBeNull();
    expect(audioFilterChain([], null, 0, [])).toBe("aeval=exprs='val(ch)*(1-gt(0,0))*gt(0,0)':c=same");
    expect(audioFilterChain([], null, 0.5, [{ start: 1, end: 2 }])).toContain('gt(between(t,1.500000,2.500000),0)');
  });
});
