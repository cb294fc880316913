import type { DistributionInspectResponse } from '../generated/operations.js';
import type { CredentialStore, RegistryAuth } from '../auth/credential-store.js';
import { parseImageReference } from '../auth/reference.js';
import type { ApiClient, CallOptions } from './api-client.js';
import { registryAuthHeader } from './registry-auth-header.js';
import { route } from './route.js';

/** The Distribution operations (registry image metadata) of the Engine API. */
export class Distribution {
  readonly #api: ApiClient;
  readonly #credentials: CredentialStore | undefined;

  constructor(api: ApiClient, credentials?: CredentialStore) {
    this.#api = api;
    this.#credentials = credentials;
  }

  /**
   * The manifest descriptor and platforms of an image in its registry (`GET /distribution/{name}/json`),
   * asked through the engine, with the registry's credentials when there are any.
   */
  async inspect(image: string, options: CallOptions & { auth?: RegistryAuth } = {}): Promise<DistributionInspectResponse> {
    const { registry } = parseImageReference(image);
    const path = route`/distribution/${image}/json`;
    const { auth, ...callOptions } = options;
    const headers = await registryAuthHeader(this.#credentials, registry, auth, false);
    return this.#api.json({ operation: 'DistributionInspect', method: 'GET', path, headers, options: callOptions });
  }
}
