import type { ApiClient } from './api-client.js';

/** The Swarm secret operations of the Engine API. */
export class Secrets {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** @internal The client requests go through. */
  protected get api(): ApiClient {
    return this.#api;
  }
}
