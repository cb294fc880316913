/**
 * Plugins through a registry: push a plugin made here to the local registries, then privileges, pull and
 * upgrade from them, with and without credentials. On the shared dockerd (the swarm engine lives in its own
 * network namespace, where the host's 127.0.0.1 registries cannot be reached); every plugin has a unique
 * name and is removed at the end. Plugins are never enabled here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StreamError, type Docker, type PluginProgress } from '../../src/index.js';
import { dockerdOnly, testDocker, uniqueName } from '../helpers/engine.js';
import { pluginTar } from '../helpers/plugin-tar.js';
import { REGISTRY_PASSWORD, REGISTRY_USER, authRegistry, openRegistry } from '../helpers/registry.js';

async function collect(lines: AsyncIterable<PluginProgress>): Promise<string[]> {
  const statuses: string[] = [];
  for await (const line of lines) statuses.push(line.status ?? '');
  return statuses;
}

describe('plugins through a registry', { skip: dockerdOnly('Podman has no plugins') }, () => {
  let docker: Docker;
  const names: string[] = [];

  before(() => { docker = testDocker(); });
  after(async () => {
    for (const name of names) await docker.plugins.remove(name, { force: true }).catch(() => undefined);
    docker.close();
  });

  it('pushes a plugin, then reads its privileges, pulls it and upgrades it from the open registry', async () => {
    const name = `${openRegistry()}/${uniqueName('plugin')}:latest`;
    names.push(name);
    await docker.plugins.create(pluginTar('registry.sock', 'pushed by Berth'), { name });
    // dockerd wants an X-Registry-Auth header even for an open registry: empty credentials are sent.
    const pushed = await collect(docker.plugins.push(name, { auth: {} }));
    assert.match(pushed[0]!, /^The push refers to repository \[/);
    assert.ok(pushed.includes('Upload complete') || pushed.includes('Layer already exists'), pushed.join(' | '));
    await docker.plugins.remove(name);

    const privileges = await docker.plugins.privileges({ remote: name });
    assert.deepEqual(privileges.map((p) => [p.Name, p.Value]), [['network', ['none']]]);

    const pulled = await collect(docker.plugins.pull({ remote: name }, privileges));
    assert.ok(pulled.some((status) => status.startsWith('Digest: sha256:')), pulled.join(' | '));
    const installed = await docker.plugins.inspect(name);
    assert.equal(installed.Enabled, false);
    assert.equal(installed.Config.Description, 'pushed by Berth');

    const upgraded = await collect(docker.plugins.upgrade(name, { remote: name }, privileges));
    assert.ok(upgraded.some((status) => status.startsWith('Digest: sha256:')), upgraded.join(' | '));
    assert.equal((await docker.plugins.inspect(name)).PluginReference, name);
  });

  it('needs the credentials of a registry that asks for them, and sends them as X-Registry-Auth', async () => {
    const registry = authRegistry();
    const name = `${registry}/${uniqueName('plugin-auth')}:latest`;
    names.push(name);
    await docker.plugins.create(pluginTar('registry.sock'), { name });
    // Without credentials the registry refuses, inside the 200 stream: a StreamError.
    await assert.rejects(collect(docker.plugins.push(name, { auth: {} })), (error: unknown) => error instanceof StreamError && /auth|denied|unauthorized/i.test(error.message));
    const auth = { username: REGISTRY_USER, password: REGISTRY_PASSWORD, serveraddress: registry };
    const pushed = await collect(docker.plugins.push(name, { auth }));
    assert.ok(pushed.some((status) => status === 'Upload complete' || status === 'Layer already exists'), pushed.join(' | '));
    await docker.plugins.remove(name);

    const privileges = await docker.plugins.privileges({ remote: name }, { auth });
    const pulled = await collect(docker.plugins.pull({ remote: name }, privileges, { auth }));
    assert.ok(pulled.some((status) => status.startsWith('Digest: sha256:')), pulled.join(' | '));
    assert.equal((await docker.plugins.inspect(name)).Name, name);
  });
});
