import { engineErrorFor, EngineError, InvalidArgumentError, TimeoutError, UnsupportedOperationError, VersionError } from '../errors.js';
import { LATEST_API_VERSION, operations, type OperationId } from '../generated/operations.js';
import type { HttpClient } from '../transport/http-client.js';
import type { RequestBody } from '../transport/connection.js';
import type { HttpResponse } from '../transport/response.js';
import { DeferredIterator } from '../stream/deferred-iterator.js';
import { adjustCallForPodman, adjustErrorForPodman, adjustResultForPodman, adjustsStreamForPodman, adjustStreamItemForPodman } from './podman-compat.js';
import { reported } from './call-channel.js';
import { redactError, redactValue, secretsOf } from './call-secrets.js';
import { encodeQuery, type QueryValues } from './query.js';
import { chooseApiVersion, compareApiVersions, normalizeApiVersion } from './version.js';

/** The last argument of every method: cancel it with a signal, or give it its own response-head timeout. */
export interface CallOptions {
  /** Aborting rejects the call with the signal's reason and closes its connection. */
  signal?: AbortSignal | undefined;
  /** Milliseconds to wait for the engine's response head (default: the client's, 5 minutes). */
  timeout?: number | undefined;
  /**
   * Streams only (logs, events, stats, progress, exports): fail with a `TimeoutError` when the engine sends nothing
   * for this many milliseconds. Off by default, since a quiet `logs -f` or `events` stream is normal.
   */
  idleTimeout?: number | undefined;
}

/** One call to the engine, as a resource method describes it. */
export interface ApiCall {
  /** The operation (its spec `operationId`): decides the minimum API version and names the call in errors. */
  operation: OperationId;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  /** The path, every parameter already encoded (see `route`), without the version prefix. */
  path: string;
  query?: QueryValues | undefined;
  /** A JSON body (serialised here) or raw bytes/stream (sent as they are, with `contentType`). */
  body?: unknown;
  /** Set for raw bodies, e.g. `application/x-tar`. Without it a body is JSON. */
  contentType?: string | undefined;
  headers?: Record<string, string | undefined> | undefined;
  /** Statuses other than 2xx that are results, not errors (304 on start/stop). */
  expectedStatuses?: readonly number[] | undefined;
  /** Send the upgrade headers (attach, exec start). */
  upgrade?: boolean | undefined;
  options?: CallOptions | undefined;
}

/** Which implementation of the Engine API answers: Docker's own dockerd, or Podman's compatible service. */
export type EngineKind = 'docker' | 'podman';

/** What `/_ping` said about the engine. */
export interface PingResult {
  /**
   * `podman` when the engine is Podman's Docker-compatible service (it adds `Libpod-Api-Version` and a
   * `Libpod/…` server header), else `docker`. For code that must work around a documented difference.
   */
  engine: EngineKind;
  /** The highest API version the engine offers (`Api-Version`). */
  apiVersion: string;
  /** `linux` or `windows` (`OSType`). */
  osType: string | undefined;
  /** Whether the engine runs with experimental features. */
  experimental: boolean;
  /** The default builder: `1` (classic) or `2` (BuildKit). */
  builderVersion: string | undefined;
  /** Swarm state as the engine reports it, e.g. `inactive` or `active/manager`. */
  swarm: string | undefined;
  /** Podman's own API version (`Libpod-Api-Version`); set only when the engine is Podman. */
  libpodApiVersion: string | undefined;
  /** The `Server` header, e.g. `Docker/20.10.24 (linux)` or `Libpod/4.3.1 (linux)`. */
  server: string | undefined;
}

/** The API version assumed when an engine's `/_ping` names none (what the Docker CLI assumes too). */
const FALLBACK_API_VERSION = '1.24';

/**
 * The one place requests are made: adds the `/v1.NN` prefix (negotiating it on first use), serialises the
 * query and body, checks the status and turns error statuses into typed errors with the engine's message.
 */
export class ApiClient {
  readonly #http: HttpClient;
  readonly #pinnedVersion: string | undefined;
  #negotiation: Promise<string> | undefined;
  #lastPing: PingResult | undefined;

