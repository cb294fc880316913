/**
 * A fake Docker engine on a Unix socket, for measuring client overhead without the engine's own cost.
 * It answers from canned bytes, prepared once, and does as little as it can per request, so that the
 * client, not the server, is what a run measures. It runs in its own process (the orchestrator starts it)
 * so that its CPU time never counts against a contender.
 *
 *   node dist/bench/fake-engine.js SOCKET      prints "ready" on stdout once it listens
 *
 * Routes (any `/v1.NN` prefix is ignored):
 *   HEAD|GET /_ping                        dockerd's ping answer
 *   GET /containers/json?limit=N           a list of N realistic container summaries (N = 1 by default)
 *   GET /containers/logs-F-M/logs          M MiB of output in F-byte frames, stdcopy-multiplexed, one HTTP
 *                                          chunk per frame (as dockerd flushes each frame); every 4th frame
 *                                          is stderr
 *   GET /containers/ID/json                a realistic inspect answer
 *   GET /events?until=N                    N event lines, one chunk each, then the end of the stream
 *   GET /_bench/cpu                        this process's CPU time in microseconds (for the orchestrator)
 */
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';

const fixtures = new URL('../../bench/fixtures/', import.meta.url);
const DATE = 'Mon, 23 Nov 2026 12:00:00 GMT';
const COMMON = `Api-Version: 1.47\r\nDocker-Experimental: false\r\nOstype: linux\r\nServer: Docker/27.5.1 (linux)\r\nDate: ${DATE}\r\n`;

function fixed(contentType: string, body: Buffer | string, status = '200 OK'): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return Buffer.concat([
    Buffer.from(`HTTP/1.1 ${status}\r\n${COMMON}Content-Type: ${contentType}\r\nContent-Length: ${bytes.length}\r\n\r\n`, 'latin1'),
    bytes,
  ]);
}

function chunkedHead(contentType: string): Buffer {
  return Buffer.from(`HTTP/1.1 200 OK\r\n${COMMON}Content-Type: ${contentType}\r\nTransfer-Encoding: chunked\r\n\r\n`, 'latin1');
}

const PING_GET = Buffer.from(
  `HTTP/1.1 200 OK\r\nApi-Version: 1.47\r\nCache-Control: no-cache, no-store, must-revalidate\r\nDocker-Experimental: false\r\n` +
  `Ostype: linux\r\nPragma: no-cache\r\nServer: Docker/27.5.1 (linux)\r\nDate: ${DATE}\r\nContent-Length: 2\r\n` +
  `Content-Type: text/plain; charset=utf-8\r\n\r\nOK`, 'latin1');
const PING_HEAD = Buffer.from(
  `HTTP/1.1 200 OK\r\nApi-Version: 1.47\r\nCache-Control: no-cache, no-store, must-revalidate\r\nContent-Length: 0\r\n` +
  `Content-Type: text/plain; charset=utf-8\r\nDocker-Experimental: false\r\nOstype: linux\r\nPragma: no-cache\r\n` +
  `Server: Docker/27.5.1 (linux)\r\nDate: ${DATE}\r\n\r\n`, 'latin1');
const NOT_FOUND = fixed('application/json', '{"message":"page not found"}\n', '404 Not Found');
const INSPECT = fixed('application/json', readFileSync(new URL('inspect.json', fixtures)));
const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');

/** A list answer with `count` entries that differ as real ones do (IDs, names, times). */
function listAnswer(count: number): Buffer {
  const template = JSON.parse(readFileSync(new URL('list-entry.json', fixtures), 'utf8')) as Record<string, unknown>;
  const entries = [];
  for (let i = 0; i < count; i++) {
    const id = (i.toString(16).padStart(8, '0') + 'c2fb45a645ba24ad82cee89b8729550912cbc23acff3fa7f11f4e54').slice(0, 64);
    entries.push({ ...template, Id: id, Names: [`/bench-${i}`], Created: 1795455470 - i, Labels: { 'berth.bench': 'fake', index: String(i) } });
  }
  return fixed('application/json', JSON.stringify(entries) + '\n');
}

const lists = new Map<number, Buffer>();
function list(count: number): Buffer {
  let answer = lists.get(count);
  if (!answer) {
    answer = listAnswer(count);
    lists.set(count, answer);
  }
  return answer;
}

/**
 * A block of whole frames, each in its own HTTP chunk, repeated to make a stream of any size. Payload bytes
 * are printable so that nothing downstream can take a shortcut on zeros.
 */
function logBlock(frameBytes: number): { block: Buffer; frames: number } {
  const frames = Math.max(1, Math.floor((4 * 1024 * 1024) / frameBytes));
  const chunkLine = Buffer.from(`${(frameBytes + 8).toString(16)}\r\n`, 'latin1');
  const perFrame = chunkLine.length + 8 + frameBytes + 2;
  const block = Buffer.alloc(perFrame * frames);
  let at = 0;
  for (let i = 0; i < frames; i++) {
    at += chunkLine.copy(block, at);
    block[at] = i % 4 === 3 ? 2 : 1;
    block.writeUInt32BE(frameBytes, at + 4);
    at += 8;
    block.fill(97 + (i % 26), at, at + frameBytes);
    at += frameBytes;
    block[at++] = 13;
    block[at++] = 10;
  }
  return { block, frames };
}

const logBlocks = new Map<number, { block: Buffer; frames: number }>();

