import type { Duplex } from 'node:stream';
import type { ConnectOptions, Connector } from './connector.js';

/**
 * A connector made on its first `connect()`. TLS and SSH connectors need `node:tls` or `node:child_process`,
 * which cost a one-shot process (`berth ps`) several milliseconds to load; a Unix-socket user never pays
 * for them, and a TLS or SSH user pays once, on the first connection.
 */
export class LazyConnector implements Connector {
  readonly endpoint: string;
  readonly #make: () => Promise<Connector>;
  #made: Promise<Connector> | undefined;
  #closed = false;

  constructor(endpoint: string, make: () => Promise<Connector>) {
    this.endpoint = endpoint;
    this.#make = make;
  }

  async connect(options: ConnectOptions): Promise<Duplex> {
    this.#made ??= this.#make();
    const connector = await this.#made;
    // A close() that came while the module loaded still applies to what it made.
    if (this.#closed) connector.close?.();
    return connector.connect(options);
  }

  close(): void {
    this.#closed = true;
    void this.#made?.then((connector) => connector.close?.(), () => undefined);
  }
}
