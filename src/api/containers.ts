import { InvalidArgumentError } from '../errors.js';
import type {
  BinaryBody, ContainerArchiveQuery, ContainerAttachQuery, ContainerAttachWebsocketQuery, ContainerChangesResponse, ContainerCreateBody, ContainerCreateQuery, ContainerCreateResponse,
  ContainerDeleteQuery, ContainerExportQuery, ContainerInspectQuery, ContainerInspectResponse, ContainerKillQuery,
  ContainerListQuery, ContainerListResponse, ContainerLogsQuery, ContainerPruneQuery, ContainerPruneResponse,
  ContainerRenameQuery, ContainerResizeQuery, ContainerRestartQuery, ContainerStatsQuery, ContainerStatsResponse,
  ContainerStopQuery, ContainerTopQuery, ContainerTopResponse, ContainerUpdateBody, ContainerUpdateResponse,
  ContainerWaitQuery, ContainerWaitResponse, PutContainerArchiveQuery,
} from '../generated/operations.js';
import { jsonLines } from '../stream/json-lines.js';
import { statsUntilStopped } from '../stream/stats-until-stopped.js';
import type { OutputFrame } from '../stream/frames.js';
import type { ApiClient, CallOptions } from './api-client.js';
import { attachContainer, attachWebSocket } from './attach.js';
import type { HijackedSession } from '../stream/hijacked-session.js';
import { decodeOutput } from './output.js';
import { waitRemovedOnPodman } from './podman-compat.js';
import { normalizeStatsSample, normalizeStatsSamples } from './stats-sample.js';
import { route } from './route.js';
import { validateInteger, validateSignalName } from './validate.js';

/** What `start` did: a 304 from the engine is a result, not an error. */
export interface StartResult {
  /** True when the container was already running (the engine answered 304 Not Modified). */
  alreadyStarted: boolean;
}

/** What `stop` did. */
export interface StopResult {
  /** True when the container was not running (the engine answered 304 Not Modified). */
  alreadyStopped: boolean;
}

/** A path's metadata inside a container (`HEAD /containers/{id}/archive`). */
export interface PathStat {
  name: string;
  size: number;
  /** Go's `os.FileMode` bits: permission bits, plus flags such as directory (1 << 31) and symlink (1 << 27). */
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** A tar archive read from a container, with the stat of the path it was taken from. */
export interface ArchiveResult {
  /** The tar stream; read it to the end, or leave the loop to close the connection. */
  tar: AsyncIterable<Uint8Array>;
  stat: PathStat | undefined;
}

/** The request body a tar upload takes: bytes, or a stream of bytes (the spec's binary bodies, {@link BinaryBody}). */
export type TarSource = BinaryBody;

/** Milliseconds added to a stop/restart's own grace period before the response head is given up on. */
const STOP_TIMEOUT_MARGIN = 60_000;

/**
 * The Container operations of the Engine API. Every ID may also be a name; every method takes
 * {@link CallOptions} last (`signal`, `timeout`).
 */
export class Containers {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** Lists containers (`GET /containers/json`); `filters` is a plain object, e.g. `{ label: ['app=web'] }`. */
  async list(query: ContainerListQuery = {}, options?: CallOptions): Promise<ContainerListResponse> {
    return this.#api.json({ operation: 'ContainerList', method: 'GET', path: '/containers/json', query, options });
  }

