/**
 * Every container operation against the real engine: what a user of `docker.containers` sees.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ConflictError, Docker, InvalidArgumentError, NotFoundError, type ContainerCreateBody } from '../../src/index.js';
import { countingConnector, eventually } from '../helpers/counting-connector.js';
import { Cleanup, collectOutput, podmanDiffers, TEST_IMAGE, TEST_LABEL, testHost, uniqueName } from '../helpers/engine.js';
import { makeTar, readTar, startsWithTarHeader } from '../helpers/tar.js';

const RUN = `core-containers-${randomBytes(4).toString('hex')}`;
const connector = countingConnector(testHost());
const docker = new Docker({ host: testHost(), connector });
const cleanup = new Cleanup(docker);
after(() => cleanup.run());

/** Creates a container of the test image with this run's label; removed at the end. */
async function create(config: Omit<ContainerCreateBody, 'Image'> = {}, name?: string): Promise<string> {
  const { Id } = await cleanup.container(docker.containers.create({
    Image: TEST_IMAGE, ...config, Labels: { [TEST_LABEL]: RUN, ...config.Labels },
  }, name === undefined ? {} : { name }));
  return Id;
}

/** Creates and starts a container running `script` in sh. */
async function run(script: string, config: Omit<ContainerCreateBody, 'Image'> = {}): Promise<string> {
  const id = await create({ Cmd: ['sh', '-c', script], ...config });
  await docker.containers.start(id);
  return id;
}

const state = async (id: string) => (await docker.containers.inspect(id)).State!;
const LOOP = 'trap "exit 42" USR1; while true; do sleep 0.1; done';

describe('create, inspect, list, rename, remove', () => {
  let first: string;
  let second: string;
  const name = uniqueName('core');

  before(async () => {
    first = await create({ Cmd: ['true'] }, name);
    second = await create({ Cmd: ['true'], Labels: { 'berth.role': `second-${RUN}` } });
  });

  it('create with a name; inspect by ID and by name', async () => {
    const byId = await docker.containers.inspect(first);
    assert.equal(byId.Name, `/${name}`);
    assert.equal(byId.Config?.Labels?.[TEST_LABEL], RUN);
    assert.equal(byId.State?.Status, 'created');
    assert.equal((await docker.containers.inspect(name)).Id, first);
  });

  it('list with label filters', async () => {
    const ours = await docker.containers.list({ all: true, filters: { label: [`${TEST_LABEL}=${RUN}`] } });
    assert.deepEqual(ours.map((c) => c.Id).sort(), [first, second].sort());
    const onlySecond = await docker.containers.list({ all: true, filters: { label: [`${TEST_LABEL}=${RUN}`, `berth.role=second-${RUN}`] } });
    assert.deepEqual(onlySecond.map((c) => c.Id), [second]);
    const running = await docker.containers.list({ filters: { label: [`${TEST_LABEL}=${RUN}`] } });
    assert.deepEqual(running, [], 'created containers are not running');
  });

  it('rename: the new name finds it, the old one does not', async () => {
    const renamed = uniqueName('core-renamed');
    await docker.containers.rename(first, { name: renamed });
    assert.equal((await docker.containers.inspect(renamed)).Id, first);
    await assert.rejects(docker.containers.inspect(name), NotFoundError);
  });

  it('remove with v and force; then inspect is a NotFoundError naming the container', async () => {
    await docker.containers.remove(second, { v: true, force: true });
    await assert.rejects(docker.containers.inspect(second), (error: unknown) =>
      error instanceof NotFoundError && error.message.includes(second) && error.status === 404);
  });
});

