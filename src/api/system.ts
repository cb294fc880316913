import type {
  SystemDataUsageQuery, SystemDataUsageResponse, SystemInfoResponse, SystemVersionResponse,
} from '../generated/operations.js';
import type { ApiClient, CallOptions } from './api-client.js';
import { normalizeDataUsage } from './data-usage.js';

/** The System operations: version, info, disk usage. (`ping` is on {@link Docker} itself.) */
export class System {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** Versions of the engine and its components. */
  version(options?: CallOptions): Promise<SystemVersionResponse> {
    return this.#api.json({ operation: 'SystemVersion', method: 'GET', path: '/version', options });
  }

  /** System-wide information: containers, images, storage driver, kernel … */
  info(options?: CallOptions): Promise<SystemInfoResponse> {
    return this.#api.json({ operation: 'SystemInfo', method: 'GET', path: '/info', options });
  }

  /**
   * Disk usage by images, containers, volumes and the build cache (`type` picks some, v1.42+), in the
   * API 1.52+ shape (`ImageUsage`, `ContainerUsage` …) whatever the engine's version.
   */
  dataUsage(query: SystemDataUsageQuery = {}, options?: CallOptions): Promise<SystemDataUsageResponse> {
    return this.#api.json<SystemDataUsageResponse>({ operation: 'SystemDataUsage', method: 'GET', path: '/system/df', query, options: { timeout: 0, ...options } })
      .then(normalizeDataUsage);
  }
}
