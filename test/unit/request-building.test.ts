/**
 * The exact requests Berth sends, as a fake engine receives them: the version prefix, path encoding,
 * query and body serialisation. Invalid path parameters never reach the wire.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Docker, InvalidArgumentError } from '../../src/index.js';
import { apiRequests, jsonResponse, startFakeEngine, type FakeEngine } from '../helpers/fake-engine.js';

let engine: FakeEngine;
let docker: Docker;

before(async () => {
  engine = await startFakeEngine((request, socket) => {
    if (request.target.includes('/start') || request.method === 'PUT' || request.method === 'DELETE') {
      socket.write('HTTP/1.1 204 No Content\r\n\r\n');
    } else {
      socket.write(jsonResponse(200, { Id: 'c0ffee', Warnings: [] }));
    }
  });
  docker = new Docker({ host: engine.host, apiVersion: '1.41' });
});
after(async () => {
  docker.close();
  await engine.close();
});
beforeEach(() => { engine.requests.length = 0; });

function only() {
  const requests = apiRequests(engine);
  assert.equal(requests.length, 1, 'one request');
  return requests[0]!;
}

describe('request line and headers', () => {
  it('sends GET /v1.41/... with the Host header the Docker CLI sends, and nothing else', async () => {
    await docker.containers.inspect('web');
    assert.equal(only().head, 'GET /v1.41/containers/web/json HTTP/1.1\r\nHost: api.moby.localhost');
  });

  it('sends Content-Length: 0 on a POST without a body', async () => {
    await docker.containers.start('web');
    assert.equal(only().head, 'POST /v1.41/containers/web/start HTTP/1.1\r\nHost: api.moby.localhost\r\nContent-Length: 0');
  });

  it('sends DELETE with its query', async () => {
    await docker.containers.remove('web', { force: true, v: false });
    assert.equal(only().head, 'DELETE /v1.41/containers/web?force=true&v=false HTTP/1.1\r\nHost: api.moby.localhost');
  });
});

describe('path parameters', () => {
  const cases: Array<[string, string]> = [
    ['a/b', 'a%2Fb'],
    ['x?all=1', 'x%3Fall%3D1'],
    ['x#frag', 'x%23frag'],
    ['50%', '50%25'],
    ['my container', 'my%20container'],
    ['registry:5000/busybox:local', 'registry%3A5000%2Fbusybox%3Alocal'],
    ['..a', '..a'],
  ];
  for (const [id, encoded] of cases) {
    it(`${JSON.stringify(id)} stays one path segment`, async () => {
      await docker.containers.inspect(id);
      const { target } = only();
      assert.equal(target, `/v1.41/containers/${encoded}/json`);
      assert.equal(decodeURIComponent(target.split('/')[3]!), id);
    });
  }

  for (const id of ['..', '.', '', 'a/../b', '../info', 'a/.', './a']) {
    it(`${JSON.stringify(id)} is rejected with InvalidArgumentError and nothing is sent`, async () => {
      const fresh = new Docker({ host: engine.host });
      const connectionsBefore = engine.connections();
      await assert.rejects(fresh.containers.inspect(id), InvalidArgumentError);
      await assert.rejects(fresh.containers.remove(id, { force: true }), InvalidArgumentError);
      await assert.rejects(fresh.containers.start(id), InvalidArgumentError);
      await assert.rejects(fresh.request('GET', '/containers/{id}/json', { pathParams: { id } }), InvalidArgumentError);
      assert.throws(() => fresh.containers.logs(id), InvalidArgumentError);
      // Not even the version negotiation's ping: the engine saw no connection at all.
      assert.equal(engine.connections(), connectionsBefore);
      assert.equal(engine.requests.length, 0);
      fresh.close();
    });
  }
});

describe('query serialisation', () => {
  it('filters as JSON, booleans and numbers as text, undefined left out', async () => {
    const filters = { label: ['berth.test=1', 'app=web'], status: ['running'] };
    await docker.containers.list({ all: true, limit: 5, size: undefined, filters });
    const url = new URL(only().target, 'http://x');
    assert.equal(url.pathname, '/v1.41/containers/json');
    assert.deepEqual([...url.searchParams.keys()], ['all', 'limit', 'filters']);
    assert.equal(url.searchParams.get('all'), 'true');
    assert.equal(url.searchParams.get('limit'), '5');
    assert.deepEqual(JSON.parse(url.searchParams.get('filters')!), filters);
    assert.equal(only().target, `/v1.41/containers/json?all=true&limit=5&filters=${encodeURIComponent(JSON.stringify(filters))}`);
  });

  it('false is sent, not dropped', async () => {
    await docker.containers.list({ all: false });
    assert.equal(only().target, '/v1.41/containers/json?all=false');
  });

  it('arrays as repeated keys', async () => {
    await docker.requestRaw('GET', '/images/get', { query: { names: ['busybox:local', 'alpine&x'] } }).then((r) => r.discard());
    assert.equal(only().target, '/v1.41/images/get?names=busybox%3Alocal&names=alpine%26x');
  });

  it('query values that look like syntax are encoded', async () => {
    await docker.containers.top('web', { ps_args: 'aux&x=1 #' });
    assert.equal(only().target, '/v1.41/containers/web/top?ps_args=aux%26x%3D1%20%23');
  });
});

describe('request splitting', () => {
  it('CR/LF in an ID or a query value is percent-encoded: one request line, no injected header', async () => {
    const evil = 'x HTTP/1.1\r\nX-Injected: 1\r\n\r\nGET /v1.41/info';
    await docker.containers.top(evil, { ps_args: evil });
    const request = only();
    assert.equal(request.head.split('\r\n').length, 2, request.head);
    assert.equal(request.headers.get('x-injected'), undefined);
    assert.ok(request.target.startsWith('/v1.41/containers/x%20HTTP%2F1.1%0D%0AX-Injected'), request.target);
  });
});

describe('bodies', () => {
  it('a JSON body with Content-Type and a Content-Length counted in bytes', async () => {
    const config = { Image: 'busybox:local', Cmd: ['echo', 'héllo ✓'], Labels: { 'berth.test': 'x' } };
    await docker.containers.create(config, { name: 'web' });
    const request = only();
    const text = JSON.stringify(config);
    assert.equal(request.head, `POST /v1.41/containers/create?name=web HTTP/1.1\r\nHost: api.moby.localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}`);
    assert.ok(Buffer.byteLength(text) > text.length, 'the fixture has multi-byte characters');
    assert.deepEqual(JSON.parse(request.body.toString('utf8')), config);
  });

  it('a large JSON body arrives whole', async () => {
    const Env = Array.from({ length: 5000 }, (_, i) => `VAR_${i}=${'v'.repeat(20)}`);
    await docker.containers.create({ Image: 'busybox:local', Env });
    assert.deepEqual(JSON.parse(only().body.toString('utf8')).Env, Env);
  });

  it('raw bytes with their content type and length', async () => {
    const tar = new Uint8Array(1024).fill(7);
    await docker.containers.putArchive('web', tar, { path: '/tmp' });
    const request = only();
    assert.equal(request.head, 'PUT /v1.41/containers/web/archive?path=%2Ftmp HTTP/1.1\r\nHost: api.moby.localhost\r\nContent-Type: application/x-tar\r\nContent-Length: 1024');
    assert.ok(request.body.equals(Buffer.from(tar)));
  });

  it('a streamed body is sent chunked, piece by piece', async () => {
    async function* pieces() {
      yield Buffer.from('hello');
      yield new Uint8Array(0); // an empty piece must not end the body early
      yield Buffer.from('x'.repeat(300));
    }
    await docker.containers.putArchive('web', pieces(), { path: '/tmp' });
    const request = only();
    assert.equal(request.head, 'PUT /v1.41/containers/web/archive?path=%2Ftmp HTTP/1.1\r\nHost: api.moby.localhost\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked');
    assert.equal(request.rawBody.toString('latin1'), `5\r\nhello\r\n12c\r\n${'x'.repeat(300)}\r\n0\r\n\r\n`);
  });
});
