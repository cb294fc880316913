import type { Duplex } from 'node:stream';
import { InvalidArgumentError, ProtocolError } from '../errors.js';
import type { RegistryAuth } from '../auth/credential-store.js';
import type { EventMessage } from '../generated/models.js';
import type {
  SystemAuthResponse, SystemDataUsageQuery, SystemEventsQuery, SystemDataUsageResponse, SystemInfoResponse, SystemVersionResponse,
} from '../generated/operations.js';
import { jsonLines } from '../stream/json-lines.js';
import type { ApiClient, CallOptions } from './api-client.js';
import { normalizeDataUsage } from './data-usage.js';

/** Who a session is, as the engine's `X-Docker-Expose-Session-*` headers say it. */
export interface SessionOptions extends CallOptions {
  /** A unique ID for the session (BuildKit passes it to builds as `session`). */
  sessionId: string;
  /** A name shown in the engine's logs. */
  name?: string | undefined;
  /** A key that ties the session to a build context, so that caches can be shared between sessions. */
  sharedKey?: string | undefined;
}

/** A point in time for `events`: a `Date`, Unix seconds, or what the engine takes (`1700000000`, `10m` …). */
export type EventTime = Date | number | string;

/** The query of {@link System.events}: the engine's own `since`, `until` and `filters`. */
export interface EventsQuery extends Omit<SystemEventsQuery, 'since' | 'until'> {
  /** Replay events from this time on, then keep streaming. */
  since?: EventTime;
  /** Stop at this time (the stream then ends by itself). */
  until?: EventTime;
}

/** The System operations: version, info, disk usage, sessions, events. (`ping` is on {@link Docker} itself.) */
export class System {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** Versions of the engine and its components. */
  version(options?: CallOptions): Promise<SystemVersionResponse> {
    return this.#api.json({ operation: 'SystemVersion', method: 'GET', path: '/version', options });
  }

  /** System-wide information: containers, images, storage driver, kernel … */
  info(options?: CallOptions): Promise<SystemInfoResponse> {
    return this.#api.json({ operation: 'SystemInfo', method: 'GET', path: '/info', options });
  }

  /**
   * Disk usage by images, containers, volumes and the build cache (`type` picks some, v1.42+), in the
   * API 1.52+ shape (`ImageUsage`, `ContainerUsage` …) whatever the engine's version.
   */
  dataUsage(query: SystemDataUsageQuery = {}, options?: CallOptions): Promise<SystemDataUsageResponse> {
    return this.#api.json<SystemDataUsageResponse>({ operation: 'SystemDataUsage', method: 'GET', path: '/system/df', query, options: { timeout: 0, ...options } })
      .then(normalizeDataUsage);
  }

  /**
   * Opens an interactive session (BuildKit's gRPC-over-HTTP/2 channel for file sync and secrets during a
   * build): `POST /session` upgraded to `h2c`; resolves with the raw byte stream once the engine answers
   * 101. The caller speaks HTTP/2 on it and closes it. The stream is handed back paused: read it with
   * `for await`, `pipe`, or `resume()` once a `data` listener is attached. Deprecated by the engine since API 1.53 (BuildKit
   * sessions now go through gRPC on `/grpc`), but still answered.
   */
  async session(options: SessionOptions): Promise<Duplex> {
    const { sessionId, name, sharedKey, ...callOptions } = options ?? {};
    if (typeof sessionId !== 'string' || sessionId === '') throw new InvalidArgumentError('session() needs a sessionId');
    const response = await this.#api.send({
      operation: 'Session',
      method: 'POST',
      path: '/session',
      headers: {
        Upgrade: 'h2c',
        'X-Docker-Expose-Session-Uuid': sessionId,
        'X-Docker-Expose-Session-Name': name,
        'X-Docker-Expose-Session-Sharedkey': sharedKey,
      },
      upgrade: true,
      options: callOptions,
    });
    if (response.status !== 101) {
      await response.discard().catch(() => undefined);
      throw new ProtocolError(`The engine answered /session with ${response.status} instead of 101 Switching Protocols`);
    }
    return response.takeOver();
  }

  /**
   * Checks credentials with a registry through the engine (`POST /auth`, what `docker login` does). Resolves
   * with the engine's status and, when the registry gave one, an identity token to store instead of the
   * password. A refused login rejects with the engine's error (dockerd answers 500 with the registry's words);
   * the password never appears in it.
   */
  async auth(credentials: RegistryAuth, options?: CallOptions): Promise<SystemAuthResponse> {
    const response = await this.#api.send({ operation: 'SystemAuth', method: 'POST', path: '/auth', body: credentials, options });
    if (response.status === 204) {
      await response.discard();
      return { Status: 'Login Succeeded' };
    }
    return response.json<SystemAuthResponse>();
  }

  /**
   * The engine's events (`GET /events`) as they happen: containers, images, networks, volumes …, typed.
   * Without `until` it runs until you leave the loop or abort; a message split across chunks, or several
   * in one chunk, are decoded correctly.
   *
   * ```ts
   * for await (const event of docker.system.events({ filters: { label: ['app=web'] } })) console.log(event.Action);
   * ```
   */
  events(query: EventsQuery = {}, options?: CallOptions): AsyncIterable<EventMessage> {
    const wire: SystemEventsQuery = { since: eventTime('since', query.since), until: eventTime('until', query.until), filters: query.filters };
    return this.#api.stream({ operation: 'SystemEvents', method: 'GET', path: '/events', query: wire, options }, (response) => jsonLines<EventMessage>(response));
  }
}

/** Unix seconds (with a fraction for sub-second dates), as the engine reads `since` and `until`. */
function eventTime(name: string, value: EventTime | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new InvalidArgumentError(`Invalid ${name}: not a valid date`);
    return (ms / 1000).toFixed(3).replace(/\.?0+$/, '');
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError(`Invalid ${name} ${value}: Unix seconds expected`);
    return String(value);
  }
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidArgumentError(`Invalid ${name}: a date, Unix seconds or a duration such as 10m`);
  return value;
}
