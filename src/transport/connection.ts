import type { Duplex } from 'node:stream';
import { ProtocolError, TimeoutError } from '../errors.js';
import { describeStreamError } from './socket-connector.js';
import { encodeChunk, LAST_CHUNK, ResponseParser, type ResponseHead, type ResponseSink } from './http-codec.js';
import { HttpResponse, type ResponseSource } from './response.js';

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
    this.#stream.destroy(error);
    this.#owner.forget(this);
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
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => this.#fail(signal!.reason);
      this.#cleanupExchange = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#cleanupExchange = undefined;
      };
      this.#receivedBytes = 0;
      this.#onHead = (response) => {
        if (timer) { clearTimeout(timer); timer = undefined; }
        // From now on a failure belongs to the body reader, not to this (settled) promise.
        this.#onFailure = undefined;
        resolve(response);
      };
      this.#onFailure = reject;
      this.#parser = new ResponseParser(this.#sink, exchange.method);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#requestWritten = false;
      this.#writeRequest(exchange).then(() => {
        this.#requestWritten = true;
        // The head timeout measures the engine, so it starts once the request is sent: a large upload over a
        // slow link (a build context, an image load) is not a silent engine.
        if (headersTimeout > 0 && this.#onHead !== undefined && this.#onFailure === reject) {
          timer = setTimeout(() => {
            this.#fail(new TimeoutError(`No response from the Docker daemon at ${this.#endpoint} within ${headersTimeout} ms`));
          }, headersTimeout);
        }
      }, (error: unknown) => this.#fail(error));
    });
  }

  async #writeRequest({ head, body }: Exchange): Promise<void> {
    const stream = this.#stream;
    if (body === undefined) {
      stream.write(head);
      return;
    }
    if (body instanceof Uint8Array) {
      // One write for head and small bodies: one packet, one syscall.
      stream.write(body.length < 16384 ? Buffer.concat([head, body]) : head);
      if (body.length >= 16384) stream.write(body);
      return;
    }
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
    onBody: (chunk: Buffer) => this.#response?.pushBody(chunk),
    onEnd: (rest: Buffer) => {
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
    }
  };

  readonly #onEnd = () => {
    const parser = this.#parser;
    if (parser && !parser.done) {
      try {
        parser.finish();
      } catch (error) {
        this.#fail(error);
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
