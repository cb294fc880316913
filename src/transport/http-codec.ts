/**
 * The HTTP/1.1 codec: request heads out, responses in. It is the one place in Berth that knows HTTP.
 *
 * Why our own and not `node:http` or undici: measured on the target machines, a minimal keep-alive client
 * over a Unix socket is 1.4x–8x faster than both; an SSH child's stdio is not a socket, which `node:http`
 * cannot speak over; half-closed hijacked streams (attach, exec) are where the Node clients break; and
 * undici adds about 130 ms to every one-shot CLI run. The Docker Engine needs only a small part of
 * HTTP/1.1, so the codec stays small: Content-Length, chunked, close-delimited bodies, and the 101 upgrade.
 */
import { ProtocolError } from '../errors.js';

/** The status line and headers of a response. Header names are lower-case. */
export interface ResponseHead {
  status: number;
  statusText: string;
  headers: Map<string, string>;
  /** False when the response says `Connection: close` or is HTTP/1.0 without keep-alive. */
  keepAlive: boolean;
}

/** Where a {@link ResponseParser} delivers what it decodes. */
export interface ResponseSink {
  /** The head arrived (for 1xx other than 101, nothing is reported). */
  onHead(head: ResponseHead): void;
  /** A piece of the body; the buffer may be a view into the socket's chunk. */
  onBody(chunk: Buffer): void;
  /**
   * Optional, and used instead of `onBody` when present: the piece as `data[start..end)`, without making a
   * view of it (a view is an object; dockerd sends one HTTP chunk per log frame). `data` is valid until the
   * current `push()` returns.
   */
  onBodyRange?(data: Buffer, start: number, end: number): void;
  /** The body is complete. `rest` holds bytes that followed it (a 101's upgraded stream starts there). */
  onEnd(rest: Buffer): void;
}

const CR = 13;
const LF = 10;
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_LINE_BYTES = 4096;
const EMPTY = Buffer.alloc(0);
/** The value of each byte as a hex digit, or -1. */
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) { HEX_VALUE[65 + i] = 10 + i; HEX_VALUE[97 + i] = 10 + i; }

const enum State {
  Head,
  FixedBody,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
  Done,
}

/**
 * Incremental response parser: feed it socket chunks split anywhere, it reports the head, body pieces
 * and the end. One parser per response.
 */
export class ResponseParser {
  readonly #sink: ResponseSink;
  readonly #noBody: boolean;
  #state = State.Head;
  #pending: Buffer = EMPTY;
  #remaining = 0;

  /** @param requestMethod the request's method: a HEAD response never has a body. */
  constructor(sink: ResponseSink, requestMethod: string) {
    this.#sink = sink;
    this.#noBody = requestMethod === 'HEAD';
  }

  /** True once the whole response has been read. */
  get done(): boolean {
    return this.#state === State.Done;
  }

  /** True while the body runs until the connection closes (no length, not chunked). */
  get closeDelimited(): boolean {
    return this.#state === State.UntilClose;
  }

