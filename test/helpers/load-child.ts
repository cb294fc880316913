/**
 * The work of test/fault/load.test.ts, run in a child process with --expose-gc: prints one JSON line with the
 * counts and measurements. The fake engine runs in this process too, but its sockets are counted apart: only the
 * client's descriptors are compared.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { Docker } from '../../src/index.js';
import { countingConnector } from './counting-connector.js';
import { jsonResponse, startFakeEngine } from './fake-engine.js';

const REQUESTS = 10_000;
const CONCURRENCY = 64;
const STREAMS = 1_000;
const STREAM_CONCURRENCY = 32;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function openFds(): { fds: number; sockets: number } {
  const entries = readdirSync('/proc/self/fd');
  let sockets = 0;
  for (const fd of entries) {
    try { if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')) sockets++; } catch { /* closed meanwhile */ }
  }
  return { fds: entries.length, sockets };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc!();
  }
}

/** A stdcopy frame inside one HTTP chunk. */
function frameChunk(text: string): string {
  const header = Buffer.alloc(8);
  header[0] = 1;
  header.writeUInt32BE(text.length, 4);
  const frame = header.toString('latin1') + text;
  return `${frame.length.toString(16)}\r\n${frame}\r\n`;
}

const engine = await startFakeEngine((request, socket) => {
  if (!request.target.includes('/logs')) { socket.write(jsonResponse(200, { Id: 'x', Name: request.target })); return; }
  // 20 frames, one per millisecond or so, then the end: a stream a reader may leave, abort, or read to the end.
  socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nTransfer-Encoding: chunked\r\n\r\n');
  let sent = 0;
  const timer = setInterval(() => {
    if (socket.destroyed) { clearInterval(timer); return; }
    if (++sent > 20) { clearInterval(timer); socket.write('0\r\n\r\n'); return; }
    socket.write(frameChunk(`line ${sent}\n`));
  }, 1);
  socket.once('close', () => clearInterval(timer));
});

// Warm up module loading, JIT and the engine before the baseline is taken.
{
  const warm = new Docker({ host: engine.host, apiVersion: '1.41' });
  await Promise.all(Array.from({ length: 64 }, (_, i) => warm.containers.inspect(`warm${i}`)));
  for await (const _ of warm.containers.logs('warm', { follow: true, stdout: true })) break;
  warm.close();
}
engine.requests.length = 0;
await settle();
const before = openFds();
const heapBefore = process.memoryUsage().heapUsed;
const started = Date.now();

const connector = countingConnector(engine.host);
const docker = new Docker({ host: engine.host, connector, apiVersion: '1.41' });
let maxOpen = 0;
const watch = setInterval(() => { maxOpen = Math.max(maxOpen, connector.open()); }, 5);

let requests = 0;
let next = 0;
await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
  while (next < REQUESTS) {
    const i = next++;
    const answer = await docker.containers.inspect(`c${i}`);
    if (answer.Id !== 'x') throw new Error('wrong answer');
    requests++;
  }
}));

// A deterministic pseudo-random sequence, so a failure can be reproduced.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const outcomes: Record<string, number> = {};
let streams = 0;
let nextStream = 0;
await Promise.all(Array.from({ length: STREAM_CONCURRENCY }, async () => {
  while (nextStream < STREAMS) {
    nextStream++;
    const mode = random() < 0.4 ? 'abort' : random() < 0.67 ? 'break' : 'end';
    const stopAt = Math.floor(random() * 20);
    const controller = new AbortController();
    // Some aborts come from a timer, at a random moment, rather than from inside the loop.
    const timer = mode === 'abort' && stopAt % 2 === 0 ? setTimeout(() => controller.abort(new Error('timer')), Math.floor(random() * 15)) : undefined;
    let frames = 0;
    try {
      for await (const _ of docker.containers.logs('s', { follow: true, stdout: true }, { signal: controller.signal })) {
        frames++;
        if (mode === 'break' && frames > stopAt) break;
        if (mode === 'abort' && !timer && frames > stopAt) controller.abort(new Error('loop'));
      }
      outcomes[mode === 'end' ? 'end' : mode === 'break' ? 'break' : 'abort-too-late'] = (outcomes[mode === 'end' ? 'end' : mode === 'break' ? 'break' : 'abort-too-late'] ?? 0) + 1;
    } catch (error) {
      if (mode !== 'abort') throw error;
      outcomes.abort = (outcomes.abort ?? 0) + 1;
    } finally {
      clearTimeout(timer);
    }
    streams++;
  }
}));
clearInterval(watch);
const ms = Date.now() - started;

docker.close();
for (let i = 0; i < 100 && (connector.open() > 0 || engine.openConnections() > 0); i++) await new Promise((resolve) => setTimeout(resolve, 10));
const engineOpen = engine.openConnections();
// The fake engine keeps every request it received, for assertions; that is the engine's memory, not the client's.
engine.requests.length = 0;
await settle();
const after = openFds();
const heapAfter = process.memoryUsage().heapUsed;
await engine.close();

console.log(JSON.stringify({
  ms, requests, streams, streamOutcomes: outcomes,
  fdsBefore: before.fds, fdsAfter: after.fds, socketsBefore: before.sockets, socketsAfter: after.sockets,
  heapBefore, heapAfter, engineOpen, maxOpenDuringRun: maxOpen,
}));
