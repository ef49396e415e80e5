/**
 * Splits a NUT byte stream (ffmpeg's `-f nut`) into its units so raw video frames can be edited in
 * place and the stream passed on byte-for-byte otherwise. NUT is used between our decoder and encoder
 * because, unlike a bare rawvideo pipe, it carries each frame's time stamp: variable-frame-rate
 * sources keep their exact timing. Only the header fields needed to find frame boundaries are
 * decoded (spec: NUT version 3, as ffmpeg writes it). Frame payloads are not checksummed in NUT,
 * so editing pixels leaves the stream valid.
 */

const FILE_ID = Buffer.from('nut/multimedia container\0', 'latin1');
const MAIN_STARTCODE = 0x4e4d7a561f5f04adn;
const N = 0x4e;

const FLAG_CODED_PTS = 8;
const FLAG_STREAM_ID = 16;
const FLAG_SIZE_MSB = 32;
const FLAG_CHECKSUM = 64;
const FLAG_RESERVED = 128;
const FLAG_SM_DATA = 256;
const FLAG_HEADER_IDX = 1024;
const FLAG_MATCH_TIME = 2048;
const FLAG_CODED = 4096;
const FLAG_INVALID = 8192;

interface FrameCode {
  flags: number;
  streamId: number;
  sizeMul: number;
  sizeLsb: number;
  reservedCount: number;
  headerIdx: number;
}

/** A complete unit of the stream. For frames, `payload` views the frame's data inside `bytes`. */
export type NutUnit =
  | { kind: 'other'; bytes: Buffer }
  | { kind: 'frame'; bytes: Buffer; payload: Buffer; streamId: number };

export class NutFormatError extends Error {}

class NeedMore extends Error {}

/** Reads NUT's variable-length numbers from a buffer, throwing NeedMore at its end. */
class Reader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}
  byte(): number {
    if (this.pos >= this.buf.length) throw new NeedMore();
    return this.buf[this.pos++]!;
  }
  v(): number {
    let value = 0;
    for (let i = 0; i < 9; i++) {
      const b = this.byte();
      value = value * 128 + (b & 0x7f);
      if (!(b & 0x80)) return value;
    }
    throw new NutFormatError('variable-length number too long');
  }
  s(): number {
    const t = this.v() + 1;
    return t % 2 ? -(t - 1) / 2 : t / 2;
  }
  skip(n: number): void {
    if (this.pos + n > this.buf.length) throw new NeedMore();
    this.pos += n;
  }
}

export class NutFrameSplitter {
  /**
   * @param allocate gives the buffer a frame unit is assembled in; a caller that recycles buffers
   * after use saves allocating (and collecting) megabytes per frame.
   */
  constructor(private readonly allocate: (size: number) => Buffer = (size) => Buffer.allocUnsafe(size)) {}

  private pending: Buffer = Buffer.alloc(0);
  private sawFileId = false;
  private codes: FrameCode[] | null = null;
  private streamCount = 0;
  /** A frame being filled: header already copied, payload arriving in chunks. */
  private filling: { unit: Buffer; filled: number; payloadStart: number; streamId: number } | null = null;

  /** Where bytes between units are read to before parsing; anything kept after a read is copied out. */
  private readonly staging = Buffer.allocUnsafe(64 * 1024);

  /**
   * Where the next bytes should be read to: the rest of the frame being filled, so a frame's payload
   * lands in its own buffer without being copied, else a staging buffer.
   */
  readTarget(): Buffer {
    return this.filling ? this.filling.unit.subarray(this.filling.filled) : this.staging;
  }

  /** Takes `count` bytes just read into `readTarget()`; returns the units they complete, in order. */
  wrote(count: number): NutUnit[] {
    const f = this.filling;
    if (!f) return this.parse(this.staging.subarray(0, count));
    f.filled += count;
    if (f.filled < f.unit.length) return [];
    this.filling = null;
    return [{ kind: 'frame', bytes: f.unit, payload: f.unit.subarray(f.payloadStart), streamId: f.streamId }];
  }

  /** Feeds bytes from elsewhere (they are copied); returns the units completed by them, in order. */
  push(chunk: Buffer): NutUnit[] {
    const units: NutUnit[] = [];
    for (let offset = 0; offset < chunk.length; ) {
      const target = this.readTarget();
      const count = Math.min(target.length, chunk.length - offset);
      chunk.copy(target, 0, offset, offset + count);
      offset += count;
      units.push(...this.wrote(count));
    }
    return units;
  }

  private parse(chunk: Buffer): NutUnit[] {
    const units: NutUnit[] = [];
    let data = chunk;
    for (;;) {
      if (this.filling) {
        const f = this.filling;
        const take = Math.min(f.unit.length - f.filled, data.length);
        data.copy(f.unit, f.filled, 0, take);
        f.filled += take;
        data = data.subarray(take);
        if (f.filled < f.unit.length) break;
        units.push({ kind: 'frame', bytes: f.unit, payload: f.unit.subarray(f.payloadStart), streamId: f.streamId });
        this.filling = null;
      }
      this.pending = this.pending.length ? Buffer.concat([this.pending, data]) : data;
      data = Buffer.alloc(0);
      if (!this.pending.length) break;
      const parsed = this.parseUnit();
      if (!parsed) break; // need more bytes
      if (parsed.kind === 'other') {
        units.push(parsed);
        continue;
      }
      // Frame header parsed: start filling a buffer of exactly header + payload.
      const unit = this.allocate(parsed.headerLength + parsed.payloadLength);
      const have = Math.min(this.pending.length, unit.length);
      this.pending.copy(unit, 0, 0, have);
      data = this.pending.subarray(have);
      this.pending = Buffer.alloc(0);
      this.filling = { unit, filled: have, payloadStart: parsed.headerLength, streamId: parsed.streamId };
    }
    // A partial unit may still view the staging buffer, which the next read overwrites.
    if (this.pending.buffer === this.staging.buffer) this.pending = Buffer.from(this.pending);
    return units;
  }

