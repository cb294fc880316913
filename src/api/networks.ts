import { InvalidArgumentError } from '../errors.js';
import type {
  NetworkConnectBody, NetworkCreateBody, NetworkCreateResponse, NetworkDisconnectBody, NetworkInspectQuery,
  NetworkInspectResponse, NetworkListQuery, NetworkListResponse, NetworkPruneQuery, NetworkPruneResponse,
} from '../generated/operations.js';
import type { ApiClient, CallOptions } from './api-client.js';
import { route } from './route.js';

/** What `prune` removed. */
export interface NetworkPruneResult {
  /** Names of the networks that were removed (empty, never `null`). */
  NetworksDeleted: string[];
}

/**
 * The Network operations of the Engine API. Every ID may also be a name; every method takes
 * {@link CallOptions} last (`signal`, `timeout`).
 *
 * ```ts
 * const { Id } = await docker.networks.create({ Name: 'app-net', Labels: { app: 'web' } });
 * await docker.networks.connect(Id, { Container: 'web-1', EndpointConfig: { Aliases: ['web'] } });
 * ```
 */
export class Networks {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** Lists networks (`filters`: `driver`, `label`, `name`, `type`, …). */
  list(query: NetworkListQuery = {}, options?: CallOptions): Promise<NetworkListResponse> {
    return this.#api.json({ operation: 'NetworkList', method: 'GET', path: '/networks', query, options });
  }

  /** A network's details, including the containers attached to it. */
  inspect(id: string, query: NetworkInspectQuery = {}, options?: CallOptions): Promise<NetworkInspectResponse> {
    return this.#api.json({ operation: 'NetworkInspect', method: 'GET', path: route`/networks/${id}`, query, options });
  }

  /** Creates a network (`Name` is required; `Driver` defaults to `bridge`). */
  create(body: NetworkCreateBody, options?: CallOptions): Promise<NetworkCreateResponse> {
    if (!body || typeof body.Name !== 'string' || body.Name === '') {
      throw new InvalidArgumentError('networks.create() needs a Name');
    }
    return this.#api.json({ operation: 'NetworkCreate', method: 'POST', path: '/networks/create', body, options });
  }

  /**
   * Connects a container to a network; `EndpointConfig` gives it `Aliases` (other names it answers to on
   * this network) or a fixed address (`IPAMConfig: { IPv4Address }`).
   */
  async connect(id: string, body: NetworkConnectBody, options?: CallOptions): Promise<void> {
    const path = route`/networks/${id}/connect`;
    requireContainer(body);
    await this.#api.empty({ operation: 'NetworkConnect', method: 'POST', path, body, options });
  }

  /** Disconnects a container from a network (`Force` even if it is not running). */
  async disconnect(id: string, body: NetworkDisconnectBody, options?: CallOptions): Promise<void> {
    const path = route`/networks/${id}/disconnect`;
    requireContainer(body);
    await this.#api.empty({ operation: 'NetworkDisconnect', method: 'POST', path, body, options });
  }

  /** Removes a network. */
  async remove(id: string, options?: CallOptions): Promise<void> {
    await this.#api.empty({ operation: 'NetworkDelete', method: 'DELETE', path: route`/networks/${id}`, options });
  }

  /** Removes unused networks (`filters`: `label`, `until`). */
  async prune(query: NetworkPruneQuery = {}, options?: CallOptions): Promise<NetworkPruneResult> {
    const result = await this.#api.json<NetworkPruneResponse | null>({ operation: 'NetworkPrune', method: 'POST', path: '/networks/prune', query, options });
    // dockerd sends `null` rather than `[]` when nothing was removed.
    return { NetworksDeleted: result?.NetworksDeleted ?? [] };
  }
}

function requireContainer(body: { Container?: unknown } | undefined): void {
  if (!body || typeof body.Container !== 'string' || body.Container === '') {
    throw new InvalidArgumentError('A Container (ID or name) is required');
  }
}
