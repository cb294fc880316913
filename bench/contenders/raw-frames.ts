/**
 * The limit of the frame API, for the logs scenarios only (bench/probes/frame-limit.ts): the raw client's
 * reading, plus exactly what `for await (const frame of docker.containers.logs(…))` obliges any client to do,
 * and nothing else. Each run of one stream within a socket read becomes one contiguous `Uint8Array` (small
 * payloads moved together in place, over the chunk framing and frame headers between them, as Berth does;
 * large ones passed as views), wrapped in a `{ stream, data }` object and handed to a `for await` step. No
 * errors, no back-pressure, no stream 3, no timeouts: a limit, not a library.
 */
import { RawClient, requestHead, type BodySink } from '../raw-client.js';
import type { Contender, StreamCounts } from './contender.js';

const SMALL_PIECE = 2048;
const GATHER_LIMIT = 16384;

interface Frame { stream: 'stdout' | 'stderr'; data: Uint8Array }

/** Decodes frames from the body pieces the raw client hands over, into a queue a `for await` reads. */
class FrameQueue implements BodySink, AsyncIterator<Frame> {
  readonly #frames: Frame[] = [];
  #head = 0;
  #ended = false;
  #waiter: ((result: IteratorResult<Frame>) => void) | undefined;
  // The run being gathered: chunk[runStart..runEnd) of one stream.
  #runChunk: Buffer | undefined;
  #runStart = 0;
  #runEnd = 0;
  #runStream = 0;
  // The frame being read.
  #stream = 1;
  #remaining = 0;
  readonly #header = Buffer.alloc(8);
  #headerRead = 0;

  data(chunk: Buffer, start: number, end: number): void {
    if (chunk !== this.#runChunk) this.#emit();
    let at = start;
    while (at < end) {
      if (this.#remaining > 0) {
        const to = Math.min(end, at + this.#remaining);
        this.#remaining -= to - at;
        this.#payload(chunk, at, to);
        at = to;
      } else if (this.#headerRead === 0 && end - at >= 8) {
        this.#stream = chunk[at]!;
        this.#remaining = chunk.readUInt32BE(at + 4);
        at += 8;
      } else {
        this.#header[this.#headerRead++] = chunk[at++]!;
        if (this.#headerRead === 8) {
          this.#headerRead = 0;
          this.#stream = this.#header[0]!;
          this.#remaining = this.#header.readUInt32BE(4);
        }
      }
    }
  }

  #payload(chunk: Buffer, from: number, to: number): void {
    const length = to - from;
    const runLength = this.#runEnd - this.#runStart;
    if (this.#runChunk === chunk && this.#stream === this.#runStream && length < SMALL_PIECE && runLength > 0 && runLength < GATHER_LIMIT) {
      chunk.copyWithin(this.#runEnd, from, to);
      this.#runEnd += length;
      return;
    }
    this.#emit();
    this.#runChunk = chunk;
    this.#runStream = this.#stream;
    this.#runStart = from;
    this.#runEnd = to;
    if (length >= SMALL_PIECE) this.#emit();
  }

  #emit(): void {
    const chunk = this.#runChunk;
    if (chunk === undefined || this.#runEnd === this.#runStart) return;
    this.#push({ stream: this.#runStream === 2 ? 'stderr' : 'stdout', data: chunk.subarray(this.#runStart, this.#runEnd) });
    this.#runStart = this.#runEnd;
  }

  #push(frame: Frame): void {
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter({ value: frame, done: false });
    } else {
      this.#frames.push(frame);
    }
  }

  end(): void {
    this.#emit();
    this.#ended = true;
    this.#waiter?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<Frame>> {
    if (this.#head < this.#frames.length) {
      const frame = this.#frames[this.#head++]!;
      if (this.#head === this.#frames.length) { this.#frames.length = 0; this.#head = 0; }
      return Promise.resolve({ value: frame, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => { this.#waiter = resolve; });
  }

  [Symbol.asyncIterator](): AsyncIterator<Frame> {
    return this;
  }
}

export function rawFramesContender(socketPath: string): Contender {
  const client = new RawClient(socketPath);
  const unsupported = (): never => { throw new Error('raw-frames measures the logs scenarios only'); };
  return {
    name: 'raw-frames',
    ping: unsupported,
    list: unsupported,
    inspect: unsupported,
    events: unsupported,
    lifecycle: unsupported,
    async logs(id): Promise<StreamCounts> {
      const queue = new FrameQueue();
      const done = client.request(requestHead('GET', `/v1.41/containers/${id}/logs?stdout=1&stderr=1`), queue).then(() => queue.end());
      let stdout = 0;
      let stderr = 0;
      for await (const frame of { [Symbol.asyncIterator]: () => queue }) {
        if (frame.stream === 'stderr') stderr += frame.data.length; else stdout += frame.data.length;
      }
      await done;
      return { stdout, stderr };
    },
    close() {
      client.close();
    },
  };
}
