/**
 * Networks on the real engine: containers on a user network reach each other by name and by alias,
 * connect/disconnect and fixed addresses, list filters, prune by label, and swarm calls on an engine
 * that is not in a swarm.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ConflictError, NotFoundError, UnavailableError, UnsupportedOperationError, type Docker } from '../../src/index.js';
import { Cleanup, TEST_IMAGE, TEST_LABEL, collectOutput, testDocker, testEngine, uniqueName } from '../helpers/engine.js';

describe('networks', () => {
  let docker: Docker;
  let cleanup: Cleanup;
  const run = uniqueName('net');
  const labels = { [TEST_LABEL]: run };

  before(() => {
    docker = testDocker();
    cleanup = new Cleanup(docker);
  });
  after(() => cleanup.run());

  /** Creates a network that is removed at the end. */
  async function network(body: Parameters<Docker['networks']['create']>[0]): Promise<string> {
    const { Id } = await docker.networks.create(body);
    cleanup.defer(() => docker.networks.remove(Id));
    return Id;
  }

  /** Starts a container that stays up, on the given network. */
  async function server(name: string, networkName: string): Promise<string> {
    const { Id } = await cleanup.container(docker.containers.create(
      { Image: TEST_IMAGE, Cmd: ['sleep', '60'], Labels: labels, HostConfig: { NetworkMode: networkName } }, { name }));
    await docker.containers.start(Id);
    return Id;
  }

  /** Runs a command in a new container on the network; resolves with its exit code and output. */
  async function runOn(networkName: string, cmd: string[]): Promise<{ code: number; output: string }> {
    const { Id } = await cleanup.container(docker.containers.create(
      { Image: TEST_IMAGE, Cmd: cmd, Labels: labels, HostConfig: { NetworkMode: networkName } }));
    await docker.containers.start(Id);
    const { StatusCode } = await docker.containers.wait(Id);
    const output = await collectOutput(docker.containers.logs(Id, { stdout: true, stderr: true }));
    return { code: StatusCode, output: (output.stdout ?? '') + (output.stderr ?? '') };
  }

  it('lets two containers on a user network reach each other by name, and only there', async () => {
    const name = uniqueName('net-a');
    const id = await network({ Name: name, Labels: labels });
    const serverName = uniqueName('srv');
    const serverId = await server(serverName, name);

    const reached = await runOn(name, ['ping', '-c1', '-W', '3', serverName]);
    assert.equal(reached.code, 0, reached.output);
    assert.match(reached.output, /1 packets received/);

    // The name resolves on that network only: from the default bridge it is unknown.
    const outside = await runOn('bridge', ['ping', '-c1', '-W', '1', serverName]);
    assert.notEqual(outside.code, 0);

    const inspected = await docker.networks.inspect(id);
    assert.equal(inspected.Name, name);
    assert.equal(inspected.Driver, 'bridge');
    assert.deepEqual(inspected.Labels, labels);
    assert.equal(inspected.Containers?.[serverId]?.Name, serverName, 'the server is attached');
  });

  it('connects a running container with an alias and a fixed address, and disconnects it', async () => {
    const subnet = `10.${randomInt(100, 250)}.${randomInt(0, 255)}`;
    const name = uniqueName('net-b');
    const id = await network({ Name: name, Labels: labels, IPAM: { Config: [{ Subnet: `${subnet}.0/24`, Gateway: `${subnet}.1` }] } });
    // Started on the default bridge, then connected.
    const containerId = await server(uniqueName('late'), 'bridge');
    await docker.networks.connect(name, {
      Container: containerId,
      EndpointConfig: { Aliases: ['berth-alias'], IPAMConfig: { IPv4Address: `${subnet}.42` } },
    });

    const settings = (await docker.containers.inspect(containerId)).NetworkSettings?.Networks?.[name];
    assert.equal(settings?.IPAddress, `${subnet}.42`);
    assert.ok(settings?.Aliases?.includes('berth-alias'), `aliases: ${JSON.stringify(settings?.Aliases)}`);

    const byAlias = await runOn(name, ['ping', '-c1', '-W', '3', 'berth-alias']);
    assert.equal(byAlias.code, 0, byAlias.output);
    assert.match(byAlias.output, new RegExp(`${subnet.replace(/\./g, '\\.')}\\.42`));

    await docker.networks.disconnect(id, { Container: containerId });
    const after = await docker.containers.inspect(containerId);
    assert.equal(after.NetworkSettings?.Networks?.[name], undefined);
    const gone = await runOn(name, ['ping', '-c1', '-W', '1', 'berth-alias']);
    assert.notEqual(gone.code, 0, 'the alias is gone with the connection');
  });

  it('lists by label, prunes only what the label filter names, and removes by name', async () => {
    const keep = uniqueName('net-keep');
    const pruned = uniqueName('net-prune');
    const pruneLabel = { ...labels, 'berth.prune': run };
    await network({ Name: keep, Labels: labels });
    await docker.networks.create({ Name: pruned, Labels: pruneLabel });

    const listed = await docker.networks.list({ filters: { label: [`${TEST_LABEL}=${run}`] } });
    const names = listed.map((n) => n.Name);
    assert.ok(names.includes(keep) && names.includes(pruned), names.join(','));

    const result = await retryBusyPrune(() => docker.networks.prune({ filters: { label: [`berth.prune=${run}`] } }));
    assert.deepEqual(result.NetworksDeleted, [pruned]);
    await assert.rejects(docker.networks.inspect(pruned), NotFoundError);
    assert.equal((await docker.networks.inspect(keep)).Name, keep);

    const removable = uniqueName('net-rm');
    await docker.networks.create({ Name: removable, Labels: labels });
    await docker.networks.remove(removable);
    await assert.rejects(docker.networks.inspect(removable), (error: unknown) => error instanceof NotFoundError && /not found/.test(error.message));
  });
});

describe('swarm calls on an engine that is not in a swarm', () => {
  let docker: Docker;
  before(() => { docker = testDocker(); });
  after(() => docker.close());

  it('fail with UnavailableError (503) and the engine\'s message', async () => {
    const secretsList = () => docker.secrets.list();
    for (const call of [() => docker.nodes.list(), () => docker.services.list(), () => docker.swarm.inspect(), secretsList]) {
      if (testEngine() === 'podman') {
        // Podman has no swarm: the routes are 404s, which Berth reports as unsupported. (It has secrets of
        // its own, so /secrets answers there.)
        if (call === secretsList) continue;
        await assert.rejects(call(), UnsupportedOperationError);
        continue;
      }
      await assert.rejects(call(), (error: unknown) => {
        assert.ok(error instanceof UnavailableError, String(error));
        assert.equal(error.status, 503);
        assert.match(error.message, /not a swarm manager|not part of a swarm/);
        return true;
      });
    }
  });
});

/** dockerd runs one prune of a kind at a time (409 "a prune operation is already running"); other test files share the engine. */
async function retryBusyPrune<T>(prune: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await prune();
    } catch (error) {
      if (!(error instanceof ConflictError) || !/prune operation is already running/.test(error.message) || attempt >= 300) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