describe('a running container', () => {
  let id: string;
  before(async () => { id = await create({ Cmd: ['sh', '-c', LOOP] }); });

  it('start twice: the second reports alreadyStarted', async () => {
    assert.deepEqual(await docker.containers.start(id), { alreadyStarted: false });
    assert.deepEqual(await docker.containers.start(id), { alreadyStarted: true });
    assert.equal((await state(id)).Running, true);
  });

  it('top lists its processes', async () => {
    const top = await docker.containers.top(id);
    // dockerd splits busybox ps's columns into titles; Podman passes the header line as one title.
    assert.match(top.Titles?.join(' ') ?? '', /\bPID\b/);
    assert.ok(top.Processes?.some((process) => process.join(' ').includes('sh -c')), JSON.stringify(top.Processes));
  });

  it('stats: one sample', async () => {
    const sample = await docker.containers.stats(id);
    assert.equal(typeof sample.read, 'string');
    assert.equal(typeof sample.memory_stats, 'object');
    assert.equal(typeof sample.cpu_stats?.cpu_usage?.total_usage, 'number');
  });

  it('statsStream: two samples, then leaving the loop frees the connection', async () => {
    const before = connector.open();
    const samples = [];
    for await (const sample of docker.containers.statsStream(id)) {
      samples.push(sample);
      if (samples.length === 2) break;
    }
    assert.equal(samples.length, 2);
    assert.notEqual(samples[0]!.read, samples[1]!.read);
    await eventually(() => connector.open() <= before, 'the stats connection is closed');
  });

  it('pause and unpause', async () => {
    await docker.containers.pause(id);
    let current = await state(id);
    assert.equal(current.Paused, true);
    assert.equal(current.Status, 'paused');
    await docker.containers.unpause(id);
    current = await state(id);
    assert.equal(current.Paused, false);
    assert.equal(current.Status, 'running');
  });

  it('update the restart policy and memory limit', async (t) => {
    podmanDiffers(t, 'POST /containers/{id}/update is 404 in Podman 4');
    const result = await docker.containers.update(id, { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 }, Memory: 64 * 1024 * 1024, MemorySwap: -1 });
    assert.ok(Array.isArray(result.Warnings ?? []));
    const { HostConfig } = await docker.containers.inspect(id);
    assert.deepEqual(HostConfig?.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 2 });
    assert.equal(HostConfig?.Memory, 64 * 1024 * 1024);
  });

  it('restart: it runs again, started anew', async () => {
    const startedAt = (await state(id)).StartedAt;
    await docker.containers.restart(id, { t: 1 });
    const current = await state(id);
    assert.equal(current.Running, true);
    assert.notEqual(current.StartedAt, startedAt);
  });

  it('kill with a signal: the process gets it (its trap exits 42)', async () => {
    await docker.containers.kill(id, { signal: 'SIGUSR1' });
    assert.equal((await docker.containers.wait(id)).StatusCode, 42);
    assert.equal((await state(id)).ExitCode, 42);
  });

  it('stop on a stopped container reports alreadyStopped', async () => {
    assert.deepEqual(await docker.containers.stop(id), { alreadyStopped: true });
  });

  it('stop with t: SIGTERM is ignored by sh as PID 1, so SIGKILL follows after t seconds', async () => {
    await docker.containers.start(id);
    const started = Date.now();
    assert.deepEqual(await docker.containers.stop(id, { t: 1 }), { alreadyStopped: false });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 900 && elapsed < 8000, `${elapsed} ms`);
    const current = await state(id);
    assert.equal(current.Running, false);
    assert.equal(current.ExitCode, 137);
  });

  it('an invalid signal is rejected before any request', async () => {
    await assert.rejects(docker.containers.stop(id, { signal: 'NOT A SIGNAL' }), InvalidArgumentError);
    await assert.rejects(docker.containers.kill(id, { signal: 'KILL; rm -rf' }), InvalidArgumentError);
  });
});

describe('remove', () => {
  it('a running container without force is a ConflictError; with force it goes', async () => {
    // Podman answers 500 "container state improper"; Berth reports it as the same ConflictError.
    const id = await run('sleep 300');
    const error = await docker.containers.remove(id).then(() => undefined, (caught: unknown) => caught);
    assert.ok(error instanceof ConflictError, String(error));
    assert.equal(error.status, 409);
    assert.equal(error.method, 'DELETE');
    assert.equal(error.path, `/containers/${id}`);
    assert.match(error.message, /running/i);
    await docker.containers.remove(id, { force: true });
    await assert.rejects(docker.containers.inspect(id), NotFoundError);
  });
});

