/**
 * A fake engine: a tiny server on a private Unix socket that answers with whatever bytes a test scripts.
 * Only for what a real engine cannot be made to do on demand (cut connections, malformed or slow
 * answers, exact request bytes) and for micro-benchmarks. Everything else is tested against the real dockerd.
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
  /** The body, decoded from Content-Length or chunked framing (empty when there was none). */
  body: Buffer;
  /** The body bytes exactly as they came on the wire (chunk framing included). */
  rawBody: Buffer;
}

/** Called for each complete request (head and body); writes the answer (or not) on the socket. */
export type FakeHandler = (request: ReceivedRequest, socket: Socket) => void;

/** A running fake engine. */
export interface FakeEngine {
  /** `unix://…` host for a {@link Docker} client. */
  host: string;
  socketPath: string;
  /** Every request received, in order (pings included). */
  requests: ReceivedRequest[];
  /** Number of connections accepted so far. */
  connections: () => number;
  /** Number of connections open now (from the engine's side). */
  openConnections: () => number;
  close(): Promise<void>;
}

/**
 * Starts a fake engine. The handler sees each request once its body has arrived. Requests for `/_ping`
 * are answered with `Api-Version: 1.41` unless `handlePing: true` is given.
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
    let buffered = Buffer.alloc(0);
    let pending: Omit<ReceivedRequest, 'body' | 'rawBody'> | undefined;
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (!pending) {
          const end = buffered.indexOf('\r\n\r\n');
          if (end < 0) return;
          pending = parseRequestHead(buffered.toString('latin1', 0, end));
          buffered = buffered.subarray(end + 4);
        }
        const framed = takeBody(pending.headers, buffered);
        if (!framed) return;
        buffered = buffered.subarray(framed.used);
        const request: ReceivedRequest = { ...pending, body: framed.body, rawBody: framed.raw };
        pending = undefined;
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
    openConnections: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The body that follows a head, once all of it has arrived; `undefined` while it is incomplete. */
function takeBody(headers: Map<string, string>, data: Buffer): { body: Buffer; raw: Buffer; used: number } | undefined {
  if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) {
    const pieces: Buffer[] = [];
    let offset = 0;
    for (;;) {
      const lineEnd = data.indexOf('\r\n', offset);
      if (lineEnd < 0) return undefined;
      const size = parseInt(data.toString('latin1', offset, lineEnd).split(';')[0]!, 16);
      if (size === 0) {
        const end = data.indexOf('\r\n\r\n', lineEnd);
        if (end < 0) return undefined;
        return { body: Buffer.concat(pieces), raw: data.subarray(0, end + 4), used: end + 4 };
      }
      if (data.length < lineEnd + 2 + size + 2) return undefined;
      pieces.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
      offset = lineEnd + 2 + size + 2;
    }
  }
  const length = Number(headers.get('content-length') ?? 0);
  if (data.length < length) return undefined;
  const body = Buffer.from(data.subarray(0, length));
  return { body, raw: body, used: length };
}

function parseRequestHead(head: string): Omit<ReceivedRequest, 'body' | 'rawBody'> {
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

/** Requests other than pings, which is what most assertions are about. */
export function apiRequests(engine: FakeEngine): ReceivedRequest[] {
  return engine.requests.filter((request) => !request.target.endsWith('/_ping'));
}
