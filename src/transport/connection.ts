import type { Duplex } from 'node:stream';
import { ConnectionError, ProtocolError, TimeoutError } from '../errors.js';
import { describeStreamError } from './socket-connector.js';
import { gatherInPlace } from '../stream/gather-in-place.js';
import { monotonicMs } from './clock.js';
import { encodeChunk, LAST_CHUNK, ResponseParser, type ResponseHead, type ResponseSink } from './http-codec.js';
import { HttpResponse, type ResponseSource } from './response.js';

/** Body pieces smaller than this on average are joined before they are handed on (see `#flushBody`). */
const SMALL_BODY_PIECE = 2048;

/** A request body: bytes with a known length, or a stream of bytes sent chunked. */
export type RequestBody = Uint8Array | AsyncIterable<Uint8Array>;

/** One exchange on a connection. */
export interface Exchange {
  method: string;
  /** The encoded request head. */
  head: Buffer;
  body?: RequestBody | undefined;
  signal?: AbortSignal | undefined;
  /** Milliseconds to wait for the response head (0: forever). */
  headersTimeout: number;
}

/** What a connection tells its pool. */
export interface ConnectionOwner {
  /** The response was read to the end on a keep-alive connection: it may serve the next request. */
  release(connection: Connection): void;
  /** The connection closed or broke and must not be used again. */
  forget(connection: Connection): void;
}

/**
 * One HTTP/1.1 connection over any duplex stream: one exchange at a time, kept alive between them.
 */
export class Connection {
  readonly #stream: Duplex;
  readonly #endpoint: string;
  readonly #owner: ConnectionOwner;
  #parser: ResponseParser | undefined;
  #response: HttpResponse | undefined;
  #onHead: ((response: HttpResponse) => void) | undefined;
  #onFailure: ((error: unknown) => void) | undefined;
  #closed = false;
  #upgraded = false;
  #receivedBytes = 0;
  #cleanupExchange: (() => void) | undefined;

  constructor(stream: Duplex, endpoint: string, owner: ConnectionOwner) {
    this.#stream = stream;
    this.#endpoint = endpoint;
    this.#owner = owner;
    stream.on('data', this.#onData);
    stream.on('end', this.#onEnd);
    stream.on('error', this.#onError);
    stream.on('close', this.#onClose);
  }

  /** False once the connection was closed by either side. */
  get usable(): boolean {
    return !this.#closed && !this.#upgraded && !this.#stream.destroyed;
  }

  /** True once any response byte arrived in the current exchange (a retry is unsafe after that). */
  get receivedAnything(): boolean {
    return this.#receivedBytes > 0;
  }

  /**
   * Lets an idle connection stop the process from exiting (or not). Any stream with `ref()`/`unref()` takes part:
   * sockets, and the SSH connector's stream (which passes them on to its child process and pipes).
   */
  setReferenced(referenced: boolean): void {
    const socket = this.#stream as Duplex & { ref?: () => void; unref?: () => void };
    if (referenced) socket.ref?.(); else socket.unref?.();
  }

  /** Closes the connection. */
  destroy(error?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#headTimer) { clearTimeout(this.#headTimer); this.#headTimer = undefined; }
    this.#stream.destroy(error);
    this.#owner.forget(this);
    // Closed from this side (`docker.close()`) with an exchange still open: say so, rather than letting the
    // socket's close read as the engine hanging up.
    if (this.#parser && !this.#parser.done && !this.#upgraded) {
      this.#fail(error ?? new ConnectionError(this.#endpoint, 'the client closed the connection during the request', ''));
    }
  }

  /** Sends a request and resolves with the response once its head has arrived. */
  send(exchange: Exchange): Promise<HttpResponse> {
    const { signal, headersTimeout } = exchange;
    if (signal?.aborted) {
      // Nothing was sent: the connection is as good as before, so it goes back to the pool, not astray.
      this.#owner.release(this);
      return Promise.reject(signal.reason);
    }
    return new Promise<HttpResponse>((resolve, reject) => {
      const onAbort = signal ? () => this.#fail(signal.reason) : undefined;
      this.#cleanupExchange = () => {
        this.#headDeadline = 0;
        if (onAbort) signal!.removeEventListener('abort', onAbort);
        this.#cleanupExchange = undefined;
      };
      this.#receivedBytes = 0;
      this.#onHead = (response) => {
        this.#stopHeadTimer();
        // From now on a failure belongs to the body reader, not to this (settled) promise.
        this.#onFailure = undefined;
        resolve(response);
      };
      this.#onFailure = reject;
      this.#parser = new ResponseParser(this.#sink, exchange.method);
      if (onAbort) signal!.addEventListener('abort', onAbort, { once: true });
      const { head, body } = exchange;
      if (body === undefined || body instanceof Uint8Array) {
        // The common cases, without an async function's promise: written at once, in one write.
        this.#writeBytes(head, body);
        this.#requestWritten = true;
        if (headersTimeout > 0) this.#startHeadTimer(headersTimeout);
        return;
      }
      this.#requestWritten = false;
      this.#writeStream(head, body).then(() => {
        this.#requestWritten = true;
        // The head timeout measures the engine, so it starts once the request is sent: a large upload over a
        // slow link (a build context, an image load) is not a silent engine.
        if (headersTimeout > 0 && this.#onHead !== undefined && this.#onFailure === reject) this.#startHeadTimer(headersTimeout);
      }, (error: unknown) => this.#fail(error));
    });
  }

  /**
   * The head timeout. One timer per connection, made once and left running: a request only moves the
   * deadline, and the timer, when it fires, either fails the exchange or waits out what is left. Making
   * and clearing a timer per request cost as much as the rest of a `/_ping` round trip on a socket.
   */
  #startHeadTimer(timeout: number): void {
    this.#headTimeout = timeout;
    this.#headDeadline = monotonicMs() + timeout;
    if (this.#headTimer) this.#headTimer.ref();
    else this.#headTimer = setTimeout(this.#onHeadTimer, timeout);
  }

  #stopHeadTimer(): void {
    this.#headDeadline = 0;
    // Left running, but it must not keep the process alive: the socket does that while an exchange is on.
    this.#headTimer?.unref();
  }

  readonly #onHeadTimer = () => {
    this.#headTimer = undefined;
    if (this.#headDeadline === 0 || this.#closed) return;
    const left = this.#headDeadline - monotonicMs();
    if (left > 0) {
      this.#headTimer = setTimeout(this.#onHeadTimer, Math.ceil(left));
      return;
    }
    this.#fail(new TimeoutError(`No response from the Docker daemon at ${this.#endpoint} within ${this.#headTimeout} ms`));
  };

  #headTimer: NodeJS.Timeout | undefined;
  #headDeadline = 0;
  #headTimeout = 0;

  #writeBytes(head: Buffer, body: Uint8Array | undefined): void {
    const stream = this.#stream;
    if (body === undefined) {
      stream.write(head);
    } else if (body.length < 16384) {
      // One write for head and small bodies: one packet, one syscall.
      stream.write(Buffer.concat([head, body]));
    } else {
      stream.write(head);
      stream.write(body);
    }
  }

