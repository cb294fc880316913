import { InvalidArgumentError } from '../errors.js';
import type {
  SwarmInitBody, SwarmInitResponse, SwarmInspectResponse, SwarmJoinBody, SwarmLeaveQuery, SwarmUnlockBody,
  SwarmUnlockkeyResponse, SwarmUpdateBody, SwarmUpdateQuery,
} from '../generated/operations.js';
import type { ApiClient, CallOptions } from './api-client.js';
import { requireVersion } from './validate.js';

/**
 * The Swarm operations of the Engine API. On an engine that is not a swarm manager, calls other than
 * `init`, `join` and `leave` fail with an {@link UnavailableError} ("This node is not a swarm manager…").
 *
 * ```ts
 * const nodeId = await docker.swarm.init({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
 * ```
 */
export class Swarm {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** Makes this engine the first manager of a new swarm; resolves with the node's ID. */
  init(body: SwarmInitBody = {}, options?: CallOptions): Promise<SwarmInitResponse> {
    return this.#api.json({ operation: 'SwarmInit', method: 'POST', path: '/swarm/init', body, options });
  }

  /** Joins an existing swarm (`RemoteAddrs` of managers, and a worker or manager `JoinToken`). */
  async join(body: SwarmJoinBody, options?: CallOptions): Promise<void> {
    if (!body?.JoinToken || !Array.isArray(body.RemoteAddrs) || body.RemoteAddrs.length === 0) {
      throw new InvalidArgumentError('swarm.join() needs a JoinToken and at least one of RemoteAddrs');
    }
    await this.#api.empty({ operation: 'SwarmJoin', method: 'POST', path: '/swarm/join', body, options });
  }

  /** Leaves the swarm (`force` is needed for the last manager). Can take several seconds. */
  async leave(query: SwarmLeaveQuery = {}, options?: CallOptions): Promise<void> {
    await this.#api.empty({ operation: 'SwarmLeave', method: 'POST', path: '/swarm/leave', query, options });
  }

  /** The swarm's spec, version and join tokens. */
  inspect(options?: CallOptions): Promise<SwarmInspectResponse> {
    return this.#api.json({ operation: 'SwarmInspect', method: 'GET', path: '/swarm', options });
  }

  /**
   * Replaces the swarm's spec. `version` is `Version.Index` from {@link Swarm.inspect}; the `rotate…`
   * flags issue new join tokens or a new unlock key.
   */
  async update(body: SwarmUpdateBody, query: SwarmUpdateQuery, options?: CallOptions): Promise<void> {
    requireVersion(query);
    await this.#api.empty({ operation: 'SwarmUpdate', method: 'POST', path: '/swarm/update', body, query, options });
  }

  /** The key that unlocks a manager after a restart, when autolock is on (`UnlockKey` is empty otherwise). */
  unlockKey(options?: CallOptions): Promise<SwarmUnlockkeyResponse> {
    return this.#api.json({ operation: 'SwarmUnlockkey', method: 'GET', path: '/swarm/unlockkey', options });
  }

  /** Unlocks a locked manager with its unlock key. */
  async unlock(body: SwarmUnlockBody, options?: CallOptions): Promise<void> {
    if (!body?.UnlockKey) throw new InvalidArgumentError('swarm.unlock() needs an UnlockKey');
    await this.#api.empty({ operation: 'SwarmUnlock', method: 'POST', path: '/swarm/unlock', body, options });
  }
}
