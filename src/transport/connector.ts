import type { Duplex } from 'node:stream';

/**
 * The seam between "where the engine is" and "how bytes move": a connector opens one duplex byte
 * stream to the engine. Unix sockets, TCP, TLS and SSH (a child process's stdio) all fit behind it,
 * and the HTTP codec never needs to know which one it talks over.
 */
export interface Connector {
  /** The endpoint as the user wrote it, for error messages. */
  readonly endpoint: string;
  /** Opens a new stream. Rejects with a {@link ConnectionError} that says what to do. */
  connect(options: ConnectOptions): Promise<Duplex>;
  /** Releases what the connector holds (for SSH: its child processes). */
  close?(): void;
}

/** What every connection attempt is given. */
export interface ConnectOptions {
  /** Abort the attempt. */
  signal?: AbortSignal | undefined;
  /** Give up after this many milliseconds (0: never). */
  timeout: number;
}
