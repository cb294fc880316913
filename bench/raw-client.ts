/**
 * The practical limit: a minimal keep-alive HTTP/1.1 client written directly on `node:net`, doing as
 * little work per request as it can. Request heads are prepared by the caller as bytes; the response head
 * is read for its status and its body framing only; body bytes go to a sink as (buffer, start, end)
 * without copies. It handles only what the engine sends (Content-Length and chunked bodies, keep-alive),
 * which is exactly why it is a limit and not a library: no timeouts, no errors worth the name, no
 * redirects, no aborts, no retries.
 */
import { connect, type Socket } from 'node:net';

/** Receives body bytes: `chunk[start..end)`. The chunk is only valid during the call. */
export interface BodySink {
  data(chunk: Buffer, start: number, end: number): void;
}

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

const enum State { Head, Fixed, ChunkSize, ChunkExtension, ChunkData, ChunkDataEnd, Trailer, Done }

class RawConnection {
  readonly socket: Socket;
  keepAlive = true;
  #state = State.Done;
  #pendingHead: Buffer | undefined;
  #remaining = 0;
  #noBody = false;
  #status = 0;
  #sink: BodySink | undefined;
  #resolve: ((status: number) => void) | undefined;
  #reject: ((error: Error) => void) | undefined;
  #trailerLine = 0;

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('connection closed')));
  }

  exchange(request: Buffer, noBody: boolean, sink: BodySink | undefined): Promise<number> {
    this.#state = State.Head;
    this.#noBody = noBody;
    this.#sink = sink;
    this.socket.write(request);
    return new Promise((resolve, reject) => { this.#resolve = resolve; this.#reject = reject; });
  }

  #fail(error: Error): void {
    this.keepAlive = false;
    const reject = this.#reject;
    this.#resolve = this.#reject = undefined;
    if (reject && this.#state !== State.Done) reject(error);
  }

  #done(): void {
    this.#state = State.Done;
    const resolve = this.#resolve;
    this.#resolve = this.#reject = undefined;
    resolve!(this.#status);
  }

  #onData(chunk: Buffer): void {
    let data = chunk;
    let at = 0;
    if (this.#state === State.Head) {
      if (this.#pendingHead) { data = Buffer.concat([this.#pendingHead, chunk]); this.#pendingHead = undefined; }
      const end = data.indexOf(HEAD_END);
      if (end < 0) { this.#pendingHead = data; return; }
      const head = data.toString('latin1', 0, end).toLowerCase();
      this.#status = (data[9]! - 48) * 100 + (data[10]! - 48) * 10 + (data[11]! - 48);
      this.keepAlive = !head.includes('\r\nconnection: close');
      at = end + 4;
      if (this.#noBody || this.#status === 204 || this.#status === 304) {
        this.#done();
        return;
      }
      if (head.includes('\r\ntransfer-encoding: chunked')) {
        this.#state = State.ChunkSize;
        this.#remaining = 0;
      } else {
        const index = head.indexOf('\r\ncontent-length:');
        this.#remaining = index < 0 ? 0 : parseInt(head.slice(index + 17), 10);
        if (this.#remaining === 0) { this.#done(); return; }
        this.#state = State.Fixed;
      }
    }
    const length = data.length;
    const sink = this.#sink;
    while (at < length) {
      switch (this.#state) {
        case State.Fixed: {
          const end = Math.min(length, at + this.#remaining);
          sink?.data(data, at, end);
          this.#remaining -= end - at;
          at = end;
          if (this.#remaining === 0) { this.#done(); return; }
          break;
        }
        case State.ChunkSize: {
          const byte = data[at++]!;
          if (byte === 10) {
            if (this.#remaining === 0) { this.#state = State.Trailer; this.#trailerLine = 0; } else this.#state = State.ChunkData;
          } else if (byte === 59) {
            this.#state = State.ChunkExtension;
          } else if (byte !== 13) {
            this.#remaining = this.#remaining * 16 + (byte <= 57 ? byte - 48 : (byte | 32) - 87);
          }
          break;
        }
        case State.ChunkExtension: {
          const lf = data.indexOf(10, at);
          if (lf < 0) { at = length; break; }
          at = lf;
          this.#state = State.ChunkSize;
          break;
        }
        case State.ChunkData: {
          const end = Math.min(length, at + this.#remaining);
          sink?.data(data, at, end);
          this.#remaining -= end - at;
          at = end;
          if (this.#remaining === 0) this.#state = State.ChunkDataEnd;
          break;
        }
        case State.ChunkDataEnd: {
          if (data[at++] === 10) this.#state = State.ChunkSize;
          break;
        }
        case State.Trailer: {
          const byte = data[at++]!;
          if (byte === 10) {
            if (this.#trailerLine === 0) { this.#done(); return; }
            this.#trailerLine = 0;
          } else if (byte !== 13) {
            this.#trailerLine++;
          }
          break;
        }
        default:
          return;
      }
    }
  }
}

/** A keep-alive connection pool to one Unix socket; each request in flight has its own connection. */
export class RawClient {
  readonly #socketPath: string;
  readonly #idle: RawConnection[] = [];

  constructor(socketPath: string) {
    this.#socketPath = socketPath;
  }

  /** Sends prepared request bytes; resolves with the status once the whole response was read. */
  async request(request: Buffer, sink?: BodySink, noBody = false): Promise<number> {
    const connection = this.#idle.pop() ?? await this.#connect();
    const status = await connection.exchange(request, noBody, sink);
    if (connection.keepAlive) this.#idle.push(connection);
    else connection.socket.destroy();
    return status;
  }

  #connect(): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.#socketPath);
      socket.once('connect', () => { socket.off('error', reject); resolve(new RawConnection(socket)); });
      socket.once('error', reject);
    });
  }

  close(): void {
    for (const connection of this.#idle) connection.socket.destroy();
    this.#idle.length = 0;
  }
}

/** A GET (or HEAD/DELETE) request head as bytes. */
export function requestHead(method: string, target: string): Buffer {
  return Buffer.from(`${method} ${target} HTTP/1.1\r\nHost: docker\r\n\r\n`, 'latin1');
}

/** A request with a JSON body (or an empty one), head and body in one buffer. */
export function jsonRequest(method: string, target: string, body?: unknown): Buffer {
  const bytes = body === undefined ? '' : JSON.stringify(body);
  const type = body === undefined ? '' : 'Content-Type: application/json\r\n';
  return Buffer.from(`${method} ${target} HTTP/1.1\r\nHost: docker\r\n${type}Content-Length: ${Buffer.byteLength(bytes)}\r\n\r\n${bytes}`, 'utf8');
}

/** Collects a body to parse it as JSON at the end. */
export class JsonSink implements BodySink {
  readonly #chunks: Buffer[] = [];

  data(chunk: Buffer, start: number, end: number): void {
    this.#chunks.push(chunk.subarray(start, end));
  }

  json<T>(): T {
    const chunks = this.#chunks;
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    return JSON.parse(bytes.toString('utf8')) as T;
  }
}

/** Demultiplexes stdcopy frames, counting the bytes of each stream without touching the payloads. */
export class DemuxCounter implements BodySink {
  stdout = 0;
  stderr = 0;
  #headerRead = 0;    // bytes of a split header read so far
  #stream = 0;
  #length = 0;        // accumulates the big-endian length while a split header is read
  #remaining = 0;     // payload bytes still to read

  data(chunk: Buffer, start: number, end: number): void {
    let at = start;
    while (at < end) {
      if (this.#remaining > 0) {
        const take = Math.min(this.#remaining, end - at);
        if (this.#stream === 2) this.stderr += take; else this.stdout += take;
        this.#remaining -= take;
        at += take;
      } else if (this.#headerRead === 0 && end - at >= 8) {
        this.#stream = chunk[at]!;
        this.#remaining = chunk.readUInt32BE(at + 4);
        at += 8;
      } else {
        // A header split across pieces: byte by byte.
        const byte = chunk[at++]!;
        if (this.#headerRead === 0) { this.#stream = byte; this.#length = 0; }
        if (this.#headerRead >= 4) this.#length = this.#length * 256 + byte;
        if (++this.#headerRead === 8) { this.#headerRead = 0; this.#remaining = this.#length; }
      }
    }
  }
}

/** Splits newline-separated JSON and parses each line; counts them. */
export class JsonLineCounter implements BodySink {
  count = 0;
  #rest: Buffer | undefined;

  data(chunk: Buffer, start: number, end: number): void {
    let from = start;
    let lf = chunk.indexOf(10, from);
    if (this.#rest && lf >= 0 && lf < end) {
      const line = Buffer.concat([this.#rest, chunk.subarray(from, lf)]);
      this.#rest = undefined;
      JSON.parse(line.toString('utf8'));
      this.count++;
      from = lf + 1;
      lf = chunk.indexOf(10, from);
    }
    while (lf >= 0 && lf < end) {
      if (lf > from) { JSON.parse(chunk.toString('utf8', from, lf)); this.count++; }
      from = lf + 1;
      lf = chunk.indexOf(10, from);
    }
    if (from < end) this.#rest = this.#rest ? Buffer.concat([this.#rest, chunk.subarray(from, end)]) : Buffer.from(chunk.subarray(from, end));
  }
}
