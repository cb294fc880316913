import { InvalidArgumentError } from '../errors.js';
import type { CredentialStore, RegistryAuth } from '../auth/credential-store.js';
import { encodeRegistryAuth } from '../auth/credential-store.js';
import { parseImageReference } from '../auth/reference.js';
import { contextDockerfile } from '../build/dockerfile-path.js';
import type { ImageBuildQuery, ImageCreateQuery, ImageLoadQuery } from '../generated/operations.js';
import { jsonLines } from '../stream/json-lines.js';
import { ProgressOperation, type ProgressMessage } from '../stream/progress.js';
import type { ApiCall, ApiClient, CallOptions } from './api-client.js';
import type { TarSource } from './containers.js';
import {
  buildReducer, importReducer, loadReducer, pullReducer, pushReducer,
  type BuildMessage, type BuildResult, type ImportResult, type LoadMessage, type LoadResult,
  type PullMessage, type PullResult, type PushMessage, type PushResult,
} from './image-progress.js';
import { registryAuthHeader } from './registry-auth-header.js';
import { route } from './route.js';

/** Options of {@link ImageTransfers.pull}. */
export interface PullOptions {
  /** `os[/arch[/variant]]`, e.g. `linux/arm64`. */
  platform?: string;
  /** Pull every tag of the repository. Without it, a name without tag pulls `latest` (as the Docker CLI does). */
  allTags?: boolean;
  /** Credentials for this pull; without them the client's {@link CredentialStore} is asked. */
  auth?: RegistryAuth;
}

/** Options of {@link ImageTransfers.push}. */
export interface PushOptions {
  /** The tag to push; defaults to the reference's own tag (all tags of the repository when it has none). */
  tag?: string;
  /** `os[/arch[/variant]]` of the variant to push, API 1.46+. */
  platform?: string;
  /** Credentials for this push; without them the client's {@link CredentialStore} is asked, else `{}` is sent. */
  auth?: RegistryAuth;
}

/** Options of {@link ImageTransfers.import}: the engine's query (`repo`, `tag`, `message`, `changes`, `platform`). */
export type ImportOptions = Pick<ImageCreateQuery, 'repo' | 'tag' | 'message' | 'changes' | 'platform'>;

/**
 * Options of {@link ImageTransfers.build}: the engine's query names, with lists and maps as plain values
 * (Berth encodes them as the engine expects).
 */
export interface BuildOptions extends Omit<ImageBuildQuery, 't' | 'buildargs' | 'labels' | 'cachefrom' | 'pull'> {
  /** Name(s) for the image, `name:tag`. */
  t?: string | string[];
  /** Build-time variables; `null` takes the value from the builder's environment, as `--build-arg NAME` does. */
  buildargs?: Record<string, string | null>;
  /** Labels to set on the image. */
  labels?: Record<string, string>;
  /** Images to use as cache sources. */
  cachefrom?: string[];
  /** Pull the base images even if present. */
  pull?: boolean;
  /** Credentials per registry for the base images (X-Registry-Config); defaults to all the client's store knows. */
  registryConfig?: Record<string, RegistryAuth>;
}

/** Pull, push, import, load and build: the operations that report progress (see {@link ProgressOperation}). */
export class ImageTransfers {
  readonly #api: ApiClient;
  readonly #credentials: CredentialStore | undefined;

  constructor(api: ApiClient, credentials?: CredentialStore) {
    this.#api = api;
    this.#credentials = credentials;
  }

