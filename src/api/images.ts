import type { ApiClient } from './api-client.js';

/** The Image operations (list, pull, push, build, …) of the Engine API. */
export class Images {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** @internal The client requests go through. */
  protected get api(): ApiClient {
    return this.#api;
  }
}
