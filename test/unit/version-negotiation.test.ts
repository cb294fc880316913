/**
 * API version negotiation against a fake engine: HEAD /_ping (GET when HEAD is refused), the Api-Version
 * header, the client's own limits, pinned versions, and methods newer than the engine.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Docker, InvalidArgumentError, LATEST_API_VERSION, VersionError } from '../../src/index.js';
import { jsonResponse, startFakeEngine, type FakeEngine } from '../helpers/fake-engine.js';

const opened: Array<{ engine: FakeEngine; docker: Docker }> = [];
afterEach(async () => {
  for (const { engine, docker } of opened.splice(0)) {
    docker.close();
    await engine.close();
  }
});

/** A fake engine whose ping answers `pingHead` (status line and headers) to HEAD, and `getHead` to GET. */
async function engineWithPing(pingHead: string, getHead = pingHead, delay = 0) {
  const engine = await startFakeEngine((request, socket) => {
    if (request.target === '/_ping') {
      const answer = () => socket.write(request.method === 'HEAD' ? `${pingHead}\r\nContent-Length: 2\r\n\r\n` : `${getHead}\r\nContent-Length: 2\r\n\r\nOK`);
      if (delay) setTimeout(answer, delay); else answer();
      return;
    }
    socket.write(jsonResponse(200, { Id: 'abc' }));
  }, { handlePing: true });
  const docker = new Docker({ host: engine.host });
  opened.push({ engine, docker });
  return { engine, docker };
}

const lines = (engine: FakeEngine) => engine.requests.map((request) => `${request.method} ${request.target}`);

