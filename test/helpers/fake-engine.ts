/**
 * A fake engine: a tiny server on a private Unix socket that answers with whatever bytes a test scripts.
 * Only for what a real engine cannot be made to do on demand (cut connections, malformed or slow
 * answers) and for micro-benchmarks. Everything else is tested against the real dockerd.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One request as the fake engine received it: the raw head, and the body bytes that followed. */
export interface ReceivedRequest {
  head: string;
  method: string;
  target: string;
  headers: Map<string, string>;
}

/** Called for each request head; writes the answer (or not) on the socket. */
export type FakeHandler = (request: ReceivedRequest, socket: Socket) => void;

/** A running fake engine. */
export interface FakeEngine {
  /** `unix://…` host for a {@link Docker} client. */
  host: string;
  socketPath: string;
  /** Every request head received, in order. */
  requests: ReceivedRequest[];
  /** Number of connections accepted so far. */
  connections: () => number;
  close(): Promise<void>;
}

/**
 * Starts a fake engine. The handler sees each request head (bodies are not parsed: tests that need them
 * read `socket` themselves). Requests for `/_ping` are answered with `Api-Version: 1.41` unless the
 * handler is given `handlePing: true`.
 */
export async function startFakeEngine(handler: FakeHandler, options: { handlePing?: boolean } = {}): Promise<FakeEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-fake-'));
  const socketPath = join(dir, 'engine.sock');
  const requests: ReceivedRequest[] = [];
  let connectionCount = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connectionCount++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        const request = parseRequestHead(head);
        // Skip a Content-Length body so the next head is found (chunked bodies are left to handlers).
        const length = Number(request.headers.get('content-length') ?? 0);
        if (length > 0) buffered = buffered.slice(length);
        requests.push(request);
        if (!options.handlePing && request.target.endsWith('/_ping')) {
          socket.write('HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nOK');
          continue;
        }
        handler(request, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    host: `unix://${socketPath}`,
    socketPath,
    requests,
    connections: () => connectionCount,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function parseRequestHead(head: string): ReceivedRequest {
  const [requestLine = '', ...lines] = head.split('\r\n');
  const [method = '', target = ''] = requestLine.split(' ');
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { head, method, target, headers };
}

/** A JSON response with Content-Length. */
export function jsonResponse(status: number, body: unknown, extraHeaders = ''): string {
  const text = JSON.stringify(body);
  return `HTTP/1.1 ${status} X\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${extraHeaders}\r\n${text}`;
}