describe('wait', () => {
  it('not-running: resolves with the exit code', async () => {
    const id = await run('exit 3');
    assert.equal((await docker.containers.wait(id, { condition: 'not-running' })).StatusCode, 3);
  });

  it('next-exit: waits for the exit of a running container', async () => {
    const id = await run('sleep 1; exit 5');
    const started = Date.now();
    assert.equal((await docker.containers.wait(id, { condition: 'next-exit' })).StatusCode, 5);
    assert.ok(Date.now() - started >= 300, 'it waited for the exit');
  });
});

describe('logs', () => {
  let id: string;
  before(async () => {
    id = await run('echo out1; echo err1 >&2; sleep 0.1; echo out2');
    await docker.containers.wait(id);
  });

  it('stdout and stderr are kept apart', async () => {
    assert.deepEqual(await collectOutput(docker.containers.logs(id, { stdout: true, stderr: true })), { stdout: 'out1\nout2\n', stderr: 'err1\n' });
    assert.deepEqual(await collectOutput(docker.containers.logs(id, { stdout: true })), { stdout: 'out1\nout2\n' });
    assert.deepEqual(await collectOutput(docker.containers.logs(id, { stderr: true })), { stderr: 'err1\n' });
  });

  it('tail: the last lines only', async () => {
    assert.deepEqual(await collectOutput(docker.containers.logs(id, { stdout: true, stderr: true, tail: '1' })), { stdout: 'out2\n' });
  });

  it('timestamps: each line starts with one', async () => {
    const { stdout = '' } = await collectOutput(docker.containers.logs(id, { stdout: true, timestamps: true }));
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    for (const line of lines) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z out\d$/);
  });

  it('since and until select by time', async () => {
    const now = Math.floor(Date.now() / 1000);
    assert.deepEqual(await collectOutput(docker.containers.logs(id, { stdout: true, stderr: true, since: now + 3600 })), {});
    assert.deepEqual(await collectOutput(docker.containers.logs(id, { stdout: true, stderr: true, until: now - 3600 })), {});
    assert.deepEqual(await collectOutput(docker.containers.logs(id, { stdout: true, since: now - 3600 })), { stdout: 'out1\nout2\n' });
  });

  it('follow: lines arrive as they are written, and the loop ends when the container exits', async () => {
    const follow = await run('for i in 1 2 3; do echo line$i; sleep 0.3; done');
    const arrivals: Array<[string, number]> = [];
    const started = Date.now();
    for await (const frame of docker.containers.logs(follow, { stdout: true, follow: true })) {
      arrivals.push([Buffer.from(frame.data).toString(), Date.now() - started]);
    }
    assert.equal(arrivals.map(([text]) => text).join(''), 'line1\nline2\nline3\n');
    assert.ok(arrivals[0]![1] < arrivals.at(-1)![1] - 300, `streamed, not buffered: ${JSON.stringify(arrivals)}`);
  });

  it('a TTY container gives raw output, all as stdout', async () => {
    const tty = await run('echo tty-out; echo tty-err >&2', { Tty: true });
    await docker.containers.wait(tty);
    const output = await collectOutput(docker.containers.logs(tty, { stdout: true, stderr: true }));
    assert.deepEqual(Object.keys(output), ['stdout']);
    assert.equal(output.stdout, 'tty-out\r\ntty-err\r\n');
  });
});

