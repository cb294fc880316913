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
      let socket: Socket;
      try {
        socket = this.#factory();
      } catch (error) {
        // node:tls throws at once on unreadable certificate or key material.
        reject(describeSocketError(this.endpoint, error as NodeJS.ErrnoException));
        return;
      }
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

/**
 * Turns an error on an open connection into a {@link ConnectionError}: TLS failures (a client certificate the engine
 * rejects only after the handshake, under TLS 1.3) are named; a connector's own ConnectionError passes through.
 */
export function describeStreamError(endpoint: string, error: NodeJS.ErrnoException): ConnectionError {
  if (error instanceof ConnectionError) return error;
  const tls = describeTlsError(endpoint, error);
  if (tls) return tls;
  return new ConnectionError(endpoint, `connection broken (${error.code ?? error.message})`, '', { cause: error });
}

/** Certificate-verification codes that mean "signed by an authority we do not trust". */
const UNKNOWN_AUTHORITY_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE',
]);

/**
 * TLS alerts the engine sends when it refuses the client certificate (or gets none). Node names them after OpenSSL,
 * Bun after BoringSSL (`TLSV1_ALERT_CERTIFICATE_REQUIRED` where OpenSSL says `TLSV13_…`).
 */
const CLIENT_CERTIFICATE_ALERTS = new Set([
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'ERR_SSL_TLSV1_ALERT_CERTIFICATE_REQUIRED', 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN', 'ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', 'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
]);

const CLIENT_CERTIFICATE_HINT =
  'Give a client certificate and key the engine trusts: cert.pem and key.pem in DOCKER_CERT_PATH, --tlscert and --tlskey, or the context\'s cert and key.';

/** Names a TLS failure, or returns undefined when `error` is not one. */
export function describeTlsError(endpoint: string, error: NodeJS.ErrnoException): ConnectionError | undefined {
  const code = error.code ?? '';
  const options = { cause: error };
  if (UNKNOWN_AUTHORITY_CODES.has(code)) {
    return new ConnectionError(endpoint, `TLS: the engine's certificate is signed by an unknown authority (${code})`,
      'Give the CA that signed it: ca.pem in DOCKER_CERT_PATH, --tlscacert, or the context\'s ca.', options);
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new ConnectionError(endpoint, `TLS: certificate name mismatch: ${(error as { reason?: string }).reason ?? error.message}`,
      'Connect with a name or address the certificate lists (its subjectAltName), or reissue the certificate.', options);
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return new ConnectionError(endpoint, `TLS: the engine's certificate ${code === 'CERT_HAS_EXPIRED' ? 'has expired' : 'is not yet valid'}`,
      'Renew the certificate, or check the clock.', options);
  }
  if (CLIENT_CERTIFICATE_ALERTS.has(code)) {
    return new ConnectionError(endpoint, `TLS: the engine rejected the client certificate, or none was sent (${code})`, CLIENT_CERTIFICATE_HINT, options);
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || code === 'ERR_SSL_RECORD_LAYER_FAILURE') {
    return new ConnectionError(endpoint, `TLS: the engine does not speak TLS there (${code})`,
      'Use the engine\'s TLS port, or connect without TLS (tcp:// without --tls/--tlsverify, DOCKER_TLS_VERIFY unset).', options);
  }
  if (code.startsWith('ERR_OSSL') || code === 'ERR_INVALID_ARG_TYPE' && /cert|key|ca/i.test(error.message)) {
    return new ConnectionError(endpoint, `TLS: cannot use the certificate or key (${code})`,
      'Check that ca.pem, cert.pem and key.pem are PEM files and that the key belongs to the certificate.', options);
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) {
    return new ConnectionError(endpoint, `TLS handshake failed (${code})`, '', options);
  }
  return undefined;
}

/** Turns a socket error into the message and hint a user needs. */
export function describeSocketError(endpoint: string, error: NodeJS.ErrnoException): ConnectionError {
  const options = { cause: error };
  const tls = describeTlsError(endpoint, error);
  if (tls) return tls;
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
