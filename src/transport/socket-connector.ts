import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ConnectionError, TimeoutError } from '../errors.js';
import type { ConnectOptions, Connector } from './connector.js';

/** What a `node:net` or `node:tls` connect call needs; lets TLS reuse the socket plumbing below. */
export type SocketFactory = () => Socket;

/**
 * Opens sockets made by `factory` (a Unix socket, TCP, or TLS), turning every failure into a
 * {@link ConnectionError} that tells the user what to check.
 */
export class SocketConnector implements Connector {
  readonly endpoint: string;
  readonly #factory: SocketFactory;
  readonly #readyEvent: 'connect' | 'secureConnect';

  constructor(endpoint: string, factory: SocketFactory, readyEvent: 'connect' | 'secureConnect' = 'connect') {
    this.endpoint = endpoint;
    this.#factory = factory;
    this.#readyEvent = readyEvent;
  }

  connect({ signal, timeout }: ConnectOptions): Promise<Duplex> {
    return new Promise<Duplex>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const socket = this.#factory();
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.removeListener('error', onError);
        socket.removeListener(this.#readyEvent, onReady);
      };
      const onReady = () => {
        cleanup();
        socket.setNoDelay?.(true);
        resolve(socket);
      };
      const onError = (error: NodeJS.ErrnoException) => {
        cleanup();
        socket.destroy();
        reject(describeSocketError(this.endpoint, error));
      };
      const onAbort = () => {
        cleanup();
        socket.destroy();
        reject(signal!.reason);
      };
      if (timeout > 0) {
        timer = setTimeout(() => {
          cleanup();
          socket.destroy();
          reject(new TimeoutError(`Timed out after ${timeout} ms connecting to the Docker daemon at ${this.endpoint}`));
        }, timeout);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('error', onError);
      socket.once(this.#readyEvent, onReady);
    });
  }
}

/** A connector for a Unix domain socket. */
export function unixConnector(endpoint: string, socketPath: string): Connector {
  return new SocketConnector(endpoint, () => netConnect({ path: socketPath }));
}

/** A connector for plain TCP. */
export function tcpConnector(endpoint: string, host: string, port: number): Connector {
  return new SocketConnector(endpoint, () => netConnect({ host, port }));
}

/** Turns a socket error into the message and hint a user needs. */
export function describeSocketError(endpoint: string, error: NodeJS.ErrnoException): ConnectionError {
  const options = { cause: error };
  switch (error.code) {
    case 'ENOENT':
      return new ConnectionError(endpoint, 'no such socket', 'Is the docker daemon running?', options);
    case 'ECONNREFUSED':
      return new ConnectionError(endpoint, 'connection refused', 'Is the docker daemon running and listening there?', options);
    case 'EACCES':
    case 'EPERM':
      return new ConnectionError(endpoint, 'permission denied',
        'Check the permissions on the socket: add your user to the "docker" group, or run as a user that may open it.', options);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConnectionError(endpoint, `cannot resolve host name (${error.code})`, 'Check the host name in DOCKER_HOST or -H.', options);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new ConnectionError(endpoint, `host unreachable (${error.code})`, 'Check the network and the address.', options);
    default:
      return new ConnectionError(endpoint, error.message, '', options);
  }
}
