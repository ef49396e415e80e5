import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError, depthExceeds, MAX_REQUEST_CHARS, parseRequest, type ApiEvent } from '../../common/api';
import { appendEvent, verifyChain, type AuditEvent } from '../../common/audit-chain';
import { readAuditTrail } from '../../engine/case/audit-file';
import { AppServices, osUserName } from '../../electron/services/app-services';
import { FileRegistry } from '../../electron/services/file-registry';

/** Hostile and malformed messages from a renderer are refused, each with one clear line. */
const dir = mkdtempSync(join(tmpdir(), 'redactor-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rejection(method: unknown, request: unknown): string {
  try {
    parseRequest(method, request);
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('invalid-request');
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error(`${String(method)} was accepted`);
}

const sha = 'a'.repeat(64);
function plan(track: unknown) {
  return {
    schema: 'evidence-redactor/plan',
    version: 1,
    source: {
      name: 'clip.mp4',
      size: 10,
      sha256: sha,
      video: { width: 320, height: 240, frameCount: 60, timeBase: { num: 1, den: 15360 }, frameRate: { num: 30, den: 1 }, codec: 'h264', pixelFormat: 'yuv420p', variableFrameRate: false },
      hasAudio: false,
    },
    tracks: [track],
    audio: [],
    output: { style: { kind: 'blur' }, crf: 18, preset: 'veryfast' },
  };
}
const goodTrack = {
  id: 't1',
  label: 'face',
  shape: 'rectangle',
  reason: 'third-party-face',
  provenance: { origin: 'manual' },
  decision: 'redact',
  keyframes: [{ frame: 0, x: 10, y: 10, w: 50, h: 50, outside: false, source: 'manual' }],
};
const exportRequest = (track: unknown) => ({ jobId: 'j1', sourcePath: '/a/clip.mp4', plan: plan(track), outputPath: '/a/out.mp4', overwrite: false });

describe('API request validation', () => {
  it('accepts a well-formed request', () => {
    expect(parseRequest<'importClip'>('importClip', { jobId: 'job-1', path: '/videos/clip.mp4' }).request.path).toBe('/videos/clip.mp4');
    expect(parseRequest<'exportClip'>('exportClip', exportRequest(goodTrack)).request.plan.tracks).toHaveLength(1);
  });

  it('rejects unknown methods, including prototype names', () => {
    expect(rejection('readFile', {})).toMatch(/unknown method "readFile"/);
    expect(rejection('__proto__', {})).toMatch(/unknown method/);
    expect(rejection('constructor', {})).toMatch(/unknown method/);
    expect(rejection(42, {})).toMatch(/unknown method "42"/);
  });

  it('rejects missing, extra and wrongly typed fields', () => {
    expect(rejection('importClip', { jobId: 'j' })).toMatch(/importClip: path: /);
    expect(rejection('importClip', { jobId: 'j', path: '/a.mp4', shell: 'rm -rf /' })).toMatch(/importClip: .*shell/);
    expect(rejection('importClip', null)).toMatch(/importClip: \(request\)/);
    expect(rejection('cancel', { jobId: '../../etc' })).toMatch(/cancel: jobId: must be 1–64 letters/);
  });

  it('detect takes what to find: known kinds, each once, at least one', () => {
    const detect = (options: unknown) => ({ jobId: 'd', path: '/videos/clip.mp4', options });
    expect(parseRequest<'detect'>('detect', detect({ find: ['text'] })).request.options.find).toEqual(['text']);
    expect(parseRequest<'detect'>('detect', detect({ find: ['faces', 'text'], every: 2 })).request.options.find).toEqual(['faces', 'text']);
    expect(rejection('detect', detect({ find: [] }))).toMatch(/detect: options\.find/);
    expect(rejection('detect', detect({ find: ['plates'] }))).toMatch(/detect: options\.find\.0/);
    expect(rejection('detect', detect({ find: ['faces', 'faces'] }))).toMatch(/each kind once/);
  });

  it('rejects relative paths, NUL bytes and oversized paths', () => {
    expect(rejection('importClip', { jobId: 'j', path: 'clip.mp4' })).toMatch(/path: must be an absolute path/);
    expect(rejection('importClip', { jobId: 'j', path: '/a\0.mp4' })).toMatch(/must not contain NUL/);
    expect(rejection('importClip', { jobId: 'j', path: `/${'a'.repeat(5000)}` })).toMatch(/path: .*4096/);
    expect(rejection('chooseExportPath', { suggestedName: '../../etc/passwd' })).toMatch(/must be a file name/);
  });

  it('rejects non-number, negative-size and huge coordinates in a plan', () => {
    const kf = goodTrack.keyframes[0]!;
    expect(rejection('exportClip', exportRequest({ ...goodTrack, keyframes: [{ ...kf, x: '10' }] }))).toMatch(/plan\.tracks\.0\.keyframes\.0\.x/);
    expect(rejection('exportClip', exportRequest({ ...goodTrack, keyframes: [{ ...kf, w: -5 }] }))).toMatch(/keyframes\.0\.w/);
    expect(rejection('exportClip', exportRequest({ ...goodTrack, keyframes: [{ ...kf, y: 1e12 }] }))).toMatch(/keyframes\.0\.y/);
    expect(rejection('exportClip', exportRequest({ ...goodTrack, keyframes: [{ ...kf, frame: -1 }] }))).toMatch(/keyframes\.0\.frame/);
    // NaN and Infinity do not survive JSON, but they can arrive by structured clone over IPC.
    expect(rejection('exportClip', exportRequest({ ...goodTrack, keyframes: [{ ...kf, h: Number.NaN }] }))).toMatch(/keyframes\.0\.h/);
    expect(rejection('exportClip', exportRequest({ ...goodTrack, keyframes: [{ ...kf, x: Infinity }] }))).toMatch(/keyframes\.0\.x/);
  });

  it('rejects deeply nested objects before walking them', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(depthExceeds(deep, 16)).toBe(true);
    expect(depthExceeds(plan(goodTrack), 16)).toBe(false);
    expect(rejection('importClip', { jobId: 'j', path: '/a.mp4', extra: deep })).toMatch(/nested deeper than 16 levels/);
  });

  it('rejects oversized requests', () => {
    const huge = 'x'.repeat(MAX_REQUEST_CHARS + 1);
    expect(rejection('importClip', { jobId: 'j', path: '/a.mp4', filler: huge })).toMatch(/importClip: request is too large/);
    const manyTracks = Array.from({ length: 200_000 }, () => 'padding-'.repeat(50));
    expect(rejection('verify', { path: '/a.mp4', list: manyTracks })).toMatch(/too large/);
  });

  it('takes export evidence (operator, case, coverage, confirmation, audit head, leak check) and checks its shape', () => {
    const evidence = {
      operator: 'pc.smith',
      caseReference: 'Op Lantern 42/2026',
      review: { watched: [[0, 9], [20, 29]], confirmation: { reason: 'urgent disclosure', by: 'pc.smith', at: '2026-11-29T05:00:00.000Z' } },
      auditHead: { seq: 3, hash: 'b'.repeat(64) },
      leakCheck: false,
    };
    expect(parseRequest<'exportClip'>('exportClip', { ...exportRequest(goodTrack), evidence }).request.evidence).toEqual(evidence);
    expect(parseRequest<'exportClip'>('exportClip', exportRequest(goodTrack)).request.evidence).toBeUndefined();
    const bad = (e: unknown) => rejection('exportClip', { ...exportRequest(goodTrack), evidence: e });
    expect(bad({ ...evidence, review: { watched: [[9, 0]] } })).toMatch(/evidence\.review\.watched\.0: interval must end at or after it starts/);
    expect(bad({ ...evidence, review: { watched: [[-1, 3]] } })).toMatch(/evidence\.review\.watched\.0\.0/);
    expect(bad({ ...evidence, review: { watched: [], confirmation: { reason: '   ' } } })).toMatch(/evidence\.review\.confirmation\.reason/);
    expect(bad({ ...evidence, auditHead: { seq: 1, hash: 'not a hash' } })).toMatch(/evidence\.auditHead\.hash/);
    expect(bad({ ...evidence, operator: '' })).toMatch(/evidence\.operator/);
    expect(bad({ ...evidence, leakCheck: 'yes' })).toMatch(/evidence\.leakCheck/);
    expect(bad({ ...evidence, sneaky: 1 })).toMatch(/evidence/);
  });

  it('followRegion takes a whole frame, a box with a positive size and a direction', () => {
    const ok = { jobId: 'f1', path: '/videos/a.mp4', frame: 3, box: { x: -2, y: 0, w: 20, h: 20 }, direction: 'back' };
    expect(parseRequest('followRegion', ok).request).toEqual(ok);
    for (const bad of [{ ...ok, frame: 1.5 }, { ...ok, frame: -1 }, { ...ok, box: { ...ok.box, w: 0 } }, { ...ok, direction: 'sideways' }, { ...ok, box: { ...ok.box, z: 1 } }, { ...ok, maxFrames: 0 }]) {
      expect(() => parseRequest('followRegion', bad)).toThrow(/followRegion: /);
    }
  });

  it('appInfo takes nothing', () => {
    expect(parseRequest('appInfo', {}).request).toEqual({});
    expect(rejection('appInfo', { user: 'x' })).toMatch(/^appInfo: /);
  });

  it('rejects values that are not plain data', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(rejection('verify', cyclic)).toMatch(/nested deeper|not plain data/);
  });
});

