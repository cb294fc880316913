/**
 * A client whose connections can be counted: tests of streams check that none is left open after a loop
 * ends, breaks or is aborted.
 */
import type { Duplex } from 'node:stream';
import { Docker } from '../../src/index.js';
import { connectorForEndpoint } from '../../src/transport/connector-for-endpoint.js';
import { parseHost } from '../../src/transport/endpoint.js';
import { testHost } from './engine.js';

/** A client and the number of its connections that are open now, and were opened in all. */
export interface CountingDocker {
  docker: Docker;
  /** Connections not yet closed (busy, idle in the pool, or hijacked). */
  open(): number;
  /** Connections opened since the start. */
  opened(): number;
  /** Waits (up to `ms`) until at most `count` connections are open; resolves with the number open. */
  settle(count: number, ms?: number): Promise<number>;
}

/**
 * A client for the test engine (or `host`) that counts its connections. By default it keeps no idle
 * keep-alive connection, so `open()` counts exactly the connections in use (busy or hijacked).
 */
export function countingDocker(options: { host?: string; maxIdleConnections?: number } = {}): CountingDocker {
  const host = options.host ?? testHost();
  const inner = connectorForEndpoint(parseHost(host));
  const live = new Set<Duplex>();
  let opened = 0;
  const docker = new Docker({
    host,
    maxIdleConnections: options.maxIdleConnections ?? 0,
    connector: {
      endpoint: inner.endpoint,
      async connect(options) {
        const stream = await inner.connect(options);
        opened++;
        live.add(stream);
        stream.once('close', () => live.delete(stream));
        return stream;
      },
      close: () => inner.close?.(),
    },
  });
  const open = () => [...live].filter((stream) => !stream.destroyed).length;
  return {
    docker,
    open,
    opened: () => opened,
    async settle(count, ms = 2000) {
      const deadline = Date.now() + ms;
      while (open() > count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      return open();
    },
  };
}
