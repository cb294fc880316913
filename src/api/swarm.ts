import type { ApiClient } from './api-client.js';

/** The Swarm operations of the Engine API. */
export class Swarm {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** @internal The client requests go through. */
  protected get api(): ApiClient {
    return this.#api;
  }
}
