import { appendEvent, type AuditEvent } from '../../common/audit-chain';
import { DEFAULT_OUTPUT, PLAN_SCHEMA_ID, PLAN_VERSION, type RedactionPlan } from '../../common/plan';
import type { Keyframe, Track } from '../../common/track';
import { regionsAddedEdit } from '../../common/trail-replay';

/** A minimal valid plan for a 320×240 30 fps clip; tests override what they exercise. */
export function samplePlan(overrides: Partial<RedactionPlan> = {}): RedactionPlan {
  return {
    schema: PLAN_SCHEMA_ID,
    version: PLAN_VERSION,
    source: {
      name: 'clip.mp4',
      size: 1000,
      sha256: 'a'.repeat(64),
      video: {
        width: 320,
        height: 240,
        frameCount: 60,
        timeBase: { num: 1, den: 15360 },
        frameRate: { num: 30, den: 1 },
        codec: 'h264',
        pixelFormat: 'yuv420p',
        variableFrameRate: false,
      },
      hasAudio: true,
    },
    tracks: [],
    audio: [],
    output: { ...DEFAULT_OUTPUT },
    ...overrides,
  };
}

export function manualTrack(id: string, keyframes: Array<Partial<Keyframe> & { frame: number }>, extra: Partial<Track> = {}): Track {
  return {
    id,
    label: 'manual',
    shape: 'rectangle',
    reason: 'third-party-face',
    provenance: { origin: 'manual', createdBy: 'test' },
    decision: 'redact',
    keyframes: keyframes.map((k) => ({ x: 0, y: 0, w: 10, h: 10, outside: false, source: 'manual', ...k })),
    ...extra,
  };
}

/** Appends the edit event the app records when regions are added to a clip, so the trail accounts for them. */
export function recordRegions(audit: readonly AuditEvent[], clipId: string, tracks: Track[], user = 'alice'): Promise<AuditEvent[]> {
  return appendEvent(audit, {
    type: 'edit',
    user,
    toolVersion: '0.1.0',
    payload: regionsAddedEdit(clipId, 'Add region', { tracks, audio: [] }),
  });
}
