import type { ApiClient } from './api-client.js';

/** The Exec operations (create, start, resize, inspect) of the Engine API. */
export class Exec {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** @internal The client requests go through. */
  protected get api(): ApiClient {
    return this.#api;
  }
}
