/**
 * Volumes on the real engine: a named volume keeps data across containers, inspect/list/remove, a volume
 * in use cannot be removed, prune by label.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConflictError, NotFoundError, type Docker } from '../../src/index.js';
import { Cleanup, TEST_IMAGE, TEST_LABEL, collectOutput, testDocker, uniqueName } from '../helpers/engine.js';

describe('volumes', () => {
  let docker: Docker;
  let cleanup: Cleanup;
  const run = uniqueName('vol');
  const labels = { [TEST_LABEL]: run };

  before(() => {
    docker = testDocker();
    cleanup = new Cleanup(docker);
  });
  after(() => cleanup.run());

  async function runWith(volume: string, script: string): Promise<{ code: number; stdout: string }> {
    const { Id } = await cleanup.container(docker.containers.create(
      { Image: TEST_IMAGE, Cmd: ['sh', '-c', script], Labels: labels, HostConfig: { Binds: [`${volume}:/data`] } }));
    await docker.containers.start(Id);
    const { StatusCode } = await docker.containers.wait(Id);
    const output = await collectOutput(docker.containers.logs(Id, { stdout: true, stderr: true }));
    await docker.containers.remove(Id);
    return { code: StatusCode, stdout: output.stdout ?? '' };
  }

  it('keeps data written by one container for the next', async () => {
    const name = uniqueName('data');
    const created = await docker.volumes.create({ Name: name, Labels: labels });
    cleanup.defer(() => docker.volumes.remove(name, { force: true }));
    assert.equal(created.Name, name);
    assert.equal(created.Driver, 'local');

    assert.equal((await runWith(name, 'echo kept-across-containers > /data/file')).code, 0);
    const read = await runWith(name, 'cat /data/file');
    assert.equal(read.code, 0);
    assert.equal(read.stdout, 'kept-across-containers\n');

    const inspected = await docker.volumes.inspect(name);
    assert.deepEqual(inspected.Labels, labels);
    assert.ok(inspected.Mountpoint.endsWith(`/${name}/_data`), inspected.Mountpoint);
    const { Volumes } = await docker.volumes.list({ filters: { label: [`${TEST_LABEL}=${run}`] } });
    assert.ok(Volumes.some((v) => v.Name === name));
  });

  it('refuses to remove a volume in use (409), then removes it', async () => {
    const name = uniqueName('busy');
    await docker.volumes.create({ Name: name, Labels: labels });
    const { Id } = await cleanup.container(docker.containers.create(
      { Image: TEST_IMAGE, Cmd: ['true'], Labels: labels, HostConfig: { Binds: [`${name}:/data`] } }));
    await assert.rejects(docker.volumes.remove(name), (error: unknown) => error instanceof ConflictError && /in use|being used/.test(error.message));
    await docker.containers.remove(Id);
    await docker.volumes.remove(name);
    await assert.rejects(docker.volumes.inspect(name), NotFoundError);
  });

  it('prunes only the unused volumes the label filter names', async () => {
    const pruned = uniqueName('prune');
    const kept = uniqueName('keep');
    await docker.volumes.create({ Name: pruned, Labels: { ...labels, 'berth.prune': run } });
    await docker.volumes.create({ Name: kept, Labels: labels });
    cleanup.defer(() => docker.volumes.remove(kept, { force: true }));
    cleanup.defer(() => docker.volumes.remove(pruned, { force: true }));

    // `all` is what API 1.42+ engines need to prune named volumes; 1.41 prunes them anyway.
    const result = await retryBusyPrune(() => docker.volumes.prune({ filters: { label: [`berth.prune=${run}`] } }));
    assert.deepEqual(result.VolumesDeleted, [pruned]);
    assert.equal(typeof result.SpaceReclaimed, 'number');
    await assert.rejects(docker.volumes.inspect(pruned), NotFoundError);
    assert.equal((await docker.volumes.inspect(kept)).Name, kept);
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
