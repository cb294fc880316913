/**
 * The `berth` CLI's output commands against the real engine: logs (streams kept apart, --tail, -t,
 * --since, -f), cp in both directions, export.
 */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { Cleanup, TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from '../helpers/engine.js';

const docker = testDocker();
const cleanup = new Cleanup(docker);
const label = `${TEST_LABEL}=${uniqueName('clifiles')}`;
let workDir: string;

before(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'berth-cli-'));
});

after(async () => {
  await rm(workDir, { recursive: true, force: true });
  await cleanup.run();
});

async function runDetached(prefix: string, command: string[]): Promise<string> {
  const name = cleanup.trackContainer(uniqueName(prefix));
  const result = await runCli(['run', '-d', '--name', name, '-l', label, TEST_IMAGE, ...command]);
  assert.equal(result.code, 0, result.stderr);
  return name;
}

describe('berth logs', () => {
  test('keeps stdout and stderr apart', async () => {
    const name = await runDetached('logs', ['sh', '-c', 'echo out1; echo err1 >&2; echo out2; echo err2 >&2']);
    await docker.containers.wait(name);
    const result = await runCli(['logs', name]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'out1\nout2\n');
    assert.equal(result.stderr, 'err1\nerr2\n');
  });

  test('--tail, -t and --since', async () => {
    const name = await runDetached('logstail', ['sh', '-c', 'for i in 1 2 3 4; do echo line$i; done']);
    await docker.containers.wait(name);
    const tail = await runCli(['logs', '--tail', '2', name]);
    assert.equal(tail.stdout, 'line3\nline4\n');
    const stamped = await runCli(['logs', '-t', '--tail=1', name]);
    assert.match(stamped.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z line4\n$/);
    const recent = await runCli(['logs', '--since', '10m', name]);
    assert.equal(recent.stdout, 'line1\nline2\nline3\nline4\n');
    const future = await runCli(['logs', '--since', String(Math.floor(Date.now() / 1000) + 3600), name]);
    assert.equal(future.stdout, '');
    const rfc3339 = await runCli(['logs', '--since', '2000-01-01T00:00:00Z', name]);
    assert.equal(rfc3339.stdout, 'line1\nline2\nline3\nline4\n');
    const bad = await runCli(['logs', '--since', 'yesterday-ish', name]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /yesterday-ish/);
  });

  test('-f follows until the container stops', async () => {
    const name = await runDetached('logsf', ['sh', '-c', 'echo first; sleep 2; echo second; echo third >&2']);
    const started = Date.now();
    const result = await runCli(['logs', '-f', name]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'first\nsecond\n');
    assert.equal(result.stderr, 'third\n');
    assert.ok(Date.now() - started >= 1000, 'logs -f returned before the container stopped');
  });

  test('logs of a missing container exits 1', async () => {
    const result = await runCli(['logs', 'berth-no-such-container']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Error response from daemon: .*no such container/i);
  });
});

describe('berth run with volumes and networks', () => {
  test('-v binds a host directory, --network picks the network, -e reaches the process', async () => {
    const shared = join(workDir, 'shared');
    await mkdir(shared, { recursive: true });
    await writeFile(join(shared, 'greeting.txt'), 'from the host\n');
    const result = await runCli(['run', '--rm', '-l', label, '-v', `${shared}:/data:ro`, '--network', 'none', '-e', 'WHO=berth', TEST_IMAGE,
      'sh', '-c', 'cat /data/greeting.txt; echo $WHO; ls /sys/class/net']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'from the host\nberth\nlo\n');
  });

  test('-v with only a container path makes an anonymous volume', async () => {
    const name = cleanup.trackContainer(uniqueName('anonvol'));
    const result = await runCli(['create', '--name', name, '-l', label, '-v', '/scratch', TEST_IMAGE]);
    assert.equal(result.code, 0, result.stderr);
    const info = await docker.containers.inspect(name);
    assert.equal(info.Mounts?.[0]?.Type, 'volume');
    assert.equal(info.Mounts?.[0]?.Destination, '/scratch');
    const removed = await runCli(['rm', '-v', name]);
    assert.equal(removed.code, 0, removed.stderr);
  });
});

