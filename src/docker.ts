import { ApiClient, type CallOptions, type PingResult } from './api/api-client.js';
import { Containers } from './api/containers.js';
import { Images } from './api/images.js';
import { Exec } from './api/exec.js';
import { Networks } from './api/networks.js';
import { Volumes } from './api/volumes.js';
import { Swarm } from './api/swarm.js';
import { Nodes } from './api/nodes.js';
import { Services } from './api/services.js';
import { Tasks } from './api/tasks.js';
import { Secrets } from './api/secrets.js';
import { Configs } from './api/configs.js';
import { Plugins } from './api/plugins.js';
import { Distribution } from './api/distribution.js';
import { runContainer, runStream, type RunCollectOptions, type RunResult, type RunOptions, type RunStream } from './api/run.js';
import { encodePathParameter } from './api/route.js';
import { CredentialStore } from './auth/credential-store.js';
import { System } from './api/system.js';
import { resolveEndpoint, type ResolveEndpointOptions } from './config/resolve-endpoint.js';
import { InvalidArgumentError } from './errors.js';
import { operations, type OperationByRoute, type OperationMap } from './generated/operations.js';
import type { Connector } from './transport/connector.js';
import { connectorForEndpoint, type TlsOptions } from './transport/connector-for-endpoint.js';
import { DEFAULT_UNIX_SOCKET, parseHost } from './transport/endpoint.js';
import { HttpClient } from './transport/http-client.js';
import type { HttpResponse } from './transport/response.js';
import type { SshOptions } from './transport/ssh-connector.js';

/** How to reach an engine, and how patiently. */
export interface DockerOptions {
  /**
   * `unix:///var/run/docker.sock` (the default), `tcp://host:2375`, `https://host:2376`, `ssh://user@host:22`,
   * `npipe:////./pipe/docker_engine`. A `tcp://` host uses TLS when `tls` is given.
   */
  host?: string;
  /** Pin the API version (`1.41`) instead of negotiating it with the engine. */
  apiVersion?: string;
  /** TLS for `https://` hosts, and for `tcp://` hosts (giving it turns TLS on; the default port becomes 2376). */
  tls?: TlsOptions | undefined;
  /** How to run the system `ssh` for `ssh://` hosts (extra config file, key, arguments). */
  ssh?: SshOptions | undefined;
  /** Milliseconds to wait for a connection (default 30 000). */
  connectTimeout?: number;
  /** Milliseconds to wait for a response head (default 300 000). Streams never time out while idle. */
  headersTimeout?: number;
  /** Idle keep-alive connections kept for reuse (default 64). */
  maxIdleConnections?: number;
  /** A custom way to open connections (tests, tunnels). Overrides `host` for connecting. */
  connector?: Connector;
  /**
   * Registry credentials for pull, push, build and distribution calls. {@link Docker.fromEnv} sets it from the
   * Docker CLI's config.json ({@link CredentialStore.fromEnv}); without it only explicit `auth` options are used.
   */
  credentials?: CredentialStore;
}

/** Methods of the routes that {@link Docker.request} knows. */
export type RouteMethod = keyof OperationByRoute extends `${infer M} ${string}` ? M : never;
/** The spec's path templates for one method, e.g. `/containers/{id}/json` for `GET`. */
export type RoutePath<M extends RouteMethod> = keyof OperationByRoute extends infer K ? (K extends `${M} ${infer P}` ? P : never) : never;
/** The operation a method and path template name. */
export type RouteOperation<M extends RouteMethod, P extends RoutePath<M>> = OperationMap[OperationByRoute[`${M} ${P}` & keyof OperationByRoute]];

/** Options of {@link Docker.request}, typed from the spec. */
export interface RequestOptions<O extends { pathParams: unknown; query: unknown; body: unknown }> extends CallOptions {
  pathParams?: O['pathParams'];
  query?: O['query'];
  body?: O['body'];
}

/**
 * A client for one Docker (or Docker-compatible) engine.
 *
 * ```ts
 * const docker = Docker.fromEnv();
 * const { Id } = await docker.containers.create({ Image: 'busybox', Cmd: ['echo', 'hi'] });
 * await docker.containers.start(Id);
 * ```
 */
