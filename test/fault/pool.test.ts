/**
 * The keep-alive pool: connections are reused, freed when a call is aborted or a loop is left early, never
 * reused once the engine closed them, and never keep the process alive while idle.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { Docker } from '../../src/index.js';
import type { Connector } from '../../src/index.js';
import { unixConnector } from '../../src/transport/socket-connector.js';
import { jsonResponse, startFakeEngine, type FakeEngine, type FakeHandler } from '../helpers/fake-engine.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const engines: FakeEngine[] = [];
const clients: Docker[] = [];
after(async () => {
  for (const docker of clients) docker.close();
  for (const engine of engines) await engine.close();
});

/** A connector that counts the connections the client holds open. */
function countingConnector(engine: FakeEngine): Connector & { open: () => number } {
  const inner = unixConnector(engine.host, engine.socketPath);
  let open = 0;
  return {
    endpoint: engine.host,
    open: () => open,
    async connect(options) {
      const stream = await inner.connect(options);
      open++;
      stream.once('close', () => { open--; });
      return stream;
    },
  };
}

/** An engine whose answers `handler` scripts, and a client on it that counts its open connections. */
async function setup(handler: FakeHandler) {
  const engine = await startFakeEngine(handler);
  engines.push(engine);
  const connector = countingConnector(engine);
  const docker = new Docker({ host: engine.host, connector, apiVersion: '1.41' });
  clients.push(docker);
  return { engine, docker, open: connector.open };
}

/** Waits until `check` holds (socket closes are reported asynchronously), or fails after 2 s. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await sleep(10);
  assert.ok(check(), what);
}

const ok = (socket: Socket) => socket.write(jsonResponse(200, { Id: 'x' }));

/** A logs stream that sends one frame every 20 ms until the client leaves. */
function streamForever(socket: Socket): void {
  socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nTransfer-Encoding: chunked\r\n\r\n');
  const timer = setInterval(() => socket.write('b\r\n\x01\x00\x00\x00\x00\x00\x00\x03hi\n\r\n'), 20);
  socket.once('close', () => clearInterval(timer));
  socket.write('b\r\n\x01\x00\x00\x00\x00\x00\x00\x03hi\n\r\n');
}

describe('keep-alive reuse', () => {
  it('10 sequential requests use one connection', async () => {
    const { engine, docker, open } = await setup((_r, socket) => ok(socket));
    for (let i = 0; i < 10; i++) await docker.containers.inspect(`c${i}`);
    assert.equal(engine.connections(), 1);
    assert.equal(open(), 1);
  });

  it('16 in parallel use at most 16 connections, all reused by the next 16', async () => {
    const { engine, docker } = await setup((_r, socket) => setTimeout(() => ok(socket), 20));
    await Promise.all(Array.from({ length: 16 }, (_, i) => docker.containers.inspect(`c${i}`)));
    const first = engine.connections();
    assert.ok(first >= 1 && first <= 16, `${first} connections`);
    await Promise.all(Array.from({ length: 16 }, (_, i) => docker.containers.inspect(`d${i}`)));
    assert.equal(engine.connections(), first, 'no new connection for the second round');
  });

  it('a connection the engine closed while idle is not reused; the next request succeeds', async () => {
    const { engine, docker, open } = await setup((_r, socket) => {
      ok(socket);
      setTimeout(() => socket.end(), 20); // the engine's own idle timeout
    });
    await docker.containers.inspect('a');
    await eventually(() => open() === 0, 'the client noticed the close');
    assert.deepEqual(await docker.containers.inspect('b'), { Id: 'x' });
    assert.equal(engine.connections(), 2);
  });

  it('a GET on a connection the engine closes just as it is reused is sent again on a new one', async () => {
    let served = 0;
    const { engine, docker } = await setup((_r, socket) => {
      served++;
      ok(socket);
      socket.end(); // keep-alive promised, closed at once: the client may already be reusing it
    });
    for (let i = 0; i < 5; i++) assert.deepEqual(await docker.containers.inspect(`c${i}`), { Id: 'x' });
    // Each GET that met a closed connection was sent once more, on a new connection, and no more.
    assert.ok(served >= 5 && served <= 9, `${served} requests served`);
    assert.equal(engine.connections(), 5, 'one connection per call: the closed one, then a fresh one for the retry');
  });
});

