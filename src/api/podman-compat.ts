/**
 * Where Podman's Docker-compatible API (checked on Podman 4.3) answers differently from dockerd for the same
 * request, and the difference is one Berth can remove: the call is adjusted before it is sent, or the answer
 * after it arrives, so that code written against dockerd works unchanged. Applied by `ApiClient` only when
 * `/_ping` said the engine is Podman. Differences Berth cannot remove are raised as clear errors instead
 * (`UnsupportedOperationError`), or listed in docs/compatibility.md.
 */
import { ConflictError, NotFoundError, UnsupportedOperationError, type EngineError } from '../errors.js';
import type { ApiCall } from './api-client.js';

/** The call as Podman needs it to do what dockerd does with the original. */
export function adjustCallForPodman(call: ApiCall): ApiCall {
  const query = call.query as Record<string, unknown> | undefined;
  switch (call.operation) {
    case 'ImageList':
      // Podman 4.3 answers `digests=1` with 200 and an empty body; it always sends RepoDigests anyway.
      if (query && 'digests' in query) {
        const { digests: _ignored, ...rest } = query;
        return { ...call, query: rest };
      }
      return call;
    case 'ImageCreate':
      // An import (`fromSrc`) ignores `tag` and names the image repo:latest; Podman honours `repo:tag`.
      if (query && query.fromSrc !== undefined && typeof query.repo === 'string' && typeof query.tag === 'string' && query.tag !== '') {
        const { tag, ...rest } = query;
        return { ...call, query: { ...rest, repo: `${query.repo}:${tag}` } };
      }
      return call;
    case 'ImageCommit':
      // Without a body Podman fails with "Decode(): EOF"; dockerd takes an empty config the same as none.
      return call.body === undefined ? { ...call, body: {} } : call;
    case 'SystemEvents': {
      // Podman calls a container's removal `remove` where dockerd says `destroy` (see adjustStreamItemForPodman).
      const filters = query?.filters as Record<string, unknown> | undefined;
      const events = filters?.event;
      if (Array.isArray(events) && events.includes('destroy') && !events.includes('remove')) {
        return { ...call, query: { ...query, filters: { ...filters, event: [...events, 'remove'] } } };
      }
      return call;
    }
    default:
      return call;
  }
}

/**
 * The answer in dockerd's form: image IDs with their `sha256:` prefix, image names in Docker's short form
 * (also the image a container was made from), `top` in columns.
 */
export function adjustResultForPodman(operation: string, value: unknown): unknown {
  switch (operation) {
    case 'ImageCommit':
      return mapObject(value, (item) => ({ ...item, Id: prefixedId(item.Id) }));
    case 'ImageHistory':
      return mapArray(value, (item) => ({ ...item, Id: prefixedId(item.Id) }));
    case 'ImageDelete':
      return mapArray(value, (item) => ({
        ...item,
        ...(item.Deleted !== undefined ? { Deleted: prefixedId(item.Deleted) } : {}),
        ...(item.Untagged !== undefined ? { Untagged: familiarName(item.Untagged) } : {}),
      }));
    case 'ImagePrune':
      return mapObject(value, (result) => ({
        ...result,
        ...(Array.isArray(result.ImagesDeleted) ? { ImagesDeleted: adjustResultForPodman('ImageDelete', result.ImagesDeleted) } : {}),
      }));
    case 'ContainerTop':
      return mapObject(value, splitTopColumns);
    case 'ContainerList':
      return mapArray(value, (item) => ('Image' in item ? { ...item, Image: familiarName(item.Image) } : item));
    case 'ContainerInspect':
      return mapObject(value, (item) => (isItem(item.Config) ? { ...item, Config: { ...item.Config, Image: familiarName(item.Config.Image) } } : item));
    case 'ImageList':
      return mapArray(value, familiarNames);
    case 'ImageInspect':
      return mapObject(value, familiarNames);
    default:
      return value;
  }
}

/** Whether {@link adjustStreamItemForPodman} changes anything in this operation's stream. */
export function adjustsStreamForPodman(operation: string): boolean {
  return operation === 'SystemEvents';
}

/**
 * One item of a streamed answer in dockerd's form. Events: Podman names a container's removal `remove`, dockerd
 * `destroy` (code that waits for `destroy` would wait forever); Podman's extra container events (`init`,
 * `cleanup`) are passed on as they are.
 */
export function adjustStreamItemForPodman(operation: string, item: unknown): unknown {
  if (operation !== 'SystemEvents' || !isItem(item) || item.Type !== 'container' || item.Action !== 'remove') return item;
  return { ...item, Action: 'destroy', ...(item.status === 'remove' ? { status: 'destroy' } : {}) };
}

/** Podman leaves the algorithm off some IDs (`0f77…`); dockerd always writes `sha256:0f77…`. */
export function prefixedId(id: unknown): unknown {
  return typeof id === 'string' && /^[0-9a-f]{64}$/.test(id) ? `sha256:${id}` : id;
}

/**
 * Docker's short form of an image name: `docker.io/library/x:1` → `x:1`, `docker.io/me/x` → `me/x`.
 * Podman reports names fully qualified; dockerd reports them as the user wrote them for Docker Hub.
 */
