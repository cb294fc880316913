import { ProtocolError } from '../errors.js';
import { ChunkDecoder } from './chunk-decoder.js';

const NEWLINE = 10;
const EMPTY = Buffer.alloc(0);

/**
 * Decodes a stream of JSON values separated by newlines (events, stats, progress). A value split across
 * chunks, or several in one chunk, both decode correctly; blank lines are skipped.
 *
 * Lines are found in the bytes and each is decoded on its own (a newline byte never occurs inside a UTF-8
 * sequence, so a character cut between chunks is whole again once its line is joined). A {@link ChunkDecoder}:
 * a value whose line is in the chunk at hand is answered without an async generator's step (an event stream is
 * many short lines; with a generator and a TextDecoder pass over each chunk it read 0.7x the raw socket's rate).
 * `JSON.parse` never returns `undefined`, so `undefined` can mean "no complete line yet".
 */
export function jsonLines<T>(chunks: AsyncIterable<Uint8Array>): AsyncIterableIterator<T> {
  return new JsonLineDecoder<T>(chunks[Symbol.asyncIterator]());
}

class JsonLineDecoder<T> extends ChunkDecoder<T> {
  #chunk: Buffer = EMPTY;
  #offset = 0;
  /** The pieces of a line not yet complete, joined once its newline comes (never searched again). */
  #pending: Buffer[] = [];

  protected take(chunk: Uint8Array): void {
    this.#chunk = chunk instanceof Buffer ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.#offset = 0;
  }

  /** The last value may come without a newline (some engines end the stream that way). */
  protected end(): T | undefined {
    const last = Buffer.concat(this.#pending);
    this.#pending = [];
    return isBlank(last, 0, last.length) ? undefined : parseLine<T>(last.toString('utf8'));
  }

  /** The next value whose line ends in the chunk at hand. Throws a ProtocolError on a line that is not JSON. */
  protected decode(): T | undefined {
    const chunk = this.#chunk;
    for (;;) {
      const start = this.#offset;
      if (start >= chunk.length) return undefined;
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline < 0) {
        this.#pending.push(chunk.subarray(start));
        this.#offset = chunk.length;
        return undefined;
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
