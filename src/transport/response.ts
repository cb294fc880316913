import type { Duplex } from 'node:stream';
import { ProtocolError, TimeoutError } from '../errors.js';

/** Bytes buffered for a reader before the socket is paused (back-pressure). */
const HIGH_WATER_MARK = 256 * 1024;

/** What a {@link HttpResponse} needs from the connection under it. */
export interface ResponseSource {
  /** Stop reading from the socket (too much buffered). */
  pause(): void;
  /** Start reading again. */
  resume(): void;
  /** The reader left before the end: the connection cannot be reused. */
  cancel(reason?: unknown): void;
  /** For a 101: hand over the raw stream, with the bytes already read after the head. */
  takeOver(): Duplex;
}

/**
 * A response from the engine: status and headers at once, the body as an async iterable of byte
 * chunks read with back-pressure. Reading it to the end returns the connection to the pool; leaving a
 * `for await` early closes the connection.
 */
export class HttpResponse implements AsyncIterable<Buffer> {
  /** HTTP status code. */
  readonly status: number;
  /** Reason phrase. */
  readonly statusText: string;
  /** Response headers, names in lower case. */
  readonly headers: Map<string, string>;

  readonly #source: ResponseSource;
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  #ended = false;
  #error: unknown = undefined;
  #waiter: (() => void) | undefined;
  #paused = false;
  #iterating = false;
  #idleTimeout = 0;

  constructor(status: number, statusText: string, headers: Map<string, string>, source: ResponseSource) {
    this.status = status;
    this.statusText = statusText;
    this.headers = headers;
    this.#source = source;
  }

  /** True when the whole body has been read (or there was none). */
  get complete(): boolean {
    return this.#ended && this.#queue.length === 0;
  }

  /**
   * Fails the body with a {@link TimeoutError} (and closes the connection) when a reader waits more than `ms`
   * milliseconds for the next piece. Measured while the reader waits, so a slow reader never trips it.
   * 0 turns it off (the default: a quiet `logs -f` or `events` is not a dead engine).
   */
  setIdleTimeout(ms: number): void {
    this.#idleTimeout = ms;
  }

  /** @internal Called by the connection with each body piece. */
  pushBody(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#queue.push(chunk);
    this.#queuedBytes += chunk.length;
    if (this.#queuedBytes > HIGH_WATER_MARK && !this.#paused) {
      this.#paused = true;
      this.#source.pause();
    }
    this.#wake();
  }

  /** @internal Called by the connection when the body is complete. */
  endBody(): void {
    this.#ended = true;
    this.#wake();
  }

  /** @internal Called by the connection when the body cannot be completed. */
  failBody(error: unknown): void {
    if (this.#ended) return;
    this.#error = error;
    this.#ended = true;
    this.#wake();
  }

  #wake(): void {
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter();
    }
  }

  /** Reads the next body chunk; `undefined` at the end. */
  async read(): Promise<Buffer | undefined> {
    for (;;) {
      const chunk = this.#take();
      if (chunk !== undefined) return chunk;
      if (this.#error !== undefined) throw this.#error;
      if (this.#ended) return undefined;
      if (this.#idleTimeout > 0) await this.#waitAtMost(this.#idleTimeout);
      else await new Promise<void>((resolve) => { this.#waiter = resolve; });
    }
  }

  /** The next queued chunk, if any (resuming the socket once enough was read). */
  #take(): Buffer | undefined {
    const chunk = this.#queue.shift();
    if (chunk !== undefined) {
      this.#queuedBytes -= chunk.length;
      if (this.#paused && this.#queuedBytes <= HIGH_WATER_MARK / 2) {
        this.#paused = false;
        this.#source.resume();
      }
    }
    return chunk;
  }

  async #waitAtMost(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.#waiter = resolve;
      timer = setTimeout(() => {
        if (this.#waiter !== resolve) return;
        const error = new TimeoutError(`The engine sent nothing for ${ms} ms (idle timeout)`);
        this.cancel(error);
        this.#error = error;
        resolve();
      }, ms);
    });
    clearTimeout(timer);
  }

  /** Stops reading: a body not read to the end closes the connection instead of returning it to the pool. */
  cancel(reason?: unknown): void {
    if (this.#ended && this.#error === undefined) {
      this.#queue = [];
      this.#queuedBytes = 0;
      return;
    }
    this.#ended = true;
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#source.cancel(reason);
    this.#wake();
  }

  /**
   * The body's chunks as they arrive; reading is paced by the loop (back-pressure). Iterate once.
   * A hand-written iterator rather than an async generator: a chunk already queued is answered at once,
   * without a generator's suspension and an async `read()` per chunk.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<Buffer> {
    let started = false;
    let finished = false;
    const done: IteratorReturnResult<undefined> = { value: undefined, done: true };
    const iterator: AsyncIterableIterator<Buffer> = {
      next: () => {
        if (!started) {
          started = true;
          if (this.#iterating) {
            finished = true;
            return Promise.reject(new ProtocolError('A response body can be read only once'));
          }
          this.#iterating = true;
        }
        if (finished) return Promise.resolve(done);
        const chunk = this.#take();
        if (chunk !== undefined) return Promise.resolve({ value: chunk, done: false });
        return this.read().then(
          (next) => {
            if (next !== undefined) return { value: next, done: false };
            finished = true;
            return done;
          },
          (error: unknown) => {
            // As when a loop is left early: a body not read to the end never goes back to the pool.
            finished = true;
            this.cancel();
            throw error;
          },
        );
      },
      return: () => {
        if (started && !finished) this.cancel();
        finished = true;
        return Promise.resolve(done);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Reads the whole body into one buffer. */
  async bytes(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this) chunks.push(chunk);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }

  /** Reads the whole body as UTF-8 text. */
  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  /** Reads the whole body and parses it as JSON. */
  async json<T = unknown>(): Promise<T> {
    const text = await this.text();
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new ProtocolError(`The engine sent invalid JSON (${text.length} bytes): ${text.slice(0, 80)}`, { cause: error });
    }
  }

  /** Reads and drops the body so the connection can be reused. */
  async discard(): Promise<void> {
    if (this.#ended && this.#error === undefined && this.#queue.length === 0) return; // nothing to read (HEAD, 204)
    while ((await this.read()) !== undefined) { /* drain */ }
  }

  /**
   * For a `101 Switching Protocols` (or a `200` whose body runs until the connection closes, which some
   * engines send instead of a 101): the raw stream to the engine, starting with any bytes already read.
   * The connection leaves the pool for good.
   */
  takeOver(): Duplex {
    const stream = this.#source.takeOver();
    // Body bytes read before the take-over belong to the raw stream: give them back in order.
    if (this.#queue.length > 0) stream.unshift(Buffer.concat(this.#queue));
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#ended = true;
    this.#paused = false;
    return stream;
  }
}
