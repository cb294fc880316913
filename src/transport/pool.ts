import { Connection, type ConnectionOwner } from './connection.js';
import type { Connector } from './connector.js';
import { monotonicMs } from './clock.js';

/** How many idle keep-alive connections a pool keeps, and for how long. */
export interface PoolOptions {
  /** Idle connections kept for reuse (default 64). */
  maxIdle: number;
  /** Milliseconds an idle connection is kept before it is closed (default 30 s). */
  idleTimeout: number;
}

/**
 * The keep-alive connections to one endpoint. Idle connections are unreferenced, so a pool never keeps
 * a program (or a one-shot CLI run) alive; a connection the engine closed while idle is dropped at once.
 */
export class ConnectionPool implements ConnectionOwner {
  readonly #connector: Connector;
  readonly #options: PoolOptions;
  /** Idle connections, oldest first (released ones are pushed, reused ones popped: the order holds). */
  readonly #idle: Connection[] = [];
  /** When each idle connection was released ({@link monotonicMs}), in the same order. */
  readonly #idleSince: number[] = [];
  /** One timer for the whole pool, not one per release: it closes what stayed idle too long. */
  #sweepTimer: NodeJS.Timeout | undefined;
  readonly #all = new Set<Connection>();
  #closed = false;

  constructor(connector: Connector, options: PoolOptions) {
    this.#connector = connector;
    this.#options = options;
  }

  /** The endpoint this pool connects to. */
  get endpoint(): string {
    return this.#connector.endpoint;
  }

  /** Connections open now (idle and busy). */
  get size(): number {
    return this.#all.size;
  }

  /** Connections waiting idle for reuse. */
  get idleCount(): number {
    return this.#idle.length;
  }

  /** Takes an idle connection, or opens a new one. `reused` says which (a reused one may have gone stale). */
  async acquire(signal: AbortSignal | undefined, connectTimeout: number): Promise<{ connection: Connection; reused: boolean }> {
    const idle = this.takeIdle();
    if (idle) return { connection: idle, reused: true };
    return { connection: await this.connect(signal, connectTimeout), reused: false };
  }

  /** An idle connection that still works, taken out of the pool; undefined when there is none. */
  takeIdle(): Connection | undefined {
    for (let connection = this.#idle.pop(); connection !== undefined; connection = this.#idle.pop()) {
      this.#idleSince.pop();
      if (connection.usable) {
        connection.setReferenced(true);
        return connection;
      }
    }
    return undefined;
  }

  /** Opens a new connection. */
  async connect(signal: AbortSignal | undefined, connectTimeout: number): Promise<Connection> {
    const stream = await this.#connector.connect({ signal, timeout: connectTimeout });
    const connection = new Connection(stream, this.#connector.endpoint, this);
    this.#all.add(connection);
    return connection;
  }

  release(connection: Connection): void {
    if (this.#closed || !connection.usable || this.#idle.length >= this.#options.maxIdle) {
      connection.destroy();
      return;
    }
    connection.setReferenced(false);
    this.#idle.push(connection);
    this.#idleSince.push(monotonicMs());
    if (this.#options.idleTimeout > 0 && !this.#sweepTimer) this.#scheduleSweep(this.#options.idleTimeout);
  }

  forget(connection: Connection): void {
    this.#all.delete(connection);
    const index = this.#idle.lastIndexOf(connection);
    if (index >= 0) {
      this.#idle.splice(index, 1);
      this.#idleSince.splice(index, 1);
    }
  }

  #scheduleSweep(delay: number): void {
    this.#sweepTimer = setTimeout(this.#sweep, delay);
    this.#sweepTimer.unref();
  }

  /** Closes the connections idle for longer than the idle timeout; comes back for the next one due. */
  readonly #sweep = () => {
    this.#sweepTimer = undefined;
    const timeout = this.#options.idleTimeout;
    const now = monotonicMs();
    while (this.#idle.length > 0 && now - this.#idleSince[0]! >= timeout) {
      this.#idleSince.shift();
      this.#idle.shift()!.destroy();
    }
    if (this.#idle.length > 0) this.#scheduleSweep(Math.max(1, Math.ceil(this.#idleSince[0]! + timeout - now)));
  };

  /** Closes every connection, idle or busy; later requests open new ones. */
  close(): void {
    for (const connection of [...this.#all]) connection.destroy();
    this.#idle.length = 0;
    this.#idleSince.length = 0;
    if (this.#sweepTimer) { clearTimeout(this.#sweepTimer); this.#sweepTimer = undefined; }
    this.#connector.close?.();
  }
}