export function familiarName<T>(name: T): T {
  if (typeof name !== 'string') return name;
  if (name.startsWith('docker.io/library/')) return name.slice('docker.io/library/'.length) as T;
  if (name.startsWith('docker.io/')) return name.slice('docker.io/'.length) as T;
  return name;
}

type Item = Record<string, unknown>;

/**
 * Podman 4.3 runs the image's own `ps` for `top` and hands back its lines unsplit: one title
 * (`"PID   USER     COMMAND"`) and one string per process (`"1 root     sleep 30"`). dockerd gives one entry per
 * column. Split them the way dockerd does; the last column (the command) keeps its spaces.
 */
function splitTopColumns(item: Item): Item {
  const { Titles: titles, Processes: processes } = item;
  if (!Array.isArray(titles) || titles.length !== 1 || typeof titles[0] !== 'string' || !/\S\s+\S/.test(titles[0])) return item;
  const columns = titles[0].trim().split(/\s+/);
  const split = (line: string): string[] => {
    const fields: string[] = [];
    let rest = line.trim();
    while (fields.length < columns.length - 1) {
      const match = /^(\S+)\s*/.exec(rest);
      if (!match) break;
      fields.push(match[1]!);
      rest = rest.slice(match[0].length);
    }
    if (rest !== '') fields.push(rest);
    return fields;
  };
  const rows = Array.isArray(processes)
    ? processes.map((row) => (Array.isArray(row) && row.length === 1 && typeof row[0] === 'string' ? split(row[0]) : row))
    : processes;
  return { ...item, Titles: columns, Processes: rows };
}

function familiarNames(item: Item): Item {
  const names = (list: unknown) => (Array.isArray(list) ? list.map(familiarName) : list);
  return {
    ...item,
    ...(item.RepoTags !== undefined ? { RepoTags: names(item.RepoTags) } : {}),
    ...(item.RepoDigests !== undefined ? { RepoDigests: names(item.RepoDigests) } : {}),
  };
}

function isItem(value: unknown): value is Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapObject(value: unknown, change: (item: Item) => Item): unknown {
  return isItem(value) ? change(value) : value;
}

function mapArray(value: unknown, change: (item: Item) => Item): unknown {
  return Array.isArray(value) ? value.map((item) => (isItem(item) ? change(item) : item)) : value;
}

/**
 * Podman's errors in dockerd's terms, where Podman answers 500 for what dockerd reports as a client error:
 * - a 64-hex image ID that does not exist fails in Podman's name normalisation ("cannot specify 64-byte
 *   hexadecimal strings"): dockerd says 404 No such image;
 * - a state conflict (removing, pausing or killing a container in the wrong state: "container state
 *   improper"; removing an image by ID while several tags name it: "please force removal"): dockerd says 409;
 * - pruning images that are not dangling (`filters.dangling=false`): Podman 4.3's compatible API cannot
 *   ("specifying "dangling" filter more than once"), which is said plainly.
 * The engine's own message is kept in every case.
 */
export function adjustErrorForPodman(error: EngineError, operation: string | undefined, engine: string): EngineError {
  if (error.status !== 500) return error;
  const details = { method: error.method, path: error.path };
  if (/cannot specify 64-byte hexadecimal strings/.test(error.message)) {
    return new NotFoundError({ ...details, status: 404, message: `No such image (${engine}: ${error.message})` });
  }
  if (/container state improper$|please force removal$/.test(error.message)) {
    return new ConflictError({ ...details, status: 409, message: error.message });
  }
  if (operation === 'ImagePrune' && /specifying "dangling" filter more than once/.test(error.message)) {
    return new UnsupportedOperationError({
      ...details,
      status: 500,
      message: `${engine} cannot prune images that are not dangling (filters.dangling=false) through its Docker-compatible API: ${error.message}`,
      operation,
      engine,
    });
  }
  return error;
}

/** A `ContainerWait` answer, as far as the adjustment below needs it. */
interface WaitAnswer {
  StatusCode: number;
}

/**
 * `wait?condition=removed` on Podman, keeping the exit code. When a container removes itself (AutoRemove),
 * Podman 4.3 answers the `removed` wait with StatusCode 0: the exit code is gone by the time it looks (the
 * Docker CLI's `run --rm` loses it the same way). A `next-exit` wait alongside catches the code at the exit;
 * it is abandoned once the removal is reported.
 */
export async function waitRemovedOnPodman<T extends WaitAnswer>(
  waitFor: (condition: 'removed' | 'next-exit', signal: AbortSignal) => Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  const removal = new AbortController();
  const exit = new AbortController();
  const onAbort = () => {
    removal.abort(signal?.reason);
    exit.abort(signal?.reason);
  };
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let exited: T | undefined;
  const exitWait = waitFor('next-exit', exit.signal).then((answer) => { exited = answer; }, () => undefined);
  try {
    const removed = await waitFor('removed', removal.signal);
    // next-exit is answered at the exit, before the removal; its answer may still be on its way.
    await Promise.race([exitWait, new Promise((resolve) => setTimeout(resolve, 200).unref())]);
    return exited !== undefined && removed.StatusCode === 0 ? { ...removed, StatusCode: exited.StatusCode } : removed;
  } finally {
    exit.abort();
    signal?.removeEventListener('abort', onAbort);
  }
}
