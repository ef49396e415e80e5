import type { Readable, Writable } from 'node:stream';
import { UserError } from '../errors';
import type { FfmpegRun } from '../ffmpeg/run';
import type { DirectReader } from '../ffmpeg/stdout-reader';
import { NutFormatError, NutFrameSplitter } from '../media/nut-frames';

export interface PumpStats {
  frames: number;
  framesWithRegions: number;
  regionsDrawn: number;
}

export interface PumpOptions {
  frameSize: number;
  /** Draws on frame `k` of the output in place; returns how many regions it drew. */
  render: (k: number, payload: Buffer) => number;
  onFrame: (framesDone: number) => void;
}

/**
 * A few frames may queue for the encoder so both ffmpeg processes stay busy (waiting for each frame
 * to drain would serialise decoding and encoding); beyond that reading pauses, so memory stays flat
 * however long the clip.
 */
const QUEUED_FRAMES_HIGH = 4;
const QUEUED_FRAMES_LOW = 2;
/** Bytes allowed for a NUT frame header on top of the frame's payload. */
const HEADER_ROOM = 256;

/**
 * Moves NUT units from decoder to encoder, drawing regions on each video frame. The decoder's bytes
 * are read straight into the frame buffers (it is the `DirectReader` of an `openStdoutReader`), and a
 * frame's buffer is reused once the encoder's pipe has taken it, so a frame costs no allocation.
 */
export class FramePump implements DirectReader {
  readonly stats: PumpStats = { frames: 0, framesWithRegions: 0, regionsDrawn: 0 };
  /** Memory of frames the encoder's pipe has taken, for the next frames. */
  private readonly spare: ArrayBufferLike[] = [];
  private readonly splitter = new NutFrameSplitter((size) => {
    // A frame's header varies by a byte or two (its time stamp's coding), so memory is reused by
    // capacity, with room to spare; reusing only exact sizes missed one frame in four.
    const reused = this.spare.pop();
    const memory = reused && reused.byteLength >= size ? reused : Buffer.allocUnsafeSlow(size + HEADER_ROOM).buffer;
    return Buffer.from(memory, 0, size);
  });
  private sink: Writable | null = null;
  private reader: Readable | null = null;
  private paused = false;
  private failure: ((err: unknown) => void) | null = null;

  constructor(private readonly options: PumpOptions) {}

  readTarget(): Uint8Array {
    return this.splitter.readTarget();
  }

  onRead(count: number): boolean {
    const sink = this.sink;
    if (!sink || !this.failure) return false;
    let units;
    try {
      units = this.splitter.wrote(count);
    } catch (err) {
      this.failure(err instanceof NutFormatError ? new UserError('input', `cannot read the decoded frames: ${err.message}`) : err);
      return false;
    }
    for (const unit of units) {
      if (unit.kind !== 'frame') {
        sink.write(unit.bytes, this.onWritten);
        continue;
      }
      if (unit.payload.length !== this.options.frameSize) {
        this.failure(new UserError('input', `a decoded frame has ${unit.payload.length} bytes, expected ${this.options.frameSize}: the picture size changes mid-stream, which is not supported`));
        return false;
      }
      const drawn = this.options.render(this.stats.frames, unit.payload);
      this.stats.regionsDrawn += drawn;
      if (drawn) this.stats.framesWithRegions++;
      this.stats.frames++;
      this.options.onFrame(this.stats.frames);
      const bytes = unit.bytes;
      sink.write(bytes, () => {
        if (this.spare.length < QUEUED_FRAMES_HIGH + 2) this.spare.push(bytes.buffer);
        this.onWritten();
      });
    }
    if (sink.writableLength > QUEUED_FRAMES_HIGH * this.options.frameSize) {
      this.paused = true;
      return false;
    }
    return true;
  }

  private readonly onWritten = () => {
    if (this.paused && this.sink && this.sink.writableLength <= QUEUED_FRAMES_LOW * this.options.frameSize) {
      this.paused = false;
      this.reader?.resume();
    }
  };

  /** Pumps until the decoder's stream ends; `reader` is the paused stream `openStdoutReader` attached. */
  run(reader: Readable, decoder: FfmpegRun, encoder: FfmpegRun): Promise<PumpStats> {
    this.reader = reader;
    this.sink = encoder.stdin!;
    return new Promise<PumpStats>((resolvePump, reject) => {
      const fail = (err: unknown) => {
        if (!this.failure) return;
        this.failure = null;
        reader.destroy();
        reject(err);
      };
      this.failure = fail;
      // If the encoder dies, its error (from `done`) is the one worth reporting.
      encoder.done.catch(fail);
      decoder.done.catch(fail);
      reader.on('error', fail);
      reader.on('end', () => {
        if (!this.failure) return;
        // A decoder that was killed also ends mid-frame; its own error, once known, says so better.
        if (!this.splitter.atBoundary) return void decoder.done.then(() => fail(new UserError('input', 'the decoded stream ended mid-frame: the source may be truncated')), fail);
        this.sink!.end(() => resolvePump(this.stats));
      });
      reader.resume();
    });
  }
}
