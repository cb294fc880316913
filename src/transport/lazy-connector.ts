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

  constructor(endpoint: string, make: () => Promise<Connector>) {
    this.endpoint = endpoint;
    this.#make = make;
  }

  async connect(options: ConnectOptions): Promise<Duplex> {
    this.#made ??= this.#make();
    return (await this.#made).connect(options);
  }

  /**
   * Closes what the connector holds. A close() that comes while the module loads still applies: its reaction
   * runs after the pending connect's, so the connection that connect opens is closed too. Like every connector,
   * it can connect again afterwards (the client stays usable after `close()`).
   */
  close(): void {
    void this.#made?.then((connector) => connector.close?.(), () => undefined);
  }
}