  /** Feeds one chunk from the stream. Throws a {@link ProtocolError} on malformed input. */
  push(chunk: Buffer): void {
    let data = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = EMPTY;
    let offset = 0;
    while (offset < data.length) {
      switch (this.#state) {
        case State.Head: {
          const end = findHeadEnd(data, offset);
          if (end < 0) {
            if (data.length - offset > MAX_HEAD_BYTES) throw new ProtocolError('Response head is larger than 64 KiB');
            this.#pending = data.subarray(offset);
            return;
          }
          const head = parseHead(data.toString('latin1', offset, end));
          offset = end + 4;
          if (head.status >= 100 && head.status < 200 && head.status !== 101) continue; // 100 Continue and friends
          this.#startBody(head);
          this.#sink.onHead(head);
          if ((this.#state as State) === State.Done) {
            this.#sink.onEnd(data.subarray(offset));
            return;
          }
          break;
        }
        case State.FixedBody: {
          const take = Math.min(this.#remaining, data.length - offset);
          this.#body(data, offset, offset + take);
          offset += take;
          this.#remaining -= take;
          if (this.#remaining === 0) {
            this.#state = State.Done;
            this.#sink.onEnd(data.subarray(offset));
            return;
          }
          break;
        }
        case State.ChunkSize: {
          // The common line, hex digits and CRLF, read from the bytes: no string, no regular expression.
          // (dockerd sends every log frame as its own chunk, so this runs once per frame.)
          let at = offset;
          let chunkSize = 0;
          for (const stop = Math.min(data.length, offset + 12); at < stop; at++) {
            const digit = HEX_VALUE[data[at]!]!;
            if (digit < 0) break;
            chunkSize = chunkSize * 16 + digit;
          }
          if (at > offset && at + 1 < data.length && data[at] === CR && data[at + 1] === LF) {
            offset = at + 2;
            if (chunkSize === 0) {
              this.#state = State.Trailers;
            } else {
              this.#remaining = chunkSize;
              this.#state = State.ChunkData;
            }
            break;
          }
          const lineEnd = data.indexOf(LF, offset);
          if (lineEnd < 0) {
            if (data.length - offset > MAX_CHUNK_LINE_BYTES) throw new ProtocolError('Chunk size line is too long');
            this.#pending = data.subarray(offset);
            return;
          }
          const size = parseChunkSize(data.toString('latin1', offset, lineEnd));
          offset = lineEnd + 1;
          if (size === 0) {
            this.#state = State.Trailers;
          } else {
            this.#remaining = size;
            this.#state = State.ChunkData;
          }
          break;
        }
        case State.ChunkData: {
          const take = Math.min(this.#remaining, data.length - offset);
          this.#body(data, offset, offset + take);
          offset += take;
          this.#remaining -= take;
          if (this.#remaining === 0) this.#state = State.ChunkDataEnd;
          break;
        }
        case State.ChunkDataEnd: {
          // The CRLF after chunk data; it may arrive split, one byte per read.
          if (data.length - offset < 2) {
            if (data[offset] !== CR && data[offset] !== LF) throw new ProtocolError('Missing CRLF after chunk data');
            if (data[offset] === LF) { offset += 1; this.#state = State.ChunkSize; break; }
            this.#pending = data.subarray(offset);
            return;
          }
          if (data[offset] === CR && data[offset + 1] === LF) offset += 2;
          else if (data[offset] === LF) offset += 1;
          else throw new ProtocolError('Missing CRLF after chunk data');
          this.#state = State.ChunkSize;
          break;
        }
        case State.Trailers: {
          const lineEnd = data.indexOf(LF, offset);
          if (lineEnd < 0) {
            if (data.length - offset > MAX_HEAD_BYTES) throw new ProtocolError('Trailers are larger than 64 KiB');
            this.#pending = data.subarray(offset);
            return;
          }
          const isBlank = lineEnd === offset || (lineEnd === offset + 1 && data[offset] === CR);
          offset = lineEnd + 1;
          if (isBlank) {
            this.#state = State.Done;
            this.#sink.onEnd(data.subarray(offset));
            return;
          }
          break;
        }
        case State.UntilClose: {
          this.#sink.onBody(offset === 0 ? data : data.subarray(offset));
          return;
        }
        case State.Done:
          return;
      }
    }
  }

  /**
   * The stream ended. Completes a close-delimited body; anything else still open was cut short,
   * which throws a {@link ProtocolError}.
   */
  finish(): void {
    if (this.#state === State.Done) return;
    if (this.#state === State.UntilClose) {
      this.#state = State.Done;
      this.#sink.onEnd(EMPTY);
      return;
    }
    const where = this.#state === State.Head ? 'before the response head was complete' : 'in the middle of the response body';
    this.#state = State.Done;
    throw new ProtocolError(`The engine closed the connection ${where}`);
  }

  #body(data: Buffer, start: number, end: number): void {
    const sink = this.#sink;
    if (sink.onBodyRange) sink.onBodyRange(data, start, end);
    else sink.onBody(data.subarray(start, end));
  }

  #startBody(head: ResponseHead): void {
    const { status, headers } = head;
    if (status === 101) {
      // The rest of the stream is no longer HTTP; the caller takes it over from `rest`.
      this.#state = State.Done;
      return;
    }
    if (this.#noBody || status === 204 || status === 304) {
      this.#state = State.Done;
      return;
    }
    const transferEncoding = headers.get('transfer-encoding');
    const contentLength = headers.get('content-length');
    if (transferEncoding !== undefined && contentLength !== undefined) {
      // Two framings for one body: whichever we picked, a proxy in between may pick the other, and the bytes
      // it reads as "the next response" would be the engine's (or an attacker's) choosing: response smuggling.
      throw new ProtocolError('The response has both Content-Length and Transfer-Encoding');
    }
    if (transferEncoding !== undefined && /(^|,)\s*chunked\s*$/i.test(transferEncoding)) {
      this.#state = State.ChunkSize;
      return;
    }
    if (contentLength !== undefined) {
      if (!/^\d+$/.test(contentLength.trim())) throw new ProtocolError(`Invalid Content-Length "${contentLength}"`);
      this.#remaining = Number(contentLength);
      this.#state = this.#remaining === 0 ? State.Done : State.FixedBody;
      return;
    }
    // No length and not chunked: the body runs until the engine closes the connection.
    head.keepAlive = false;
    this.#state = State.UntilClose;
  }
}

function findHeadEnd(data: Buffer, from: number): number {
  // Start a little before `from` is unnecessary: pending bytes are always re-scanned from their start.
  return data.indexOf('\r\n\r\n', from, 'latin1');
}

function parseHead(text: string): ResponseHead {
  // Lines found with indexOf rather than split, and header names lower-cased through a small cache: a
  // response head is parsed for every request, and these were the largest part of its cost.
  let lineEnd = text.indexOf('\r\n');
  if (lineEnd < 0) lineEnd = text.length;
  const statusLine = text.slice(0, lineEnd);
  const match = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!match) throw new ProtocolError(`Malformed status line "${statusLine.slice(0, 100)}"`);
  const headers = new Map<string, string>();
  let start = lineEnd + 2;
  while (start < text.length) {
    let end = text.indexOf('\r\n', start);
    if (end < 0) end = text.length;
    const colon = text.indexOf(':', start);
    if (colon <= start || colon >= end) throw new ProtocolError(`Malformed header line "${text.slice(start, Math.min(end, start + 100))}"`);
    const name = headerName(text.slice(start, colon));
    const value = trimmed(text.slice(colon + 1, end));
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
    start = end + 2;
  }
  const connection = headers.get('connection')?.toLowerCase() ?? '';
  const keepAlive = match[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive');
  return { status: Number(match[2]), statusText: match[3] ?? '', headers, keepAlive };
}

const headerNames = new Map<string, string>();

/** A header name as the `headers` map keys it: trimmed and lower-cased (cached: engines send the same few). */
function headerName(raw: string): string {
  let name = headerNames.get(raw);
  if (name === undefined) {
    name = raw.trim().toLowerCase();
    if (headerNames.size < 256) headerNames.set(raw, name);
  }
  return name;
}

function trimmed(value: string): string {
  const last = value.length - 1;
  return last >= 0 && (isSpace(value.charCodeAt(0)) || isSpace(value.charCodeAt(last))) ? value.trim() : value;
}

/** What `String.prototype.trim` removes, among the characters a latin1 head can hold. */
function isSpace(code: number): boolean {
  return code <= 32 || code === 160;
}

function parseChunkSize(line: string): number {
  const semicolon = line.indexOf(';');
  const hex = (semicolon >= 0 ? line.slice(0, semicolon) : line).trim();
  if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new ProtocolError(`Invalid chunk size "${hex.slice(0, 20)}"`);
  return parseInt(hex, 16);
}

/** A request head to write: method, the path with its query, and headers. */
export interface RequestHead {
  method: string;
  /** Path and query, already encoded. */
  target: string;
  headers: Record<string, string | number | undefined>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN_IN_VALUE = /[\r\n\0]/;

/**
 * Serialises a request head. Rejects anything that could split the request (CR/LF in the target or a
 * header value), so no caller input can smuggle a second request onto the connection.
 */
export function encodeRequestHead({ method, target, headers }: RequestHead): Buffer {
  if (!TOKEN.test(method)) throw new ProtocolError(`Invalid HTTP method "${method}"`);
  if (!target.startsWith('/') || /[\s\0]/.test(target)) throw new ProtocolError('Invalid request target');
  let text = `${method} ${target} HTTP/1.1\r\n`;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    if (!TOKEN.test(name)) throw new ProtocolError(`Invalid header name "${name}"`);
    const stringValue = String(value);
    if (FORBIDDEN_IN_VALUE.test(stringValue)) throw new ProtocolError(`Invalid value for header "${name}"`);
    text += `${name}: ${stringValue}\r\n`;
  }
  return Buffer.from(text + '\r\n', 'latin1');
}

/** Frames one piece of a chunked request body. */
export function encodeChunk(data: Uint8Array): Buffer[] {
  return [Buffer.from(`${data.length.toString(16)}\r\n`, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength), CRLF];
}

const CRLF = Buffer.from('\r\n', 'latin1');
/** The last chunk of a chunked request body. */
export const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');
