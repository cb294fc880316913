/**
 * Streamed request bodies (archive uploads, image loads, build contexts): a slow upload is not a slow
 * engine, and an engine that answers before the upload is done must not get the next request inside it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Docker, DockerError, NotFoundError } from '../../src/index.js';
import { startFakeEngine } from '../helpers/fake-engine.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const dir = mkdtempSync(join(tmpdir(), 'berth-bodies-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A tar upload that trickles: `count` pieces, `gap` ms apart. */
async function* trickle(count: number, gap: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < count; i++) {
    await sleep(gap);
    yield Buffer.alloc(512, i);
  }
}

describe('streamed request bodies', () => {
  it('the head timeout counts from the end of the upload, not from its start', async () => {
    const engine = await startFakeEngine((_request, socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
    const docker = new Docker({ host: engine.host, apiVersion: '1.41', headersTimeout: 200 });
    try {
      await docker.containers.putArchive('web', trickle(8, 60), { path: '/tmp' });
      const [request] = engine.requests;
      assert.equal(request?.body.length, 8 * 512);
    } finally {
      docker.close();
      await engine.close();
    }
  });

  it('an answer before the upload ends: the next request never goes inside the unfinished body', async () => {
    const socketPath = join(dir, 'early.sock');
    let connections = 0;
    let headInsideBody = false;
    const server = createServer((socket: Socket) => {
      connections++;
      socket.on('error', () => undefined);
      let seen = '';
      let answeredPut = false;
      socket.on('data', (chunk: Buffer) => {
        seen += chunk.toString('latin1');
        if (!answeredPut && seen.includes('PUT ') && seen.includes('\r\n\r\n')) {
          answeredPut = true;
          // Like dockerd for a missing container: the answer comes at once, the body is not waited for.
          const body = '{"message":"No such container: gone"}';
          socket.write(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
          seen = seen.slice(seen.indexOf('\r\n\r\n') + 4);
          return;
        }
        if (answeredPut) {
          const bodyEnd = seen.indexOf('0\r\n\r\n');
          const nextHead = seen.indexOf('GET ');
          if (nextHead >= 0 && (bodyEnd < 0 || nextHead < bodyEnd)) headInsideBody = true;
        }
        if (seen.includes('GET /v1.41/containers/next/json')) {
          socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}');
          seen = '';
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    const docker = new Docker({ host: `unix://${socketPath}`, apiVersion: '1.41' });
    try {
      await assert.rejects(docker.containers.putArchive('gone', trickle(10, 30), { path: '/tmp' }), NotFoundError);
      assert.deepEqual(await docker.containers.inspect('next'), {});
      await sleep(400); // let the upload's last pieces reach the engine (if they are still being sent)
      assert.equal(headInsideBody, false, 'a request head was written inside the unfinished chunked body');
      assert.equal(connections, 2, 'the connection with the unfinished upload was not reused');
    } finally {
      docker.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  for (const kind of ['bytes', 'stream'] as const) {
    it(`the engine hangs up during a large upload (${kind}): an error, not a hang`, async () => {
      const socketPath = join(dir, `hangup-${kind}.sock`);
      const server = createServer((socket: Socket) => {
        socket.on('error', () => undefined);
        socket.once('data', () => setTimeout(() => socket.destroy(), 20));
      });
      await new Promise<void>((resolve) => server.listen(socketPath, resolve));
      const docker = new Docker({ host: `unix://${socketPath}`, apiVersion: '1.41' });
      const big = Buffer.alloc(32 * 1024 * 1024, 1);
      async function* pieces() { for (let at = 0; at < big.length; at += 65_536) yield big.subarray(at, at + 65_536); }
      try {
        const error = await docker.containers.putArchive('web', kind === 'bytes' ? big : pieces(), { path: '/tmp' })
          .then(() => undefined, (caught: unknown) => caught);
        assert.ok(error instanceof DockerError, String(error));
        assert.ok(error.code === 'CONNECTION' || error.code === 'PROTOCOL', error.code);
      } finally {
        docker.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  }

  it('aborting an upload rejects with the reason at once and closes the body source', async () => {
    const engine = await startFakeEngine((_request, socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
    const docker = new Docker({ host: engine.host, apiVersion: '1.41' });
    let sourceClosed = false;
    async function* endless() {
      try {
        for (;;) {
          await sleep(20);
          yield Buffer.alloc(1024);
        }
      } finally {
        sourceClosed = true; // where a file handle would be closed
      }
    }
    const controller = new AbortController();
    const reason = new Error('upload cancelled');
    setTimeout(() => controller.abort(reason), 100);
    try {
      const started = Date.now();
      await assert.rejects(docker.containers.putArchive('web', endless(), { path: '/tmp' }, { signal: controller.signal }), (error) => error === reason);
      assert.ok(Date.now() - started < 1000);
      await sleep(60);
      assert.equal(sourceClosed, true, 'the body source was closed');
    } finally {
      docker.close();
      await engine.close();
    }
  });

  it('a body source that throws fails the call with its error', async () => {
    const engine = await startFakeEngine((_request, socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
    const docker = new Docker({ host: engine.host, apiVersion: '1.41' });
    const failure = new Error('disk read failed');
    async function* broken() {
      yield Buffer.from('first piece');
      throw failure;
    }
    try {
      await assert.rejects(docker.containers.putArchive('web', broken(), { path: '/tmp' }), (error) => error === failure);
      // The client goes on working on a fresh connection.
      await docker.containers.putArchive('web', Buffer.from('x'), { path: '/tmp' });
    } finally {
      docker.close();
      await engine.close();
    }
  });
});
