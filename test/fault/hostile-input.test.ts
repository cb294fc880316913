/**
 * Hostile input: IDs and names, header values and query options that try to step out of their place in the
 * request. Each is encoded into its own place or refused before a byte reaches the socket; the fake engine
 * records exactly what arrived, so "refused" means it received nothing at all.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Docker, InvalidArgumentError, ProtocolError } from '../../src/index.js';
import { ApiClient } from '../../src/api/api-client.js';
import { HttpClient } from '../../src/transport/http-client.js';
import { countingConnector, type CountingConnector } from '../helpers/counting-connector.js';
import { apiRequests, jsonResponse, startFakeEngine, type FakeEngine } from '../helpers/fake-engine.js';

let engine: FakeEngine;
let connector: CountingConnector;
let docker: Docker;
before(async () => {
  engine = await startFakeEngine((request, socket) => socket.write(jsonResponse(200, request.target.includes('/images/search') ? [] : { Id: 'x' })));
});
beforeEach(() => {
  // A fresh client per test, so "no connection was opened" is measured for that test alone.
  docker?.close();
  engine.requests.length = 0;
  connector = countingConnector(engine.host);
  docker = new Docker({ host: engine.host, connector, apiVersion: '1.41' });
});
after(async () => {
  docker?.close();
  await engine.close();
});

/** Nothing reached the engine: no request, and not even a connection. */
function assertNothingSent(label: string): void {
  assert.equal(engine.requests.length, 0, `${label}: the engine received a request`);
  assert.equal(connector.opened(), 0, `${label}: a connection was opened`);
}