  /** True when the stream ended on a unit boundary. */
  get atBoundary(): boolean {
    return !this.filling && this.pending.length === 0;
  }

  private parseUnit():
    | { kind: 'other'; bytes: Buffer }
    | { kind: 'frame'; headerLength: number; payloadLength: number; streamId: number }
    | null {
    const r = new Reader(this.pending);
    try {
      if (!this.sawFileId) {
        r.skip(FILE_ID.length);
        if (!this.pending.subarray(0, FILE_ID.length).equals(FILE_ID)) throw new NutFormatError('not a NUT stream');
        this.sawFileId = true;
        return this.take(r.pos);
      }
      if (this.pending[0] === N) return this.parsePacket(r);
      return this.parseFrameHeader(r);
    } catch (err) {
      if (err instanceof NeedMore) return null;
      throw err;
    }
  }

  private take(length: number): { kind: 'other'; bytes: Buffer } {
    const bytes = Buffer.from(this.pending.subarray(0, length));
    this.pending = this.pending.subarray(length);
    return { kind: 'other', bytes };
  }

  private parsePacket(r: Reader): { kind: 'other'; bytes: Buffer } {
    r.skip(8);
    const startcode = this.pending.readBigUInt64BE(0);
    const forwardPtr = r.v();
    if (forwardPtr > 4096) r.skip(4); // header checksum
    const contentStart = r.pos;
    r.skip(forwardPtr);
    if (startcode === MAIN_STARTCODE) this.readMainHeader(new Reader(this.pending.subarray(contentStart, contentStart + forwardPtr)));
    return this.take(r.pos);
  }

  private readMainHeader(r: Reader): void {
    const version = r.v();
    if (version > 3) r.v(); // minor version
    this.streamCount = r.v();
    r.v(); // max_distance
    const timeBaseCount = r.v();
    for (let i = 0; i < timeBaseCount; i++) {
      r.v();
      r.v();
    }
    const codes: FrameCode[] = [];
    let tmpPts = 0;
    let tmpMul = 1;
    let tmpStream = 0;
    let tmpHeadIdx = 0;
    for (let i = 0; i < 256; ) {
      const tmpFlags = r.v();
      const fields = r.v();
      if (fields > 0) tmpPts = r.s();
      if (fields > 1) tmpMul = r.v();
      if (fields > 2) tmpStream = r.v();
      const tmpSize = fields > 3 ? r.v() : 0;
      const tmpRes = fields > 4 ? r.v() : 0;
      const count = fields > 5 ? r.v() : tmpMul - tmpSize;
      if (fields > 6) r.s(); // match time delta
      if (fields > 7) tmpHeadIdx = r.v();
      for (let f = 8; f < fields; f++) r.v();
      if (count <= 0 || count > 256) throw new NutFormatError('bad frame code table');
      for (let j = 0; j < count && i < 256; j++, i++) {
        if (i === N) {
          codes.push({ flags: FLAG_INVALID, streamId: 0, sizeMul: 1, sizeLsb: 0, reservedCount: 0, headerIdx: 0 });
          j--;
          continue;
        }
        codes.push({ flags: tmpFlags, streamId: tmpStream, sizeMul: tmpMul, sizeLsb: tmpSize + j, reservedCount: tmpRes, headerIdx: tmpHeadIdx });
      }
    }
    void tmpPts;
    this.codes = codes;
  }

  private parseFrameHeader(r: Reader): { kind: 'frame'; headerLength: number; payloadLength: number; streamId: number } {
    if (!this.codes) throw new NutFormatError('frame before main header');
    const code = this.codes[r.byte()]!;
    let flags = code.flags;
    if (flags & FLAG_INVALID) throw new NutFormatError('invalid frame code');
    if (flags & FLAG_CODED) flags ^= r.v();
    const streamId = flags & FLAG_STREAM_ID ? r.v() : code.streamId;
    if (streamId >= this.streamCount) throw new NutFormatError('frame for unknown stream');
    if (flags & FLAG_CODED_PTS) r.v();
    const sizeMsb = flags & FLAG_SIZE_MSB ? r.v() : 0;
    if (flags & FLAG_MATCH_TIME) r.s();
    const headerIdx = flags & FLAG_HEADER_IDX ? r.v() : code.headerIdx;
    const reserved = flags & FLAG_RESERVED ? r.v() : code.reservedCount;
    for (let i = 0; i < reserved; i++) r.v();
    if (flags & FLAG_CHECKSUM) r.skip(4);
    if (flags & FLAG_SM_DATA) throw new NutFormatError('NUT side data is not supported');
    const size = code.sizeLsb + sizeMsb * code.sizeMul;
    // Header elision applies only to small frames of compressed codecs; never to raw video.
    if (headerIdx !== 0 && size <= 4096) throw new NutFormatError('NUT header elision is not supported');
    return { kind: 'frame', headerLength: r.pos, payloadLength: size, streamId };
  }
}