describe('berth cp and export', () => {
  test('cp round-trips a file\'s content both ways', async () => {
    const name = await runDetached('cp', ['sleep', '600']);
    const local = join(workDir, 'source.txt');
    const content = `hello from berth ${Date.now()}\nsecond line\n`;
    await writeFile(local, content, { mode: 0o640 });
    const up = await runCli(['cp', local, `${name}:/tmp/copied.txt`]);
    assert.equal(up.code, 0, up.stderr);
    const back = join(workDir, 'back.txt');
    const down = await runCli(['cp', `${name}:/tmp/copied.txt`, back]);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(await readFile(back, 'utf8'), content);
    assert.equal((await stat(back)).mode & 0o777, 0o640);
  });

  test('cp copies directories into an existing directory and dir/. as contents', async () => {
    const name = await runDetached('cpdir', ['sleep', '600']);
    const tree = join(workDir, 'tree');
    await mkdir(join(tree, 'sub'), { recursive: true });
    await writeFile(join(tree, 'a.txt'), 'A');
    await writeFile(join(tree, 'sub', 'b.txt'), 'B');
    assert.equal((await runCli(['cp', tree, `${name}:/tmp`])).code, 0);
    const listing = await docker.containers.archiveInfo(name, { path: '/tmp/tree/sub/b.txt' });
    assert.equal(listing?.size, 1);

    const into = join(workDir, 'into');
    await mkdir(into);
    const down = await runCli(['cp', `${name}:/tmp/tree`, into]);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(await readFile(join(into, 'tree', 'sub', 'b.txt'), 'utf8'), 'B');

    const contents = join(workDir, 'contents');
    const dot = await runCli(['cp', `${name}:/tmp/tree/.`, contents]);
    assert.equal(dot.code, 0, dot.stderr);
    assert.deepEqual((await readdir(contents)).sort(), ['a.txt', 'sub']);
  });

  test('cp to stdout writes a tar; missing paths fail with the engine\'s message', async () => {
    const name = await runDetached('cpstdout', ['sleep', '600']);
    const tar = await runCli(['cp', `${name}:/etc/passwd`, '-']);
    assert.equal(tar.code, 0, tar.stderr);
    assert.equal(tar.stdoutBytes.subarray(257, 262).toString('latin1'), 'ustar');
    assert.equal(tar.stdoutBytes.subarray(0, 6).toString('latin1'), 'passwd');
    const missing = await runCli(['cp', `${name}:/berth-no-such-file`, join(workDir, 'x')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Error response from daemon: (Could not find the file \/berth-no-such-file in container|.*no such file or directory)/);
    const noLocal = await runCli(['cp', join(workDir, 'berth-no-such-file'), `${name}:/tmp`]);
    assert.equal(noLocal.code, 1);
    assert.match(noLocal.stderr, /no such file or directory/);
    const both = await runCli(['cp', `${name}:/a`, `${name}:/b`]);
    assert.equal(both.code, 1);
    assert.match(both.stderr, /copying between containers is not supported/);
  });

  test('export -o writes the filesystem as a tar', async () => {
    const name = cleanup.trackContainer(uniqueName('export'));
    await runCli(['create', '--name', name, '-l', label, TEST_IMAGE]);
    const file = join(workDir, 'export.tar');
    const result = await runCli(['export', '-o', file, name]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    const bytes = await readFile(file);
    assert.equal(bytes.subarray(257, 262).toString('latin1'), 'ustar');
    assert.ok(bytes.includes(Buffer.from('bin/busybox')), 'the tar holds the image\'s files');
    const missing = await runCli(['export', '-o', join(workDir, 'none.tar'), 'berth-no-such-container']);
    assert.equal(missing.code, 1);
    await assert.rejects(stat(join(workDir, 'none.tar')), 'no file is left behind for a missing container');
    const piped = await runCli(['export', name]);
    assert.equal(piped.stdoutBytes.length, bytes.length);
  });
});