  /** Creates a container; `query` takes `name` and `platform`. */
  async create(body: ContainerCreateBody, query: ContainerCreateQuery = {}, options?: CallOptions): Promise<ContainerCreateResponse> {
    if (!body || typeof body !== 'object') throw new InvalidArgumentError('create() needs a container configuration object');
    if (query.name !== undefined && !/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(query.name)) {
      throw new InvalidArgumentError(`Invalid container name "${query.name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    }
    return this.#api.json({ operation: 'ContainerCreate', method: 'POST', path: '/containers/create', query, body, options });
  }

  /** Low-level information on a container. */
  async inspect(id: string, query: ContainerInspectQuery = {}, options?: CallOptions): Promise<ContainerInspectResponse> {
    return this.#api.json({ operation: 'ContainerInspect', method: 'GET', path: route`/containers/${id}/json`, query, options });
  }

  /** The processes running in a container (`ps_args` defaults to `-ef`). */
  async top(id: string, query: ContainerTopQuery = {}, options?: CallOptions): Promise<ContainerTopResponse> {
    return this.#api.json({ operation: 'ContainerTop', method: 'GET', path: route`/containers/${id}/top`, query, options });
  }

  /**
   * A container's output, as frames `{ stream, data }` (stdout and stderr kept apart; with a TTY all is
   * stdout). With `follow` the iteration runs until the container stops, or until you leave the loop.
   */
  logs(id: string, query: ContainerLogsQuery = {}, options?: CallOptions): AsyncIterable<OutputFrame> {
    const path = route`/containers/${id}/logs`;
    if (query.tail !== undefined && query.tail !== 'all' && !/^\d+$/.test(String(query.tail))) {
      throw new InvalidArgumentError(`Invalid tail "${query.tail}": a number of lines or "all"`);
    }
    const hasTty = async () => (await this.inspect(id, {}, options)).Config?.Tty === true;
    return this.#api.stream({ operation: 'ContainerLogs', method: 'GET', path, query, options }, (response) => decodeOutput(response, hasTty));
  }

  /** Changes to a container's filesystem since it was created (`Kind`: 0 modified, 1 added, 2 deleted). */
  async changes(id: string, options?: CallOptions): Promise<ContainerChangesResponse> {
    // dockerd answers `null` when nothing changed.
    const changes = await this.#api.json<ContainerChangesResponse | null>({ operation: 'ContainerChanges', method: 'GET', path: route`/containers/${id}/changes`, options });
    return changes ?? [];
  }

  /** A container's filesystem as a tar stream. */
  export(id: string, query: ContainerExportQuery = {}, options?: CallOptions): AsyncIterable<Uint8Array> {
    return this.#api.stream({ operation: 'ContainerExport', method: 'GET', path: route`/containers/${id}/export`, query, options }, (response) => response);
  }

  /** One sample of a container's resource usage. */
  async stats(id: string, query: Omit<ContainerStatsQuery, 'stream'> = {}, options?: CallOptions): Promise<ContainerStatsResponse> {
    return this.#api.json<ContainerStatsResponse>({ operation: 'ContainerStats', method: 'GET', path: route`/containers/${id}/stats`, query: { ...query, stream: false }, options }).then(normalizeStatsSample);
  }

  /** Resource usage as a stream of samples (about one a second), until you leave the loop or the container stops. */
  statsStream(id: string, query: Omit<ContainerStatsQuery, 'stream'> = {}, options?: CallOptions): AsyncIterable<ContainerStatsResponse> {
    const path = route`/containers/${id}/stats`;
    return this.#api.stream({ operation: 'ContainerStats', method: 'GET', path, query: { ...query, stream: true }, options }, (response) => statsUntilStopped(normalizeStatsSamples(jsonLines<ContainerStatsResponse>(response))));
  }

  /** Resizes a container's TTY. */
  async resize(id: string, query: ContainerResizeQuery, options?: CallOptions): Promise<void> {
    validateInteger('h', query.h, 0);
    validateInteger('w', query.w, 0);
    await this.#api.empty({ operation: 'ContainerResize', method: 'POST', path: route`/containers/${id}/resize`, query, options });
  }

  /** Starts a container. Starting a running container is not an error: it resolves with `alreadyStarted: true`. */
  async start(id: string, options?: CallOptions): Promise<StartResult> {
    const status = await this.#api.empty({ operation: 'ContainerStart', method: 'POST', path: route`/containers/${id}/start`, expectedStatuses: [304], options });
    return { alreadyStarted: status === 304 };
  }

  /** Stops a container (`t`: seconds before SIGKILL; `signal`). A stopped container resolves with `alreadyStopped: true`. */
  async stop(id: string, query: ContainerStopQuery = {}, options?: CallOptions): Promise<StopResult> {
    const path = route`/containers/${id}/stop`;
    if (query.signal !== undefined) validateSignalName(query.signal);
    const status = await this.#api.empty({ operation: 'ContainerStop', method: 'POST', path, query, expectedStatuses: [304], options: stopOptions(query.t, options) });
    return { alreadyStopped: status === 304 };
  }

  /** Restarts a container. */
  async restart(id: string, query: ContainerRestartQuery = {}, options?: CallOptions): Promise<void> {
    const path = route`/containers/${id}/restart`;
    if (query.signal !== undefined) validateSignalName(query.signal);
    await this.#api.empty({ operation: 'ContainerRestart', method: 'POST', path, query, options: stopOptions(query.t, options) });
  }

  /** Sends a signal (default `SIGKILL`). */
  async kill(id: string, query: ContainerKillQuery = {}, options?: CallOptions): Promise<void> {
    const path = route`/containers/${id}/kill`;
    if (query.signal !== undefined) validateSignalName(query.signal);
    await this.#api.empty({ operation: 'ContainerKill', method: 'POST', path, query, options });
  }

  /** Changes a container's resource limits and restart policy. */
  async update(id: string, body: ContainerUpdateBody, options?: CallOptions): Promise<ContainerUpdateResponse> {
    return this.#api.json({ operation: 'ContainerUpdate', method: 'POST', path: route`/containers/${id}/update`, body, options });
  }

  /** Renames a container. */
  async rename(id: string, query: ContainerRenameQuery, options?: CallOptions): Promise<void> {
    const path = route`/containers/${id}/rename`;
    if (!query?.name) throw new InvalidArgumentError('rename() needs the new name');
    await this.#api.empty({ operation: 'ContainerRename', method: 'POST', path, query, options });
  }

  /** Pauses all processes in a container. */
  async pause(id: string, options?: CallOptions): Promise<void> {
    await this.#api.empty({ operation: 'ContainerPause', method: 'POST', path: route`/containers/${id}/pause`, options });
  }

  /** Resumes a paused container. */
  async unpause(id: string, options?: CallOptions): Promise<void> {
    await this.#api.empty({ operation: 'ContainerUnpause', method: 'POST', path: route`/containers/${id}/unpause`, options });
  }

  /**
   * Waits until a container stops (`condition`: `not-running` by default, `next-exit`, `removed`) and
   * resolves with its `StatusCode`. Waits as long as it takes: no response timeout unless you pass one.
   */
  async wait(id: string, query: ContainerWaitQuery = {}, options?: CallOptions): Promise<ContainerWaitResponse> {
    const path = route`/containers/${id}/wait`;
    const waitFor = (condition: ContainerWaitQuery['condition'], signal = options?.signal) =>
      this.#api.json<ContainerWaitResponse>({ operation: 'ContainerWait', method: 'POST', path, query: { ...query, condition }, options: { timeout: 0, ...options, signal } });
    if (query.condition === 'removed' && (await this.#isPodman(options))) return waitRemovedOnPodman(waitFor, options?.signal);
    return waitFor(query.condition);
  }

  /** Whether the engine is Podman, as the version negotiation's `/_ping` said (a pinned version skips it: dockerd assumed). */
  async #isPodman(options?: CallOptions): Promise<boolean> {
    await this.#api.apiVersion(options);
    return this.#api.lastPing?.engine === 'podman';
  }

  /** Removes a container (`force` kills it first, `v` removes its anonymous volumes, `link` removes a link). */
  async remove(id: string, query: ContainerDeleteQuery = {}, options?: CallOptions): Promise<void> {
    await this.#api.empty({ operation: 'ContainerDelete', method: 'DELETE', path: route`/containers/${id}`, query, options });
  }

  /** Metadata of a path inside a container, or a {@link NotFoundError} if it does not exist. */
  async archiveInfo(id: string, query: ContainerArchiveQuery, options?: CallOptions): Promise<PathStat | undefined> {
    const path = route`/containers/${id}/archive`;
    requirePath(query);
    const response = await this.#api.send({ operation: 'ContainerArchiveInfo', method: 'HEAD', path, query, options });
    await response.discard();
    return decodePathStat(response.headers.get('x-docker-container-path-stat'));
  }

  /** A file or directory from a container, as a tar stream, with its stat. */
  async getArchive(id: string, query: ContainerArchiveQuery, options?: CallOptions): Promise<ArchiveResult> {
    const path = route`/containers/${id}/archive`;
    requirePath(query);
    const response = await this.#api.send({ operation: 'ContainerArchive', method: 'GET', path, query, options: { timeout: 0, ...options } });
    return { tar: response, stat: decodePathStat(response.headers.get('x-docker-container-path-stat')) };
  }

  /** Extracts a tar archive into a directory of a container. */
  async putArchive(id: string, tar: TarSource, query: PutContainerArchiveQuery, options?: CallOptions): Promise<void> {
    const path = route`/containers/${id}/archive`;
    requirePath(query);
    await this.#api.empty({ operation: 'PutContainerArchive', method: 'PUT', path, query, body: tar, contentType: 'application/x-tar', options });
  }

  // --- attach (the logic lives in attach.ts) ---

  /**
   * Attaches to a container's stdio (`POST /containers/{id}/attach`, hijacked): a {@link HijackedSession}
   * with the output as frames, `stdin` (with `end()` for end of file) and `resize`. Without a query it
   * follows stdout and stderr (`stream`, `stdout`, `stderr`); add `stdin: true` to write, `logs: true` to
   * replay earlier output first, `detachKeys` to change ctrl-p,ctrl-q.
   *
   * ```ts
   * const session = await docker.containers.attach(id, { stream: true, stdin: true, stdout: true, stderr: true });
   * await session.stdin.writeAll('hello\n');
   * for await (const frame of session) process.stdout.write(frame.data);
   * ```
   */
  async attach(id: string, query?: ContainerAttachQuery, options?: CallOptions): Promise<HijackedSession> {
    return attachContainer(this.#api, id, query, {
      hasTty: async () => (await this.inspect(id, {}, options)).Config?.Tty === true,
      resize: (size) => this.resize(id, size, options),
    }, options);
  }

  /**
   * Reads a container's output through the engine's WebSocket endpoint (`GET /containers/{id}/attach/ws`)
   * as raw byte chunks. Lazy: connects when the loop starts, closes when it is left.
   */
  attachWebSocket(id: string, query?: ContainerAttachWebsocketQuery, options?: CallOptions): AsyncIterable<Uint8Array> {
    return attachWebSocket(this.#api, id, query, options);
  }

  /** Removes stopped containers; resolves with what was deleted and the space reclaimed. */
  async prune(query: ContainerPruneQuery = {}, options?: CallOptions): Promise<ContainerPruneResponse> {
    const result = await this.#api.json<ContainerPruneResponse>({ operation: 'ContainerPrune', method: 'POST', path: '/containers/prune', query, options });
    return { ContainersDeleted: result.ContainersDeleted ?? [], SpaceReclaimed: result.SpaceReclaimed ?? 0 };
  }
}

function stopOptions(seconds: number | undefined, options: CallOptions | undefined): CallOptions {
  if (seconds !== undefined) validateInteger('t', seconds, -1);
  if (options?.timeout !== undefined) return options;
  // The engine answers only after the grace period: wait for it, plus a margin.
  const grace = seconds !== undefined && seconds >= 0 ? seconds * 1000 : 0;
  return { ...options, timeout: seconds === -1 ? 0 : 300_000 + grace + STOP_TIMEOUT_MARGIN };
}

function requirePath(query: { path?: string } | undefined): void {
  if (!query?.path) throw new InvalidArgumentError('A path inside the container is required');
}

function decodePathStat(header: string | undefined): PathStat | undefined {
  if (!header) return undefined;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PathStat;
  } catch {
    return undefined;
  }
}