  async #writeStream(head: Buffer, body: AsyncIterable<Uint8Array>): Promise<void> {
    const stream = this.#stream;
    stream.write(head);
    for await (const piece of body) {
      if (this.#closed || this.#upgraded) return;
      if (piece.length === 0) continue;
      let writable = true;
      for (const part of encodeChunk(piece)) writable = stream.write(part);
      if (!writable) await waitForDrain(stream);
    }
    if (!this.#closed) stream.write(LAST_CHUNK);
  }

  readonly #sink: ResponseSink = {
    onHead: (head: ResponseHead) => {
      const response = new HttpResponse(head.status, head.statusText, head.headers, this.#responseSource);
      this.#response = response;
      this.#keepAlive = head.keepAlive;
      const onHead = this.#onHead;
      this.#onHead = undefined;
      onHead?.(response);
    },
    onBody: (chunk: Buffer) => { this.#flushBody(); this.#response?.pushBody(chunk); },
    // Pieces are gathered while one socket chunk is parsed, and handed on together (see #flushBody).
    onBodyRange: (data: Buffer, start: number, end: number) => {
      if (data !== this.#bodyData) {
        this.#flushBody();
        this.#bodyData = data;
      }
      const ranges = this.#bodyRanges;
      ranges[this.#bodyRangeEnd++] = start;
      ranges[this.#bodyRangeEnd++] = end;
    },
    onEnd: (rest: Buffer) => {
      this.#flushBody();
      const response = this.#response!;
      if (response.status === 101) {
        // Hold what follows until the caller takes the stream over.
        this.#upgradeRest = rest;
        this.#stream.pause();
        return;
      }
      this.#finishExchange();
      response.endBody();
      // An engine may answer (an error, typically) before the request body is all sent; the rest of that body
      // is still on its way, so the next request cannot follow it on this connection.
      if (this.#keepAlive && rest.length === 0 && !this.#closed && this.#requestWritten) this.#owner.release(this);
      else this.destroy();
    },
  };

  #keepAlive = true;
  /** False while the current request (head and body) is still being written. */
  #requestWritten = true;
  #upgradeRest: Buffer | undefined;
  /** The body pieces of the socket chunk being parsed: `#bodyData[start..end)` for each pair of `#bodyRanges`. */
  #bodyData: Buffer | undefined;
  readonly #bodyRanges: number[] = [];
  /** How much of `#bodyRanges` is in use: an index, because emptying an array (`length = 0`) costs more than a 130-byte piece. */
  #bodyRangeEnd = 0;

  /**
   * Hands the body pieces of one socket chunk to the response. dockerd sends every log frame and every
   * event as its own HTTP chunk, so a 64 KiB read can hold 500 pieces of 130 bytes: those are moved
   * together into one piece (far cheaper than 500 steps of an async iteration and 500 objects). Large
   * pieces are passed on as they are, as views.
   */
  #flushBody(): void {
    const ranges = this.#bodyRanges;
    const data = this.#bodyData;
    const used = this.#bodyRangeEnd;
    const count = used >> 1;
    if (count === 0 || data === undefined) return;
    this.#bodyRangeEnd = 0;
    const response = this.#response;
    if (count === 1) {
      response?.pushBody(data.subarray(ranges[0], ranges[1]));
    } else {
      let bytes = 0;
      for (let i = 0; i < used; i += 2) bytes += ranges[i + 1]! - ranges[i]!;
      if (bytes < count * SMALL_BODY_PIECE) {
        // Moved together in place, over the chunk framing between them: the chunk is ours (a fresh buffer
        // per socket read), and a new buffer per read would cost a garbage collection every few reads.
        response?.pushBody(gatherInPlace(data, ranges, used));
      } else {
        for (let i = 0; i < used; i += 2) response?.pushBody(data.subarray(ranges[i], ranges[i + 1]));
      }
    }
    this.#bodyData = undefined;
  }

  readonly #responseSource: ResponseSource = {
    pause: () => this.#stream.pause(),
    resume: () => this.#stream.resume(),
    cancel: () => {
      this.#finishExchange();
      this.#parser = undefined;
      this.destroy();
    },
    takeOver: () => {
      // A 101, or a body that runs until the connection closes: some engines answer an upgrade request
      // with `200 OK` and then carry the raw stream on the same connection without switching protocols.
      const takeable = this.#response?.status === 101 || this.#parser?.closeDelimited === true;
      if (!takeable || this.#upgraded) throw new ProtocolError('Only a 101 response, or one whose body runs until the connection closes, can be taken over');
      this.#upgraded = true;
      this.#finishExchange();
      const stream = this.#stream;
      stream.pause();
      stream.removeListener('data', this.#onData);
      stream.removeListener('end', this.#onEnd);
      stream.removeListener('error', this.#onError);
      stream.removeListener('close', this.#onClose);
      if (this.#upgradeRest && this.#upgradeRest.length > 0) stream.unshift(this.#upgradeRest);
      this.#owner.forget(this);
      return stream;
    },
  };

  #finishExchange(): void {
    this.#cleanupExchange?.();
    this.#onHead = undefined;
    this.#onFailure = undefined;
  }

  /** Fails the exchange in progress (before or after the head) and closes the connection. */
  #fail(error: unknown): void {
    this.#flushBody();
    const onFailure = this.#onFailure;
    const response = this.#response;
    this.#finishExchange();
    this.#response = undefined;
    this.#parser = undefined;
    this.destroy();
    if (onFailure) onFailure(error);
    else response?.failBody(error);
  }

  readonly #onData = (chunk: Buffer) => {
    this.#receivedBytes += chunk.length;
    const parser = this.#parser;
    if (!parser || parser.done) {
      // Bytes nobody asked for: the connection is out of step and cannot be trusted.
      this.destroy();
      return;
    }
    try {
      parser.push(chunk);
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#flushBody();
  };

  readonly #onEnd = () => {
    const parser = this.#parser;
    if (parser && !parser.done) {
      try {
        parser.finish();
      } catch (error) {
        // A response cut short is a broken connection (the engine stopped, crashed or was restarted), not a
        // malformed answer: callers that retry or reconnect look for a ConnectionError.
        const reason = error instanceof Error ? error.message.replace(/^The engine closed/, 'the engine closed') : String(error);
        this.#fail(new ConnectionError(this.#endpoint, reason, '', { cause: error }));
        return;
      }
    }
    this.destroy();
  };

  readonly #onError = (error: NodeJS.ErrnoException) => {
    this.#fail(describeStreamError(this.#endpoint, error));
  };

  readonly #onClose = () => {
    const parser = this.#parser;
    if (parser && !parser.done && !this.#upgraded) {
      // Closed without an 'end' first (reset, or destroyed by the peer): complete or fail the exchange.
      this.#onEnd();
      return;
    }
    if (!this.#closed) {
      this.#closed = true;
      this.#owner.forget(this);
    }
  };
}

function waitForDrain(stream: Duplex): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => { cleanup(); resolve(); };
    const onClose = () => { cleanup(); reject(new ProtocolError('The connection closed while sending the request body')); };
    const cleanup = () => {
      stream.removeListener('drain', onDrain);
      stream.removeListener('close', onClose);
    };
    stream.once('drain', onDrain);
    stream.once('close', onClose);
  });
}
