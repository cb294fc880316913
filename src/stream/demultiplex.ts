import { ProtocolError, StreamError } from '../errors.js';
import { ChunkDecoder } from './chunk-decoder.js';
import { gatherInPlace } from './gather-in-place.js';
import type { OutputFrame, StreamName } from './frames.js';

const HEADER_BYTES = 8;
const STREAM_NAMES: Record<number, StreamName> = { 0: 'stdin', 1: 'stdout', 2: 'stderr' };
/** Stream 3 ("systemerr"): dockerd reports an error that happened after the stream started (e.g. a log driver failing). */
const SYSTEM_ERROR = 3;

/** Pieces smaller than this are gathered into one frame with their neighbours of the same stream. */
const SMALL_PIECE = 2048;
/** A gathered frame stops growing at this size. */
const GATHER_LIMIT = 16384;
const NO_STREAM = -1;
const EMPTY = new Uint8Array(0);

/**
 * Splits the engine's multiplexed stream (the "stdcopy" format: an 8-byte header with the stream number
 * and a big-endian length, then the payload) into frames.
 *
 * It never copies the rest of its input to find the next frame: payloads are views into the chunks as
 * they arrived, and a payload that spans chunks is passed on in pieces, so throughput does not fall with
 * small frames. Small frames that follow each other in one chunk on the same stream are passed on as one
 * (the one copy made, of a few KiB at most): a frame is a piece of its stream, and one `for await` step per
 * 100-byte log line would cost more than the line. Only a header split across chunks is copied (8 bytes).
 * A {@link ChunkDecoder}: a frame found in the chunk at hand is answered without an async generator's step.
 */
export function demultiplex(chunks: AsyncIterable<Uint8Array>, options: DemultiplexOptions = {}): AsyncIterableIterator<OutputFrame> {
  return new Demultiplexer(chunks[Symbol.asyncIterator](), options.ownsChunks === true);
}

/** How {@link demultiplex} may treat its input. */
export interface DemultiplexOptions {
  /**
   * The chunks belong to the decoder alone (a response body): small frames are then gathered in place,
   * over the headers between them, instead of into a new buffer per gathered frame.
   */
  ownsChunks?: boolean;
}

class Demultiplexer extends ChunkDecoder<OutputFrame> {
  readonly #header = new Uint8Array(HEADER_BYTES);
  #headerFill = 0;
  #chunk: Uint8Array = EMPTY;
  #offset = 0;
  /** The stream of the frame being read (a byte from the header), and its payload bytes still to come. */
  #stream = 1;
  #remaining = 0;
  #systemError: Uint8Array[] = [];
  /** Reused by every parse, written up to a local count: emptying an array (`length = 0`) costs more than a small frame. */
  readonly #ranges: number[] = [];
  /** An error found after a frame that is still to be delivered: thrown on the next call. */
  #error: unknown = undefined;

  readonly #ownsChunks: boolean;

  constructor(source: AsyncIterator<Uint8Array>, ownsChunks: boolean) {
    super(source);
    this.#ownsChunks = ownsChunks;
  }

  protected take(chunk: Uint8Array): void {
    this.#chunk = chunk;
    this.#offset = 0;
  }

  protected end(): undefined {
    if (this.#headerFill > 0 || this.#remaining > 0) {
      const missing = this.#headerFill > 0 ? 'header' : `${this.#remaining} bytes missing`;
      throw new ProtocolError(`The output stream ended inside a frame (${missing})`);
    }
    return undefined;
  }

  /** The next frame from the chunk at hand, or undefined when it holds no more. Throws on a broken stream. */
  protected decode(): OutputFrame | undefined {
    if (this.#error !== undefined) throw this.#error;
    const chunk = this.#chunk;
    const length = chunk.length;
    let offset = this.#offset;
    let runStream = NO_STREAM;
    // The frame to hand out: chunk[start..end) for each pair (small pieces of one stream, gathered).
    const ranges = this.#ranges;
    let used = 0;
    let runBytes = 0;
    try {
      while (offset < length) {
        const remaining = this.#remaining;
        if (remaining > 0) {
          const stream = this.#stream;
          if (runStream !== NO_STREAM && (stream !== runStream || remaining >= SMALL_PIECE || runBytes >= GATHER_LIMIT)) break;
          const end = Math.min(length, offset + remaining);
          this.#remaining = remaining - (end - offset);
          if (stream === SYSTEM_ERROR) {
            this.#systemError.push(chunk.slice(offset, end));
            offset = end;
            if (this.#remaining === 0) throw new StreamError(Buffer.concat(this.#systemError).toString('utf8').trim());
            continue;
          }
          ranges[used++] = offset;
          ranges[used++] = end;
          runBytes += end - offset;
          offset = end;
          if (runStream === NO_STREAM) {
            runStream = stream;
            if (runBytes >= SMALL_PIECE) break;
          }
          continue;
        }
        if (this.#headerFill === 0 && length - offset >= HEADER_BYTES) {
          this.#startFrame(chunk[offset]!, readLength(chunk, offset + 4));
          offset += HEADER_BYTES;
          continue;
        }
        // A header split across chunks: gather its 8 bytes.
        const take = Math.min(HEADER_BYTES - this.#headerFill, length - offset);
        this.#header.set(chunk.subarray(offset, offset + take), this.#headerFill);
        this.#headerFill += take;
        offset += take;
        if (this.#headerFill === HEADER_BYTES) {
          this.#headerFill = 0;
          this.#startFrame(this.#header[0]!, readLength(this.#header, 4));
        }
      }
    } catch (error) {
      if (used === 0) throw error;
      // Deliver what came before the error first.
      this.#error = error;
    }
    this.#offset = offset;
    if (used === 0) return undefined;
    let data: Uint8Array;
    if (used === 2) {
      data = chunk.subarray(ranges[0], ranges[1]);
    } else if (this.#ownsChunks) {
      data = gatherInPlace(chunk, ranges, used);
    } else {
      const joined = Buffer.allocUnsafe(runBytes);
      let at = 0;
      for (let i = 0; i < used; i += 2) {
        const start = ranges[i]!;
        const end = ranges[i + 1]!;
        if (chunk instanceof Buffer) chunk.copy(joined, at, start, end);
        else joined.set(chunk.subarray(start, end), at);
        at += end - start;
      }
      data = joined;
    }
    return { stream: STREAM_NAMES[runStream]!, data };
  }

  #startFrame(streamByte: number, length: number): void {
    // Streams 0 to 2 are stdin, stdout and stderr, 3 is SYSTEM_ERROR: a byte above is not this format.
    if (streamByte > SYSTEM_ERROR) throw new ProtocolError(`Unknown stream ${streamByte} in multiplexed output`);
    this.#stream = streamByte;
    this.#remaining = length;
    // Reset only for an error frame: this runs once per frame, and most are not.
    if (streamByte === SYSTEM_ERROR) this.#systemError = [];
  }
}

function readLength(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}

/** Output of a TTY: one stream, reported as stdout. */
export async function* rawFrames(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<OutputFrame> {
  for await (const data of chunks) yield { stream: 'stdout', data };
}