  constructor(http: HttpClient, pinnedVersion?: string) {
    this.#http = http;
    this.#pinnedVersion = pinnedVersion === undefined ? undefined : normalizeApiVersion(pinnedVersion);
    if (this.#pinnedVersion) this.#negotiation = Promise.resolve(this.#pinnedVersion);
  }

  /** The transport, for hijacked streams and diagnostics. */
  get http(): HttpClient {
    return this.#http;
  }

  /** The API version in use: pinned, or negotiated with the engine on first use. */
  apiVersion(options?: CallOptions): Promise<string> {
    if (options?.signal?.aborted) return Promise.reject(options.signal.reason);
    if (!this.#negotiation) {
      // Shared by every call that waits for it, so it takes neither the first caller's signal (one caller
      // giving up must not fail the others) nor a stream's `timeout: 0` (no head timeout, for a quiet
      // `logs -f`): a ping that never answered would then hold every later call. A positive timeout is
      // kept; otherwise the client's response-head timeout applies.
      const timeout = options?.timeout !== undefined && options.timeout > 0 ? options.timeout : undefined;
      const negotiation = this.ping({ timeout }).then((ping) => chooseApiVersion(ping.apiVersion, LATEST_API_VERSION));
      this.#negotiation = negotiation;
      // A failed negotiation (engine down) is tried again on the next call rather than remembered.
      negotiation.catch(() => { if (this.#negotiation === negotiation) this.#negotiation = undefined; });
    }
    // Each caller stops waiting at its own signal, and at its own timeout.
    return waitForNegotiation(this.#negotiation, options, this.#http.endpoint);
  }

  /** The most recent `/_ping` answer, if any. */
  get lastPing(): PingResult | undefined {
    return this.#lastPing;
  }

  /** `HEAD /_ping`, or `GET /_ping` when HEAD is refused; never versioned. */
  ping(options?: CallOptions): Promise<PingResult> {
    // Berth pings with HEAD (SystemPingHead), falling back to GET: reported as one operation.
    return reported('SystemPing', this.#ping(options));
  }

  async #ping(options: CallOptions | undefined): Promise<PingResult> {
    let response: HttpResponse;
    try {
      response = await this.#sendChecked('HEAD', '/_ping', '', options);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      response = await this.#sendChecked('GET', '/_ping', '', options);
    }
    await response.discard();
    const header = (name: string) => response.headers.get(name);
    const apiVersion = header('api-version');
    const libpodApiVersion = header('libpod-api-version');
    const server = header('server');
    const ping: PingResult = {
      engine: libpodApiVersion !== undefined || /^libpod\//i.test(server ?? '') ? 'podman' : 'docker',
      apiVersion: apiVersion ? normalizeApiVersion(apiVersion) : FALLBACK_API_VERSION,
      osType: header('ostype'),
      experimental: header('docker-experimental') === 'true',
      builderVersion: header('builder-version'),
      swarm: header('swarm'),
      libpodApiVersion,
      server,
    };
    this.#lastPing = ping;
    // An explicit ping negotiates too (`await docker.ping()` first is the documented way to start), so
    // the first call after it does not ping again.
    if (!this.#negotiation) this.#negotiation = Promise.resolve(chooseApiVersion(ping.apiVersion, LATEST_API_VERSION));
    return ping;
  }

  /** Sends a call; resolves with the response (2xx or an expected status), rejects with a typed error. */
  send(call: ApiCall): Promise<HttpResponse> {
    return reported(call.operation, this.#send(call));
  }

  async #send(original: ApiCall): Promise<HttpResponse> {
    checkQueryNames(original);
    const version = await this.apiVersion(original.options);
    const call = this.#isPodman() ? adjustCallForPodman(original) : original;
    const since = operations[call.operation].since;
    if (compareApiVersions(version, since) < 0) throw new VersionError(call.operation, since, version);
    let body: RequestBody | undefined;
    const headers: Record<string, string | undefined> = { ...call.headers };
    if (call.body !== undefined) {
      if (call.contentType) {
        body = call.body as RequestBody;
        headers['Content-Type'] = call.contentType;
      } else {
        body = Buffer.from(JSON.stringify(call.body), 'utf8');
        headers['Content-Type'] = 'application/json';
      }
    }
    try {
      return await this.#sendChecked(call.method, `/v${version}${call.path}`, encodeQuery(call.query), call.options, {
        body,
        headers,
        upgrade: call.upgrade,
        expectedStatuses: call.expectedStatuses,
        displayPath: call.path,
        operation: call.operation,
      });
    } catch (error) {
      throw redactError(error, secretsOf(original));
    }
  }

  /** Sends a call and parses the JSON answer. */
  async json<T>(call: ApiCall): Promise<T> {
    return this.adjustResult(call.operation, await (await this.send(call)).json<T>());
  }

  /** A JSON answer in dockerd's form whichever engine sent it (see src/api/podman-compat.ts). */
  adjustResult<T>(operation: OperationId, result: T): T {
    return this.#isPodman() ? (adjustResultForPodman(operation, result) as T) : result;
  }

  /** Whether `/_ping` said the engine is Podman (whose answers src/api/podman-compat.ts brings in line). */
  #isPodman(): boolean {
    return this.#lastPing?.engine === 'podman';
  }

  /** Sends a call whose answer has no useful body; resolves with the status (e.g. 204 or 304). */
  async empty(call: ApiCall): Promise<number> {
    const response = await this.send(call);
    await response.discard();
    return response.status;
  }

  /**
   * A streamed answer as an async iterable. The request is sent when iteration starts; leaving the loop
   * early, or aborting, closes the connection.
   */
  stream<T>(call: ApiCall, decode: (response: HttpResponse) => AsyncIterable<T>): AsyncIterable<T> {
    return {
      [Symbol.asyncIterator]: () => {
        let response: HttpResponse | undefined;
        return new DeferredIterator<T>(async () => {
          response = await this.send({ ...call, options: { timeout: 0, ...call.options } });
          const idleTimeout = call.options?.idleTimeout;
          if (idleTimeout !== undefined && idleTimeout > 0) response.setIdleTimeout(idleTimeout);
          const secrets = secretsOf(call);
          const decoded = secrets.length === 0 ? decode(response) : redactingErrors(decode(response), secrets);
          if (this.#isPodman() && adjustsStreamForPodman(call.operation)) {
            const { operation } = call;
            return (async function* () {
              for await (const item of decoded) yield adjustStreamItemForPodman(operation, item) as T;
            })();
          }
          return decoded[Symbol.asyncIterator]();
        }, () => response?.cancel());
      },
    };
  }

  async #sendChecked(
    method: string,
    path: string,
    query: string,
    options: CallOptions | undefined,
    extra: {
      body?: RequestBody | undefined;
      headers?: Record<string, string | undefined>;
      upgrade?: boolean | undefined;
      expectedStatuses?: readonly number[] | undefined;
      displayPath?: string;
      operation?: OperationId;
    } = {},
  ): Promise<HttpResponse> {
    const response = await this.#http.send({
      method,
      target: path + (query ?? ''),
      headers: extra.headers,
      body: extra.body,
      signal: options?.signal,
      headersTimeout: options?.timeout,
      upgrade: extra.upgrade,
    });
    const { status } = response;
    if ((status >= 200 && status < 300) || status === 101 || extra.expectedStatuses?.includes(status)) return response;
    const error = await errorFromResponse(response, method, extra.displayPath ?? path);
    if (extra.operation && isMissingRoute(error)) throw unsupported(error, extra.operation, this.#lastPing);
    throw this.#isPodman() ? adjustErrorForPodman(error, extra.operation, engineName(this.#lastPing)) : error;
  }
}

/**
 * True for a 404 from the engine's router rather than from a handler: dockerd then says `page not found`,
 * Podman answers a plain-text `Not Found` (or `Path … is not supported`); a missing object always comes with a
 * message that names it.
 */
function isMissingRoute(error: EngineError): boolean {
  // Only a body says so: an answer without one (always, to HEAD) gets the status line as its message instead.
  // Podman also answers `Path /v1.41/distribution/x/json is not supported` for routes it lacks.
  return error.status === 404 && (/^(page )?not found$/i.test(error.message.trim()) || /^Path \S+ is not supported$/.test(error.message.trim()));
}

/** The engine as its `Server` header names it: `Podman 4.3.1`, `Docker 20.10.24`, else a description. */
function engineName(ping: PingResult | undefined): string {
  const product = ping?.server?.match(/^(\w+)\/(\S+)/);
  if (product) return `${product[1] === 'Libpod' ? 'Podman' : product[1]} ${product[2]}`;
  return ping?.engine === 'podman' ? 'Podman' : 'this engine';
}

/** The error for an operation the engine does not implement, naming the engine and the operation. */
function unsupported(error: EngineError, operation: OperationId, ping: PingResult | undefined): UnsupportedOperationError {
  const engine = engineName(ping);
  const { method, path } = operations[operation];
  return new UnsupportedOperationError({
    status: error.status,
    method: error.method,
    path: error.path,
    message: `${engine} does not implement ${operation} (${method} ${path}): it answered 404 for the route itself`,
    operation,
    engine,
  });
}

/**
 * Refuses query parameters the operation does not have (in any spec version), before anything is sent: a
 * misspelt option (`forse: true`) would otherwise be ignored by the engine, and the call would quietly do
 * something other than what was asked. The types catch this at compile time; this catches untyped callers.
 */
function checkQueryNames(call: ApiCall): void {
  if (call.query === undefined) return;
  const known: readonly string[] = operations[call.operation].query;
  for (const [name, value] of Object.entries(call.query)) {
    if (name === 'filters' && value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
      // Always sent as JSON (query.ts): a pre-encoded string would go out as it is, in whatever form it happens to have.
      throw new InvalidArgumentError(`filters must be an object such as { label: ['app=web'] }, not ${Array.isArray(value) ? 'an array' : typeof value}`);
    }
    if (value === undefined || known.includes(name)) continue;
    throw new InvalidArgumentError(`Unknown query parameter ${JSON.stringify(name)} for ${call.operation}${known.length > 0 ? `; it takes ${known.join(', ')}` : '; it takes none'}`);
  }
}

/** The shared negotiation, as one caller waits for it: until its signal aborts or its own timeout (> 0) passes. */
function waitForNegotiation(negotiation: Promise<string>, options: CallOptions | undefined, endpoint: string): Promise<string> {
  const signal = options?.signal;
  const timeout = options?.timeout ?? 0;
  if (!signal && timeout <= 0) return negotiation;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<string>((resolve, reject) => {
    const onAbort = () => reject(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = timeout > 0
      ? setTimeout(() => reject(new TimeoutError(`No response from the Docker daemon at ${endpoint} within ${timeout} ms (API version negotiation)`)), timeout)
      : undefined;
    negotiation.then(resolve, reject).finally(() => {
      signal?.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
    });
  });
}

/** Reads an error answer and builds the typed error, with the engine's own message. */
async function errorFromResponse(response: HttpResponse, method: string, path: string): Promise<EngineError> {
  let message = '';
  if (response.status >= 300 && response.status < 400) {
    await response.discard().catch(() => undefined);
    const location = response.headers.get('location');
    message = `The engine answered ${response.status} ${response.statusText}${location ? ` (redirect to ${location})` : ''}; redirects are not followed`;
    return engineErrorFor({ status: response.status, method, path, message });
  }
  try {
    const text = (await readErrorBody(response)).toString('utf8').trim();
    if (text) {
      try {
        const parsed = JSON.parse(text) as { message?: unknown; cause?: unknown };
        message = typeof parsed.message === 'string' ? parsed.message : text;
      } catch {
        message = text;
      }
    }
  } catch {
    // The body could not be read; the status line still says what happened.
  }
  return engineErrorFor({ status: response.status, method, path, message: message || `${response.status} ${response.statusText}`.trim() });
}

/**
 * The most of an error body that is read. dockerd's error bodies are a line of JSON; an engine (or something
 * posing as one) that sends more must not make the client buffer it all, so the rest is dropped with the
 * connection.
 */
export const MAX_ERROR_BODY_BYTES = 1024 * 1024;

/** Reads at most {@link MAX_ERROR_BODY_BYTES} of an error body; past that, cancels the response (closing its connection). */
async function readErrorBody(response: HttpResponse): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for (let chunk = await response.read(); chunk !== undefined; chunk = await response.read()) {
    const room = MAX_ERROR_BODY_BYTES - size;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      response.cancel();
      break;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks);
}

/**
 * `items` cleaned of `secrets`: the strings inside each decoded item (a registry may echo a credential in a progress
 * or error line, which users print and log), and any error it throws.
 */
async function* redactingErrors<T>(items: AsyncIterable<T>, secrets: readonly string[]): AsyncGenerator<T> {
  try {
    for await (const item of items) yield redactValue(item, secrets);
  } catch (error) {
    throw redactError(error, secrets);
  }
}
