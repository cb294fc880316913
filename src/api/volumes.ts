import type {
  VolumeCreateBody, VolumeCreateResponse, VolumeDeleteQuery, VolumeInspectResponse, VolumeListQuery,
  VolumeListResponse, VolumePruneQuery, VolumePruneResponse, VolumeUpdateBody, VolumeUpdateQuery,
} from '../generated/operations.js';
import type { Volume } from '../generated/models.js';
import type { ApiClient, CallOptions } from './api-client.js';
import { route } from './route.js';
import { requireVersion } from './validate.js';

/** The volume list: `Volumes` and `Warnings` are always arrays. */
export interface VolumeListResult {
  Volumes: Volume[];
  Warnings: string[];
}

/** What `prune` removed. */
export interface VolumePruneResult {
  /** Names of the volumes that were removed. */
  VolumesDeleted: string[];
  /** Bytes freed. */
  SpaceReclaimed: number;
}

/**
 * The Volume operations of the Engine API. Every method takes {@link CallOptions} last.
 *
 * ```ts
 * const volume = await docker.volumes.create({ Name: 'data', Labels: { app: 'db' } });
 * ```
 */
export class Volumes {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** Lists volumes (`filters`: `dangling`, `driver`, `label`, `name`). */
  async list(query: VolumeListQuery = {}, options?: CallOptions): Promise<VolumeListResult> {
    const result = await this.#api.json<VolumeListResponse>({ operation: 'VolumeList', method: 'GET', path: '/volumes', query, options });
    // dockerd sends `null` for both lists when they are empty.
    return { Volumes: result.Volumes ?? [], Warnings: result.Warnings ?? [] };
  }

  /** Creates a volume (an anonymous one, with a random name, when `Name` is left out). */
  create(body: VolumeCreateBody = {}, options?: CallOptions): Promise<VolumeCreateResponse> {
    return this.#api.json({ operation: 'VolumeCreate', method: 'POST', path: '/volumes/create', body, options });
  }

  /** A volume's details: driver, mount point, labels, options. */
  inspect(name: string, options?: CallOptions): Promise<VolumeInspectResponse> {
    return this.#api.json({ operation: 'VolumeInspect', method: 'GET', path: route`/volumes/${name}`, options });
  }

  /**
   * Updates a cluster volume (Swarm CSI volumes only; API 1.42+). `version` is the volume's current
   * `ClusterVolume.Version.Index`. On an older engine this throws a {@link VersionError} before any request.
   */
  async update(name: string, body: VolumeUpdateBody, query: VolumeUpdateQuery, options?: CallOptions): Promise<void> {
    const path = route`/volumes/${name}`;
    requireVersion(query);
    await this.#api.empty({ operation: 'VolumeUpdate', method: 'PUT', path, body, query, options });
  }

  /** Removes a volume (`force`: even if the driver reports it cannot). A volume in use is a {@link ConflictError}. */
  async remove(name: string, query: VolumeDeleteQuery = {}, options?: CallOptions): Promise<void> {
    await this.#api.empty({ operation: 'VolumeDelete', method: 'DELETE', path: route`/volumes/${name}`, query, options });
  }

  /**
   * Removes unused volumes (`filters`: `label`, and `all: ['true']` for named volumes too; since API 1.42
   * only anonymous volumes are pruned unless `all` is given).
   */
  async prune(query: VolumePruneQuery = {}, options?: CallOptions): Promise<VolumePruneResult> {
    const result = await this.#api.json<VolumePruneResponse>({ operation: 'VolumePrune', method: 'POST', path: '/volumes/prune', query, options: { timeout: 0, ...options } });
    return { VolumesDeleted: result.VolumesDeleted ?? [], SpaceReclaimed: result.SpaceReclaimed ?? 0 };
  }
}

