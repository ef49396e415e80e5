// Cached per-frame findings for the replay benches: a JSON file of the analysed frames (with the
// grey image's size) beside one raw file of the frames' grey images, end to end in frame order.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** The cache with each frame's `grey` image attached, or null when it has not been made. */
export function readFrameCache(jsonFile, greyFile) {
  if (!existsSync(jsonFile) || !existsSync(greyFile)) return null;
  const c = JSON.parse(readFileSync(jsonFile, 'utf8'));
  const g = readFileSync(greyFile);
  const size = c.grey.width * c.grey.height;
  c.frames.forEach((f, i) => (f.grey = { ...c.grey, data: new Uint8Array(g.buffer, g.byteOffset + i * size, size) }));
  return c;
}

/** Writes `cache` (its frames without grey images) and the frames' grey images (`greys`, in frame order). */
export function writeFrameCache(jsonFile, greyFile, cache, greys) {
  writeFileSync(jsonFile, JSON.stringify(cache));
  writeFileSync(greyFile, Buffer.concat(greys));
}
