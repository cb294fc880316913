/**
 * Plugins on the private swarm engine (never on the shared one: a plugin is daemon-wide). No plugin can be
 * pulled here (no registry with plugins is reachable), so the test builds one: a tar with `config.json`
 * and a busybox `rootfs/`, created, configured, enabled, disabled and removed through the API.
 *
 * dockerd enables a plugin only once something listens on its socket (`/run/docker/plugins/<id>/<socket>`,
 * a host directory bind-mounted into the plugin), and busybox has nothing that listens on a Unix socket.
 * The test listens there itself, on the host: the engine is ours and runs on this machine.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConflictError, NotFoundError, type Docker } from '../../src/index.js';
import { dockerdOnly, uniqueName } from '../helpers/engine.js';
import { pluginTar } from '../helpers/plugin-tar.js';
import { swarmDocker } from '../helpers/swarm-engine.js';

const SOCKET = 'berth.sock';

describe('plugins (own engine)', { skip: dockerdOnly('the plugin tests run on the private swarm dockerd (scripts/swarm-engine.sh), whatever the engine under test') }, () => {
  let docker: Docker;
  let listener: Server | undefined;
  const name = `${uniqueName('plugin')}:latest`;

  before(() => { docker = swarmDocker(); });
  after(async () => {
    await docker.plugins.remove(name, { force: true }).catch(() => undefined);
    listener?.close();
    docker.close();
  });

  it('lists no plugin of ours and reports an unknown one as NotFoundError', async () => {
    assert.ok(!(await docker.plugins.list()).some((plugin) => plugin.Name === name));
    await assert.rejects(docker.plugins.inspect('berth-no-such-plugin'), (error: unknown) => error instanceof NotFoundError && /not found/.test(error.message));
  });

  it('creates a plugin from a tar, sets it, enables, disables and removes it', async () => {
    await docker.plugins.create(pluginTar(SOCKET), { name });
    const created = await docker.plugins.inspect(name);
    assert.equal(created.Enabled, false);
    assert.equal(created.Config.Description, 'Berth test plugin');
    assert.deepEqual(created.Settings.Env, ['DEBUG=0']);

    await docker.plugins.set(name, ['DEBUG=1']);
    assert.deepEqual((await docker.plugins.inspect(name)).Settings.Env, ['DEBUG=1']);

    const socketDir = join('/run/docker/plugins', created.Id!);
    mkdirSync(socketDir, { recursive: true });
    listener = createServer((connection) => connection.end());
    await new Promise<void>((resolve) => listener!.listen(join(socketDir, SOCKET), resolve));

    await docker.plugins.enable(name, { timeout: 10 });
    assert.equal((await docker.plugins.inspect(name)).Enabled, true);
    // The spec documents the filter as `enable`; dockerd knows it as `enabled`.
    const enabled = await docker.plugins.list({ filters: { enabled: ['true'] } });
    assert.ok(enabled.some((plugin) => plugin.Name === name), 'listed as enabled');
    // An enabled plugin is not removed without force.
    await assert.rejects(docker.plugins.remove(name), (error: unknown) => error instanceof ConflictError && /enabled/.test(error.message));

    await docker.plugins.disable(name);
    assert.equal((await docker.plugins.inspect(name)).Enabled, false);
    await docker.plugins.remove(name);
    await assert.rejects(docker.plugins.inspect(name), NotFoundError);
  });
});
