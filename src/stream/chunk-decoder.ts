import { CLOSES_ITS_SOURCE } from './deferred-iterator.js';

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * The iterator under Berth's stream decoders (multiplexed output, JSON lines): it pulls byte chunks from a
 * source and hands out the values a subclass decodes from them. Hand-written rather than an async generator:
 * a value found in the chunk at hand is answered without a generator's suspension and resumption, which on a
 * stream of small values (log lines, events) cost more than decoding them.
 *
 * It reads its source to the end, and closes it when decoding fails or the reader leaves early.
 */
export abstract class ChunkDecoder<T> implements AsyncIterableIterator<T> {
  readonly [CLOSES_ITS_SOURCE] = true;
  readonly #source: AsyncIterator<Uint8Array>;
  #finished = false;

  constructor(source: AsyncIterator<Uint8Array>) {
    this.#source = source;
  }

  /** Takes the next chunk from the source; {@link decode} reads from it next. */
  protected abstract take(chunk: Uint8Array): void;

  /** The next value from the chunk at hand, or `undefined` when it holds no more. Throws on a broken stream. */
  protected abstract decode(): T | undefined;

  /** The source has ended: a last value, or `undefined`. Throws when it ended inside a value. */
  protected abstract end(): T | undefined;

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#finished) return Promise.resolve(DONE);
    try {
      const value = this.decode();
      if (value !== undefined) return Promise.resolve({ value, done: false });
    } catch (error) {
      return this.#fail(error);
    }
    return this.#pull();
  }

  async return(): Promise<IteratorResult<T>> {
    if (!this.#finished) {
      this.#finished = true;
      await this.#source.return?.();
    }
    return DONE;
  }

  async #pull(): Promise<IteratorResult<T>> {
    for (;;) {
      let result: IteratorResult<Uint8Array>;
      try {
        result = await this.#source.next();
      } catch (error) {
        this.#finished = true;
        throw error;
      }
      if (result.done) {
        this.#finished = true;
        const last = this.end();
        return last === undefined ? DONE : { value: last, done: false };
      }
      this.take(result.value);
      try {
        const value = this.decode();
        if (value !== undefined) return { value, done: false };
      } catch (error) {
        return this.#fail(error);
      }
    }
  }

  async #fail(error: unknown): Promise<never> {
    this.#finished = true;
    // The rest of the body is of no use: release the connection under it.
    await this.#source.return?.();
    throw error;
  }
}