describe('version negotiation', () => {
  it('pings with HEAD /_ping (unversioned) and uses the engine\'s Api-Version', async () => {
    const { engine, docker } = await engineWithPing('HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nOSType: linux');
    await docker.containers.inspect('web');
    assert.deepEqual(lines(engine), ['HEAD /_ping', 'GET /v1.41/containers/web/json']);
    assert.equal(await docker.apiVersion(), '1.41');
  });

  for (const status of ['404 Not Found', '405 Method Not Allowed']) {
    it(`falls back to GET /_ping when HEAD answers ${status}`, async () => {
      const { engine, docker } = await engineWithPing(`HTTP/1.1 ${status}`, 'HTTP/1.1 200 OK\r\nApi-Version: 1.43');
      const ping = await docker.ping();
      assert.equal(ping.apiVersion, '1.43');
      await docker.containers.inspect('web');
      assert.deepEqual(lines(engine), ['HEAD /_ping', 'GET /_ping', 'GET /v1.43/containers/web/json']);
    });
  }

  it(`an engine newer than the client gets the client's newest version (${LATEST_API_VERSION})`, async () => {
    const { engine, docker } = await engineWithPing('HTTP/1.1 200 OK\r\nApi-Version: 1.60');
    await docker.containers.inspect('web');
    assert.equal(LATEST_API_VERSION, '1.56');
    assert.equal(engine.requests.at(-1)!.target, '/v1.56/containers/web/json');
  });

  it('an engine that names no version is spoken to as 1.24, as the Docker CLI does', async () => {
    const { engine, docker } = await engineWithPing('HTTP/1.1 200 OK\r\nServer: old');
    assert.equal(await docker.apiVersion(), '1.24');
    // Every operation of the spec needs 1.25 or newer: refused before it is sent.
    await assert.rejects(docker.containers.inspect('web'), VersionError);
    assert.deepEqual(lines(engine), ['HEAD /_ping']);
  });

  it('negotiates once for many concurrent calls', async () => {
    const { engine, docker } = await engineWithPing('HTTP/1.1 200 OK\r\nApi-Version: 1.41', undefined, 100);
    await Promise.all(Array.from({ length: 8 }, (_, i) => docker.containers.inspect(`c${i}`)));
    await docker.containers.inspect('later');
    assert.equal(lines(engine).filter((line) => line.endsWith('/_ping')).length, 1);
    assert.equal(engine.requests.length, 10);
  });

  it('one caller aborting during the shared negotiation does not fail the others', async () => {
    const { engine, docker } = await engineWithPing('HTTP/1.1 200 OK\r\nApi-Version: 1.41', undefined, 150);
    const controller = new AbortController();
    const reason = new Error('caller A gave up');
    const a = docker.containers.inspect('a', {}, { signal: controller.signal });
    const b = docker.containers.inspect('b');
    setTimeout(() => controller.abort(reason), 30);
    await assert.rejects(a, (error) => error === reason);
    assert.deepEqual(await b, { Id: 'abc' });
    assert.deepEqual(lines(engine), ['HEAD /_ping', 'GET /v1.41/containers/b/json']);
  });

  it('a call whose signal is already aborted sends nothing, not even the ping', async () => {
    const { engine, docker } = await engineWithPing('HTTP/1.1 200 OK\r\nApi-Version: 1.41');
    const reason = new Error('too late');
    await assert.rejects(docker.containers.inspect('a', {}, { signal: AbortSignal.abort(reason) }), (error) => error === reason);
    assert.equal(engine.connections(), 0);
  });

  it('a failed negotiation is tried again on the next call', async () => {
    let pings = 0;
    const engine = await startFakeEngine((request, socket) => {
      if (request.target === '/_ping') {
        if (++pings <= 2) socket.write('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n');
        else socket.write('HTTP/1.1 200 OK\r\nApi-Version: 1.42\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      socket.write(jsonResponse(200, {}));
    }, { handlePing: true });
    const docker = new Docker({ host: engine.host });
    opened.push({ engine, docker });
    await assert.rejects(docker.containers.inspect('web'));
    await docker.containers.inspect('web');
    assert.equal(engine.requests.at(-1)!.target, '/v1.42/containers/web/json');
  });
});

describe('pinned versions', () => {
  it('the apiVersion option: no ping, that version in every path', async () => {
    const { engine } = await engineWithPing('HTTP/1.1 200 OK\r\nApi-Version: 1.41');
    const docker = new Docker({ host: engine.host, apiVersion: '1.43' });
    opened.push({ engine: await startFakeEngine(() => undefined), docker });
    await docker.containers.inspect('web');
    assert.deepEqual(lines(engine), ['GET /v1.43/containers/web/json']);
  });

  it('DOCKER_API_VERSION in Docker.fromEnv: no ping, that version', async () => {
    const { engine } = await engineWithPing('HTTP/1.1 200 OK\r\nApi-Version: 1.41');
    const docker = Docker.fromEnv({ DOCKER_HOST: engine.host, DOCKER_API_VERSION: '1.43' });
    opened.push({ engine: await startFakeEngine(() => undefined), docker });
    await docker.containers.list();
    assert.deepEqual(lines(engine), ['GET /v1.43/containers/json']);
  });

  it('an invalid pinned version is rejected when the client is made', () => {
    assert.throws(() => new Docker({ host: 'unix:///nowhere.sock', apiVersion: '1.41/../../x' }), InvalidArgumentError);
    assert.throws(() => Docker.fromEnv({ DOCKER_HOST: 'unix:///nowhere.sock', DOCKER_API_VERSION: 'latest' }), InvalidArgumentError);
  });
});

describe('operations newer than the engine', () => {
  it('VersionError names both versions, and the request is never sent', async () => {
    const { engine, docker } = await engineWithPing('HTTP/1.1 200 OK\r\nApi-Version: 1.41');
    // PUT /volumes/{name} (VolumeUpdate) appeared in API 1.42.
    const error = await docker.request('PUT', '/volumes/{name}', { pathParams: { name: 'data' }, query: { version: 1 }, body: {} })
      .then(() => undefined, (caught: unknown) => caught);
    assert.ok(error instanceof VersionError, String(error));
    assert.equal(error.required, '1.42');
    assert.equal(error.current, '1.41');
    assert.match(error.message, /1\.42/);
    assert.match(error.message, /1\.41/);
    assert.deepEqual(lines(engine), ['HEAD /_ping']);
  });

  it('with a pinned version, nothing at all reaches the engine', async () => {
    const { engine } = await engineWithPing('HTTP/1.1 200 OK\r\nApi-Version: 1.41');
    const docker = new Docker({ host: engine.host, apiVersion: '1.41' });
    opened.push({ engine: await startFakeEngine(() => undefined), docker });
    await assert.rejects(docker.request('GET', '/images/{name}/attestations', { pathParams: { name: 'busybox' } }), VersionError);
    assert.equal(engine.connections(), 0);
  });
});
