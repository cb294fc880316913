import { InvalidArgumentError } from '../errors.js';
import type {
  ConfigInspectResponse, ConfigListQuery, ConfigListResponse, ConfigUpdateBody, ConfigUpdateQuery,
} from '../generated/operations.js';
import type { ConfigSpec } from '../generated/models.js';
import type { ApiClient, CallOptions } from './api-client.js';
import { route } from './route.js';
import { requireVersion } from './validate.js';
import type { CreatedObject } from './secrets.js';

/**
 * The Config operations of the Engine API (swarm managers only). `Data` is sent base64-encoded; inspect returns it, still in base64.
 *
 * ```ts
 * const { ID } = await docker.configs.create({ Name: 'app-config', Data: Buffer.from('key=value').toString('base64') });
 * ```
 */
export class Configs {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** Lists configs (`filters`: `id`, `label`, `name`, `names`). */
  list(query: ConfigListQuery = {}, options?: CallOptions): Promise<ConfigListResponse> {
    return this.#api.json({ operation: 'ConfigList', method: 'GET', path: '/configs', query, options });
  }

  /** Creates a config; resolves with its `ID`. */
  create(body: ConfigSpec, options?: CallOptions): Promise<CreatedObject> {
    if (!body?.Name) throw new InvalidArgumentError('configs.create() needs a Name');
    return this.#api.json({ operation: 'ConfigCreate', method: 'POST', path: '/configs/create', body, options });
  }

  /** A config's metadata and spec. */
  inspect(id: string, options?: CallOptions): Promise<ConfigInspectResponse> {
    return this.#api.json({ operation: 'ConfigInspect', method: 'GET', path: route`/configs/${id}`, options });
  }

  /**
   * Updates a config: only `Labels` may change (send the rest of the spec as inspect returned it). `version`
   * is the config's current `Version.Index`.
   */
  async update(id: string, body: ConfigUpdateBody, query: ConfigUpdateQuery, options?: CallOptions): Promise<void> {
    const path = route`/configs/${id}/update`;
    requireVersion(query);
    await this.#api.empty({ operation: 'ConfigUpdate', method: 'POST', path, body, query, options });
  }

  /** Removes a config. One that a service uses is a {@link ConflictError}. */
  async remove(id: string, options?: CallOptions): Promise<void> {
    await this.#api.empty({ operation: 'ConfigDelete', method: 'DELETE', path: route`/configs/${id}`, options });
  }
}
