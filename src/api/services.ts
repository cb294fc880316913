import { InvalidArgumentError } from '../errors.js';
import type { RegistryAuth } from '../auth/credential-store.js';
import type { Service, ServiceSpec } from '../generated/models.js';
import type {
  ServiceCreateResponse, ServiceInspectQuery, ServiceListQuery, ServiceLogsQuery, ServiceUpdateQuery,
  ServiceUpdateResponse,
} from '../generated/operations.js';
import type { OutputFrame } from '../stream/frames.js';
import type { ApiClient, CallOptions } from './api-client.js';
import { decodeOutput } from './output.js';
import { explicitRegistryAuthHeader } from './registry-auth-header.js';
import { route } from './route.js';
import { requireVersion, validateTail } from './validate.js';

/** Options of a service create or update: the call options, plus registry credentials for the image. */
export interface ServiceWriteOptions extends CallOptions {
  /**
   * Credentials for the registry of the service's image, sent as `X-Registry-Auth` so that the nodes can
   * pull it. Without them an update reuses what `registryAuthFrom` names.
   */
  auth?: RegistryAuth | undefined;
}

/**
 * A service as the engine reports it. `PreviousSpec` (the spec before the last update, what a rollback
 * returns to) is sent by dockerd but missing from the spec's `Service` model.
 */
export type ServiceInfo = Service & { PreviousSpec?: ServiceSpec };

/**
 * The Service operations of the Engine API (swarm managers only). Every ID may also be a name.
 *
 * ```ts
 * const { ID } = await docker.services.create({
 *   Name: 'web',
 *   TaskTemplate: { ContainerSpec: { Image: 'busybox', Command: ['httpd', '-f'] } },
 *   Mode: { Replicated: { Replicas: 2 } },
 *   EndpointSpec: { Mode: 'dnsrr' },
 * });
 * ```
 */
export class Services {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** Lists services (`filters`: `id`, `label`, `mode`, `name`; `status` adds running/desired task counts). */
  list(query: ServiceListQuery = {}, options?: CallOptions): Promise<ServiceInfo[]> {
    return this.#api.json({ operation: 'ServiceList', method: 'GET', path: '/services', query, options });
  }

  /** Creates a service; resolves with its `ID` (and the engine's `Warnings`, if any). */
  create(body: ServiceSpec, options?: ServiceWriteOptions): Promise<ServiceCreateResponse> {
    if (!body?.TaskTemplate) throw new InvalidArgumentError('services.create() needs a TaskTemplate');
    const { auth, ...callOptions } = options ?? {};
    return this.#api.json({ operation: 'ServiceCreate', method: 'POST', path: '/services/create', body, headers: explicitRegistryAuthHeader(auth), options: callOptions });
  }

  /** A service's spec, version, endpoint and update status (`insertDefaults` fills in the engine's defaults). */
  inspect(id: string, query: ServiceInspectQuery = {}, options?: CallOptions): Promise<ServiceInfo> {
    return this.#api.json({ operation: 'ServiceInspect', method: 'GET', path: route`/services/${id}`, query, options });
  }

  /**
   * Replaces a service's spec. `version` is the service's current `Version.Index`; send the whole spec
   * from {@link Services.inspect}, changed. `rollback: 'previous'` goes back to the previous spec (the
   * body is then ignored by the engine, but must still be sent).
   */
  update(id: string, body: ServiceSpec, query: ServiceUpdateQuery, options?: ServiceWriteOptions): Promise<ServiceUpdateResponse> {
    const path = route`/services/${id}/update`;
    requireVersion(query);
    const { auth, ...callOptions } = options ?? {};
    return this.#api.json({ operation: 'ServiceUpdate', method: 'POST', path, body, query, headers: explicitRegistryAuthHeader(auth), options: callOptions });
  }

  /** Removes a service (its tasks are stopped). */
  async remove(id: string, options?: CallOptions): Promise<void> {
    await this.#api.empty({ operation: 'ServiceDelete', method: 'DELETE', path: route`/services/${id}`, options });
  }

  /**
   * The output of all of a service's tasks, as frames `{ stream, data }`. Ask for `stdout` and/or
   * `stderr`; with `follow` the iteration runs until you leave the loop.
   */
  logs(id: string, query: ServiceLogsQuery = {}, options?: CallOptions): AsyncIterable<OutputFrame> {
    const path = route`/services/${id}/logs`;
    validateTail(query.tail);
    const hasTty = async () => (await this.inspect(id, {}, options)).Spec?.TaskTemplate?.ContainerSpec?.TTY === true;
    return this.#api.stream({ operation: 'ServiceLogs', method: 'GET', path, query, options }, (response) => decodeOutput(response, hasTty));
  }
}
