#!/usr/bin/env node
// Does the export's encoder give the same bytes however frames reach it?
//
// usage: node bench/repeatable-encode.mjs [--rounds 12] [--parallel 3] [--hogs 4] [--x264-params P]
// Makes a 120-frame 480×270 NUT stream (testsrc2), then encodes it `rounds` × `parallel` times with the
// export's x264 settings, each time fed through a pipe in bursts of random size with random stalls of up
// to 150 ms, while `hogs` busy loops load the machine. Prints how many encodes gave each SHA-256: one line
// means every encode was identical. --x264-params defaults to the export's own (engine/export/ffmpeg-args).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const ROOT = new URL('..', import.meta.url).pathname;
const { X264_PARAMS } = await import(join(ROOT, 'dist', 'engine', 'export', 'ffmpeg-args.js'));
const rounds = Number(args.rounds ?? 12);
const parallel = Number(args.parallel ?? 3);
const hogs = Number(args.hogs ?? 4);
const params = args['x264-params'] ?? X264_PARAMS;

const work = mkdtempSync(join(tmpdir(), 'repeatable-'));
const source = join(work, 'src.nut');
const made = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=480x270:rate=30:duration=4', '-c:v', 'rawvideo', '-pix_fmt', 'yuv420p', '-f', 'nut', source]);
if (made.status !== 0) throw new Error(`ffmpeg could not make the source: ${made.stderr}`);

let seed = (Date.now() ^ process.pid) & 0x7fffffff;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;

/** One encode, its input written in random bursts with random stalls; resolves to the output's SHA-256. */
function encode(out) {
  const ff = spawn('ffmpeg', ['-v', 'error', '-y', '-f', 'nut', '-i', 'pipe:0', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', ...(params ? ['-x264-params', params] : []), '-f', 'mp4', out], { stdio: ['pipe', 'ignore', 'inherit'] });
  const fd = openSync(source, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  const pump = () => {
    const n = readSync(fd, buf, 0, 1024 + Math.floor(rand() * rand() * buf.length));
    if (!n) return ff.stdin.end();
    const next = () => setTimeout(pump, rand() < 0.5 ? 0 : rand() * 150);
    if (ff.stdin.write(Buffer.from(buf.subarray(0, n)))) next();
    else ff.stdin.once('drain', next);
  };
  pump();
  return new Promise((resolve, reject) => ff.on('close', (code) => (code === 0 ? resolve(createHash('sha256').update(readFileSync(out)).digest('hex')) : reject(new Error(`ffmpeg exited ${code}`)))));
}

const busy = Array.from({ length: hogs }, () => new Worker('for (;;) {}', { eval: true }));
const counts = new Map();
try {
  for (let r = 0; r < rounds; r++) {
    const hashes = await Promise.all(Array.from({ length: parallel }, (_, i) => encode(join(work, `out-${i}.mp4`))));
    for (const h of hashes) counts.set(h, (counts.get(h) ?? 0) + 1);
  }
} finally {
  await Promise.all(busy.map((w) => w.terminate()));
  rmSync(work, { recursive: true, force: true });
}
console.log(`# ${new Date().toISOString()} — ${rounds * parallel} encodes, x264-params '${params}', ${hogs} busy loops`);
for (const [hash, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(4)}  ${hash}`);
console.log(counts.size === 1 ? 'identical: every encode gave the same bytes' : `DIFFERENT: ${counts.size} distinct outputs`);
process.exitCode = counts.size === 1 ? 0 : 1;
