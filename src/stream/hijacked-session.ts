import type { Duplex } from 'node:stream';
import { ConnectionError, InvalidArgumentError, ProtocolError } from '../errors.js';
import { demultiplex, rawFrames } from './demultiplex.js';
import type { OutputFrame } from './frames.js';

/** A terminal size in characters: `h` rows, `w` columns (the engine's own names). */
export interface TerminalSize {
  h: number;
  w: number;
}

/** What a {@link HijackedSession} is built from (by `containers.attach` and `exec.start`). */
export interface HijackedSessionInit {
  /** The raw stream after the upgrade: output comes in, stdin goes out. */
  stream: Duplex;
  /** True when the output is in the multiplexed (stdcopy) format; false for a TTY's raw bytes. */
  multiplexed: boolean;
  /** Resizes the TTY the session is attached to. */
  resize: (size: TerminalSize) => Promise<void>;
  /** Aborting closes the session; the output loop then throws the signal's reason. */
  signal?: AbortSignal | undefined;
  /** The endpoint, for error messages. */
  endpoint: string;
}

/**
 * The stdin of a {@link HijackedSession}. `end()` half-closes the connection: the process sees end of file
 * on its stdin while its output keeps arriving until it exits.
 */
export class SessionInput {
  readonly #stream: Duplex;

  /** @internal */
  constructor(stream: Duplex) {
    this.#stream = stream;
  }

  /** True once `end()` was called or the session closed. */
  get ended(): boolean {
    return this.#stream.writableEnded || this.#stream.destroyed;
  }

  /** Sends bytes (a string is sent as UTF-8); resolves when they were handed to the operating system. */
  write(data: string | Uint8Array): Promise<void> {
    const stream = this.#stream;
    if (this.ended) return Promise.reject(new ProtocolError('Cannot write to stdin: it was ended or the session is closed'));
    return new Promise<void>((resolve, reject) => {
      stream.write(data, (error?: Error | null) => {
        if (error) reject(new ProtocolError(`Writing to stdin failed: ${error.message}`, { cause: error }));
        else resolve();
      });
    });
  }

  /**
   * Closes stdin (the engine sees end of file); output keeps flowing. Resolves once the end was sent.
   * Calling it again, or after the session closed, does nothing.
   */
  end(): Promise<void> {
    const stream = this.#stream;
    if (stream.destroyed || stream.writableFinished) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        stream.removeListener('finish', done);
        stream.removeListener('close', done);
        resolve();
      };
      stream.once('finish', done);
      stream.once('close', done);
      if (!stream.writableEnded) stream.end();
    });
  }

  /** Sends everything `source` yields, then ends stdin. */
  async writeAll(source: string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<void> {
    if (typeof source === 'string' || source instanceof Uint8Array) {
      if (source.length > 0) await this.write(source);
    } else {
      for await (const piece of source) {
        if (piece.length > 0) await this.write(piece);
      }
    }
    await this.end();
  }
}

/**
 * A hijacked connection to a container's or an exec's stdio (`containers.attach`, `exec.start`).
 *
 * Iterate it for the output, as `{ stream, data }` frames (stdout and stderr kept apart; with a TTY all
 * output is one raw stream, reported as `stdout`). The iteration ends when the process exits and the
 * engine closes the connection. Write to `stdin`, and `stdin.end()` to send end of file while the output
 * keeps coming. Leaving the loop early, `close()`, or aborting the signal closes the connection.
 *
 * ```ts
 * const session = await docker.exec.start(Id);
 * await session.stdin.writeAll('hello\n');          // then end of file
 * for await (const frame of session) process.stdout.write(frame.data);
 * ```
 */
export class HijackedSession implements AsyncIterable<OutputFrame> {
  /** True when the process has a TTY: the output is raw bytes, not multiplexed. */
  readonly tty: boolean;
  /** The process's stdin (meaningful when the session was opened with stdin attached). */
  readonly stdin: SessionInput;

  readonly #stream: Duplex;
  readonly #resize: (size: TerminalSize) => Promise<void>;
  readonly #signal: AbortSignal | undefined;
  readonly #endpoint: string;
  #closedByCaller = false;
  #iterating = false;
  #error: Error | undefined;

  /** @internal Built by `containers.attach` and `exec.start`. */
  constructor(init: HijackedSessionInit) {
    this.#stream = init.stream;
    this.tty = !init.multiplexed;
    this.#resize = init.resize;
    this.#signal = init.signal;
    this.#endpoint = init.endpoint;
    this.stdin = new SessionInput(init.stream);
    // An error with nobody reading (EPIPE on a stdin write after the process exited) must not crash the
    // program: it is kept and reported by the output loop.
    init.stream.on('error', (error: Error) => { this.#error ??= error; });
    if (init.signal) {
      if (init.signal.aborted) this.close();
      else init.signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  readonly #onAbort = () => this.close();

  /** True once the connection is closed (by either side). */
  get closed(): boolean {
    return this.#stream.destroyed;
  }

  /** Resizes the TTY (rows `h`, columns `w`). Only meaningful with a TTY. */
  async resize(size: TerminalSize): Promise<void> {
    for (const name of ['h', 'w'] as const) {
      const value = size?.[name];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
        throw new InvalidArgumentError(`Invalid terminal size ${name}=${JSON.stringify(value)}: expected an integer of at least 0`);
      }
    }
    await this.#resize(size);
  }

  /** Closes the connection at once (stdin and output). Safe to call more than once. */
  close(): void {
    this.#closedByCaller = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#stream.destroy();
  }

  /** The output, as frames. Can be iterated once; leaving the loop closes the session. */
  async *[Symbol.asyncIterator](): AsyncIterator<OutputFrame> {
    if (this.#iterating) throw new ProtocolError('The output of a session can be read only once');
    this.#iterating = true;
    const chunks = this.#chunks();
    try {
      yield* (this.tty ? rawFrames(chunks) : demultiplex(chunks));
    } finally {
      this.close();
    }
  }

  async *#chunks(): AsyncGenerator<Uint8Array> {
    const stream = this.#stream;
    try {
      if (!stream.destroyed) {
        for await (const chunk of stream) yield chunk as Buffer;
      }
    } catch (error) {
      if (this.#signal?.aborted) throw this.#signal.reason;
      if (this.#closedByCaller) return;
      const cause = this.#error ?? (error as Error);
      const code = (cause as NodeJS.ErrnoException).code;
      throw new ConnectionError(this.#endpoint, `the attached stream broke (${code ?? cause.message})`, '', { cause });
    }
    if (this.#signal?.aborted) throw this.#signal.reason;
  }
}