  /**
   * Pulls an image (`POST /images/create?fromImage=`). Await it to know the image is there, or iterate
   * its progress first. dockerd reports most failures as an error status before any progress (a typed
   * {@link EngineError}); engines that report them inside the stream (Podman) reject with a {@link StreamError}.
   *
   * ```ts
   * const { digest } = await docker.images.pull('127.0.0.1:5000/app:1');
   * ```
   */
  pull(image: string, pullOptions: PullOptions = {}, options?: CallOptions): ProgressOperation<PullMessage, PullResult> {
    const reference = parseImageReference(image);
    const tag = reference.digest ?? reference.tag ?? (pullOptions.allTags ? undefined : 'latest');
    const query: ImageCreateQuery = { fromImage: reference.repository, tag, platform: pullOptions.platform };
    const shown = reference.digest ? `${reference.repository}@${reference.digest}` : tag ? `${reference.repository}:${tag}` : reference.repository;
    return this.#progress<PullMessage, PullResult>(async () => ({
      operation: 'ImageCreate', method: 'POST', path: '/images/create', query, options,
      headers: await registryAuthHeader(this.#credentials, reference.registry, pullOptions.auth, false),
    }), pullReducer(shown));
  }

  /**
   * Pushes an image to its registry. Resolves with the pushed digest; an error line (for example a
   * refused login) rejects with a {@link StreamError}.
   */
  push(image: string, pushOptions: PushOptions = {}, options?: CallOptions): ProgressOperation<PushMessage, PushResult> {
    const reference = parseImageReference(image);
    if (reference.digest) throw new InvalidArgumentError(`Cannot push a digest reference ${JSON.stringify(image)}; push a tag`);
    const path = route`/images/${reference.repository}/push`;
    const query = { tag: pushOptions.tag ?? reference.tag, platform: pushOptions.platform };
    return this.#progress<PushMessage, PushResult>(async () => ({
      operation: 'ImagePush', method: 'POST', path, query, options,
      headers: await registryAuthHeader(this.#credentials, reference.registry, pushOptions.auth, true),
    }), pushReducer());
  }

  /**
   * Imports a root filesystem tar as an image (`docker import`): `source` is the tar (bytes or a stream, plain
   * or compressed) or a URL the engine downloads. Resolves with the new image's ID.
   */
  import(source: TarSource | URL | string, importOptions: ImportOptions = {}, options?: CallOptions): ProgressOperation<LoadMessage, ImportResult> {
    const fromUrl = typeof source === 'string' || source instanceof URL;
    if (fromUrl && !/^https?:\/\//.test(String(source))) throw new InvalidArgumentError('import() takes a tar (bytes or a stream) or an http(s) URL');
    const query: ImageCreateQuery = { ...importOptions, fromSrc: fromUrl ? String(source) : '-' };
    const call: ApiCall = fromUrl
      ? { operation: 'ImageCreate', method: 'POST', path: '/images/create', query, options }
      : { operation: 'ImageCreate', method: 'POST', path: '/images/create', query, body: source, contentType: 'application/x-tar', options };
    return this.#progress<LoadMessage, ImportResult>(async () => call, importReducer());
  }

  /** Loads images from a tar made by `save` (`docker load`). Resolves with the names and IDs loaded. */
  load(tar: TarSource, query: ImageLoadQuery = {}, options?: CallOptions): ProgressOperation<LoadMessage, LoadResult> {
    if (tar === undefined || tar === null) throw new InvalidArgumentError('load() needs a tar (bytes or a stream)');
    return this.#progress<LoadMessage, LoadResult>(async () => ({
      operation: 'ImageLoad', method: 'POST', path: '/images/load', query, body: tar, contentType: 'application/x-tar', options,
    }), loadReducer());
  }

  /**
   * Builds an image (`POST /build`). `context` is a directory (sent as a streamed tar honouring its
   * `.dockerignore`, as `docker build DIR` does), or a tar you made. Resolves with the image ID; a failing
   * step rejects with a {@link StreamError} carrying the builder's message.
   *
   * ```ts
   * const build = docker.images.build('./app', { t: 'app:dev', buildargs: { VERSION: '1' } });
   * for await (const line of build) process.stdout.write(line.stream ?? '');
   * const { id } = await build;
   * ```
   *
   * `version: '2'` asks for BuildKit without a session (dockerd supports it; Podman does not).
   */
  build(context: string | TarSource | undefined, buildOptions: BuildOptions = {}, options?: CallOptions): ProgressOperation<BuildMessage, BuildResult> {
    const { t, buildargs, labels, cachefrom, pull, registryConfig, ...rest } = buildOptions;
    if (context === undefined && !rest.remote) throw new InvalidArgumentError('build() needs a context directory, a tar, or the remote option');
    const body = typeof context === 'string' ? packedDirectory(context, rest.dockerfile) : context;
    const query = {
      ...rest,
      t: t === undefined ? undefined : Array.isArray(t) ? t : [t],
      buildargs,
      labels,
      cachefrom: cachefrom === undefined ? undefined : JSON.stringify(cachefrom),
      pull: pull === undefined ? undefined : pull ? '1' : undefined,
    };
    return this.#progress<BuildMessage, BuildResult>(async () => {
      const auths = registryConfig ?? (await this.#credentials?.all());
      const headers = auths && Object.keys(auths).length > 0 ? { 'X-Registry-Config': encodeRegistryAuth(auths) } : undefined;
      return {
        operation: 'ImageBuild', method: 'POST', path: '/build', query, headers, options,
        ...(body === undefined ? {} : { body, contentType: 'application/x-tar' }),
      };
    }, buildReducer());
  }

  #progress<M extends ProgressMessage<unknown>, R>(prepare: () => Promise<ApiCall>, reducer: { add(message: M): void; result(): R }): ProgressOperation<M, R> {
    const api = this.#api;
    return new ProgressOperation<M, R>(() => ({
      async *[Symbol.asyncIterator]() {
        const call = await prepare();
        yield* api.stream(call, (response) => jsonLines<M>(response));
      },
    }), reducer);
  }
}

/**
 * A directory as a build context: the Dockerfile path is checked now (before any request), the packer is
 * loaded when the body is sent. It needs node:fs/promises and a tar writer, which nothing else on the common
 * paths does (a one-shot `berth ps` would load them for nothing).
 */
function packedDirectory(directory: string, dockerfile: string | undefined): AsyncIterable<Uint8Array> {
  contextDockerfile(dockerfile);
  return {
    async *[Symbol.asyncIterator]() {
      const { directoryContext } = await import('../build/context.js');
      yield* directoryContext(directory, { dockerfile });
    },
  };
}
