import { DockerError, StreamError } from '../errors.js';

/** Byte counts of one step (a layer being downloaded, pushed, extracted …). */
export interface ProgressDetail {
  current?: number;
  total?: number;
  start?: number;
  /** When true, `current`/`total` are not byte counts worth showing. */
  hidecounts?: boolean;
  units?: string;
}

/**
 * One line of an engine's progress stream (pull, push, load, import, build), in the engine's own field
 * names (the Docker CLI's `JSONMessage`). Error lines never reach you as messages: they end the stream with a
 * {@link StreamError}.
 */
export interface ProgressMessage<Aux = Record<string, unknown>> {
  /** What the line is about: a layer ID for pull/push, a step ID for BuildKit. */
  id?: string;
  /** A status such as `Downloading`, `Pushed`, `Digest: sha256:…`. */
  status?: string;
  /** Build output text, newlines included. */
  stream?: string;
  /** The engine's own rendering of a progress bar (deprecated by the engine, still sent). */
  progress?: string;
  progressDetail?: ProgressDetail;
  /** Structured results: the built image's `ID`, the pushed `Digest`, BuildKit trace records … */
  aux?: Aux;
  /** The error text, on the line that ends a failed operation. */
  error?: string;
  errorDetail?: { code?: number; message?: string };
}

/** Folds the messages of one operation into its result. */
export interface ProgressReducer<M, R> {
  /** Called with every message, in order. */
  add(message: M): void;
  /** Called once the stream ended without an error line. */
  result(): R;
}

type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * A long-running engine operation (pull, push, load, import, build) that is both an `AsyncIterable` of its
 * progress messages and awaitable for its result.
 *
 * ```ts
 * // Just wait for it: resolves when the engine is really done, rejects with a StreamError on an error line.
 * const { digest } = await docker.images.push('127.0.0.1:5000/app:1');
 *
 * // Or watch it, then take the result (the request is sent once).
 * const pull = docker.images.pull('127.0.0.1:5000/app:1');
 * for await (const message of pull) console.log(message.status, message.id ?? '');
 * const result = await pull;
 * ```
 *
 * The request is sent when iteration starts or when it is first awaited, not before. Iterate first and
 * then await, or only await: once awaiting has started the messages are consumed, and iterating throws.
 * Leaving the loop early closes the connection, and awaiting then rejects (the result is unknown).
 */
export class ProgressOperation<M extends ProgressMessage<unknown>, R> implements AsyncIterable<M>, Promise<R> {
  readonly #source: () => AsyncIterable<M>;
  readonly #reducer: ProgressReducer<M, R>;
  #consumer: 'none' | 'iterator' | 'await' = 'none';
  #outcome: Outcome<R> | undefined;
  #settled: Promise<R> | undefined;
  #settle: ((outcome: Outcome<R>) => void) | undefined;

  /** @internal Resource modules build these; `source` sends the request when iterated. */
  constructor(source: () => AsyncIterable<M>, reducer: ProgressReducer<M, R>) {
    this.#source = source;
    this.#reducer = reducer;
  }

  /** The progress messages, in order; the request is sent when iteration starts. Iterate once, before any await. */
  async *[Symbol.asyncIterator](): AsyncIterator<M> {
    if (this.#consumer !== 'none') {
      throw new DockerError(
        this.#consumer === 'iterator'
          ? 'This progress stream is already being iterated; it can be read once'
          : 'This operation is already being awaited, which consumes its progress; iterate first, then await',
        'PROGRESS_CONSUMED',
      );
    }
    this.#consumer = 'iterator';
    let finished = false;
    try {
      for await (const message of this.#source()) {
        const error = errorOf(message);
        if (error) throw error;
        this.#reducer.add(message);
        yield message;
      }
      finished = true;
      this.#finish({ ok: true, value: this.#reducer.result() });
    } catch (error) {
      finished = true;
      this.#finish({ ok: false, error });
      throw error;
    } finally {
      if (!finished) {
        this.#finish({ ok: false, error: new DockerError('The progress stream was left before the operation finished; its result is unknown', 'PROGRESS_INCOMPLETE') });
      }
    }
  }

  then<T1 = R, T2 = never>(
    onFulfilled?: ((value: R) => T1 | PromiseLike<T1>) | null,
    onRejected?: ((reason: unknown) => T2 | PromiseLike<T2>) | null,
  ): Promise<T1 | T2> {
    return this.#result().then(onFulfilled, onRejected);
  }

  /** Same as `then(undefined, onRejected)`. */
  catch<T = never>(onRejected?: ((reason: unknown) => T | PromiseLike<T>) | null): Promise<R | T> {
    return this.#result().catch(onRejected);
  }

  /** Same as a promise's `finally`. */
  finally(onFinally?: (() => void) | null): Promise<R> {
    return this.#result().finally(onFinally);
  }

  /** So that it is typed (and shown) as a promise wherever one is expected. */
  get [Symbol.toStringTag](): string {
    return 'ProgressOperation';
  }

  #result(): Promise<R> {
    if (!this.#settled) {
      this.#settled = new Promise<R>((resolve, reject) => {
        this.#settle = (outcome) => (outcome.ok ? resolve(outcome.value) : reject(outcome.error));
      });
      if (this.#outcome) this.#settle!(this.#outcome);
      else if (this.#consumer === 'none') void this.#drain();
    }
    return this.#settled;
  }

  async #drain(): Promise<void> {
    this.#consumer = 'await';
    try {
      for await (const message of this.#source()) {
        const error = errorOf(message);
        if (error) throw error;
        this.#reducer.add(message);
      }
      this.#finish({ ok: true, value: this.#reducer.result() });
    } catch (error) {
      this.#finish({ ok: false, error });
    }
  }

  #finish(outcome: Outcome<R>): void {
    if (this.#outcome) return;
    this.#outcome = outcome;
    // Settled only when someone awaits: an unawaited failure must not become an unhandled rejection.
    this.#settle?.(outcome);
  }
}

/** The error a progress line carries, if any (`errorDetail.message` is preferred: it is the full text). */
export function errorOf(message: ProgressMessage<unknown>): StreamError | undefined {
  if (message.error === undefined && message.errorDetail === undefined) return undefined;
  const text = message.errorDetail?.message || message.error || 'The engine reported an error without a message';
  return new StreamError(text, message.errorDetail?.code);
}
