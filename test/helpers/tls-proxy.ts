/**
 * A TLS-terminating proxy in front of the test engine's Unix socket: Berth's TLS client meets real TLS (certificates
 * made by scripts/remote-engines.sh) and, behind it, the real engine. It stands in for `dockerd --tlsverify`
 * because a second daemon on a shared machine is fragile (see shared/ENGINES.md).
 */
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { testHost } from './engine.js';

/** Where scripts/remote-engines.sh put the certificates. */
export const TLS_DIR = process.env.BERTH_TLS_DIR ?? '/tmp/berth-tls';

/** Reads one file of the TLS fixtures. */
export function tlsFile(name: string): Buffer {
  return readFileSync(join(TLS_DIR, name));
}

/** A running proxy. */
export interface TlsProxy {
  /** The port it listens on. */
  port: number;
  /** Handshakes that failed on the server side, with the reason (to check what the engine side saw). */
  rejected: string[];
  close(): Promise<void>;
}

/**
 * Starts the proxy on `address` (default 127.0.0.1) and a free port. Like `dockerd --tlsverify`, it demands a
 * client certificate signed by the test CA, and answers plain HTTP with dockerd's own 400 message.
 */
export async function startTlsProxy(address = '127.0.0.1'): Promise<TlsProxy> {
  const socketPath = testHost().replace(/^unix:\/\//, '');
  const rejected: string[] = [];
  const tlsServer = createTlsServer({
    cert: tlsFile('server.pem'),
    key: tlsFile('server-key.pem'),
    ca: tlsFile('berth-test-ca.pem'),
    requestCert: true,
    rejectUnauthorized: true,
  }, (client) => {
    const engine = netConnect({ path: socketPath });
    client.pipe(engine).pipe(client);
    const end = () => { client.destroy(); engine.destroy(); };
    client.on('error', end);
    engine.on('error', end);
    client.on('close', end);
    engine.on('close', end);
  });
  tlsServer.on('tlsClientError', (error: NodeJS.ErrnoException) => rejected.push(error.code ?? error.message));
  const sockets = new Set<Socket>();
  // The first byte tells a TLS handshake (0x16) from plain HTTP, which gets dockerd's answer.
  const server: Server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('readable', () => {
      const first = socket.read(1) as Buffer | null;
      if (first === null) { socket.destroy(); return; }
      if (first[0] === 0x16) {
        // node:tls would read a net.Socket's handle directly and miss the byte we took, so hand it a plain Duplex.
        tlsServer.emit('connection', asDuplex(socket, first));
        return;
      }
      socket.end('HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nClient sent an HTTP request to an HTTPS server.\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    rejected,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** `socket` as a Duplex that is not a net.Socket, starting with the bytes already read. */
function asDuplex(socket: Socket, head: Buffer): Duplex {
  const duplex = new Duplex({
    read() { socket.resume(); },
    write(chunk: Buffer, _encoding, callback) { socket.write(chunk, callback); },
    final(callback) { socket.end(); callback(); },
    // destroySoon: a TLS alert written just before the server gives up must still reach the client.
    destroy(error, callback) { socket.destroySoon(); callback(error); },
  });
  duplex.push(head);
  socket.on('data', (chunk: Buffer) => { if (!duplex.push(chunk)) socket.pause(); });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  return duplex;
}
