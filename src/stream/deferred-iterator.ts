/**
 * An async iterator made on its first `next()` (e.g. once a request has been answered), after which every
 * `next()` goes straight to it: no async generator in between, whose `yield*` would cost a suspension and a
 * resumption per item (measured: most of the time spent on a stream of small log frames).
 * `close` runs once, when the iteration ends, fails, or is left early.
 */
/**
 * Marks an iterator that releases what it reads from by itself: it reads its source to the end, and closes
 * it when it fails or is left. A {@link DeferredIterator} then hands its results on untouched.
 */
export const CLOSES_ITS_SOURCE: unique symbol = Symbol('closesItsSource');

export class DeferredIterator<T> implements AsyncIterableIterator<T> {
  #open: (() => Promise<AsyncIterator<T>>) | undefined;
  readonly #close: () => void;
  #inner: AsyncIterator<T> | undefined;
  /** The inner iterator closes its source itself: its results need no watching. */
  #direct = false;
  #closed = false;

  constructor(open: () => Promise<AsyncIterator<T>>, close: () => void = () => undefined) {
    this.#open = open;
    this.#close = close;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    const inner = this.#inner;
    if (inner) return this.#direct ? inner.next() : inner.next().then(this.#onResult, this.#onError);
    if (this.#closed) return Promise.resolve({ value: undefined, done: true });
    return this.#start();
  }

  async return(value?: unknown): Promise<IteratorResult<T>> {
    const inner = this.#inner;
    this.#open = undefined;
    try {
      if (inner && !this.#closed) await inner.return?.(value);
    } finally {
      this.#finish();
    }
    return { value: undefined, done: true };
  }

  async #start(): Promise<IteratorResult<T>> {
    const open = this.#open!;
    this.#open = undefined;
    try {
      this.#inner = await open();
    } catch (error) {
      this.#finish();
      throw error;
    }
    this.#direct = (this.#inner as { [CLOSES_ITS_SOURCE]?: boolean })[CLOSES_ITS_SOURCE] === true;
    return this.next();
  }

  readonly #onResult = (result: IteratorResult<T>): IteratorResult<T> => {
    if (result.done) this.#finish();
    return result;
  };

  readonly #onError = (error: unknown): never => {
    this.#finish();
    throw error;
  };

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#close();
  }
}
