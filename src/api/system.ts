import type { Duplex } from 'node:stream';
import { InvalidArgumentError, ProtocolError } from '../errors.js';
import type { RegistryAuth } from '../auth/credential-store.js';
import type {
  SystemAuthResponse, SystemDataUsageQuery, SystemDataUsageResponse, SystemInfoResponse, SystemVersionResponse,
} from '../generated/operations.js';
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

/** The System operations: version, info, disk usage, sessions. (`ping` is on {@link Docker} itself.) */
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
}
