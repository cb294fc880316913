/**
 * `docker.run` and `docker.runStream`: the whole life of a one-off container (`docker run --rm` as a call):
 * pull when needed, create, attach, start, wait, remove.
 */
import { DockerError, InvalidArgumentError, NotFoundError } from '../errors.js';
import type { ContainerCreateBody } from '../generated/operations.js';
import type { OutputFrame } from '../stream/frames.js';
import type { HijackedSession } from '../stream/hijacked-session.js';
import type { CallOptions } from './api-client.js';
import type { Containers } from './containers.js';
import type { PullOptions } from './image-transfers.js';
import type { Images } from './images.js';

/** When {@link RunOptions.pull} pulls the image: `missing` (the default), `always`, or `never`. */
export type PullPolicy = 'missing' | 'always' | 'never';

/** What a container's stdin gets: text (UTF-8), bytes, or pieces of either; end of file follows. */
export type RunInput = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/** Options of {@link Docker.run} and {@link Docker.runStream}. */
export interface RunOptions {
  /** When to pull the image: `missing` (default: only when the engine does not have it), `always`, `never`. */
  pull?: PullPolicy;
  /** Platform and credentials for the pull. */
  pullOptions?: PullOptions;
  /** The container's name; without it the engine picks one. */
  name?: string;
  /**
   * More of the create body (`Env`, `Labels`, `WorkingDir`, `User`, `Tty`, `HostConfig` …). `Image` and `Cmd`
   * come from the arguments; the attach fields are set by run.
   */
  create?: Partial<ContainerCreateBody>;
  /** Sent to the container's stdin, which is then closed (the process sees end of file). */
  stdin?: RunInput;
  /** Keep the container after it exited (by default it is removed, also after an error or an abort). */
  keep?: boolean;
  /** Aborting stops the run: the connection is closed and the container removed (unless `keep`). */
  signal?: AbortSignal;
}

/** Options of {@link Docker.run}. */
export interface RunCollectOptions extends RunOptions {
  /** `text` (default): stdout and stderr as UTF-8 strings; `bytes`: as Uint8Array. */
  output?: 'text' | 'bytes';
  /** Reject with a {@link NonZeroExitError} when the exit code is not 0 (by default it is just the result). */
  rejectOnNonZero?: boolean;
}

/** What {@link Docker.run} resolves with. */
export interface RunResult<T extends string | Uint8Array = string> {
  /** The process's exit code. */
  exitCode: number;
  /** Everything written to stdout (with a TTY: all output). */
  stdout: T;
  /** Everything written to stderr (empty with a TTY). */
  stderr: T;
  /** The container's ID (already removed unless `keep`). */
  containerId: string;
}

/** {@link Docker.run} with `rejectOnNonZero`: the process exited with a code other than 0. */
export class NonZeroExitError<T extends string | Uint8Array = string | Uint8Array> extends DockerError {
  /** The process's exit code. */
  readonly exitCode: number;
  /** Its stdout. */
  readonly stdout: T;
  /** Its stderr. */
  readonly stderr: T;

  constructor(result: RunResult<T>) {
    super(`The container exited with code ${result.exitCode}`, 'NON_ZERO_EXIT');
    this.exitCode = result.exitCode;
    this.stdout = result.stdout;
    this.stderr = result.stderr;
  }
}

/**
 * What {@link Docker.runStream} returns: iterate it for the output as it comes; `exitCode` resolves once the
 * output ended and the exit code was read. Lazy: nothing happens until the iteration starts.
 */
export interface RunStream extends AsyncIterable<OutputFrame> {
  /** The exit code; rejects when the run failed or the loop was left before the container exited. */
  readonly exitCode: Promise<number>;
}

/** The resource groups a run uses. */
export interface RunDeps {
  containers: Containers;
  images: Images;
}

/** Runs a container to its end and collects its output. */
export async function runContainer(deps: RunDeps, image: string, cmd: string[] | undefined, options: RunCollectOptions = {}): Promise<RunResult<string | Uint8Array>> {
  validate(image, cmd, options);
  if (options.output !== undefined && options.output !== 'text' && options.output !== 'bytes') {
    throw new InvalidArgumentError(`output must be 'text' or 'bytes', not ${JSON.stringify(options.output)}`);
  }
  const chunks: Record<'stdout' | 'stderr', Uint8Array[]> = { stdout: [], stderr: [] };
  const life = lifecycle(deps, image, cmd, options);
  for await (const frame of life.frames) if (frame.stream !== 'stdin') chunks[frame.stream].push(frame.data);
  const exitCode = await life.exitCode;
  const join = (parts: Uint8Array[]) => {
    const bytes = Buffer.concat(parts);
    return options.output === 'bytes' ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes.toString('utf8');
  };
  const result = { exitCode, stdout: join(chunks.stdout), stderr: join(chunks.stderr), containerId: life.id() };
  if (options.rejectOnNonZero && exitCode !== 0) throw new NonZeroExitError(result);
  return result;
}

