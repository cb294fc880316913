/**
 * Timeouts: a response head that does not come fails with TimeoutError; a stream body that is merely
 * slow (an idle `logs -f`) never times out.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Docker, TimeoutError } from '../../src/index.js';
import { jsonResponse, startFakeEngine, type FakeEngine } from '../helpers/fake-engine.js';

let engine: FakeEngine;
const timers = new Set<NodeJS.Timeout>();
const later = (ms: number, action: () => void) => {
  const timer = setTimeout(() => { timers.delete(timer); action(); }, ms);
  timers.add(timer);
};

/** One stdout frame of the multiplexed format, as one HTTP chunk. */
function frameChunk(text: string): string {
  const header = Buffer.alloc(8);
  header[0] = 1;
  header.writeUInt32BE(text.length, 4);
  const frame = header.toString('latin1') + text;
  return `${frame.length.toString(16)}\r\n${frame}\r\n`;
}

before(async () => {
  engine = await startFakeEngine((request, socket) => {
    if (request.target.includes('/silent')) return; // never answers
    if (request.target.includes('/logs')) {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nTransfer-Encoding: chunked\r\n\r\n');
      for (let i = 1; i <= 8; i++) later(i * 100, () => socket.write(frameChunk(`line ${i}\n`)));
      later(900, () => socket.write('0\r\n\r\n'));
      return;
    }
    if (request.target.includes('/slow-body')) {
      const body = JSON.stringify({ Id: 'slow', Padding: 'x'.repeat(100) });
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
      for (let i = 0; i < 6; i++) later(i * 100, () => socket.write(body.slice(i * 20, i === 5 ? undefined : (i + 1) * 20)));
      return;
    }
    socket.write(jsonResponse(200, { Id: 'fast' }));
  });
});
after(async () => {
  for (const timer of timers) clearTimeout(timer);
  await engine.close();
});

describe('the response-head timeout', () => {
  it('fires when the engine does not answer (client option)', async () => {
    const docker = new Docker({ host: engine.host, apiVersion: '1.41', headersTimeout: 200 });
    const started = Date.now();
    await assert.rejects(docker.containers.inspect('silent'), (error: unknown) => error instanceof TimeoutError && /within 200 ms/.test(error.message));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 190 && elapsed < 2000, `${elapsed} ms`);
    // The connection that timed out is closed; the next call works.
    assert.deepEqual(await docker.containers.inspect('fast'), { Id: 'fast' });
    docker.close();
  });

  it('fires per call with the timeout option', async () => {
    const docker = new Docker({ host: engine.host, apiVersion: '1.41' });
    await assert.rejects(docker.containers.inspect('silent', {}, { timeout: 100 }), TimeoutError);
    docker.close();
  });

  it('does not limit how long a body takes once the head has come', async () => {
    const docker = new Docker({ host: engine.host, apiVersion: '1.41', headersTimeout: 150 });
    const started = Date.now();
    const answer = await docker.containers.inspect('slow-body');
    assert.equal(answer.Id, 'slow');
    assert.ok(Date.now() - started >= 450, 'the body took longer than the head timeout');
    docker.close();
  });
});

describe('streams have no idle timeout', () => {
  it('a logs stream with gaps longer than the head timeout delivers every frame', async () => {
    const docker = new Docker({ host: engine.host, apiVersion: '1.41', headersTimeout: 150 });
    const lines: string[] = [];
    for await (const frame of docker.containers.logs('web', { follow: true, stdout: true }, { timeout: 150 })) {
      lines.push(Buffer.from(frame.data).toString());
    }
    assert.deepEqual(lines, Array.from({ length: 8 }, (_, i) => `line ${i + 1}\n`));
    docker.close();
  });
});

describe('the opt-in idle timeout of streams', () => {
  /** A logs stream: one frame, then silence for `quietMs`, then one more frame and the end. */
  async function stallingEngine(quietMs: number): Promise<FakeEngine> {
    return startFakeEngine((request, socket) => {
      if (!request.target.includes('/logs')) { socket.write(jsonResponse(200, { Id: 'fast' })); return; }
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nTransfer-Encoding: chunked\r\n\r\n');
      socket.write(frameChunk('first\n'));
      later(quietMs, () => { if (!socket.destroyed) socket.write(frameChunk('second\n') + '0\r\n\r\n'); });
    });
  }

  it('fires when the stream stalls longer than asked: TimeoutError, the connection closed, the next call works', async () => {
    const stalling = await stallingEngine(1000);
    const docker = new Docker({ host: stalling.host, apiVersion: '1.41' });
    try {
      const lines: string[] = [];
      const started = Date.now();
      await assert.rejects((async () => {
        for await (const frame of docker.containers.logs('web', { follow: true, stdout: true }, { idleTimeout: 200 })) lines.push(Buffer.from(frame.data).toString());
      })(), (error: unknown) => error instanceof TimeoutError && /nothing for 200 ms/.test(error.message));
      const elapsed = Date.now() - started;
      assert.deepEqual(lines, ['first\n']);
      assert.ok(elapsed >= 190 && elapsed < 900, `${elapsed} ms`);
      for (let i = 0; i < 100 && stalling.openConnections() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(stalling.openConnections(), 0, 'the stalled connection was closed');
      assert.deepEqual(await docker.containers.inspect('x'), { Id: 'fast' });
    } finally {
      docker.close();
      await stalling.close();
    }
  });

  it('without it, a stall of 600 ms (three times a short head timeout) fires nothing', async () => {
    const stalling = await stallingEngine(600);
    const docker = new Docker({ host: stalling.host, apiVersion: '1.41', headersTimeout: 200 });
    try {
      const lines: string[] = [];
      for await (const frame of docker.containers.logs('web', { follow: true, stdout: true })) lines.push(Buffer.from(frame.data).toString());
      assert.deepEqual(lines, ['first\n', 'second\n']);
    } finally {
      docker.close();
      await stalling.close();
    }
  });

  it('a slow reader does not trip it: only time spent waiting for the engine counts', async () => {
    const docker = new Docker({ host: engine.host, apiVersion: '1.41' });
    const lines: string[] = [];
    // The engine sends a frame every 100 ms; the reader takes 300 ms per frame, longer than the idle timeout.
    for await (const frame of docker.containers.logs('web', { follow: true, stdout: true }, { idleTimeout: 250 })) {
      lines.push(Buffer.from(frame.data).toString());
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (lines.length === 3) break;
    }
    assert.deepEqual(lines, ['line 1\n', 'line 2\n', 'line 3\n']);
    docker.close();
  });
});
