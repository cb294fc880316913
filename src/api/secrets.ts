import { InvalidArgumentError } from '../errors.js';
import type {
  SecretInspectResponse, SecretListQuery, SecretListResponse, SecretUpdateBody, SecretUpdateQuery,
} from '../generated/operations.js';
import type { SecretSpec } from '../generated/models.js';
import type { ApiClient, CallOptions } from './api-client.js';
import { route } from './route.js';
import { requireVersion } from './validate.js';

/**
 * What creating a secret or config answers. The spec names the field `Id` (`IDResponse`), but dockerd
 * sends `ID`, as its own Go type says.
 */
export interface CreatedObject {
  /** The new object's ID. */
  ID: string;
}

/**
 * The Secret operations of the Engine API (swarm managers only). `Data` is sent base64-encoded; the engine never returns it.
 *
 * ```ts
 * const { ID } = await docker.secrets.create({ Name: 'app-secret', Data: Buffer.from('s3cr3t').toString('base64') });
 * ```
 */
export class Secrets {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** Lists secrets (`filters`: `id`, `label`, `name`, `names`). */
  list(query: SecretListQuery = {}, options?: CallOptions): Promise<SecretListResponse> {
    return this.#api.json({ operation: 'SecretList', method: 'GET', path: '/secrets', query, options });
  }

  /** Creates a secret; resolves with its `ID`. */
  create(body: SecretSpec, options?: CallOptions): Promise<CreatedObject> {
    if (!body?.Name) throw new InvalidArgumentError('secrets.create() needs a Name');
    return this.#api.json({ operation: 'SecretCreate', method: 'POST', path: '/secrets/create', body, options });
  }

  /** A secret's metadata and spec. */
  inspect(id: string, options?: CallOptions): Promise<SecretInspectResponse> {
    return this.#api.json({ operation: 'SecretInspect', method: 'GET', path: route`/secrets/${id}`, options });
  }

  /**
   * Updates a secret: only `Labels` may change (send the rest of the spec as inspect returned it). `version`
   * is the secret's current `Version.Index`.
   */
  async update(id: string, body: SecretUpdateBody, query: SecretUpdateQuery, options?: CallOptions): Promise<void> {
    const path = route`/secrets/${id}/update`;
    requireVersion(query);
    await this.#api.empty({ operation: 'SecretUpdate', method: 'POST', path, body, query, options });
  }

  /** Removes a secret. One that a service uses is a {@link ConflictError}. */
  async remove(id: string, options?: CallOptions): Promise<void> {
    await this.#api.empty({ operation: 'SecretDelete', method: 'DELETE', path: route`/secrets/${id}`, options });
  }
}
