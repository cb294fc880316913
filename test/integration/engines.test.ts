/**
 * What differs between dockerd and Podman, as a user of Berth sees it: the engine is identified, and where
 * Podman's Docker-compatible API behaves differently Berth either hides the difference or says clearly what
 * the engine lacks. Runs on both engines (scripts/test.sh); each assertion names the engine it expects.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConflictError, NotFoundError, UnsupportedOperationError } from '../../src/index.js';
import { Cleanup, TEST_IMAGE, TEST_LABEL, testDocker, testEngine, uniqueName } from '../helpers/engine.js';

const docker = testDocker();
const cleanup = new Cleanup(docker);
const label = { [TEST_LABEL]: uniqueName('engines') };
after(() => cleanup.run());

describe('engine identification', () => {
  test('SystemPing tells dockerd and Podman apart', async () => {
    const ping = await docker.ping();
    assert.equal(ping.engine, testEngine());
    if (testEngine() === 'podman') {
      assert.match(ping.libpodApiVersion ?? '', /^\d+\.\d+/);
      assert.match(ping.server ?? '', /^Libpod\//);
    } else {
      assert.equal(ping.libpodApiVersion, undefined);
    }
    // Both offer at least the API version Berth's tests are written for.
    assert.match(ping.apiVersion, /^1\.\d+$/);
  });

  test('SystemVersion names the engine in its components', async () => {
    const version = await docker.system.version();
    const names = (version.Components ?? []).map((component) => component.Name);
    assert.ok(names.includes(testEngine() === 'podman' ? 'Podman Engine' : 'Engine'), `components: ${names.join(', ')}`);
  });
});

describe('differences Berth handles', () => {
  let id: string;
  before(async () => {
    ({ Id: id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['sleep', '300'], Labels: label })));
    await docker.containers.start(id);
  });

  test('ContainerStats: the sample names the container as id on both engines (Podman sends Id)', async () => {
    const sample = await docker.containers.stats(id);
    assert.equal(sample.id, id);
    assert.ok(sample.read, 'a sample has its time');
  });

  test('ContainerUpdate: works on dockerd; Podman 4 lacks it, and the error says so', async () => {
    const update = docker.containers.update(id, { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } });
    if (testEngine() === 'docker') {
      await update;
      const inspected = await docker.containers.inspect(id);
      assert.equal(inspected.HostConfig?.RestartPolicy?.Name, 'on-failure');
      return;
    }
    await assert.rejects(update, (error: unknown) => {
      assert.ok(error instanceof UnsupportedOperationError, `got ${String(error)}`);
      assert.ok(!(error instanceof NotFoundError), 'a missing feature is not a missing container');
      assert.equal(error.operation, 'ContainerUpdate');
      assert.match(error.message, /^Podman \d+\.\d+\.\d+ does not implement ContainerUpdate \(POST \/containers\/\{id\}\/update\)/);
      assert.equal(error.status, 404);
      return true;
    });
  });

  test('ContainerInspect of a missing container is still a NotFoundError on both engines', async () => {
    await assert.rejects(docker.containers.inspect(uniqueName('missing')), (error: unknown) => {
      assert.ok(error instanceof NotFoundError, `got ${String(error)}`);
      assert.ok(!(error instanceof UnsupportedOperationError));
      assert.match(error.message, /no such container/i);
      return true;
    });
  });

  test('ContainerDelete of a running container without force is a ConflictError on both engines (Podman says 500)', async () => {
    await assert.rejects(docker.containers.remove(id), (error: unknown) => {
      assert.ok(error instanceof ConflictError, `got ${String(error)}`);
      assert.equal(error.status, 409);
      assert.match(error.message, /running/);
      return true;
    });
    assert.equal((await docker.containers.inspect(id)).State?.Running, true);
  });

  test('ContainerInspect during a slow stop: running on dockerd, stopping on Podman', async () => {
    // PID 1 ignores SIGTERM (the kernel gives it no default action), so a stop waits out its timeout.
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['sleep', '300'], Labels: label }));
    await docker.containers.start(Id);
    const stopping = docker.containers.stop(Id, { t: 2 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    const state = (await docker.containers.inspect(Id)).State;
    await stopping;
    assert.equal(state?.Status, testEngine() === 'podman' ? 'stopping' : 'running');
    // The type admits the engine's other states as strings: this compiles, and the value is kept as sent.
    const status: string | undefined = state?.Status;
    assert.ok(status);
    assert.equal((await docker.containers.inspect(Id)).State?.Status, 'exited');
  });

  test('ContainerWait: an exited container answers at once with its exit code on both engines', async () => {
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['sh', '-c', 'exit 3'], Labels: label }));
    await docker.containers.start(Id);
    assert.equal((await docker.containers.wait(Id)).StatusCode, 3);
    const again = await docker.containers.wait(Id, { condition: 'not-running' }, { timeout: 10_000 });
    assert.equal(again.StatusCode, 3);
  });

  test('ImageInspect, ContainerInspect, ContainerList: the test image is busybox:local on both engines', async () => {
    const image = await docker.request('GET', '/images/{name}/json', { pathParams: { name: TEST_IMAGE } });
    assert.ok(image.Id);
    // Podman stores it as docker.io/library/busybox:local; Berth reports names in Docker's short form.
    // includes, not equal: the engine is shared, and other tests may add names to the same image.
    assert.ok(image.RepoTags?.includes('busybox:local'), `tags: ${image.RepoTags?.join(', ')}`);
    assert.ok(!image.RepoTags?.some((tag) => tag.startsWith('docker.io/')), `tags: ${image.RepoTags?.join(', ')}`);
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['true'], Labels: label }));
    assert.equal((await docker.containers.inspect(Id)).Config?.Image, TEST_IMAGE);
    const [listed] = await docker.containers.list({ all: true, filters: { id: [Id] } });
    assert.equal(listed?.Image, TEST_IMAGE);
  });
});

describe('ContainerWait condition=removed', () => {
  test('a container that removes itself (AutoRemove) reports its exit code on both engines (Podman alone says 0)', async () => {
    const { Id } = await cleanup.container(docker.containers.create({
      Image: TEST_IMAGE, Cmd: ['sh', '-c', 'sleep 0.5; exit 3'], HostConfig: { AutoRemove: true }, Labels: label,
    }));
    const removed = docker.containers.wait(Id, { condition: 'removed' }, { timeout: 15_000 });
    // The wait must be registered before the start, or a fast container could be gone before it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await docker.containers.start(Id);
    assert.equal((await removed).StatusCode, 3);
    await assert.rejects(docker.containers.inspect(Id), NotFoundError);
  });

  test('a wait for removal can be aborted, on both engines', async () => {
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['sleep', '300'], Labels: label }));
    await docker.containers.start(Id);
    const controller = new AbortController();
    const waiting = docker.containers.wait(Id, { condition: 'removed' }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('enough')), 300);
    await assert.rejects(waiting, /enough/);
    assert.equal((await docker.containers.inspect(Id)).State?.Running, true);
  });
});
