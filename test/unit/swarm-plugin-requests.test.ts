/**
 * Request details of the networks, volumes, swarm, services, plugins and session methods that a real
 * engine here cannot show (registry credentials, the h2c upgrade's headers) or that must never reach it
 * (invalid arguments). Recorded on the fake engine.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Docker, InvalidArgumentError, ProtocolError, StreamError } from '../../src/index.js';
import { jsonResponse, startFakeEngine, type FakeEngine } from '../helpers/fake-engine.js';

describe('swarm, service, plugin and session requests', () => {
  let fake: FakeEngine;
  let docker: Docker;
  /** What the fake answers next (raw HTTP), by path suffix; default `{}`. */
  let answers: Array<[string, string]> = [];

  before(async () => {
    fake = await startFakeEngine((request, socket) => {
      const found = answers.find(([suffix]) => request.target.split('?')[0]!.endsWith(suffix));
      socket.write(found ? found[1] : jsonResponse(200, {}));
    });
    docker = new Docker({ host: fake.host, apiVersion: '1.41' });
  });
  beforeEach(() => { answers = []; });
  after(async () => {
    docker.close();
    await fake.close();
  });

  const last = () => fake.requests.at(-1)!;

  it('sends registry credentials as base64url JSON in X-Registry-Auth, and no header without them', async () => {
    const auth = { username: 'u', password: 'p?>', serveraddress: 'registry.local' };
    await docker.services.create({ Name: 's', TaskTemplate: { ContainerSpec: { Image: 'registry.local/app' } } }, { auth });
    const header = last().headers.get('x-registry-auth')!;
    assert.deepEqual(JSON.parse(Buffer.from(header, 'base64url').toString('utf8')), auth);
    assert.ok(!/[+/=]/.test(header), 'base64url, not base64');
    await docker.services.update('s', { TaskTemplate: {} }, { version: 7, rollback: 'previous' });
    assert.equal(last().headers.get('x-registry-auth'), undefined);
    assert.match(last().target, /^\/v1\.41\/services\/s\/update\?version=7&rollback=previous$/);
  });

  it('rejects invalid arguments before any request', async () => {
    const before = fake.requests.length;
    const invalid: Array<() => unknown> = [
      () => docker.networks.create({ Name: '' }),
      () => docker.networks.connect('n', { Container: '' }),
      () => docker.networks.disconnect('..', { Container: 'c' }),
      () => docker.nodes.update('n', {}, {} as { version: number }),
      () => docker.services.update('s', {}, { version: 1.5 }),
      () => docker.services.create({} as never),
      () => docker.services.logs('s', { tail: '-1' }),
      () => docker.secrets.create({ Data: 'eA==' }),
      () => docker.swarm.join({ ListenAddr: '0.0.0.0', RemoteAddrs: [], JoinToken: 't' }),
      () => docker.swarm.unlock({}),
      () => docker.plugins.set('p', ['no-equals-sign']),
      () => docker.plugins.create(Buffer.alloc(0), { name: '' }),
      () => docker.plugins.privileges({ remote: '' }),
      () => docker.system.session({ sessionId: '' }),
    ];
    for (const call of invalid) {
      await assert.rejects(async () => call(), InvalidArgumentError);
    }
    assert.equal(fake.requests.length, before);
  });

  it('ends a plugin pull with a StreamError when the engine reports an error inside the 200 stream', async () => {
    const lines = '{"status":"Pulling"}\n{"errorDetail":{"message":"unauthorized: access denied"},"error":"unauthorized: access denied"}\n';
    answers = [['/plugins/pull', `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${lines.length}\r\n\r\n${lines}`]];
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const line of docker.plugins.pull({ remote: 'vieux/sshfs' }, [{ Name: 'network', Value: ['host'] }])) seen.push(line.status ?? '');
    }, (error: unknown) => error instanceof StreamError && error.message === 'unauthorized: access denied');
    assert.deepEqual(seen, ['Pulling']);
    assert.match(last().target, /\/plugins\/pull\?remote=vieux%2Fsshfs$/);
  });

  it('opens a session with Upgrade: h2c and the session headers, and hands back the raw stream', async () => {
    answers = [['/session', 'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\nPRI-from-engine']];
    const stream = await docker.system.session({ sessionId: 'abc', name: 'build', sharedKey: 'ctx' });
    const request = last();
    assert.equal(request.method, 'POST');
    assert.equal(request.headers.get('upgrade'), 'h2c');
    assert.equal(request.headers.get('connection'), 'Upgrade');
    assert.equal(request.headers.get('x-docker-expose-session-uuid'), 'abc');
    assert.equal(request.headers.get('x-docker-expose-session-name'), 'build');
    assert.equal(request.headers.get('x-docker-expose-session-sharedkey'), 'ctx');
    // Bytes the engine sent right after the 101 are the first the caller reads.
    for await (const first of stream) {
      assert.equal(Buffer.from(first as Uint8Array).toString(), 'PRI-from-engine');
      break;
    }
    stream.destroy();
  });

  it('fails a session the engine does not upgrade with a ProtocolError', async () => {
    answers = [['/session', jsonResponse(200, {})]];
    await assert.rejects(docker.system.session({ sessionId: 'abc' }), ProtocolError);
  });

  it('normalises empty lists and prune results that dockerd sends as null', async () => {
    answers = [
      ['/volumes', jsonResponse(200, { Volumes: null, Warnings: null })],
      ['/networks/prune', jsonResponse(200, { NetworksDeleted: null })],
      ['/volumes/prune', jsonResponse(200, { VolumesDeleted: null, SpaceReclaimed: 0 })],
    ];
    assert.deepEqual(await docker.volumes.list(), { Volumes: [], Warnings: [] });
    assert.deepEqual(await docker.networks.prune(), { NetworksDeleted: [] });
    assert.deepEqual(await docker.volumes.prune(), { VolumesDeleted: [], SpaceReclaimed: 0 });
  });
});
