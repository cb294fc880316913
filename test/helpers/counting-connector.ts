/**
 * A connector that counts the connections a client holds open, so tests can check that a call gave its
 * connection back (or closed it) when it ended, was aborted, or was left early.
 */
import type { Connector } from '../../src/index.js';
import { connectorForEndpoint } from '../../src/transport/connector-for-endpoint.js';
import { parseHost } from '../../src/transport/endpoint.js';

/** A connector with an `open()` count of the streams it made that are not closed yet. */
export type CountingConnector = Connector & { open: () => number; opened: () => number };

/** Wraps the connector for `host` (or `inner`) to count its connections. */
export function countingConnector(host: string, inner: Connector = connectorForEndpoint(parseHost(host))): CountingConnector {
  let open = 0;
  let opened = 0;
  return {
    endpoint: inner.endpoint,
    open: () => open,
    opened: () => opened,
    async connect(options) {
      const stream = await inner.connect(options);
      open++;
      opened++;
      stream.once('close', () => { open--; });
      return stream;
    },
    close: () => inner.close?.(),
  };
}

/** Waits until `check` holds (closes are reported asynchronously), failing after `ms`. */
export async function eventually(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`Timed out waiting until ${what}`);
}
