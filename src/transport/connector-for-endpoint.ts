import type { Connector } from './connector.js';
import type { Endpoint } from './endpoint.js';
import { LazyConnector } from './lazy-connector.js';
import { SocketConnector, tcpConnector, unixConnector } from './socket-connector.js';
import type { SshOptions } from './ssh-connector.js';

/** TLS material, as PEM text or bytes (the `DOCKER_CERT_PATH` files `ca.pem`, `cert.pem`, `key.pem`). */
export interface TlsOptions {
  ca?: string | Uint8Array | undefined;
  cert?: string | Uint8Array | undefined;
  key?: string | Uint8Array | undefined;
  /** Verify the engine's certificate (default true). Turning it off is the user's explicit choice. */
  verify?: boolean | undefined;
  /** The name to verify the certificate against (default: the host). */
  serverName?: string | undefined;
}

/** Makes the connector for an endpoint. Pure: reads no environment and no files. */
export function connectorForEndpoint(endpoint: Endpoint, tls?: TlsOptions, ssh?: SshOptions): Connector {
  switch (endpoint.kind) {
    case 'unix':
      return unixConnector(endpoint.url, endpoint.socketPath);
    case 'npipe':
      // node:net speaks Windows named pipes through the same path-based connect.
      return unixConnector(endpoint.url, endpoint.pipePath);
    case 'tcp':
      if (!endpoint.tls) return tcpConnector(endpoint.url, endpoint.host, endpoint.port);
      // node:tls is loaded on the first connection (see LazyConnector).
      return new LazyConnector(endpoint.url, async () => {
        const { connect: tlsConnect } = await import('node:tls');
        return new SocketConnector(endpoint.url, () => tlsConnect({
          host: endpoint.host,
          port: endpoint.port,
          servername: tls?.serverName ?? (isIpAddress(endpoint.host) ? undefined : endpoint.host),
          ca: tls?.ca as string | undefined,
          cert: tls?.cert as string | undefined,
          key: tls?.key as string | undefined,
          rejectUnauthorized: tls?.verify !== false,
        }), 'secureConnect');
      });
    case 'ssh':
      return new LazyConnector(endpoint.url, async () => {
        const { SshConnector } = await import('./ssh-connector.js');
        return new SshConnector(endpoint.url, endpoint, ssh);
      });
  }
}

function isIpAddress(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
