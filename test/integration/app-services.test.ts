import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEventSchema, type ApiEnvelope, type ApiEvent, type ClipFacts } from '../../common/api';
import { PLAN_SCHEMA_ID, PLAN_VERSION, DEFAULT_OUTPUT } from '../../common/plan';
import { probe } from '../../engine/media/probe';
import { AppServices, type ServiceHost } from '../../electron/services/app-services';
import { FileRegistry } from '../../electron/services/file-registry';
import { ffmpeg, makeClip, tempDir } from '../helpers/media';

/** The app's services on real clips: import facts, proxies, cancellation, export with progress. */
const tmp = tempDir('redactor-services-');
afterAll(tmp.cleanup);
const events: ApiEvent[] = [];
let services: AppServices;
let chosen: string[] = [];
let save: string | null = null;
let clip: string;
let mjpeg: string;

function value<T>(r: ApiEnvelope<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

beforeAll(() => {
  clip = makeClip(join(tmp.dir, 'clip.mp4'), { seconds: 2, width: 320, height: 240 });
  mjpeg = makeClip(join(tmp.dir, 'old camera.avi'), { seconds: 1, audio: false, extra: ['-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p'] });
  services = new AppServices(new FileRegistry(join(tmp.dir, 'opened.json')), host());
});

const CASE_KEY = '0123456789abcdef0123456789abcdef';

function host(): ServiceHost {
  return {
    chooseVideos: async () => chosen,
    chooseExportPath: async () => save,
    showInFolder: () => {},
    mediaUrl: (t) => `test://media/${t}`,
    emit: (e) => events.push(e),
    dataDir: join(tmp.dir, 'app-data'),
  };
}

describe('app services', () => {
  it('import reports hash and probe facts with progress', async () => {
    chosen = [clip, mjpeg];
    value(await services.invoke('openVideoDialog', {}));
    const facts = value<ClipFacts>(await services.invoke('importClip', { jobId: 'imp-1', path: clip }));
    expect(facts.video.frameCount).toBe(60);
    expect(facts.frameTimes).toHaveLength(60);
    expect(facts.frameTimes[0]).toBe(0);
    expect(facts.frameTimes[30]).toBeCloseTo(1, 6);
    expect(facts.playable).toBe(true);
    expect(facts.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The player's start alone, for clips stored before it was kept: the same as import reports.
    expect(value(await services.invoke('playerStart', { path: clip }))).toEqual(facts.playerStart);
    const phases = events.filter((e) => e.type === 'progress' && e.jobId === 'imp-1').map((e) => (e as { phase: string }).phase);
    expect(phases).toContain('probing');
    expect(phases).toContain('hashing');
  });

  it('an MJPEG AVI is not playable in Chromium and gets an H.264 proxy in the case\'s working folder; the original stays the source', async () => {
    const facts = value<ClipFacts>(await services.invoke('importClip', { jobId: 'imp-2', path: mjpeg }));
    expect(facts.playable).toBe(false);
    const { proxyPath } = value<{ proxyPath: string }>(await services.invoke('makeProxy', { jobId: 'proxy-1', path: mjpeg, caseKey: CASE_KEY }));
    // In the app's data folder, per case; nothing beside the original.
    expect(proxyPath.startsWith(join(tmp.dir, 'app-data', 'cases', CASE_KEY, 'proxies') + '/')).toBe(true);
    expect(readdirSync(dirname(mjpeg)).filter((f) => f.includes('proxy'))).toEqual([]);
    const p = await probe(proxyPath);
    expect(p.video.codec).toBe('h264');
    expect(p.video.frameCount).toBe(30);
    expect(value<{ url: string }>(await services.invoke('mediaUrl', { path: proxyPath })).url).toMatch(/^test:\/\/media\//);
  });

  it('a cancelled playable copy leaves no file, half-written or whole, in the proxy folder', async () => {
    const long = makeClip(join(tmp.dir, 'long camera.avi'), { seconds: 30, width: 640, height: 480, audio: false, extra: ['-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p'] });
    chosen = [long];
    value(await services.invoke('openVideoDialog', {}));
    const proxies = join(tmp.dir, 'app-data', 'cases', CASE_KEY, 'proxies');
    mkdirSync(proxies, { recursive: true });
    const before = readdirSync(proxies);
    const running = services.invoke('makeProxy', { jobId: 'proxy-2', path: long, caseKey: CASE_KEY });
    // Cancelled once ffmpeg has written some of the copy.
    const writing = () => events.some((e) => e.type === 'progress' && e.jobId === 'proxy-2' && e.done > 0);
    for (let i = 0; i < 600 && !writing(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(writing()).toBe(true);
    const progress = events.filter((e): e is Extract<ApiEvent, { type: 'progress' }> => e.type === 'progress' && e.jobId === 'proxy-2');
    expect(progress[0]).toMatchObject({ phase: 'probing', total: 0 });
    expect(progress.slice(1).every((e) => e.phase === 'making a playable copy' && e.unit === 'seconds' && e.total === 30)).toBe(true);
    expect(value(await services.invoke('cancel', { jobId: 'proxy-2' }))).toEqual({ cancelled: true });
    const r = await running;
    expect(r.ok ? 'finished' : r.error.code).toBe('cancelled');
    expect(readdirSync(proxies)).toEqual(before);
  });

  it('audio peaks: a loud sine gives a full waveform; a clip without audio gives none', async () => {
    const r = value<{ bucketSeconds: number; peaks: number[] }>(await services.invoke('audioPeaks', { jobId: 'peaks-1', path: clip }));
    expect(r.peaks.length).toBeGreaterThan(100);
    expect(r.peaks.length * r.bucketSeconds).toBeCloseTo(2, 0);
    // makeClip's sine is full-scale-ish (ffmpeg's default amplitude 1/8): every bucket has signal.
    expect(Math.min(...r.peaks.slice(2, -2))).toBeGreaterThan(0.05);
    expect(value<{ peaks: number[] }>(await services.invoke('audioPeaks', { jobId: 'peaks-2', path: mjpeg })).peaks).toEqual([]);
  });

  it('a picture that starts 0.5 s after its sound: the waveform and the player are placed against the first frame', async () => {
    const late = join(tmp.dir, 'late picture.mp4');
    ffmpeg(['-i', clip, '-itsoffset', '0.5', '-i', clip, '-map', '1:v', '-map', '0:a', '-c', 'copy', late]);
    chosen = [late];
    value(await services.invoke('openVideoDialog', {}));
    const facts = value<ClipFacts>(await services.invoke('importClip', { jobId: 'imp-late', path: late }));
    expect(facts.playerStart!.original).toBeCloseTo(0.5, 3);
    expect(facts.playerStart!.copy).toBeCloseTo(0.5, 3);
    const r = value<{ startSeconds: number }>(await services.invoke('audioPeaks', { jobId: 'peaks-3', path: late }));
    expect(r.startSeconds).toBeCloseTo(-0.5, 3);
    expect(value<{ startSeconds: number }>(await services.invoke('audioPeaks', { jobId: 'peaks-4', path: clip })).startSeconds).toBeCloseTo(0, 3);
  });

  it('thumbnails: one JPEG per slice, decodable', async () => {
    const r = value<{ intervalSeconds: number; images: string[] }>(await services.invoke('thumbnails', { jobId: 'th-1', path: clip, count: 4, height: 48 }));
    expect(r.intervalSeconds).toBeCloseTo(0.5, 6);
    expect(r.images).toHaveLength(4);
    for (const img of r.images) {
      const bytes = Buffer.from(img.slice('data:image/jpeg;base64,'.length), 'base64');
      expect([bytes[0], bytes[1], bytes.at(-2), bytes.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    }
  });

  it('thumbnails have the display shape where pixels are not square', async () => {
    // 480×360 stored, pixels 4:3 wide: shown at 640×360, so a 48 px high thumbnail is 84 px wide, not 64.
    const wide = makeClip(join(tmp.dir, 'anamorphic.mp4'), { seconds: 1, width: 480, height: 360, extra: ['-vf', 'setsar=4/3'] });
    chosen = [wide];
    value(await services.invoke('openVideoDialog', {}));
    const r = value<{ images: string[] }>(await services.invoke('thumbnails', { jobId: 'th-2', path: wide, count: 2, height: 48 }));
    expect(r.images.length).toBeGreaterThan(0);
    for (const img of r.images) expect(jpegSize(Buffer.from(img.slice('data:image/jpeg;base64,'.length), 'base64'))).toEqual({ width: 84, height: 48 });
  });

  it('the opened files survive a restart (the registry is saved)', async () => {
    const again = new AppServices(new FileRegistry(join(tmp.dir, 'opened.json')), host());
    expect((await again.invoke('mediaUrl', { path: clip })).ok).toBe(true);
    expect((await again.invoke('mediaUrl', { path: join(tmp.dir, 'other.mp4') })).ok).toBe(false);
  });

  it('a cancelled detection says so and leaves the job free to rerun', async () => {
    // The job is registered before invoke returns, so the cancel always finds it.
    const running = services.invoke('detect', { jobId: 'det-1', path: clip, options: { every: 1 } });
    expect(value<{ cancelled: boolean }>(await services.invoke('cancel', { jobId: 'det-1' })).cancelled).toBe(true);
    const r = await running;
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('cancelled');
      expect(r.error.message).toMatch(/was cancelled$/);
    }
    expect(value<{ cancelled: boolean }>(await services.invoke('cancel', { jobId: 'det-1' })).cancelled).toBe(false);
    // A page that reloaded meanwhile learns how the run ended.
    const asked = await services.invoke('detectionResult', { jobId: 'det-1' });
    expect(!asked.ok && asked.error.code).toBe('cancelled');
  });

  it('detection sends provisional proposals, valid API events, before the final proposals', async () => {
    const face = join(tmp.dir, 'astronaut.mp4');
    ffmpeg([
      '-f', 'lavfi', '-i', 'color=c=gray:size=640x360:rate=30:duration=2',
      '-i', join(__dirname, '..', 'fixtures', 'astronaut.png'),
      '-filter_complex', '[1:v]scale=256:256[p];[0:v][p]overlay=x=40+5*n:y=60:eval=frame[v]',
      '-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p', face,
    ]);
    const seen: ApiEvent[] = [];
    const files = new FileRegistry();
    files.add(face, 'input');
    const live = new AppServices(files, { ...host(), emit: (e) => seen.push(e), provisional: { everyFrames: 3, minIntervalMs: 0 } });
    const running = live.invoke('detect', { jobId: 'det-live', path: face, options: { every: 2 } });
    // A page reloaded mid-run asks by job id and waits for the same result; main forgets no run it knows.
    const takenUp = live.invoke('detectionResult', { jobId: 'det-live' });
    const result = value<{ tracks: unknown[]; detector: string }>(await running);
    expect(value(await takenUp)).toEqual({ result });
    expect(value(await live.invoke('detectionResult', { jobId: 'det-live' }))).toEqual({ result });
    expect(value(await live.invoke('detectionResult', { jobId: 'det-unknown' }))).toEqual({ result: null });
    for (const e of seen) expect(apiEventSchema.safeParse(e).success).toBe(true);
    const provisional = seen.filter((e): e is Extract<ApiEvent, { type: 'provisional-proposals' }> => e.type === 'provisional-proposals');
    expect(provisional.length).toBeGreaterThanOrEqual(3);
    expect(provisional.every((e) => e.jobId === 'det-live' && e.framesDone < 60)).toBe(true);
    expect(provisional.some((e) => e.tracks.length > 0)).toBe(true);
    const finalAt = seen.findIndex((e) => e.type === 'proposals');
    expect(finalAt).toBe(seen.length - 1);
    expect(seen.map((e) => e.type).lastIndexOf('provisional-proposals')).toBeLessThan(finalAt);
    expect((seen[finalAt] as { tracks: unknown[] }).tracks).toEqual(result.tracks);
    expect(result.tracks.length).toBeGreaterThanOrEqual(1);
  });

  it('exports only to a path chosen in the save dialog, with progress, and verifies', async () => {
    const facts = value<ClipFacts>(await services.invoke('importClip', { jobId: 'imp-3', path: clip }));
    const plan = {
      schema: PLAN_SCHEMA_ID,
      version: PLAN_VERSION,
      source: { name: facts.name, size: facts.size, sha256: facts.sha256, video: facts.video, hasAudio: facts.hasAudio },
      tracks: [{ id: 'm1', label: 'manual', shape: 'rectangle', reason: 'third-party-face', provenance: { origin: 'manual' }, decision: 'redact', keyframes: [{ frame: 0, x: 10, y: 10, w: 80, h: 80, outside: false, source: 'manual' }] }],
      audio: [],
      output: DEFAULT_OUTPUT,
    };
    const out = join(tmp.dir, 'out.mp4');
    const refused = await services.invoke('exportClip', { jobId: 'exp-0', sourcePath: clip, plan, outputPath: out, overwrite: false });
    expect(!refused.ok && refused.error.code).toBe('forbidden-path');
    save = out;
    expect(value<{ path: string }>(await services.invoke('chooseExportPath', { suggestedName: 'out.mp4' })).path).toBe(out);
    const result = value<{ outputPath: string; frames: number; leakCheck: unknown; warnings: string[] }>(await services.invoke('exportClip', { jobId: 'exp-1', sourcePath: clip, plan, outputPath: out, overwrite: false }));
    // A page reloaded during the export takes its result by job id; one main never ran is not known.
    expect(value(await services.invoke('exportResult', { jobId: 'exp-1' }))).toEqual({ result });
    expect(value(await services.invoke('exportResult', { jobId: 'exp-unknown' }))).toEqual({ result: null });
    expect(result.frames).toBe(60);
    expect(result.leakCheck).toBeNull(); // not asked for
    expect(result.warnings).toEqual([]);
    expect(events.some((e) => e.type === 'progress' && e.jobId === 'exp-1' && e.phase === 'redacting')).toBe(true);
    const verified = value<{ ok: boolean }>(await services.invoke('verify', { path: out }));
    expect(verified.ok).toBe(true);
    // A plan whose hash does not match the source is refused by the engine, with its clear message.
    const wrong = await services.invoke('exportClip', { jobId: 'exp-2', sourcePath: clip, plan: { ...plan, source: { ...plan.source, sha256: '0'.repeat(64) } }, outputPath: out, overwrite: true });
    expect(!wrong.ok && wrong.error.code).toBe('plan');
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(existsSync(out)).toBe(true);
  });

  it('an export tells the app what its report warns of: here, sound before the picture left out', async () => {
    const late = join(tmp.dir, 'late picture.mp4'); // made by the waveform test above
    const facts = value<ClipFacts>(await services.invoke('importClip', { jobId: 'imp-late-2', path: late }));
    const plan = {
      schema: PLAN_SCHEMA_ID,
      version: PLAN_VERSION,
      source: { name: facts.name, size: facts.size, sha256: facts.sha256, video: facts.video, hasAudio: facts.hasAudio },
      tracks: [],
      audio: [],
      output: DEFAULT_OUTPUT,
    };
    const out = join(tmp.dir, 'late out.mp4');
    save = out;
    value(await services.invoke('chooseExportPath', { suggestedName: 'late out.mp4' }));
    const result = value<{ warnings: string[] }>(await services.invoke('exportClip', { jobId: 'exp-late', sourcePath: late, plan, outputPath: out, overwrite: false }));
    expect(result.warnings).toEqual([expect.stringContaining('sound outside the picture was left out (0.50 s before the first frame)')]);
  });
});

/** Width and height from a JPEG's start-of-frame marker. */
function jpegSize(jpeg: Buffer): { width: number; height: number } {
  for (let i = 2; i + 9 < jpeg.length; ) {
    const marker = jpeg[i + 1]!;
    const length = jpeg.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc3) return { height: jpeg.readUInt16BE(i + 5), width: jpeg.readUInt16BE(i + 7) };
    i += 2 + length;
  }
  throw new Error('no start-of-frame marker');
}
