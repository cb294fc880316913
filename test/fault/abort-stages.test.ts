/**
 * A caller that aborts at the stages pool.test.ts and connection-errors.test.ts do not reach: while the API version
 * is being negotiated, while a request body is being uploaded, and inside a hijacked session. Each rejects with the
 * signal's reason at once, closes what it opened, and leaves the client usable.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Docker } from '../../src/index.js';
import { countingConnector, eventually } from '../helpers/counting-connector.js';
import { jsonResponse, startFakeEngine, type FakeEngine } from '../helpers/fake-engine.js';

const engines: FakeEngine[] = [];
const clients: Docker[] = [];
after(async () => {
  for (const docker of clients) docker.close();
  for (const engine of engines) await engine.close();
});

/** How long after the abort the call must have settled. */
const PROMPT_MS = 500;

async function client(engine: FakeEngine, apiVersion?: string) {
  const connector = countingConnector(engine.host);
  const docker = new Docker({ host: engine.host, connector, apiVersion });
  clients.push(docker);
  return { docker, connector };
}

/** Aborts `controller` after `ms`; resolves with the rejection and how long after the abort it came. */
async function abortAfter(ms: number, controller: AbortController, reason: Error, call: Promise<unknown>): Promise<number> {
  let abortedAt = 0;
  setTimeout(() => { abortedAt = Date.now(); controller.abort(reason); }, ms);
  await assert.rejects(call, (error) => error === reason);
  return Date.now() - abortedAt;
}

describe('aborting at every stage', () => {
  it('during the version negotiation (the engine never answers the ping)', async () => {
    let pingsAnswered = false;
    const engine = await startFakeEngine((request, socket) => {
      if (request.target.endsWith('/_ping')) {
        if (pingsAnswered) socket.write('HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK');
        return;
      }
      socket.write(jsonResponse(200, { Id: 'x' }));
    }, { handlePing: true });
    engines.push(engine);
    const { docker, connector } = await client(engine);
    const controller = new AbortController();
    const reason = new Error('gave up on the ping');
    const late = await abortAfter(50, controller, reason, docker.containers.inspect('a', {}, { signal: controller.signal }));
    assert.ok(late < PROMPT_MS, `settled ${late} ms after the abort`);
    // The negotiation other callers share goes on; closing the client ends it, and a failed negotiation is not
    // remembered: the next call negotiates afresh.
    pingsAnswered = true;
    docker.close();
    await eventually(() => connector.open() === 0, 'the silent ping connection is closed');
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(await docker.containers.inspect('b', {}, { timeout: 2000 }), { Id: 'x' });
  });

  it('while a request body is being uploaded: nothing more is read from the source, the connection is closed', async () => {
    const engine = await startFakeEngine(() => undefined); // never sees the end of the body, never answers
    engines.push(engine);
    const { docker, connector } = await client(engine, '1.41');
    let piecesRead = 0;
    let sourceClosed = false;
    async function* endlessTar() {
      try {
        for (;;) {
          piecesRead++;
          yield Buffer.alloc(16 * 1024, 1);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      } finally {
        sourceClosed = true;
      }
    }
    const controller = new AbortController();
    const reason = new Error('upload cancelled');
    const late = await abortAfter(100, controller, reason, docker.containers.putArchive('c', endlessTar(), { path: '/' }, { signal: controller.signal }));
    assert.ok(late < PROMPT_MS, `settled ${late} ms after the abort`);
    await eventually(() => connector.open() === 0, 'the upload connection is closed');
    const readAtAbort = piecesRead;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(piecesRead <= readAtAbort + 1, `the source was still read after the abort (${readAtAbort} → ${piecesRead})`);
    await eventually(() => sourceClosed, 'the body source was closed (its finally ran)');
  });

  it('inside a hijacked session: the output loop rejects with the reason, the connection is closed', async () => {
    let attachSocketClosed = false;
    const engine = await startFakeEngine((request, socket) => {
      if (!request.target.includes('/attach')) { socket.write(jsonResponse(200, { Id: 'c', Config: { Tty: true } })); return; }
      socket.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
      const timer = setInterval(() => socket.write('tick\n'), 20);
      socket.once('close', () => { clearInterval(timer); attachSocketClosed = true; });
    });
    engines.push(engine);
    const { docker } = await client(engine, '1.41');
    const controller = new AbortController();
    const reason = new Error('detached');
    const session = await docker.containers.attach('c', { stream: true, stdout: true }, { signal: controller.signal });
    let chunks = 0;
    await assert.rejects((async () => {
      for await (const _ of session) if (++chunks === 3) controller.abort(reason);
    })(), (error) => error === reason);
    await eventually(() => attachSocketClosed, 'the session connection is closed (the engine sees it close)');
    assert.deepEqual(await docker.containers.inspect('c'), { Id: 'c', Config: { Tty: true } });
  });
});

describe('waiting for the version negotiation', () => {
  /** An engine that never answers a ping, and answers anything else. */
  async function silentPingEngine(): Promise<FakeEngine> {
    const engine = await startFakeEngine((request, socket) => {
      if (!request.target.endsWith('/_ping')) socket.write(jsonResponse(200, { Id: 'x' }));
    }, { handlePing: true });
    engines.push(engine);
    return engine;
  }

  /** Resolves with how long `call` took to reject with a TimeoutError; fails if it takes longer than `limitMs`. */
  async function timesOutWithin(call: Promise<unknown>, limitMs: number): Promise<number> {
    const start = Date.now();
    const guard = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${limitMs} ms`)), limitMs).unref());
    await assert.rejects(Promise.race([call, guard]), (error: Error) => error.name === 'TimeoutError');
    return Date.now() - start;
  }

  it("a stream as the first call does not give the shared ping its `timeout: 0`: the client's head timeout applies", async () => {
    const engine = await silentPingEngine();
    const docker = new Docker({ host: engine.host, headersTimeout: 300 });
    clients.push(docker);
    // A stream sends `timeout: 0` (no head timeout) and starts the negotiation; an ordinary call waits for it too.
    const streaming = (async () => { for await (const _frame of docker.containers.logs('a', { stdout: true, follow: true })) break; })();
    const ordinary = docker.containers.inspect('b');
    await timesOutWithin(streaming, 3000);
    await timesOutWithin(ordinary, 3000);
  });

  it('a caller stops waiting at its own timeout, though the negotiation another call started goes on', async () => {
    const engine = await silentPingEngine();
    const docker = new Docker({ host: engine.host }); // the default head timeout: minutes
    clients.push(docker);
    const controller = new AbortController();
    const first = docker.containers.inspect('a', {}, { signal: controller.signal });
    first.catch(() => undefined);
    const waited = await timesOutWithin(docker.containers.inspect('b', {}, { timeout: 200 }), 3000);
    assert.ok(waited >= 150, `gave up after ${waited} ms, not before its timeout`);
    controller.abort(new Error('done'));
    await assert.rejects(first, /done/);
  });
});
