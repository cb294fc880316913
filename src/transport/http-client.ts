import { encodeRequestHead } from './http-codec.js';
import type { RequestBody } from './connection.js';
import type { Connector } from './connector.js';
import { ConnectionPool } from './pool.js';
import type { HttpResponse } from './response.js';

/** Timeouts and pool sizes for an {@link HttpClient}. */
export interface HttpClientOptions {
  /** Milliseconds to wait for a connection (default 30 000; 0: forever). */
  connectTimeout?: number;
  /** Milliseconds to wait for the response head (default 300 000; 0: forever). Streamed bodies have no idle timeout. */
  headersTimeout?: number;
  /** Idle keep-alive connections kept (default 64). */
  maxIdleConnections?: number;
  /** Milliseconds an idle connection is kept (default 30 000). */
  idleTimeout?: number;
  /** The `Host` header (default `api.moby.localhost`, what the Docker CLI sends over sockets). */
  hostHeader?: string;
}

/** One HTTP request, path and query already encoded. */
export interface HttpRequest {
  method: string;
  /** Path and query, encoded, e.g. `/v1.47/containers/json?all=true`. */
  target: string;
  headers?: Record<string, string | number | undefined>;
  body?: RequestBody | undefined;
  signal?: AbortSignal | undefined;
  /** Overrides the client's headers timeout for this request (0: forever). */
  headersTimeout?: number | undefined;
  /** Send `Connection: Upgrade` and `Upgrade: tcp` (attach, exec start), or the `Upgrade` the headers name. */
  upgrade?: boolean | undefined;
}

/** Request heads kept for reuse (see `#encodeHead`). */
const PLAIN_HEAD_CACHE_SIZE = 256;

/** Methods that are safe to send again when a reused connection turns out to be stale. */
const RETRYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Sends HTTP/1.1 requests over a {@link Connector}, with a keep-alive pool. Knows nothing about Docker.
 */
export class HttpClient {
  readonly #pool: ConnectionPool;
  readonly #connectTimeout: number;
  readonly #headersTimeout: number;
  readonly #hostHeader: string;

  constructor(connector: Connector, options: HttpClientOptions = {}) {
    this.#pool = new ConnectionPool(connector, {
      maxIdle: options.maxIdleConnections ?? 64,
      idleTimeout: options.idleTimeout ?? 30_000,
    });
    this.#connectTimeout = options.connectTimeout ?? 30_000;
    this.#headersTimeout = options.headersTimeout ?? 300_000;
    this.#hostHeader = options.hostHeader ?? 'api.moby.localhost';
  }

  /** The endpoint requests go to. */
  get endpoint(): string {
    return this.#pool.endpoint;
  }

  /** The pool, for tests and diagnostics (open and idle connection counts). */
  get pool(): ConnectionPool {
    return this.#pool;
  }

  /** Sends a request; resolves when the response head has arrived. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const { method, body } = request;
    request.signal?.throwIfAborted();
    const headers: Record<string, string | number | undefined> = { Host: this.#hostHeader, ...request.headers };
    if (body instanceof Uint8Array) headers['Content-Length'] = body.length;
    else if (body !== undefined) headers['Transfer-Encoding'] = 'chunked';
    else if (method === 'POST' || method === 'PUT') headers['Content-Length'] = 0;
    if (request.upgrade) {
      headers['Connection'] = 'Upgrade';
      // `tcp` for attach and exec; a caller may name another protocol (`h2c` for /session).
      headers['Upgrade'] ??= 'tcp';
    }
    const head = this.#encodeHead(method, request.target, headers, body === undefined && !request.upgrade && hasNoHeaders(request.headers));
    const exchange = {
      method,
      head,
      body,
      signal: request.signal,
      headersTimeout: request.headersTimeout ?? this.#headersTimeout,
    };
    // Only idempotent requests: a POST that reached the engine must never run twice.
    const canRetry = RETRYABLE_METHODS.has(method);
    // An idle connection is taken without waiting for anything (no promise on the way to the socket).
    const idle = this.#pool.takeIdle();
    const reused = idle !== undefined;
    const connection = idle ?? await this.#pool.connect(request.signal, this.#connectTimeout);
    try {
      return await connection.send(exchange);
    } catch (error) {
      // A keep-alive connection the engine closed just as we reused it: nothing was answered, so sending
      // again on a fresh connection is safe for requests whose body we still hold.
      if (reused && canRetry && !connection.receivedAnything && !request.signal?.aborted && isStaleConnectionError(error)) {
        const fresh = await this.#pool.acquire(request.signal, this.#connectTimeout);
        return fresh.connection.send(exchange);
      }
      throw error;
    }
  }

  /**
   * The request head as bytes. Heads of plain requests (no body, no headers of their own: pings, inspects,
   * lists) are kept, so a repeated request costs no encoding; the cache is small and starts over when full.
   */
  #encodeHead(method: string, target: string, headers: Record<string, string | number | undefined>, plain: boolean): Buffer {
    if (!plain) return encodeRequestHead({ method, target, headers });
    const key = `${method} ${target}`;
    let head = this.#plainHeads.get(key);
    if (head === undefined) {
      head = encodeRequestHead({ method, target, headers });
      if (this.#plainHeads.size >= PLAIN_HEAD_CACHE_SIZE) this.#plainHeads.clear();
      this.#plainHeads.set(key, head);
    }
    return head;
  }

  readonly #plainHeads = new Map<string, Buffer>();

  /** Closes all connections. */
  close(): void {
    this.#pool.close();
  }
}

function hasNoHeaders(headers: Record<string, string | number | undefined> | undefined): boolean {
  for (const name in headers) if (headers[name] !== undefined) return false;
  return true;
}

function isStaleConnectionError(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  const causeCode = ((error as { cause?: { code?: string } })?.cause)?.code;
  return code === 'CONNECTION' || code === 'PROTOCOL' || causeCode === 'ECONNRESET' || causeCode === 'EPIPE';
}
