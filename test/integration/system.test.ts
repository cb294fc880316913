/**
 * System operations against the real engine, the typed escape hatch, and aborting a live stream.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Docker, InvalidArgumentError } from '../../src/index.js';
import { countingConnector, eventually } from '../helpers/counting-connector.js';
import { Cleanup, podmanDiffers, TEST_IMAGE, TEST_LABEL, testEngine, testHost } from '../helpers/engine.js';
import { makeTar, readTar } from '../helpers/tar.js';

const RUN = `core-system-${randomBytes(4).toString('hex')}`;
const connector = countingConnector(testHost());
const docker = new Docker({ host: testHost(), connector });
const cleanup = new Cleanup(docker);
after(() => cleanup.run());

describe('system', () => {
  it('ping: the engine offers API 1.41, and that is what the client speaks', async () => {
    const ping = await docker.ping();
    assert.equal(ping.apiVersion, '1.41');
    // Podman 4 sends no OSType header.
    assert.equal(ping.osType, testEngine() === 'podman' ? undefined : 'linux');
    assert.equal(ping.engine, testEngine());
    assert.equal(await docker.apiVersion(), '1.41');
  });

  it('version', async () => {
    const version = await docker.version();
    assert.equal(version.ApiVersion, '1.41');
    assert.equal(version.Os, 'linux');
    assert.match(version.Version ?? '', /^\d+\.\d+/);
  });

  it('info', async () => {
    const info = await docker.info();
    assert.equal(typeof info.ID, 'string');
    assert.equal(typeof info.Containers, 'number');
    assert.ok((info.NCPU ?? 0) >= 1);
    assert.equal(info.OSType, 'linux');
  });

  it('df: disk usage in the typed (API 1.52+) shape, also from a 1.41 engine', async (t) => {
    podmanDiffers(t, '/system/df tags images with their tag alone (RepoTags ["local"]) and lists no containers');
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['true'], Labels: { [TEST_LABEL]: RUN } }));
    const usage = await docker.df();
    const images = usage.ImageUsage;
    assert.ok(images, 'ImageUsage is there');
    assert.ok((images.TotalCount ?? 0) >= 1 && images.TotalCount === images.Items?.length);
    assert.equal(typeof images.TotalSize, 'number');
    assert.ok(images.Items!.some((image) => image.RepoTags?.some((tag) => tag.endsWith(TEST_IMAGE))), 'the test image is listed');
    const containers = usage.ContainerUsage;
    assert.ok(containers?.Items?.some((container) => container.Id === Id), 'our container is listed');
    assert.ok((containers!.TotalCount ?? 0) >= (containers!.ActiveCount ?? 0));
    assert.equal(typeof usage.VolumeUsage?.TotalCount, 'number');
    assert.equal(typeof usage.BuildCacheUsage?.TotalCount, 'number');
  });
});

describe('the typed escape hatch', () => {
  it('docker.request fills path parameters and parses JSON', async () => {
    const label = `${RUN}-request`;
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['true'], Labels: { [TEST_LABEL]: label } }));
    const inspected = await docker.request('GET', '/containers/{id}/json', { pathParams: { id: Id } });
    assert.equal(inspected.Id, Id);
    assert.equal(inspected.Config?.Labels?.[TEST_LABEL], label);
    const listed = await docker.request('GET', '/containers/json', { query: { all: true, filters: { label: [`${TEST_LABEL}=${label}`] } } });
    assert.deepEqual(listed.map((container) => container.Id), [Id]);
  });

  it('docker.request sends a binary body (a tar) as it is: PUT /containers/{id}/archive, read back with getArchive', async () => {
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['true'], Labels: { [TEST_LABEL]: RUN } }));
    const content = Buffer.from('sent through the escape hatch\n');
    await docker.request('PUT', '/containers/{id}/archive', { pathParams: { id: Id }, query: { path: '/tmp' }, body: makeTar([{ name: 'hatch.txt', content }]) });
    const { tar } = await docker.containers.getArchive(Id, { path: '/tmp/hatch.txt' });
    const chunks: Uint8Array[] = [];
    for await (const chunk of tar) chunks.push(chunk);
    const entries = readTar(Buffer.concat(chunks));
    assert.deepEqual(entries.map((entry) => [entry.name, entry.content.toString()]), [['hatch.txt', content.toString()]]);
  });

  it('docker.request refuses a JSON value where the spec wants bytes, before sending anything', async () => {
    const body = { not: 'a tar' } as unknown as Uint8Array;
    await assert.rejects(docker.request('POST', '/images/load', { body }), InvalidArgumentError);
  });

  it('an empty answer resolves with undefined', async () => {
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['true'], Labels: { [TEST_LABEL]: RUN } }));
    assert.equal(await docker.request('POST', '/containers/{id}/start', { pathParams: { id: Id } }), undefined);
  });
});

describe('aborting a live stream', () => {
  it('logs follow: aborting rejects with the signal\'s reason and closes the connection', async () => {
    const { Id } = await cleanup.container(docker.containers.create({
      Image: TEST_IMAGE, Cmd: ['sh', '-c', 'while true; do echo tick; sleep 0.1; done'], Labels: { [TEST_LABEL]: RUN },
    }));
    await docker.containers.start(Id);
    await docker.ping(); // settle the pool: only the stream's own connection changes below
    const openBefore = connector.open();
    const controller = new AbortController();
    const reason = new Error('the user pressed ^C');
    let frames = 0;
    let openDuring = 0;
    const error = await (async () => {
      for await (const frame of docker.containers.logs(Id, { stdout: true, follow: true }, { signal: controller.signal })) {
        assert.match(Buffer.from(frame.data).toString(), /tick/);
        if (++frames === 3) {
          openDuring = connector.open();
          controller.abort(reason);
        }
      }
    })().then(() => undefined, (caught: unknown) => caught);
    assert.equal(error, reason);
    assert.equal(frames, 3);
    assert.ok(openDuring >= 1);
    await eventually(() => connector.open() <= openBefore, 'the stream connection is closed');
    // The client works on after the abort.
    assert.equal((await docker.containers.inspect(Id)).State?.Running, true);
  });
});