export class Docker {
  /** Container operations. */
  readonly containers: Containers;
  /** System operations (version, info, disk usage). */
  readonly system: System;
  /** Image operations: list, inspect, pull, push, build, import, save, load … */
  readonly images: Images;
  /** Exec operations: run commands in running containers. */
  readonly exec: Exec;
  /** Network operations. */
  readonly networks: Networks;
  /** Volume operations. */
  readonly volumes: Volumes;
  /** Swarm operations: init, join, leave, inspect, update, unlock. */
  readonly swarm: Swarm;
  /** Swarm node operations. */
  readonly nodes: Nodes;
  /** Swarm service operations. */
  readonly services: Services;
  /** Swarm task operations. */
  readonly tasks: Tasks;
  /** Swarm secret operations. */
  readonly secrets: Secrets;
  /** Swarm config operations. */
  readonly configs: Configs;
  /** Plugin operations. */
  readonly plugins: Plugins;
  /** Distribution operations: image metadata from a registry. */
  readonly distribution: Distribution;
  /** The registry credentials pull, push and build use (from `options.credentials`; `Docker.fromEnv` sets it). */
  readonly credentials: CredentialStore | undefined;
  readonly #api: ApiClient;
  readonly #http: HttpClient;

  constructor(options: DockerOptions = {}) {
    const endpoint = parseHost(options.host ?? `unix://${DEFAULT_UNIX_SOCKET}`, { tls: options.tls !== undefined });
    const connector = options.connector ?? connectorForEndpoint(endpoint, options.tls, options.ssh);
    this.#http = new HttpClient(connector, {
      connectTimeout: options.connectTimeout,
      headersTimeout: options.headersTimeout,
      maxIdleConnections: options.maxIdleConnections,
      hostHeader: endpoint.kind === 'tcp' ? `${endpoint.host}:${endpoint.port}` : undefined,
    });
    this.#api = new ApiClient(this.#http, options.apiVersion);
    this.containers = new Containers(this.#api);
    this.system = new System(this.#api);
    this.credentials = options.credentials;
    this.images = new Images(this.#api, options.credentials);
    this.exec = new Exec(this.#api);
    this.networks = new Networks(this.#api);
    this.volumes = new Volumes(this.#api);
    this.swarm = new Swarm(this.#api);
    this.nodes = new Nodes(this.#api);
    this.services = new Services(this.#api);
    this.tasks = new Tasks(this.#api);
    this.secrets = new Secrets(this.#api);
    this.configs = new Configs(this.#api);
    this.plugins = new Plugins(this.#api);
    this.distribution = new Distribution(this.#api, options.credentials);
  }

  /**
   * A client for the engine the environment names, found as the docker CLI finds it (see {@link resolveEndpoint}):
   * `DOCKER_HOST` (with `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`) > `DOCKER_CONTEXT` > `currentContext` in
   * `$DOCKER_CONFIG/config.json` > the default socket; `DOCKER_API_VERSION` pins the API version.
   * Registry credentials come from the same config.json and its credential helpers ({@link CredentialStore.fromEnv}),
   * unless `overrides.credentials` is given.
   *
   * ```ts
   * const docker = Docker.fromEnv();                                   // as `docker` would connect
   * const prod = Docker.fromEnv(process.env, {}, { context: 'prod' }); // as `docker --context prod`
   * ```
   */
  static fromEnv(
    env: NodeJS.ProcessEnv = process.env,
    overrides: Omit<DockerOptions, 'host'> = {},
    resolveOptions: Omit<ResolveEndpointOptions, 'env'> = {},
  ): Docker {
    const { host, tls } = resolveEndpoint({ ...resolveOptions, env });
    // `--config DIR` (resolveOptions.configDir) names the config.json for credentials too, as in the docker CLI.
    const credentialEnv = resolveOptions.configDir ? { ...env, DOCKER_CONFIG: resolveOptions.configDir } : env;
    const credentials = overrides.credentials ?? CredentialStore.fromEnvLenient(credentialEnv);
    return new Docker({ apiVersion: env.DOCKER_API_VERSION || undefined, tls, ...overrides, credentials, host });
  }

  /** The endpoint in use, e.g. `unix:///var/run/docker.sock`. */
  get endpoint(): string {
    return this.#http.endpoint;
  }

  /** Asks the engine whether it is there, and what it offers (API version, OS, Podman or not). */
  ping(options?: CallOptions): Promise<PingResult> {
    return this.#api.ping(options);
  }

  /** The API version this client speaks with the engine: negotiated on first use, or pinned. */
  apiVersion(options?: CallOptions): Promise<string> {
    return this.#api.apiVersion(options);
  }

  /** Versions of the engine and its components. Same as `docker.system.version()`. */
  version(options?: CallOptions): ReturnType<System['version']> {
    return this.system.version(options);
  }

  /** System-wide information. Same as `docker.system.info()`. */
  info(options?: CallOptions): ReturnType<System['info']> {
    return this.system.info(options);
  }

  /** Disk usage. Same as `docker.system.dataUsage()`. */
  df(options?: CallOptions): ReturnType<System['dataUsage']> {
    return this.system.dataUsage({}, options);
  }

  /**
   * Runs a one-off container to its end, as `docker run --rm` does: pulls the image when missing (see
   * `pull`), creates the container, attaches (before the start: no output is lost), starts it, sends
   * `stdin` then end of file, waits, and removes it (also after an error or an abort; not with `keep`).
   * A non-zero exit is a result, not an error, unless `rejectOnNonZero` ({@link NonZeroExitError}).
   *
   * ```ts
   * const { exitCode, stdout } = await docker.run('alpine:3', ['sh', '-c', 'wc -l'], { stdin: 'a\nb\n' });
   * ```
   */
  run(image: string, cmd: string[] | undefined, options: RunCollectOptions & { output: 'bytes' }): Promise<RunResult<Uint8Array>>;
  run(image: string, cmd?: string[], options?: RunCollectOptions & { output?: 'text' }): Promise<RunResult<string>>;
  run(image: string, cmd?: string[], options?: RunCollectOptions): Promise<RunResult<string | Uint8Array>> {
    return runContainer(this, image, cmd, options);
  }

  /**
   * The streaming {@link Docker.run}: iterate the result for the output frames as they come, then await
   * `exitCode`. Lazy: the run starts with the iteration. The container is removed when the stream ends,
   * fails, or the loop is left (unless `keep`).
   *
   * ```ts
   * const run = docker.runStream('alpine:3', ['ping', '-c', '3', 'localhost']);
   * for await (const frame of run) process.stdout.write(frame.data);
   * console.log('exit code', await run.exitCode);
   * ```
   */
  runStream(image: string, cmd?: string[], options?: RunOptions): RunStream {
    return runStream(this, image, cmd, options);
  }

  /**
   * The escape hatch: any operation of the spec by method and path template, typed from the spec.
   * JSON answers are parsed; empty answers resolve with `undefined`.
   *
   * ```ts
   * const info = await docker.request('GET', '/containers/{id}/json', { pathParams: { id } });
   * ```
   */
  async request<M extends RouteMethod, P extends RoutePath<M>>(
    method: M, path: P, options: RequestOptions<RouteOperation<M, P>> = {},
  ): Promise<RouteOperation<M, P>['response']> {
    const response = await this.requestRaw(method, path, options);
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('json')) return this.#api.adjustResult(findOperation(method, path), await response.json());
    await response.discard();
    return undefined as RouteOperation<M, P>['response'];
  }

  /** Like {@link Docker.request}, but hands back the response to read as a stream. */
  async requestRaw<M extends RouteMethod, P extends RoutePath<M>>(
    method: M, path: P, options: RequestOptions<RouteOperation<M, P>> = {},
  ): Promise<HttpResponse> {
    const operation = findOperation(method, path);
    const params = (options.pathParams ?? {}) as Record<string, string>;
    const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      if (params[name] === undefined) throw new InvalidArgumentError(`Missing path parameter "${name}" for ${method} ${path}`);
      return encodePathParameter(params[name]!);
    });
    const { signal, timeout } = options;
    // The operations whose body is bytes (a tar: archive upload, build, image load and import, plugin
    // create) send it as it is; every other body is JSON.
    const { requestBody } = operations[operation];
    const binary = requestBody !== 'json' && requestBody !== 'none';
    if (binary && options.body !== undefined && !isBinaryBody(options.body)) {
      throw new InvalidArgumentError(`The body of ${method} ${path} is bytes (a tar): give a Uint8Array or an async iterable of them`);
    }
    return this.#api.send({
      operation,
      method,
      path: filled,
      query: options.query as object | undefined,
      body: options.body,
      ...(binary && options.body !== undefined ? { contentType: 'application/x-tar' } : {}),
      options: { signal, timeout },
    });
  }

  /** Closes idle and busy connections. The client can still be used: new connections are opened. */
  close(): void {
    this.#http.close();
  }
}

function isBinaryBody(body: unknown): boolean {
  return body instanceof Uint8Array || (typeof body === 'object' && body !== null && Symbol.asyncIterator in body);
}

function findOperation(method: string, path: string): keyof OperationMap {
  for (const [id, info] of Object.entries(operations)) {
    if (info.method === method && info.path === path) return id as keyof OperationMap;
  }
  throw new InvalidArgumentError(`Unknown route ${method} ${path}: not an operation of the Engine API spec`);
}
