import type { ApiClient } from './api-client.js';

/** The Distribution operations (registry image metadata) of the Engine API. */
export class Distribution {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** @internal The client requests go through. */
  protected get api(): ApiClient {
    return this.#api;
  }
}
