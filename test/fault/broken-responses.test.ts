/**
 * An engine that breaks off or answers nonsense, at every stage of a response: each case ends in a typed error
 * within a bounded time, the client's connection is closed (nothing leaks, nothing hangs), and the next request on
 * the same client succeeds. (Cuts mid Content-Length body and mid multiplexed frame are in connection-errors.test.ts,
 * a cut mid JSON line in events-split.test.ts, the silent engine in timeouts.test.ts.)
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { ConnectionError, Docker, DockerError, ProtocolError, ServerError } from '../../src/index.js';
import { MAX_ERROR_BODY_BYTES } from '../../src/api/api-client.js';
import { countingConnector, type CountingConnector } from '../helpers/counting-connector.js';
import { jsonResponse, startFakeEngine, type FakeEngine } from '../helpers/fake-engine.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Longest any broken answer may take to turn into an error. */
const BOUND_MS = 2000;

/** One stdcopy frame. */
function frame(stream: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** A chunked HTTP chunk around `data`. */
function chunk(data: Buffer | string): Buffer {
  const bytes = Buffer.from(data);
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]);
}

const STREAM_HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nTransfer-Encoding: chunked\r\n\r\n';
const JSON_STREAM_HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';

/** What the fake engine does for a request naming `case` (the container name, or `?case=` for events). */
const answers: Record<string, (socket: Socket) => void> = {
  'before-status-line': (socket) => socket.end(),
  'destroyed-before-status-line': (socket) => socket.destroy(),
  'mid-status-line': (socket) => socket.end('HTTP/1.1 20'),
  'mid-headers': (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/js'),
  'mid-chunked-body': (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n{"Id":"a'),
  'mid-chunk-size': (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1'),
  'bad-status-line': (socket) => socket.write('HTTP/1.1 OK 200\r\nContent-Length: 2\r\n\r\n{}'),
  'not-http': (socket) => socket.write('SSH-2.0-OpenSSH_9.2\r\n\r\n'),
  'header-without-colon': (socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Type application/json\r\nContent-Length: 2\r\n\r\n{}'),
  'length-and-chunked': (socket) =>
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n'),
  'two-lengths': (socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 20\r\n\r\n{}'),
  'invalid-chunk-size': (socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'),
  'negative-chunk-size': (socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n-2\r\n{}\r\n0\r\n\r\n'),
  'huge-head': (socket) => {
    socket.write('HTTP/1.1 200 OK\r\n');
    // 70 KiB of headers, and the head never ends: the client must stop buffering at 64 KiB.
    for (let i = 0; i < 70; i++) socket.write(`X-Padding-${i}: ${'p'.repeat(1000)}\r\n`);
  },
  'not-json': (socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n<html>oh!'),
};

/** Streams (logs and events) that break part-way. */
const streamAnswers: Record<string, (socket: Socket) => void> = {
  'logs-unknown-stream-type': (socket) => socket.write(STREAM_HEAD + chunk(frame(1, 'ok\n')).toString('latin1') + chunk(frame(7, 'what?')).toString('latin1')),
  'logs-cut-mid-header': (socket) => {
    socket.write(STREAM_HEAD);
    socket.write(chunk(Buffer.concat([frame(1, 'ok\n'), frame(2, 'half').subarray(0, 5)])));
    setTimeout(() => socket.end(), 20);
  },
  'logs-cut-mid-chunk': (socket) => {
    socket.write(STREAM_HEAD);
    socket.write(chunk(frame(1, 'ok\n')));
    socket.write('10\r\n\x01\x00\x00');
    setTimeout(() => socket.destroy(), 20);
  },
  'events-not-json': (socket) => {
    socket.write(JSON_STREAM_HEAD);
    socket.write(chunk('{"Type":"container","Action":"start"}\n'));
    socket.write(chunk('{"Type":"container","Action":\n'));
  },
  'events-cut-mid-line': (socket) => {
    socket.write(JSON_STREAM_HEAD);
    socket.write(chunk('{"Type":"container","Action":"start"}\n{"Type":"conta'));
    setTimeout(() => socket.end(), 20);
  },
};

let engine: FakeEngine;
let docker: Docker;
let connector: CountingConnector;
let errorBodyBytesWritten = 0;

async function setup(): Promise<void> {
  if (engine) return;
  engine = await startFakeEngine((request, socket) => {
    const name = /\/containers\/([^/]+)\//.exec(request.target)?.[1] ?? /[?&]since=([^&]+)/.exec(request.target)?.[1] ?? '';
    const answer = answers[name] ?? streamAnswers[name];
    if (answer) { answer(socket); return; }
    if (name === 'huge-error') { sendHugeError(socket); return; }
    if (name === 'hijack-cut') { hijackThenCut(socket); return; }
    socket.write(jsonResponse(200, { Id: 'fine' }));
  });
  connector = countingConnector(engine.host);
  docker = new Docker({ host: engine.host, connector, apiVersion: '1.41' });
}
after(async () => {
  docker?.close();
  await engine?.close();
});

/** 100 MB of error body, written as fast as the client takes it; counts what the client let through. */
function sendHugeError(socket: Socket): void {
  const total = 100 * 1024 * 1024;
  const piece = Buffer.alloc(256 * 1024, 'e');
  socket.write(`HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: ${total}\r\n\r\n`);
  let sent = 0;
  const pump = () => {
    while (sent < total && !socket.destroyed) {
      sent += piece.length;
      errorBodyBytesWritten += piece.length;
      if (!socket.write(piece)) { socket.once('drain', pump); return; }
    }
  };
  pump();
}

/** A 101, one frame of output, then the connection cut in the middle of the next frame. */
function hijackThenCut(socket: Socket): void {
  socket.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
  socket.write(frame(1, 'hello\n'));
  setTimeout(() => socket.end(frame(1, 'never finished').subarray(0, 12)), 20);
}

/** Runs `action`, which must fail; returns the error and how long it took. */
async function failure(action: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await action().then(() => assert.fail('expected an error'), (e: unknown) => e);
  return { error, ms: Date.now() - started };
}

/**
 * After a failure: the client holds no connection (but one idle in the pool when the answer itself was complete,
 * `keepsConnection`), and a fresh request succeeds.
 */
async function assertRecovered(label: string, keepsConnection = false): Promise<void> {
  const allowed = keepsConnection ? 1 : 0;
  for (let i = 0; i < 100 && connector.open() > allowed; i++) await sleep(10);
  assert.equal(connector.open(), allowed, `${label}: the broken connection was closed`);
  assert.deepEqual(await docker.containers.inspect('fine'), { Id: 'fine' }, `${label}: the next request works`);
}

describe('the engine breaks off or answers nonsense', () => {
  const expected: Record<string, { type: new (...args: never[]) => DockerError; message: RegExp }> = {
    'before-status-line': { type: ConnectionError, message: /closed the connection before the response head/ },
    'destroyed-before-status-line': { type: ConnectionError, message: /closed the connection before the response head/ },
    'mid-status-line': { type: ConnectionError, message: /before the response head/ },
    'mid-headers': { type: ConnectionError, message: /before the response head/ },
    'mid-chunked-body': { type: ConnectionError, message: /middle of the response body/ },
    'mid-chunk-size': { type: ConnectionError, message: /middle of the response body/ },
    'bad-status-line': { type: ProtocolError, message: /Malformed status line "HTTP\/1.1 OK 200"/ },
    'not-http': { type: ProtocolError, message: /Malformed status line "SSH-2.0/ },
    'header-without-colon': { type: ProtocolError, message: /Malformed header line "Content-Type application\/json"/ },
    'length-and-chunked': { type: ProtocolError, message: /both Content-Length and Transfer-Encoding/ },
    'two-lengths': { type: ProtocolError, message: /Invalid Content-Length "2, 20"/ },
    'invalid-chunk-size': { type: ProtocolError, message: /Invalid chunk size "zz"/ },
    'negative-chunk-size': { type: ProtocolError, message: /Invalid chunk size "-2"/ },
    'huge-head': { type: ProtocolError, message: /larger than 64 KiB/ },
    'not-json': { type: ProtocolError, message: /invalid JSON/ },
  };
  for (const [name, { type, message }] of Object.entries(expected)) {
    it(`${name}: ${type.name}, and the next request works`, async () => {
      await setup();
      await docker.containers.inspect('fine'); // a warm pooled connection, as in real use
      const { error, ms } = await failure(() => docker.containers.inspect(name));
      assert.ok(error instanceof type, `${name}: ${String(error)}`);
      assert.match((error as Error).message, message);
      assert.ok(ms < BOUND_MS, `${name}: took ${ms} ms`);
      // Invalid JSON in a complete, well-framed answer: the connection itself is fine and goes back to the pool.
      await assertRecovered(name, name === 'not-json');
    });
  }
});

describe('streams that break part-way', () => {
  const logsCases: Record<string, { type: new (...args: never[]) => DockerError; message: RegExp }> = {
    'logs-unknown-stream-type': { type: ProtocolError, message: /Unknown stream 7/ },
    'logs-cut-mid-header': { type: ConnectionError, message: /middle of the response body/ },
    'logs-cut-mid-chunk': { type: ConnectionError, message: /middle of the response body/ },
  };
  for (const [name, { type, message }] of Object.entries(logsCases)) {
    it(`${name}: the frames before arrive, then ${type.name}`, async () => {
      await setup();
      const received: string[] = [];
      const { error, ms } = await failure(async () => {
        for await (const out of docker.containers.logs(name, { follow: true, stdout: true, stderr: true })) received.push(Buffer.from(out.data).toString());
      });
      assert.deepEqual(received, ['ok\n']);
      assert.ok(error instanceof type, `${name}: ${String(error)}`);
      assert.match((error as Error).message, message);
      assert.ok(ms < BOUND_MS, `${name}: took ${ms} ms`);
      await assertRecovered(name);
    });
  }

  const eventCases: Record<string, { type: new (...args: never[]) => DockerError; message: RegExp }> = {
    'events-not-json': { type: ProtocolError, message: /a line that is not JSON: \{"Type":"container","Action":$/ },
    'events-cut-mid-line': { type: ConnectionError, message: /middle of the response body/ },
  };
  for (const [name, { type, message }] of Object.entries(eventCases)) {
    it(`${name}: the events before arrive, then ${type.name}`, async () => {
      await setup();
      const actions: string[] = [];
      const { error, ms } = await failure(async () => {
        for await (const event of docker.system.events({ since: name })) actions.push(event.Action!);
      });
      assert.deepEqual(actions, ['start']);
      assert.ok(error instanceof type, `${name}: ${String(error)}`);
      assert.match((error as Error).message, message);
      assert.ok(ms < BOUND_MS, `${name}: took ${ms} ms`);
      await assertRecovered(name);
    });
  }

  it('a hijacked session cut inside a frame: the output before arrives, then a ProtocolError', async () => {
    await setup();
    const session = await docker.containers.attach('hijack-cut', { stream: true, stdout: true, stderr: true });
    const received: string[] = [];
    const { error, ms } = await failure(async () => {
      for await (const out of session) received.push(Buffer.from(out.data).toString());
    });
    // Payloads are passed on as they arrive, so the cut frame's first bytes came through before the error.
    assert.equal(received.join(''), 'hello\nneve');
    assert.ok(error instanceof ProtocolError, String(error));
    assert.match((error as Error).message, /ended inside a frame/);
    assert.ok(ms < BOUND_MS, `took ${ms} ms`);
    await assertRecovered('hijack-cut');
  });
});

describe('an error body of 100 MB', () => {
  it('is read up to 1 MiB: the error comes at once, the rest is never read, the connection is closed', async () => {
    await setup();
    const { error, ms } = await failure(() => docker.containers.inspect('huge-error'));
    assert.ok(error instanceof ServerError, String(error));
    assert.equal((error as Error).message.length, MAX_ERROR_BODY_BYTES);
    assert.ok(ms < BOUND_MS, `took ${ms} ms`);
    await assertRecovered('huge-error');
    // What the engine managed to write: the 1 MiB read, plus what the socket buffers held when it was closed.
    assert.ok(errorBodyBytesWritten < 16 * 1024 * 1024, `the engine wrote ${(errorBodyBytesWritten / 1048576).toFixed(1)} MiB`);
  });
});