describe('IDs and names in the path', () => {
  const values = [
    'a/b', 'a?b=c', 'a#frag', '100%', '%2e%2e', 'a%2Fb', 'with space', 'tab\there', 'ünïcödé-名前', '🐳',
    'nul\0byte', 'cr\rlf\nsplit', 'GET / HTTP/1.1\r\nHost: evil', '../../../info', '.../x', 'a/./b', '-flag', '\\..\\x',
  ];
  for (const value of values) {
    it(`${JSON.stringify(value)}: one path segment that decodes to exactly the value, or refused`, async () => {
      let result: unknown;
      try {
        result = await docker.containers.inspect(value);
      } catch (error) {
        assert.ok(error instanceof InvalidArgumentError, `${JSON.stringify(value)}: ${String(error)}`);
        assertNothingSent(JSON.stringify(value));
        return;
      }
      assert.deepEqual(result, { Id: 'x' });
      const [request] = apiRequests(engine);
      const match = /^\/v1\.41\/containers\/([^/?#\s]+)\/json$/.exec(request!.target);
      assert.ok(match, `${JSON.stringify(value)} became ${request!.target}`);
      assert.equal(decodeURIComponent(match[1]!), value);
      assert.doesNotMatch(request!.head, /\r\n(?!$)[^\r\n]*\r\n.*Host: evil/s);
    });
  }

  for (const value of ['', '.', '..', 'a/../b', 'x/..', '\uD800', 'lone\uDFFFlow']) {
    it(`${JSON.stringify(value)} is refused with InvalidArgumentError before anything is sent`, async () => {
      await assert.rejects(docker.containers.inspect(value), InvalidArgumentError);
      await assert.rejects(docker.request('GET', '/containers/{id}/json', { pathParams: { id: value } }), InvalidArgumentError);
      assertNothingSent(JSON.stringify(value));
    });
  }
});

describe('CR and LF in header values', () => {
  it('a custom header with CR/LF is refused before anything is written (no connection opened)', async () => {
    const api = new ApiClient(new HttpClient(connector), '1.41');
    for (const value of ['a\r\nX-Injected: 1', 'a\nb', 'a\rb', 'a\0b']) {
      await assert.rejects(api.send({ operation: 'ImageBuild', method: 'POST', path: '/build', headers: { 'X-Registry-Config': value } }), ProtocolError);
    }
    assertNothingSent('custom header');
  });

  it('registry credentials with CR/LF in every field travel base64-encoded in one header line', async () => {
    const hostile = 'p\r\nX-Injected: yes\r\n\r\nGET /evil HTTP/1.1';
    await docker.images.search({ term: 'busybox' }, { auth: { username: hostile, password: hostile, identitytoken: hostile, serveraddress: hostile } });
    const [request] = apiRequests(engine);
    assert.doesNotMatch(request!.head, /X-Injected|evil/);
    const header = request!.headers.get('x-registry-auth')!;
    assert.match(header, /^[A-Za-z0-9_=-]+$/);
    assert.equal(JSON.parse(Buffer.from(header, 'base64').toString('utf8')).password, hostile);
    assert.equal(engine.requests.length, 1, 'one request, not two');
  });

  it('a host name with CR/LF is refused before connecting (it would become the Host header)', () => {
    for (const host of ['tcp://evil\r\nX-Injected: 1:2375', 'tcp://a\nb:2375', 'ssh://user@ho\r\nst', 'tcp://a b:2375']) {
      assert.throws(() => new Docker({ host }), InvalidArgumentError, JSON.stringify(host));
    }
  });
});

describe('query options', () => {
  it('unknown keys are refused at run time, before anything is sent', async () => {
    const untyped = docker.containers as unknown as { list(query: object): Promise<unknown>; remove(id: string, query: object): Promise<unknown> };
    await assert.rejects(untyped.list({ all: true, bogus: 1 }), (error: unknown) =>
      error instanceof InvalidArgumentError && /Unknown query parameter "bogus" for ContainerList; it takes all, filters, limit, size/.test(error.message));
    // A misspelt `force` must not turn into a plain remove.
    await assert.rejects(untyped.remove('c', { forse: true }), InvalidArgumentError);
    await assert.rejects(docker.request('GET', '/containers/json', { query: { nope: true } as never }), InvalidArgumentError);
    assertNothingSent('unknown query key');
  });

  it('unknown keys are refused at compile time', async () => {
    // Each line is a type error; if one stopped being one, `tsc` would fail on the unused directive.
    // @ts-expect-error `bogus` is not a ContainerList query parameter
    await assert.rejects(docker.containers.list({ all: true, bogus: 1 }), InvalidArgumentError);
    // @ts-expect-error `forse` is not a ContainerDelete query parameter
    await assert.rejects(docker.containers.remove('c', { forse: true }), InvalidArgumentError);
    // @ts-expect-error `nope` is not a query parameter of GET /containers/json
    await assert.rejects(docker.request('GET', '/containers/json', { query: { nope: true } }), InvalidArgumentError);
    assertNothingSent('unknown query key');
  });

  it('filters are always sent as JSON, whatever they contain', async () => {
    const filters = { label: ['a=b&c=d', 'e=#f?'], name: ['x y'], status: ['running'] };
    await docker.containers.list({ filters });
    await docker.request('GET', '/networks', { query: { filters: JSON.stringify({ name: { web: true } }) } as never }).catch(() => undefined);
    const [list] = apiRequests(engine);
    const query = new URL(list!.target, 'http://x').searchParams;
    assert.deepEqual([...query.keys()], ['filters']);
    assert.deepEqual(JSON.parse(query.get('filters')!), filters);
  });

  it('filters given as a string (pre-encoded, or not JSON at all) are refused', async () => {
    await assert.rejects(docker.request('GET', '/containers/json', { query: { filters: 'label=a' } as never }), InvalidArgumentError);
    await assert.rejects(docker.request('GET', '/containers/json', { query: { filters: ['label=a'] } as never }), InvalidArgumentError);
    assertNothingSent('string filters');
  });

  it('query values with &, =, # and CR/LF stay inside their value', async () => {
    await docker.containers.list({ filters: { label: ['x'] }, limit: 1 });
    await docker.images.search({ term: 'a&all=true#\r\nX: y' });
    const search = apiRequests(engine)[1]!;
    const query = new URL(search.target, 'http://x').searchParams;
    assert.deepEqual([...query.keys()], ['term']);
    assert.equal(query.get('term'), 'a&all=true#\r\nX: y');
    assert.doesNotMatch(search.head, /\r\nX: y/);
  });
});