describe('paths the user did not open', () => {
  const events: ApiEvent[] = [];
  const clip = join(dir, 'clip.mp4');
  writeFileSync(clip, 'not really a video');
  const services = new AppServices(new FileRegistry(), {
    chooseVideos: async () => [clip],
    chooseExportPath: async (name) => join(dir, name),
    showInFolder: () => {},
    mediaUrl: (t) => `http://x/media/${t}`,
    emit: (e) => events.push(e),
    dataDir: join(dir, 'app-data'),
  });

  it('are refused for every method that takes a path', async () => {
    for (const [method, request] of [
      ['importClip', { jobId: 'a', path: clip }],
      ['mediaUrl', { path: '/etc/passwd' }],
      ['detect', { jobId: 'b', path: clip, options: {} }],
      ['playerStart', { path: clip }],
      ['verify', { path: join(dir, 'out.mp4') }],
      ['showInFolder', { path: '/etc' }],
      ['makeProxy', { jobId: 'c', path: clip, caseKey: 'a'.repeat(32) }],
      ['audioPeaks', { jobId: 'd', path: '/home/someone/secret.mp4' }],
      ['followRegion', { jobId: 'e', path: clip, frame: 0, box: { x: 1, y: 1, w: 10, h: 10 }, direction: 'forward' }],
    ] as const) {
      const r = await services.invoke(method, request);
      expect(r.ok, method).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('forbidden-path');
        expect(r.error.message).toMatch(/was not opened by the user/);
      }
    }
  });

  it('are allowed once chosen in the dialog, and only as what was chosen', async () => {
    const opened = await services.invoke('openVideoDialog', {});
    expect(opened).toEqual({ ok: true, value: { files: [{ path: clip, name: 'clip.mp4', size: 18 }] } });
    const url = await services.invoke('mediaUrl', { path: clip });
    expect(url.ok && (url.value as { url: string }).url).toMatch(/^http:\/\/x\/media\/[0-9a-f]{32}$/);
    // An input is not an output the user chose: exporting onto it is refused even before export's own check.
    const exp = await services.invoke('exportClip', { ...exportRequest(goodTrack), sourcePath: clip, outputPath: join(dir, 'elsewhere.mp4') });
    expect(!exp.ok && exp.error.code).toBe('forbidden-path');
    // A path with .. that resolves outside what was opened is still refused.
    const sneaky = await services.invoke('mediaUrl', { path: `${dir}/../${dir.split('/').pop()}/other.mp4` });
    expect(!sneaky.ok && sneaky.error.code).toBe('forbidden-path');
  });

  it('a file that is not a video gives the engine\'s clear error, not a crash', async () => {
    const r = await services.invoke('importClip', { jobId: 'imp', path: clip });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('input');
      expect(r.error.message).not.toContain('\n');
    }
  });

  it('appInfo names the OS user (the default operator) and the tool version', async () => {
    const r = await services.invoke('appInfo', {});
    expect(r.ok).toBe(true);
    const info = (r as { value: { userName: string; toolVersion: string } }).value;
    expect(info.userName).toBe(osUserName());
    expect(info.userName.length).toBeGreaterThan(0);
    expect(info.toolVersion).toBe(JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version);
  });

  it('an export with an incomplete review and no reason is refused before any work, naming what is missing', async () => {
    await services.invoke('chooseExportPath', { suggestedName: 'refused.mp4' });
    const r = await services.invoke('exportClip', { ...exportRequest({ ...goodTrack, decision: 'proposed' }), sourcePath: clip, outputPath: join(dir, 'refused.mp4'), evidence: { operator: 'pc.smith', review: { watched: [[0, 29]] } } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('plan');
      expect(r.error.message).toMatch(/30 of 60 frames not watched, 1 proposal undecided/);
    }
  });

  it('saveAuditTrail writes the trail, as recorded, only to a path chosen in the save dialog', async () => {
    let trail: AuditEvent[] = [];
    trail = await appendEvent(trail, { type: 'import', payload: { clipId: 'c1', path: clip, name: 'clip.mp4', size: 18, sha256: sha }, user: 'PC 1234 Smith', toolVersion: '0.1.0' });
    trail = await appendEvent(trail, { type: 'verification', payload: { target: 'audit trail', intact: true }, user: 'PC 1234 Smith', toolVersion: '0.1.0' });
    const target = join(dir, 'case.audit.json');
    const refused = await services.invoke('saveAuditTrail', { path: target, caseReference: 'OP-1', events: trail });
    expect(!refused.ok && refused.error.code).toBe('forbidden-path');
    await services.invoke('chooseExportPath', { suggestedName: 'case.audit.json' });
    const saved = await services.invoke('saveAuditTrail', { path: target, caseReference: 'OP-1', events: trail });
    expect(saved).toEqual({ ok: true, value: { path: target, events: 2, head: { seq: 2, hash: trail[1]!.hash } } });
    const read = readAuditTrail(target);
    expect(read.from).toBe('an audit trail file');
    expect(await verifyChain(read.events, { seq: 2, hash: trail[1]!.hash })).toMatchObject({ intact: true, events: 2 });
    expect(rejection('saveAuditTrail', { path: target, caseReference: 'OP-1', events: [{ ...trail[0], hash: 'x' }] })).toMatch(/events\.0\.hash/);
  });

  it('dropped paths are registered only when they are real files', async () => {
    services.registerDropped(['/definitely/not/here.mp4', 42, dir]);
    expect(events.filter((e) => e.type === 'files-dropped')).toEqual([]);
    const other = join(dir, 'dropped.mp4');
    writeFileSync(other, 'x');
    services.registerDropped([other]);
    expect(events.filter((e) => e.type === 'files-dropped')).toEqual([{ type: 'files-dropped', files: [{ path: other, name: 'dropped.mp4', size: 1 }] }]);
    expect((await services.invoke('mediaUrl', { path: other })).ok).toBe(true);
  });
});