async function writeLogs(socket: Socket, frameBytes: number, mebibytes: number): Promise<void> {
  let entry = logBlocks.get(frameBytes);
  if (!entry) {
    entry = logBlock(frameBytes);
    logBlocks.set(frameBytes, entry);
  }
  const totalFrames = Math.floor((mebibytes * 1024 * 1024) / frameBytes);
  socket.write(chunkedHead('application/vnd.docker.multiplexed-stream'));
  const perFrame = entry.block.length / entry.frames;
  for (let sent = 0; sent < totalFrames;) {
    const frames = Math.min(entry.frames, totalFrames - sent);
    const piece = frames === entry.frames ? entry.block : entry.block.subarray(0, frames * perFrame);
    sent += frames;
    if (!socket.write(piece)) await drained(socket);
    if (socket.destroyed) return;
  }
  socket.write(LAST_CHUNK);
}

function eventLine(i: number): Buffer {
  const id = (i.toString(16).padStart(8, '0') + 'c2fb45a645ba24ad82cee89b8729550912cbc23acff3fa7f11f4e54').slice(0, 64);
  const line = JSON.stringify({
    status: 'start', id, from: 'busybox:local', Type: 'container', Action: 'start',
    Actor: { ID: id, Attributes: { image: 'busybox:local', name: `bench-${i}` } },
    scope: 'local', time: 1795455290, timeNano: 1795455290478914263 + i,
  }) + '\n';
  return Buffer.from(`${Buffer.byteLength(line).toString(16)}\r\n${line}\r\n`, 'latin1');
}

let eventBlock: Buffer | undefined;
/** Where each line of the block ends, to send a prefix of whole lines. */
const eventEnds: number[] = [];
const EVENTS_PER_BLOCK = 4096;

async function writeEvents(socket: Socket, count: number): Promise<void> {
  if (!eventBlock) {
    const lines = [];
    let end = 0;
    for (let i = 0; i < EVENTS_PER_BLOCK; i++) {
      const line = eventLine(i);
      lines.push(line);
      end += line.length;
      eventEnds.push(end);
    }
    eventBlock = Buffer.concat(lines);
  }
  socket.write(chunkedHead('application/json'));
  for (let sent = 0; sent < count;) {
    const lines = Math.min(EVENTS_PER_BLOCK, count - sent);
    const piece = lines < EVENTS_PER_BLOCK ? eventBlock.subarray(0, eventEnds[lines - 1]) : eventBlock;
    sent += lines;
    if (!socket.write(piece)) await drained(socket);
    if (socket.destroyed) return;
  }
  socket.write(LAST_CHUNK);
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { socket.off('drain', done); socket.off('close', done); resolve(); };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

function queryNumber(target: string, name: string, fallback: number): number {
  const match = new RegExp(`[?&]${name}=(\\d+)`).exec(target);
  return match ? Number(match[1]) : fallback;
}

/** Answers one request; resolves when its answer is written (streams take a while). */
function answer(socket: Socket, method: string, target: string): Promise<void> | undefined {
  const path = target.replace(/^\/v1\.\d+/, '');
  if (path === '/_ping' || path.startsWith('/_ping?')) {
    socket.write(method === 'HEAD' ? PING_HEAD : PING_GET);
  } else if (path.startsWith('/containers/json')) {
    socket.write(list(queryNumber(path, 'limit', 1)));
  } else if (path.startsWith('/containers/logs-')) {
    const match = /^\/containers\/logs-(\d+)-(\d+)\/logs/.exec(path);
    if (!match) socket.write(NOT_FOUND);
    else return writeLogs(socket, Number(match[1]), Number(match[2]));
  } else if (/^\/containers\/[^/]+\/json/.test(path)) {
    socket.write(INSPECT);
  } else if (path.startsWith('/events')) {
    return writeEvents(socket, queryNumber(path, 'until', 1000));
  } else if (path === '/_bench/cpu') {
    const { user, system } = process.cpuUsage();
    socket.write(fixed('application/json', JSON.stringify({ cpuMicros: user + system })));
  } else {
    socket.write(NOT_FOUND);
  }
  return undefined;
}

/** Reads requests off one connection, in order, one at a time (HTTP/1.1 without pipelining). */
function serve(socket: Socket): void {
  let pending = '';
  let busy: Promise<void> | undefined;
  const queue: Array<[string, string]> = [];
  const next = (): void => {
    while (!busy && queue.length > 0) {
      const [method, target] = queue.shift()!;
      const writing = answer(socket, method, target);
      if (writing) busy = writing.then(() => { busy = undefined; next(); });
    }
  };
  socket.on('data', (chunk: Buffer) => {
    // The common case: one whole request head in one chunk, without a body.
    pending = pending.length === 0 ? chunk.toString('latin1') : pending + chunk.toString('latin1');
    for (;;) {
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) break;
      const lineEnd = pending.indexOf('\r\n');
      const firstSpace = pending.indexOf(' ');
      const method = pending.slice(0, firstSpace);
      const target = pending.slice(firstSpace + 1, pending.lastIndexOf(' ', lineEnd));
      // Skip a request body (only small JSON bodies reach the fake engine).
      const length = /\r\ncontent-length: *(\d+)/i.exec(pending.slice(0, end));
      const bodyLength = length ? Number(length[1]) : 0;
      if (pending.length < end + 4 + bodyLength) break;
      pending = pending.slice(end + 4 + bodyLength);
      queue.push([method, target]);
    }
    next();
  });
  socket.on('error', () => socket.destroy());
}

const socketPath = process.argv[2];
if (!socketPath) {
  process.stderr.write('usage: fake-engine.js SOCKET\n');
  process.exit(2);
}
rmSync(socketPath, { force: true });
// Build the big blocks before the first client connects, so no run pays for them.
list(1); list(100); list(1000);
logBlocks.set(16384, logBlock(16384));
logBlocks.set(128, logBlock(128));
const server = createServer({ noDelay: true }, serve);
server.listen(socketPath, () => process.stdout.write('ready\n'));
const stop = () => { server.close(); rmSync(socketPath, { force: true }); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
