/**
 * Faults a real engine does not produce on demand: event messages cut across chunks (even inside a UTF-8
 * character), several in one chunk, a stream cut in the middle of a message; and hijacked answers that are
 * a `200` instead of a `101`.
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { ConnectionError, Docker, type EventMessage } from '../../src/index.js';
import { jsonResponse, startFakeEngine, type FakeEngine } from '../helpers/fake-engine.js';

const engines: FakeEngine[] = [];
after(async () => { for (const engine of engines) await engine.close(); });

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes the pieces as separate chunks of a chunked body, with a pause between them so they arrive apart. */
async function writeChunked(socket: Socket, pieces: string[], end = true): Promise<void> {
  socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
  for (const piece of pieces) {
    const bytes = Buffer.from(piece, 'utf8');
    socket.write(`${bytes.length.toString(16)}\r\n`);
    socket.write(Buffer.concat([bytes, Buffer.from('\r\n')]));
    await delay(5);
  }
  if (end) socket.write('0\r\n\r\n');
}

const messages: EventMessage[] = [
  { Type: 'container', Action: 'create', Actor: { ID: 'a1', Attributes: { name: 'café-☕' } }, time: 1, timeNano: 1e9 },
  { Type: 'container', Action: 'start', Actor: { ID: 'a1', Attributes: {} }, time: 2, timeNano: 2e9 },
  { Type: 'network', Action: 'connect', Actor: { ID: 'n1', Attributes: { container: 'a1' } }, time: 2, timeNano: 2e9 + 1 },
  { Type: 'container', Action: 'die', Actor: { ID: 'a1', Attributes: { exitCode: '0' } }, time: 3, timeNano: 3e9 },
];
const wire = messages.map((message) => JSON.stringify(message) + '\n').join('');

async function eventsFrom(pieces: string[], end = true): Promise<EventMessage[]> {
  const engine = await startFakeEngine((request, socket) => {
    if (request.target.includes('/events')) void writeChunked(socket, pieces, end).then(() => { if (!end) socket.destroy(); });
  });
  engines.push(engine);
  const docker = new Docker({ host: engine.host });
  const seen: EventMessage[] = [];
  try {
    for await (const event of docker.system.events()) seen.push(event);
  } finally {
    docker.close();
  }
  return seen;
}

describe('events from a stream cut anywhere', () => {
  it('decodes messages split at every byte boundary', async () => {
    const bytes = Buffer.from(wire, 'utf8');
    // Every split point of the first two messages, including inside the multi-byte characters.
    const firstTwo = Buffer.byteLength(JSON.stringify(messages[0]) + '\n' + JSON.stringify(messages[1]) + '\n');
    for (let at = 1; at < firstTwo; at += 7) {
      const pieces = [bytes.subarray(0, at), bytes.subarray(at)].map((piece) => piece.toString('latin1'));
      const engine = await startFakeEngine((request, socket) => {
        if (!request.target.includes('/events')) return;
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
        void (async () => {
          for (const piece of pieces) {
            const raw = Buffer.from(piece, 'latin1');
            socket.write(`${raw.length.toString(16)}\r\n`);
            socket.write(Buffer.concat([raw, Buffer.from('\r\n')]));
            await delay(2);
          }
          socket.write('0\r\n\r\n');
        })();
      });
      const docker = new Docker({ host: engine.host });
      const seen: EventMessage[] = [];
      for await (const event of docker.system.events()) seen.push(event);
      docker.close();
      await engine.close();
      assert.deepEqual(seen, messages, `split at byte ${at}`);
    }
  });

  it('decodes several messages in one chunk, and one message over many chunks', async () => {
    assert.deepEqual(await eventsFrom([wire]), messages);
    assert.deepEqual(await eventsFrom(wire.match(/[\s\S]{1,3}/g) ?? []), messages);
  });

  it('ends when the engine ends the stream, with the last message complete', async () => {
    assert.deepEqual(await eventsFrom([wire.slice(0, 20), wire.slice(20)]), messages);
  });

  it('fails with a ConnectionError when the engine cuts the connection inside a message', async () => {
    await assert.rejects(eventsFrom([wire.slice(0, wire.length - 10)], false), ConnectionError);
  });
});

describe('hijacked answers', () => {
  it('accepts a 200 with the raw stream instead of a 101, and still half-closes stdin', async () => {
    let received = '';
    const engine = await startFakeEngine((request, socket) => {
      if (request.target.includes('/json')) {
        socket.write(jsonResponse(200, { Id: 'c1', Config: { Tty: false } }));
        return;
      }
      if (!request.target.includes('/attach')) return;
      // Like dockerd, keep writing after the client's half-close.
      socket.allowHalfOpen = true;
      assert.equal(request.headers.get('upgrade'), 'tcp');
      // A 200 without length: the raw (here multiplexed) stream follows on the same connection.
      const frame = (stream: number, text: string) => {
        const payload = Buffer.from(text);
        const header = Buffer.alloc(8);
        header[0] = stream;
        header.writeUInt32BE(payload.length, 4);
        return Buffer.concat([header, payload]);
      };
      socket.write(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n'), frame(1, 'hello ')]));
      socket.on('data', (chunk) => { received += chunk.toString(); });
      // The engine answers the end of stdin: what was read, then closes.
      socket.on('end', () => {
        socket.end(Buffer.concat([frame(1, `got ${received}`), frame(2, 'bye')]));
      });
    });
    engines.push(engine);
    const docker = new Docker({ host: engine.host });
    try {
      const session = await docker.containers.attach('c1', { stream: true, stdin: true, stdout: true, stderr: true });
      assert.equal(session.tty, false, 'the container inspect decided: multiplexed');
      const out: Record<string, string> = {};
      const reading = (async () => { for await (const frame of session) out[frame.stream] = (out[frame.stream] ?? '') + Buffer.from(frame.data).toString(); })();
      await session.stdin.writeAll('input');
      await reading;
      assert.deepEqual(out, { stdout: 'hello got input', stderr: 'bye' });
    } finally {
      docker.close();
    }
  });
});