/** The streaming run: output frames as they come, and the exit code. */
export function runStream(deps: RunDeps, image: string, cmd: string[] | undefined, options: RunOptions = {}): RunStream {
  validate(image, cmd, options);
  const life = lifecycle(deps, image, cmd, options);
  return { exitCode: life.exitCode, [Symbol.asyncIterator]: () => life.frames[Symbol.asyncIterator]() };
}

function validate(image: string, cmd: string[] | undefined, options: RunOptions): void {
  if (typeof image !== 'string' || image === '') throw new InvalidArgumentError('run() needs an image');
  if (cmd !== undefined && (!Array.isArray(cmd) || cmd.some((part) => typeof part !== 'string'))) {
    throw new InvalidArgumentError('The command must be an array of strings (or undefined for the image\'s own)');
  }
  if (options.pull !== undefined && !['missing', 'always', 'never'].includes(options.pull)) {
    throw new InvalidArgumentError(`pull must be 'missing', 'always' or 'never', not ${JSON.stringify(options.pull)}`);
  }
}

/**
 * The shared life of a run, as a lazy generator of frames plus the exit code. The container is removed in
 * `finally`, so an error, an abort or a loop left early all clean up (unless `keep`).
 */
function lifecycle(deps: RunDeps, image: string, cmd: string[] | undefined, options: RunOptions) {
  let resolveExit!: (code: number) => void;
  let rejectExit!: (error: unknown) => void;
  const exitCode = new Promise<number>((resolve, reject) => { resolveExit = resolve; rejectExit = reject; });
  // Nobody has to await exitCode (run() reads it only on success): never an unhandled rejection.
  exitCode.catch(() => undefined);
  let containerId = '';
  const call: CallOptions = { signal: options.signal };

  let started = false;

  async function* frames(): AsyncGenerator<OutputFrame> {
    if (started) throw new InvalidArgumentError('A run can be iterated only once');
    started = true;
    let id: string | undefined;
    let session: HijackedSession | undefined;
    let settled = false;
    try {
      options.signal?.throwIfAborted();
      await ensureImage(deps.images, image, options, call);
      const withStdin = options.stdin !== undefined;
      const body: ContainerCreateBody = {
        ...options.create,
        Image: image,
        ...(cmd === undefined ? {} : { Cmd: cmd }),
        AttachStdin: withStdin, AttachStdout: true, AttachStderr: true,
        OpenStdin: withStdin, StdinOnce: withStdin,
      };
      id = (await deps.containers.create(body, { name: options.name }, call)).Id;
      containerId = id;
      // Attached before the start, so that no output is lost.
      session = await deps.containers.attach(id, { stream: true, stdin: withStdin, stdout: true, stderr: true }, call);
      await deps.containers.start(id, call);
      // Written while the output is read: a process that writes a lot before reading would otherwise block.
      const writing = withStdin ? session.stdin.writeAll(options.stdin!).catch((error: unknown) => error) : undefined;
      yield* session;
      // A process may exit without reading all its stdin: a broken pipe then is not the run's failure.
      await writing;
      const { StatusCode, Error: waitError } = await deps.containers.wait(id, {}, call);
      if (waitError?.Message) throw new DockerError(waitError.Message, 'WAIT');
      settled = true;
      resolveExit(StatusCode);
    } catch (error) {
      settled = true;
      rejectExit(error);
      throw error;
    } finally {
      session?.close();
      if (!settled) rejectExit(new DockerError('The run stream was left before the container exited', 'RUN_LEFT'));
      // Not with the caller's signal: after an abort the removal must still happen.
      if (id !== undefined && !options.keep) await deps.containers.remove(id, { force: true, v: true }).catch(() => undefined);
    }
  }

  return { frames: { [Symbol.asyncIterator]: frames }, exitCode, id: () => containerId };
}

async function ensureImage(images: Images, image: string, options: RunOptions, call: CallOptions): Promise<void> {
  const policy = options.pull ?? 'missing';
  if (policy === 'never') return;
  if (policy === 'missing') {
    try {
      await images.inspect(image, {}, call);
      return;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  await images.pull(image, options.pullOptions, { ...call, timeout: 0 });
}