describe('freeing connections', () => {
  it('an already aborted signal: rejected with its reason, nothing sent, the idle connection kept', async () => {
    const { engine, docker, open } = await setup((_r, socket) => ok(socket));
    await docker.containers.inspect('warm');
    const reason = new Error('cancelled by the user');
    await assert.rejects(docker.containers.inspect('x', {}, { signal: AbortSignal.abort(reason) }), (error) => error === reason);
    assert.equal(engine.requests.length, 1);
    await docker.containers.inspect('again');
    assert.equal(engine.connections(), 1, 'the pooled connection was not lost');
    assert.equal(open(), 1);
  });

  it('abort while waiting for the head: rejected with the reason, the connection closed', async () => {
    const { engine, docker, open } = await setup((request, socket) => {
      if (!request.target.includes('hang')) ok(socket);
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop waiting')), 50);
    await assert.rejects(docker.containers.inspect('hang', {}, { signal: controller.signal }), /stop waiting/);
    await eventually(() => open() === 0 && engine.openConnections() === 0, 'connection closed on both sides');
    assert.deepEqual(await docker.containers.inspect('next'), { Id: 'x' });
  });

  it('abort while reading the body: rejected with the reason, the connection closed', async () => {
    const { engine, docker, open } = await setup((_r, socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"Id":');
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('enough')), 50);
    await assert.rejects(docker.containers.inspect('x', {}, { signal: controller.signal }), /enough/);
    await eventually(() => open() === 0 && engine.openConnections() === 0, 'connection closed on both sides');
  });

  it('abort during a stream: the loop rejects with the reason and the connection is closed', async () => {
    const { engine, docker, open } = await setup((_r, socket) => streamForever(socket));
    const controller = new AbortController();
    const reason = new Error('user pressed ^C');
    let frames = 0;
    await assert.rejects((async () => {
      for await (const _ of docker.containers.logs('x', { follow: true, stdout: true }, { signal: controller.signal })) {
        if (++frames === 3) controller.abort(reason);
      }
    })(), (error) => error === reason);
    assert.equal(frames, 3);
    await eventually(() => open() === 0 && engine.openConnections() === 0, 'connection closed on both sides');
  });

  it('docker.close() during a stream ends the loop with an error, not a hang', async () => {
    const { engine, docker, open } = await setup((_r, socket) => streamForever(socket));
    let frames = 0;
    await assert.rejects((async () => {
      for await (const _ of docker.containers.logs('x', { follow: true, stdout: true })) {
        if (++frames === 2) docker.close();
      }
    })(), /the client closed the connection/);
    await eventually(() => open() === 0 && engine.openConnections() === 0, 'connection closed on both sides');
  });

  it('leaving a for await early closes that connection', async () => {
    const { engine, docker, open } = await setup((_r, socket) => streamForever(socket));
    let frames = 0;
    for await (const _ of docker.containers.logs('x', { follow: true, stdout: true })) {
      if (++frames === 2) break;
    }
    await eventually(() => open() === 0 && engine.openConnections() === 0, 'connection closed on both sides');
  });
});

describe('back-pressure', () => {
  it('50 MB to a slow reader: every byte arrives, memory stays bounded, the engine is made to wait', async (t) => {
    const total = 50 * 1024 * 1024;
    const piece = Buffer.alloc(64 * 1024, 'x');
    let engineWaited = 0;
    const { docker } = await setup((_r, socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nContent-Length: ${total}\r\n\r\n`);
      let sent = 0;
      const pump = () => {
        while (sent < total) {
          sent += piece.length;
          if (!socket.write(piece)) {
            engineWaited++;
            socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = 0;
    let received = 0;
    let chunks = 0;
    for await (const chunk of docker.containers.export('x')) {
      received += chunk.length;
      if (++chunks % 16 === 0) {
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
        await sleep(1);
      }
    }
    t.diagnostic(`peak ${(peak / 1048576).toFixed(1)} MB above the baseline; the engine waited for drain ${engineWaited} times`);
    assert.equal(received, total);
    assert.ok(engineWaited > 10, `the engine had to wait for the reader ${engineWaited} times`);
    // Without back-pressure all 50 MB would sit in memory; what remains is mostly garbage not yet collected.
    assert.ok(peak < 40 * 1024 * 1024, `peak ${(peak / 1048576).toFixed(1)} MB above the baseline`);
  });
});

describe('process exit', () => {
  it('idle pooled connections do not keep the process alive', async () => {
    const engine = await startFakeEngine((request, socket) => {
      if (request.target.includes('/logs')) streamForever(socket);
      else ok(socket);
    });
    engines.push(engine);
    const index = fileURLToPath(new URL('../../src/index.js', import.meta.url));
    const script = `
      import { Docker } from ${JSON.stringify(index)};
      const docker = new Docker({ host: ${JSON.stringify(engine.host)} });
      await docker.containers.inspect('x');
      for await (const frame of docker.containers.logs('x', { follow: true, stdout: true })) break;
      await docker.containers.inspect('y');
      console.log('done');
    `;
    const started = Date.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (data) => { output += data; });
    child.stderr.on('data', (data) => { output += data; });
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    const code = await new Promise((resolve) => child.on('exit', (exitCode, signal) => resolve(exitCode ?? signal)));
    clearTimeout(killer);
    assert.equal(output.trim(), 'done');
    assert.equal(code, 0, `the child exited by itself (${code}) after ${Date.now() - started} ms`);
    assert.ok(engine.openConnections() >= 0);
    assert.equal(engine.requests.filter((r) => !r.target.endsWith('/_ping')).length, 3);
  });
});
