import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Duplex } from 'node:stream';
import { ConnectionError } from '../errors.js';
import type { ConnectOptions, Connector } from './connector.js';

/**
 * How to run the system `ssh` for `ssh://` hosts. By default nothing is added: `~/.ssh/config`, the agent,
 * `known_hosts` and ControlMaster apply as they do for the docker CLI, and ssh checks the host key itself.
 */
export interface SshOptions {
  /** The ssh program (default `ssh`, found on `PATH`). */
  command?: string | undefined;
  /** An ssh_config file used instead of `~/.ssh/config` (`ssh -F FILE`). */
  configFile?: string | undefined;
  /** A private key to offer (`ssh -i FILE`). */
  identityFile?: string | undefined;
  /** More arguments, placed before the host (e.g. `['-o', 'UserKnownHostsFile=/path']`). */
  extraArgs?: readonly string[] | undefined;
}

/** Where an `ssh://` endpoint points. */
export interface SshTarget {
  user: string | undefined;
  host: string;
  port: number | undefined;
}

/** Bytes of ssh's stderr kept for the error message (its last line is what the user needs). */
const STDERR_TAIL_BYTES = 4096;

/**
 * Reaches an engine through the system `ssh`, as the docker CLI does: every connection is one
 * `ssh … -- HOST docker system dial-stdio` child whose stdout and stdin carry the HTTP bytes.
 */
export class SshConnector implements Connector {
  readonly endpoint: string;
  readonly #target: SshTarget;
  readonly #options: SshOptions;
  readonly #streams = new Set<SshStream>();

  constructor(endpoint: string, target: SshTarget, options: SshOptions = {}) {
    this.endpoint = endpoint;
    this.#target = target;
    this.#options = options;
  }

  /** The arguments given to ssh for a connect timeout in milliseconds (0: ssh's own default). */
  sshArguments(timeout: number): string[] {
    const { user, host, port } = this.#target;
    const options = this.#options;
    const args: string[] = [];
    if (options.configFile) args.push('-F', options.configFile);
    if (timeout > 0) args.push('-o', `ConnectTimeout=${Math.max(1, Math.ceil(timeout / 1000))}`);
    args.push('-T');
    if (options.identityFile) args.push('-i', options.identityFile);
    if (options.extraArgs) args.push(...options.extraArgs);
    if (user) args.push('-l', user);
    if (port) args.push('-p', String(port));
    // `--` keeps a host name that starts with `-` from being read as an option.
    args.push('--', host, 'docker', 'system', 'dial-stdio');
    return args;
  }

  connect({ signal, timeout }: ConnectOptions): Promise<Duplex> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const command = this.#options.command ?? 'ssh';
    return new Promise<Duplex>((resolve, reject) => {
      const child = spawn(command, this.sshArguments(timeout), { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
      const onAbort = () => {
        cleanup();
        child.kill();
        reject(signal!.reason);
      };
      const onSpawn = () => {
        cleanup();
        const stream = new SshStream(child, this.endpoint);
        this.#streams.add(stream);
        stream.once('close', () => this.#streams.delete(stream));
        resolve(stream);
      };
      const onError = (error: NodeJS.ErrnoException) => {
        cleanup();
        reject(error.code === 'ENOENT'
          ? new ConnectionError(this.endpoint, `cannot run "${command}": not found`, 'Install an OpenSSH client, or put ssh on the PATH.', { cause: error })
          : new ConnectionError(this.endpoint, `cannot run "${command}": ${error.message}`, '', { cause: error }));
      };
      const cleanup = () => {
        signal?.removeEventListener('abort', onAbort);
        child.removeListener('spawn', onSpawn);
        child.removeListener('error', onError);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      child.once('spawn', onSpawn);
      child.once('error', onError);
    });
  }

  /** Ends every ssh child this connector started. */
  close(): void {
    for (const stream of this.#streams) stream.destroy();
    this.#streams.clear();
  }
}

/**
 * One ssh child seen as a duplex byte stream: reads come from its stdout, writes go to its stdin, ending the
 * writable side closes its stdin (a half-close the remote `dial-stdio` passes on). Destroying it ends the child.
 * When ssh fails, the stream fails with a {@link ConnectionError} carrying ssh's last stderr line.
 */
class SshStream extends Duplex {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #endpoint: string;
  #stderrTail = Buffer.alloc(0);

  constructor(child: ChildProcessWithoutNullStreams, endpoint: string) {
    super({ allowHalfOpen: true });
    this.#child = child;
    this.#endpoint = endpoint;
    child.stdout.on('data', (chunk: Buffer) => {
      if (!this.destroyed && !this.push(chunk)) child.stdout.pause();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      const joined = Buffer.concat([this.#stderrTail, chunk]);
      this.#stderrTail = joined.subarray(Math.max(0, joined.length - STDERR_TAIL_BYTES));
    });
    // A write after ssh died fails with EPIPE; the exit status and stderr say why, so report those instead.
    child.stdin.on('error', () => undefined);
    // 'close' comes after stdout and stderr ended, so the stderr tail is complete here.
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      if (this.destroyed) return;
      if (code === 0) this.push(null);
      else this.destroy(this.#failure(code, signal));
    });
  }

  #failure(code: number | null, signal: NodeJS.Signals | null): ConnectionError {
    const lines = this.#stderrTail.toString('utf8').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
    const status = code !== null ? `exit status ${code}` : `signal ${signal}`;
    const last = lines[lines.length - 1];
    const reason = last ? `ssh failed (${status}): ${last}` : `ssh failed (${status})`;
    return new ConnectionError(this.#endpoint, reason,
      'Check the host, the user and the key (ssh checks known_hosts itself); the remote host needs Docker 18.09 or later (docker system dial-stdio).');
  }

  override _read(): void {
    this.#child.stdout.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#child.stdin.destroyed) {
      callback();
      return;
    }
    this.#child.stdin.write(chunk, () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#child.stdin.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const child = this.#child;
    if (child.exitCode === null && child.signalCode === null) child.kill();
    child.stdin.destroy();
    callback(error);
  }

  /** Lets the child (and its pipes) keep the process alive again: the pool calls it when the connection is taken. */
  ref(): this {
    this.#child.ref();
    for (const pipe of [this.#child.stdin, this.#child.stdout, this.#child.stderr]) (pipe as { ref?: () => void }).ref?.();
    return this;
  }

  /** Stops the child and its pipes from keeping the process alive: the pool calls it when the connection goes idle. */
  unref(): this {
    this.#child.unref();
    for (const pipe of [this.#child.stdin, this.#child.stdout, this.#child.stderr]) (pipe as { unref?: () => void }).unref?.();
    return this;
  }
}
