/**
 * Engines that cannot be reached, and connections that break: each ends in an error that says what
 * happened, never in a hang.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConnectionError, Docker, ProtocolError, TimeoutError } from '../../src/index.js';
import { describeSocketError, SocketConnector } from '../../src/transport/socket-connector.js';
import { startFakeEngine, type FakeEngine } from '../helpers/fake-engine.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-conn-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => assert.fail('expected a rejection'), (error: unknown) => error);
}

describe('unreachable engines', () => {
  it('a missing socket: ConnectionError naming the endpoint, asking whether the daemon runs', async () => {
    const host = `unix://${join(dir, 'missing.sock')}`;
    const docker = new Docker({ host });
    const error = await caught(docker.ping());
    assert.ok(error instanceof ConnectionError, String(error));
    assert.equal(error.code, 'CONNECTION');
    assert.equal(error.endpoint, host);
    assert.match(error.message, new RegExp(`^Cannot connect to the Docker daemon at ${host}: no such socket\\. Is the docker daemon running\\?$`));
    docker.close();
  });

  it('a socket path that is a plain file: ConnectionError', async () => {
    const path = join(dir, 'not-a-socket');
    writeFileSync(path, '');
    const error = await caught(new Docker({ host: `unix://${path}` }).ping());
    assert.ok(error instanceof ConnectionError, String(error));
    assert.match(error.message, /not-a-socket/);
  });

  it('EACCES and EPERM: the hint is about the permissions on the socket', () => {
    // Tests run as root, which may open any socket; the mapping itself is what users see.
    for (const code of ['EACCES', 'EPERM']) {
      const cause = Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code });
      const error = describeSocketError('unix:///var/run/docker.sock', cause);
      assert.ok(error instanceof ConnectionError);
      assert.match(error.message, /permission denied/);
      assert.match(error.hint, /docker" group/);
      assert.equal(error.cause, cause);
    }
  });

  it('connection refused on TCP', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const docker = new Docker({ host: `tcp://127.0.0.1:${port}` });
    const error = await caught(docker.version());
    assert.ok(error instanceof ConnectionError, String(error));
    assert.match(error.message, new RegExp(`tcp://127\\.0\\.0\\.1:${port}: connection refused`));
  });

  it('a connect that never completes times out with TimeoutError', async () => {
    // A socket that is never connected: neither 'connect' nor 'error' ever comes.
    const connector = new SocketConnector('tcp://blackhole:2375', () => new Socket());
    const docker = new Docker({ connector, connectTimeout: 150 });
    const started = Date.now();
    const error = await caught(docker.ping());
    assert.ok(error instanceof TimeoutError, String(error));
    assert.match(error.message, /150 ms/);
    assert.ok(Date.now() - started < 2000);
  });

  it('aborting a connect that never completes rejects with the reason', async () => {
    const connector = new SocketConnector('tcp://blackhole:2375', () => new Socket());
    const docker = new Docker({ connector, connectTimeout: 0 });
    const reason = new Error('user gave up');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 50);
    assert.equal(await caught(docker.ping({ signal: controller.signal })), reason);
  });
});

describe('connections that break', () => {
  let engine: FakeEngine;
  after(async () => engine?.close());

  it('cut in the middle of a Content-Length body: ConnectionError, not a hang', async () => {
    engine = await startFakeEngine((_request, socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"Id":"abc", "Na');
      setTimeout(() => socket.destroy(), 20);
    });
    const docker = new Docker({ host: engine.host, apiVersion: '1.41' });
    const error = await caught(docker.containers.inspect('web'));
    assert.ok(error instanceof ConnectionError, String(error));
    assert.match(error.message, /middle of the response body/);
    docker.close();
    await engine.close();
  });

  it('cut in the middle of a streamed body: the for await loop throws, not hangs', async () => {
    engine = await startFakeEngine((_request, socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nTransfer-Encoding: chunked\r\n\r\n');
      socket.write('b\r\n\x01\x00\x00\x00\x00\x00\x00\x03hi\n\r\n');
      setTimeout(() => socket.write('5\r\n\x01\x00\x00'), 20);
      setTimeout(() => socket.destroy(), 40);
    });
    const docker = new Docker({ host: engine.host, apiVersion: '1.41' });
    const received: string[] = [];
    const error = await caught((async () => {
      for await (const frame of docker.containers.logs('web', { follow: true, stdout: true })) received.push(Buffer.from(frame.data).toString());
    })());
    assert.deepEqual(received, ['hi\n']);
    assert.ok(error instanceof ConnectionError, String(error));
    docker.close();
    await engine.close();
  });

  it('the engine closes before answering: an error, and the next request works', async () => {
    let calls = 0;
    engine = await startFakeEngine((_request, socket) => {
      if (++calls === 1) socket.destroy();
      else socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}');
    });
    const docker = new Docker({ host: engine.host, apiVersion: '1.41' });
    // A POST is never sent twice: the failure is reported.
    const error = await caught(docker.containers.start('web'));
    assert.ok(error instanceof ProtocolError || error instanceof ConnectionError, String(error));
    assert.deepEqual(await docker.containers.inspect('web'), {});
    docker.close();
    await engine.close();
  });
});
