import { InvalidArgumentError } from '../errors.js';
import type {
  BuildPruneQuery, BuildPruneResponse, ImageAttestationsQuery, ImageAttestationsResponse,
  ImageCommitQuery, ImageCommitResponse, ImageDeleteQuery, ImageDeleteResponse, ImageGetAllQuery, ImageGetQuery,
  ImageHistoryQuery, ImageHistoryResponse, ImageInspectQuery, ImageInspectResponse, ImageListQuery, ImageListResponse,
  ImagePruneQuery, ImagePruneResponse, ImageSearchQuery, ImageSearchResponse, ImageTagQuery,
} from '../generated/operations.js';
import type { ContainerConfig } from '../generated/models.js';
import type { ApiClient, CallOptions } from './api-client.js';
import type { CredentialStore, RegistryAuth } from '../auth/credential-store.js';
import { parseImageReference } from '../auth/reference.js';
import { registryAuthHeader } from './registry-auth-header.js';
import { route } from './route.js';
import { compareApiVersions } from './version.js';
import { ImageTransfers } from './image-transfers.js';

/** Options of {@link Images.commit}: the engine's query, with `changes` as a list of Dockerfile instructions. */
export interface CommitOptions extends Omit<ImageCommitQuery, 'container' | 'changes'> {
  /** Dockerfile instructions to apply, e.g. `['CMD ["sh"]', 'ENV A=1']`. */
  changes?: string[];
  /** Configuration to merge into the image's (the request body). */
  config?: ContainerConfig;
}

/**
 * The Image operations of the Engine API: list, inspect, history, tag, remove, prune, search, commit, save,
 * and (from {@link ImageTransfers}) pull, push, import, load and build with progress.
 */
export class Images extends ImageTransfers {
  readonly #api: ApiClient;
  readonly #credentials: CredentialStore | undefined;

  constructor(api: ApiClient, credentials?: CredentialStore) {
    super(api, credentials);
    this.#api = api;
    this.#credentials = credentials;
  }

  /** Lists images (`all`, `digests`, `filters` such as `{ label: ['a=b'], dangling: ['true'] }`). */
  list(query: ImageListQuery = {}, options?: CallOptions): Promise<ImageListResponse> {
    return this.#api.json({ operation: 'ImageList', method: 'GET', path: '/images/json', query, options });
  }

  /** Low-level information on an image (by name, `name:tag`, digest or ID). */
  inspect(name: string, query: ImageInspectQuery = {}, options?: CallOptions): Promise<ImageInspectResponse> {
    return this.#api.json({ operation: 'ImageInspect', method: 'GET', path: route`/images/${name}/json`, query, options });
  }

  /** The layers an image was made of, newest first. */
  history(name: string, query: ImageHistoryQuery = {}, options?: CallOptions): Promise<ImageHistoryResponse> {
    return this.#api.json({ operation: 'ImageHistory', method: 'GET', path: route`/images/${name}/history`, query, options });
  }

  /**
   * Gives an image another name: `tag('busybox:local', { repo: '127.0.0.1:5000/box', tag: '1' })`. A `repo`
   * with a tag in it (`box:1`) is split as the Docker CLI does.
   */
  async tag(name: string, query: ImageTagQuery, options?: CallOptions): Promise<void> {
    if (!query?.repo) throw new InvalidArgumentError('tag() needs the new repository name in repo');
    let { repo, tag } = query;
    if (tag === undefined) {
      const parsed = parseImageReference(repo);
      if (parsed.digest) throw new InvalidArgumentError(`Cannot tag with a digest reference ${JSON.stringify(repo)}`);
      repo = parsed.repository;
      tag = parsed.tag;
    }
    await this.#api.empty({ operation: 'ImageTag', method: 'POST', path: route`/images/${name}/tag`, query: { repo, tag }, options });
  }

  /** Removes an image or a tag (`force`, `noprune`); resolves with what was untagged and deleted. */
  remove(name: string, query: ImageDeleteQuery = {}, options?: CallOptions): Promise<ImageDeleteResponse> {
    return this.#api.json({ operation: 'ImageDelete', method: 'DELETE', path: route`/images/${name}`, query, options });
  }

