import type { ApiClient } from './api-client.js';

/** The Swarm task operations of the Engine API. */
export class Tasks {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** @internal The client requests go through. */
  protected get api(): ApiClient {
    return this.#api;
  }
}
