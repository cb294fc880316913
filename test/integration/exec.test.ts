/**
 * Exec against the real engine: run() with stdin and exit codes, TTY output, more than 10 MB in order,
 * the low-level operations, and an exec that never ends stopped by a signal.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../../src/index.js';
import { countingDocker } from '../helpers/counting-docker.js';
import { Cleanup, podmanDiffers, collectOutput, TEST_IMAGE, TEST_LABEL, uniqueName } from '../helpers/engine.js';

const { docker, settle } = countingDocker();
const cleanup = new Cleanup(docker);
const label = uniqueName('exec');
let container = '';

before(async () => {
  const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['sleep', '3600'], Labels: { [TEST_LABEL]: label } }));
  await docker.containers.start(Id);
  container = Id;
});
after(() => cleanup.run());

describe('exec.run', () => {
  it('feeds stdin, sends end of file, and returns output and exit code', { timeout: 30_000 }, async () => {
    const result = await docker.exec.run(container, ['sh', '-c', 'cat; echo done; echo warn >&2; exit 3'], { stdin: 'given\n' });
    assert.deepEqual(result, { stdout: 'given\ndone\n', stderr: 'warn\n', exitCode: 3 });
    assert.equal(await settle(0), 0, 'no connection left open');
  });

  it('takes stdin as bytes and as an async iterable', { timeout: 30_000 }, async () => {
    assert.equal((await docker.exec.run(container, ['wc', '-c'], { stdin: new Uint8Array(3_000_000) })).stdout.trim(), '3000000');
    async function* pieces() { yield 'a'; await new Promise((resolve) => setTimeout(resolve, 50)); yield 'b\n'; }
    assert.equal((await docker.exec.run(container, ['cat'], { stdin: pieces() })).stdout, 'ab\n');
  });

  it('reports the command\'s exit code', { timeout: 30_000 }, async () => {
    assert.equal((await docker.exec.run(container, ['true'])).exitCode, 0);
    assert.equal((await docker.exec.run(container, ['sh', '-c', 'exit 42'])).exitCode, 42);
    assert.equal((await docker.exec.run(container, ['sh', '-c', 'kill -9 $$'])).exitCode, 137);
    const missing = await docker.exec.run(container, ['no-such-command']);
    assert.ok(missing.exitCode === 126 || missing.exitCode === 127, `exit code ${missing.exitCode}`);
  });

  it('passes env, user and working directory', { timeout: 30_000 }, async () => {
    const result = await docker.exec.run(container, ['sh', '-c', 'echo "$GREETING $(id -u) $(pwd)"'], { env: ['GREETING=hi'], user: '65534', workingDir: '/tmp' });
    assert.equal(result.stdout, 'hi 65534 /tmp\n');
  });

  it('with a TTY returns raw output, stderr merged', { timeout: 30_000 }, async () => {
    const result = await docker.exec.run(container, ['sh', '-c', 'echo out; echo err >&2'], { tty: true });
    assert.deepEqual(result, { stdout: 'out\r\nerr\r\n', stderr: '', exitCode: 0 });
  });

  it('delivers more than 10 MB complete and in order', { timeout: 30_000 }, async () => {
    const count = 1_500_000;
    const { stdout, exitCode } = await docker.exec.run(container, ['seq', '1', String(count)]);
    assert.equal(exitCode, 0);
    assert.ok(stdout.length > 10_000_000, `${stdout.length} bytes`);
    const lines = stdout.split('\n');
    assert.equal(lines.length, count + 1);
    for (let i = 0; i < count; i += 1) if (lines[i] !== String(i + 1)) assert.fail(`line ${i + 1} is ${lines[i]}`);
  });

  it('stops an exec that never ends when the signal aborts, and releases the connection', { timeout: 30_000 }, async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop waiting')), 300);
    const started = Date.now();
    await assert.rejects(docker.exec.run(container, ['sh', '-c', 'while true; do echo y; sleep 0.05; done'], { signal: controller.signal }), /stop waiting/);
    assert.ok(Date.now() - started < 5000);
    assert.equal(await settle(0), 0);
  });

  it('rejects an empty command before any request', { timeout: 30_000 }, async () => {
    await assert.rejects(docker.exec.run(container, []), InvalidArgumentError);
  });
});

describe('exec operations', () => {
  it('create, start attached, resize, inspect', { timeout: 30_000 }, async () => {
    const { Id } = await docker.exec.create(container, { Cmd: ['sh', '-c', 'read line; stty size; exit 7'], Tty: true, AttachStdin: true, AttachStdout: true });
    const session = await docker.exec.start(Id, { Tty: true });
    assert.equal(session.tty, true);
    await session.resize({ h: 24, w: 132 });
    const output = collectOutput(session);
    await session.stdin.write('\r');
    assert.match((await output).stdout ?? '', /24 132/);
    const info = await docker.exec.inspect(Id);
    assert.equal(info.ExitCode, 7);
    assert.equal(info.Running, false);
    assert.equal(info.ProcessConfig?.tty, true);
  });

  it('an exec with stdin attached ends when the process exits even if stdin stays open', { timeout: 30_000 }, async () => {
    const { Id } = await docker.exec.create(container, { Cmd: ['sh', '-c', 'echo started; sleep 0.3'], AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const session = await docker.exec.start(Id);
    assert.deepEqual(await collectOutput(session), { stdout: 'started\n' });
  });

  it('starts detached and records the exit code', { timeout: 30_000 }, async (t) => {
    podmanDiffers(t, 'a detached exec reports ExitCode 0 whatever the command returned');
    const { Id } = await docker.exec.create(container, { Cmd: ['sh', '-c', 'sleep 0.2; exit 5'] });
    await docker.exec.startDetached(Id);
    let info = await docker.exec.inspect(Id);
    for (let i = 0; i < 100 && info.Running !== false; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      info = await docker.exec.inspect(Id);
    }
    assert.equal(info.ExitCode, 5);
  });

  it('maps engine errors: stopped container, unknown exec', { timeout: 30_000 }, async () => {
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['true'], Labels: { [TEST_LABEL]: label } }));
    await assert.rejects(docker.exec.create(Id, { Cmd: ['true'] }), ConflictError);
    await assert.rejects(docker.exec.inspect('0000000000000000000000000000000000000000000000000000000000000000'), NotFoundError);
  });
});
