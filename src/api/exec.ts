import { InvalidArgumentError, TimeoutError } from '../errors.js';
import type {
  ContainerExecBody, ContainerExecResponse, ExecInspectResponse, ExecResizeQuery, ExecStartBody,
} from '../generated/operations.js';
import type { HijackedSession, TerminalSize } from '../stream/hijacked-session.js';
import type { ApiClient, CallOptions } from './api-client.js';
import { openHijackedSession } from './hijack.js';
import { route } from './route.js';
import { validateInteger } from './validate.js';

/** Options of {@link Exec.run}. */
export interface ExecRunOptions {
  /** Input for the command's stdin; it is closed (end of file) once all of it was sent. Without it, no stdin. */
  stdin?: string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;
  /** Extra environment variables, `["NAME=value", …]`. */
  env?: string[];
  /** User (and group) to run as: `user`, `user:group`, `uid`, `uid:gid`. */
  user?: string;
  /** Working directory inside the container. */
  workingDir?: string;
  /** Run with a TTY: stdout and stderr come as one stream, returned as `stdout`. */
  tty?: boolean;
  /** Aborting closes the connection and rejects with the signal's reason. The process itself is not killed by the engine. */
  signal?: AbortSignal;
}

/** What {@link Exec.run} returns once the command has exited. */
export interface ExecRunResult {
  /** Everything the command wrote to stdout (UTF-8). */
  stdout: string;
  /** Everything it wrote to stderr (UTF-8; empty with a TTY). */
  stderr: string;
  /** The command's exit code. */
  exitCode: number;
}

/** How long {@link Exec.run} waits for the engine to record the exit code once the output has ended. */
const EXIT_CODE_WAIT_MS = 10_000;

/** The Exec operations (create, start, resize, inspect) of the Engine API, and `run` on top of them. */
export class Exec {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** @internal The client requests go through. */
  protected get api(): ApiClient {
    return this.#api;
  }

  /**
   * Creates an exec instance in a running container (`POST /containers/{id}/exec`); start it with
   * {@link Exec.start} or {@link Exec.startDetached}.
   *
   * ```ts
   * const { Id } = await docker.exec.create(container, { Cmd: ['ls', '/'], AttachStdout: true, AttachStderr: true });
   * ```
   */
  async create(containerId: string, body: ContainerExecBody, options?: CallOptions): Promise<ContainerExecResponse> {
    if (!body || !Array.isArray(body.Cmd) || body.Cmd.length === 0) throw new InvalidArgumentError('exec create needs a command (Cmd)');
    if (body.ConsoleSize) validateConsoleSize(body.ConsoleSize);
    const path = route`/containers/${containerId}/exec`;
    return this.#api.json({ operation: 'ContainerExec', method: 'POST', path, body, options });
  }

  /**
   * Starts an exec instance attached: resolves with a {@link HijackedSession} (output frames, stdin with
   * half-close, resize). The output loop ends when the command exits; then {@link Exec.inspect} has its
   * exit code.
   */
  async start(id: string, body: Omit<ExecStartBody, 'Detach'> = {}, options?: CallOptions): Promise<HijackedSession> {
    if (body.ConsoleSize) validateConsoleSize(body.ConsoleSize);
    const path = route`/exec/${id}/start`;
    return openHijackedSession(this.#api, { operation: 'ExecStart', method: 'POST', path, body: { ...body, Detach: false }, options }, {
      hasTty: async () => (await this.inspect(id, options)).ProcessConfig?.tty === true,
      resize: (size) => this.resize(id, size, options),
    });
  }

  /** Starts an exec instance detached: resolves as soon as the command was started. */
  async startDetached(id: string, body: Omit<ExecStartBody, 'Detach'> = {}, options?: CallOptions): Promise<void> {
    const path = route`/exec/${id}/start`;
    await this.#api.empty({ operation: 'ExecStart', method: 'POST', path, body: { ...body, Detach: true }, options });
  }

  /** Resizes the TTY of an exec instance (rows `h`, columns `w`). */
  async resize(id: string, query: ExecResizeQuery | TerminalSize, options?: CallOptions): Promise<void> {
    validateInteger('h', query?.h, 0);
    validateInteger('w', query?.w, 0);
    const path = route`/exec/${id}/resize`;
    await this.#api.empty({ operation: 'ExecResize', method: 'POST', path, query: { h: query.h, w: query.w }, options });
  }

  /** Low-level information on an exec instance: `Running`, `ExitCode`, `Pid`, its process configuration. */
  async inspect(id: string, options?: CallOptions): Promise<ExecInspectResponse> {
    return this.#api.json({ operation: 'ExecInspect', method: 'GET', path: route`/exec/${id}/json`, options });
  }

  /**
   * Runs a command in a running container to completion and collects its output and exit code.
   *
   * ```ts
   * const { stdout, exitCode } = await docker.exec.run(container, ['sh', '-c', 'cat | wc -c'], { stdin: 'hello' });
   * ```
   */
  async run(containerId: string, cmd: string[], options: ExecRunOptions = {}): Promise<ExecRunResult> {
    if (!Array.isArray(cmd) || cmd.length === 0 || cmd.some((part) => typeof part !== 'string')) {
      throw new InvalidArgumentError('exec run needs a command: a non-empty array of strings');
    }
    const { signal } = options;
    const callOptions: CallOptions = { signal };
    const hasStdin = options.stdin !== undefined;
    const { Id } = await this.create(containerId, {
      Cmd: cmd,
      AttachStdin: hasStdin,
      AttachStdout: true,
      AttachStderr: true,
      Tty: options.tty === true,
      Env: options.env,
      User: options.user,
      WorkingDir: options.workingDir,
    }, callOptions);
    const session = await this.start(Id, { Tty: options.tty === true }, callOptions);
    // Stdin is fed alongside reading the output (a command may answer before it has read everything);
    // a command that exits without reading all of it makes the writes fail, which is not an error of the run.
    const feeding = hasStdin ? session.stdin.writeAll(options.stdin!).catch(() => undefined) : Promise.resolve();
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    try {
      for await (const frame of session) (frame.stream === 'stderr' ? stderr : stdout).push(Buffer.from(frame.data));
    } finally {
      session.close();
      await feeding;
    }
    return {
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
      exitCode: await this.exitCode(Id, callOptions),
    };
  }

  /**
   * The exit code of an exec whose output has ended. The engine records it a moment after it closes the
   * output, so this asks again (for up to 10 s) while the exec still counts as running.
   */
  async exitCode(id: string, options?: CallOptions): Promise<number> {
    const deadline = Date.now() + EXIT_CODE_WAIT_MS;
    for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
      const info = await this.inspect(id, options);
      if (!info.Running && typeof info.ExitCode === 'number') return info.ExitCode;
      if (Date.now() > deadline) {
        throw new TimeoutError(`The exec ${id} still runs ${EXIT_CODE_WAIT_MS} ms after its output ended`);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function validateConsoleSize(size: number[]): void {
  if (size.length !== 2) throw new InvalidArgumentError('ConsoleSize is [height, width]');
  validateInteger('ConsoleSize height', size[0], 0);
  validateInteger('ConsoleSize width', size[1], 0);
}
