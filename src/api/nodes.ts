import type {
  NodeDeleteQuery, NodeInspectResponse, NodeListQuery, NodeListResponse, NodeUpdateBody, NodeUpdateQuery,
} from '../generated/operations.js';
import type { ApiClient, CallOptions } from './api-client.js';
import { route } from './route.js';
import { requireVersion } from './validate.js';

/**
 * The Node operations of the Engine API (swarm managers only). Every method takes {@link CallOptions} last.
 *
 * ```ts
 * const [node] = await docker.nodes.list({ filters: { role: ['manager'] } });
 * ```
 */
export class Nodes {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** Lists the swarm's nodes (`filters`: `id`, `label`, `membership`, `name`, `node.label`, `role`). */
  list(query: NodeListQuery = {}, options?: CallOptions): Promise<NodeListResponse> {
    return this.#api.json({ operation: 'NodeList', method: 'GET', path: '/nodes', query, options });
  }

  /** A node's spec, status and description. */
  inspect(id: string, options?: CallOptions): Promise<NodeInspectResponse> {
    return this.#api.json({ operation: 'NodeInspect', method: 'GET', path: route`/nodes/${id}`, options });
  }

  /**
   * Replaces a node's spec (`Role`, `Availability`, `Labels`). `version` is the node's current
   * `Version.Index`: send the whole spec from {@link Nodes.inspect}, changed.
   */
  async update(id: string, body: NodeUpdateBody, query: NodeUpdateQuery, options?: CallOptions): Promise<void> {
    const path = route`/nodes/${id}/update`;
    requireVersion(query);
    await this.#api.empty({ operation: 'NodeUpdate', method: 'POST', path, body, query, options });
  }

  /** Removes a node from the swarm (`force` even if it is still up). */
  async remove(id: string, query: NodeDeleteQuery = {}, options?: CallOptions): Promise<void> {
    await this.#api.empty({ operation: 'NodeDelete', method: 'DELETE', path: route`/nodes/${id}`, query, options });
  }
}