describe('resize', () => {
  it('the TTY takes the new size', async () => {
    const id = await run('while true; do stty size; sleep 0.2; done', { Tty: true, OpenStdin: true });
    await docker.containers.resize(id, { h: 41, w: 103 });
    let seen = '';
    const deadline = Date.now() + 5000;
    while (!seen.includes('41 103') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen = (await collectOutput(docker.containers.logs(id, { stdout: true, tail: '3' }))).stdout ?? '';
    }
    assert.match(seen, /41 103/);
    await assert.rejects(docker.containers.resize(id, { h: -1, w: 10 }), InvalidArgumentError);
  });
});

describe('filesystem: changes, export, archives', () => {
  let id: string;
  const binary = randomBytes(3000);
  before(async () => {
    id = await run('mkdir -p /data && echo hi > /data/new.txt');
    await docker.containers.wait(id);
  });

  it('changes lists what the container added', async () => {
    const changes = await docker.containers.changes(id);
    assert.ok(changes.some((change) => change.Path === '/data/new.txt' && change.Kind === 1), JSON.stringify(changes));
  });

  it('changes of an untouched container is an empty list', async () => {
    assert.deepEqual(await docker.containers.changes(await create({ Cmd: ['true'] })), []);
  });

  it('export: a tar stream of the whole filesystem', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of docker.containers.export(id)) chunks.push(Buffer.from(chunk));
    const archive = Buffer.concat(chunks);
    assert.ok(startsWithTarHeader(archive), 'starts with a tar header');
    const names = readTar(archive).map((entry) => entry.name);
    assert.ok(names.includes('bin/busybox'), `${names.length} entries`);
    assert.ok(names.includes('data/new.txt'));
  });

  it('putArchive, archiveInfo, getArchive: a round trip', async () => {
    const tar = makeTar([
      { name: 'hello.txt', content: Buffer.from('hello from berth\n') },
      { name: 'blob.bin', content: binary, mode: 0o600 },
    ]);
    await docker.containers.putArchive(id, tar, { path: '/data' });
    const stat = await docker.containers.archiveInfo(id, { path: '/data/hello.txt' });
    assert.equal(stat?.name, 'hello.txt');
    assert.equal(stat?.size, 17);
    assert.equal((stat!.mode & 0o777), 0o644);
    const { tar: stream, stat: getStat } = await docker.containers.getArchive(id, { path: '/data/blob.bin' });
    assert.equal(getStat?.size, binary.length);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk));
    const [entry] = readTar(Buffer.concat(chunks));
    assert.equal(entry?.name, 'blob.bin');
    assert.equal((entry!.mode & 0o777), 0o600);
    assert.ok(entry!.content.equals(binary));
  });

  it('putArchive from a stream of chunks', async () => {
    const tar = makeTar([{ name: 'streamed.txt', content: Buffer.from('x'.repeat(70_000)) }]);
    async function* pieces() { for (let at = 0; at < tar.length; at += 8192) yield tar.subarray(at, at + 8192); }
    await docker.containers.putArchive(id, pieces(), { path: '/data' });
    assert.equal((await docker.containers.archiveInfo(id, { path: '/data/streamed.txt' }))?.size, 70_000);
  });

  it('a path that does not exist is a NotFoundError', async () => {
    await assert.rejects(docker.containers.archiveInfo(id, { path: '/no/such/file' }), NotFoundError);
    await assert.rejects(docker.containers.getArchive(id, { path: '/no/such/file' }), NotFoundError);
  });
});

describe('prune', () => {
  it('removes stopped containers matching our label, and nothing else', async () => {
    const pruneLabel = `${RUN}-prune`;
    const doomed = await create({ Cmd: ['true'], Labels: { [TEST_LABEL]: pruneLabel } });
    const kept = await create({ Cmd: ['true'] });
    const result = await docker.containers.prune({ filters: { label: [`${TEST_LABEL}=${pruneLabel}`] } });
    assert.deepEqual(result.ContainersDeleted, [doomed]);
    assert.equal(typeof result.SpaceReclaimed, 'number');
    await assert.rejects(docker.containers.inspect(doomed), NotFoundError);
    assert.equal((await docker.containers.inspect(kept)).Id, kept);
  });
});
