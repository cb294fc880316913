import { ProtocolError } from '../errors.js';
import { CLOSES_ITS_SOURCE } from './deferred-iterator.js';

const NEWLINE = 10;
const EMPTY = Buffer.alloc(0);
const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };
/** "No complete line in the chunk at hand" (a parsed line is any JSON value, so `undefined` cannot say it). */
const NONE: unique symbol = Symbol('none');

/**
 * Decodes a stream of JSON values separated by newlines (events, stats, progress). A value split across
 * chunks, or several in one chunk, both decode correctly; blank lines are skipped.
 *
 * Lines are found in the bytes and each is decoded on its own (a newline byte never occurs inside a UTF-8
 * sequence, so a character cut between chunks is whole again once its line is joined). A hand-written
 * iterator rather than an async generator: a value whose line is in the chunk at hand is answered without a
 * generator's suspension and resumption (an event stream is many short lines; measured: a fifth of its time).
 */
export function jsonLines<T>(chunks: AsyncIterable<Uint8Array>): AsyncIterableIterator<T> {
  return new JsonLineDecoder<T>(chunks[Symbol.asyncIterator]());
}

class JsonLineDecoder<T> implements AsyncIterableIterator<T> {
  /** It reads its source to the end, and closes it when it fails or is left early. */
  readonly [CLOSES_ITS_SOURCE] = true;
  readonly #source: AsyncIterator<Uint8Array>;
  #chunk: Buffer = EMPTY;
  #offset = 0;
  /** The pieces of a line not yet complete, joined once its newline comes (never searched again). */
  #pending: Buffer[] = [];
  #finished = false;

  constructor(source: AsyncIterator<Uint8Array>) {
    this.#source = source;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#finished) return Promise.resolve(DONE);
    try {
      const value = this.#parse();
      if (value !== NONE) return Promise.resolve({ value, done: false });
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
        // The last value may come without a newline (some engines end the stream that way).
        const last = Buffer.concat(this.#pending);
        this.#pending = [];
        if (isBlank(last, 0, last.length)) return DONE;
        return { value: parseLine<T>(last.toString('utf8')), done: false };
      }
      const chunk = result.value;
      this.#chunk = chunk instanceof Buffer ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      this.#offset = 0;
      try {
        const value = this.#parse();
        if (value !== NONE) return { value, done: false };
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

  /** The next value whose line ends in the chunk at hand, or NONE. Throws a ProtocolError on a line that is not JSON. */
  #parse(): T | typeof NONE {
    const chunk = this.#chunk;
    for (;;) {
      const start = this.#offset;
      if (start >= chunk.length) return NONE;
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline < 0) {
        this.#pending.push(chunk.subarray(start));
        this.#offset = chunk.length;
        return NONE;
      }
      this.#offset = newline + 1;
      if (this.#pending.length > 0) {
        this.#pending.push(chunk.subarray(start, newline));
        const line = Buffer.concat(this.#pending);
        this.#pending = [];
        if (!isBlank(line, 0, line.length)) return parseLine<T>(line.toString('utf8'));
      } else if (!isBlank(chunk, start, newline)) {
        return parseLine<T>(chunk.toString('utf8', start, newline));
      }
    }
  }
}

/** True when `bytes[start..end)` is only spaces, tabs and carriage returns (a blank line, CRLF included). */
function isBlank(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = bytes[i];
    if (byte !== 32 && byte !== 9 && byte !== 13) return false;
  }
  return true;
}

function parseLine<T>(line: string): T {
  try {
    return JSON.parse(line) as T;
  } catch (error) {
    throw new ProtocolError(`The engine sent a line that is not JSON: ${line.slice(0, 80)}`, { cause: error });
  }
}