  /** Removes unused images (by default only dangling ones; `filters: { dangling: ['false'] }` for all unused). */
  async prune(query: ImagePruneQuery = {}, options?: CallOptions): Promise<Required<ImagePruneResponse>> {
    const result = await this.#api.json<ImagePruneResponse>({ operation: 'ImagePrune', method: 'POST', path: '/images/prune', query, options: { timeout: 0, ...options } });
    return { ImagesDeleted: result.ImagesDeleted ?? [], SpaceReclaimed: result.SpaceReclaimed ?? 0 };
  }

  /** Searches a registry's index (Docker Hub's, or the one named in `term`, e.g. `registry.example.com/app`). */
  async search(query: ImageSearchQuery, options: CallOptions & { auth?: RegistryAuth } = {}): Promise<ImageSearchResponse> {
    if (!query?.term) throw new InvalidArgumentError('search() needs a term');
    const { auth, ...callOptions } = options;
    const headers = await registryAuthHeader(this.#credentials, registryOfSearchTerm(query.term), auth, false);
    return this.#api.json({ operation: 'ImageSearch', method: 'GET', path: '/images/search', query, headers, options: callOptions });
  }

  /** Makes an image from a container's filesystem; resolves with the new image's `Id`. */
  commit(container: string, query: CommitOptions = {}, options?: CallOptions): Promise<ImageCommitResponse> {
    if (!container) throw new InvalidArgumentError('commit() needs a container ID or name');
    const { config, ...rest } = query;
    // Podman wants a JSON body even when there is nothing to merge.
    return this.#api.json({ operation: 'ImageCommit', method: 'POST', path: '/commit', query: { container, ...rest }, body: config ?? {}, options: { timeout: 0, ...options } });
  }

  /**
   * Saves images as a tar stream (`docker save`): one name uses `GET /images/{name}/get`, several use
   * `GET /images/get?names=…`. Read it to the end, or leave the loop to close the connection.
   */
  save(names: string | readonly string[], query: ImageGetQuery = {}, options?: CallOptions): AsyncIterable<Uint8Array> {
    const list = typeof names === 'string' ? [names] : [...names];
    if (list.length === 0 || list.some((name) => typeof name !== 'string' || name === '')) {
      throw new InvalidArgumentError('save() needs at least one image name');
    }
    if (list.length === 1) {
      return this.#api.stream({ operation: 'ImageGet', method: 'GET', path: route`/images/${list[0]!}/get`, query, options }, (response) => response);
    }
    const all: ImageGetAllQuery = { ...query, names: list };
    return this.#api.stream({ operation: 'ImageGetAll', method: 'GET', path: '/images/get', query: all, options }, (response) => response);
  }

  /** Attestations (SBOM, provenance) stored with an image; API v1.55+ (older engines get a {@link VersionError}). */
  attestations(name: string, query: ImageAttestationsQuery = {}, options?: CallOptions): Promise<ImageAttestationsResponse> {
    return this.#api.json({ operation: 'ImageAttestations', method: 'GET', path: route`/images/${name}/attestations`, query, options });
  }

  /**
   * Removes build cache. `reserved-space` is sent as `keep-storage` to engines before API 1.48, which knew it
   * by that name.
   */
  async buildPrune(query: BuildPruneQuery = {}, options?: CallOptions): Promise<Required<BuildPruneResponse>> {
    const version = await this.#api.apiVersion(options);
    let wire: Record<string, unknown> = { ...query };
    if (query['reserved-space'] !== undefined && compareApiVersions(version, '1.48') < 0) {
      const { 'reserved-space': reserved, ...rest } = query;
      wire = { ...rest, 'keep-storage': reserved };
    }
    const result = await this.#api.json<BuildPruneResponse>({ operation: 'BuildPrune', method: 'POST', path: '/build/prune', query: wire, options: { timeout: 0, ...options } });
    return { CachesDeleted: result.CachesDeleted ?? [], SpaceReclaimed: result.SpaceReclaimed ?? 0 };
  }
}

/** The registry a search term names: `host:5000/app` searches `host:5000`, anything else Docker Hub. */
function registryOfSearchTerm(term: string): string {
  const slash = term.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = term.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io';
}
