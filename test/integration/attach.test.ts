/**
 * Attach against the real engine: stdin with half-close while output still flows, TTY and multiplexed
 * output, leaving and aborting, the WebSocket variant, and no connection left behind.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { InvalidArgumentError } from '../../src/index.js';
import { countingDocker } from '../helpers/counting-docker.js';
import { Cleanup, podmanDiffers, collectOutput, TEST_IMAGE, TEST_LABEL, uniqueName } from '../helpers/engine.js';

const { docker, settle } = countingDocker();
const cleanup = new Cleanup(docker);
const label = uniqueName('attach');
after(() => cleanup.run());

/** A container made for attaching: stdin open once (`docker run -i`), optionally a TTY. */
function createInteractive(cmd: string[], tty = false) {
  return cleanup.container(docker.containers.create({
    Image: TEST_IMAGE, Cmd: cmd, Tty: tty, OpenStdin: true, StdinOnce: true,
    AttachStdin: true, AttachStdout: true, AttachStderr: true, Labels: { [TEST_LABEL]: label },
  }));
}

describe('containers.attach', () => {
  it('sends stdin, half-closes it, and keeps reading output until the process exits', { timeout: 30_000 }, async () => {
    const { Id } = await createInteractive(['sh', '-c', 'cat; echo done; echo bye >&2']);
    const session = await docker.containers.attach(Id, { stream: true, stdin: true, stdout: true, stderr: true });
    assert.equal(session.tty, false);
    await docker.containers.start(Id);
    const output = collectOutput(session);
    await session.stdin.write('first line\n');
    await session.stdin.write(new TextEncoder().encode('second line\n'));
    await session.stdin.end();
    assert.equal(session.stdin.ended, true);
    // `done` and `bye` are written only after cat saw end of file: they prove output flows after the half-close.
    assert.deepEqual(await output, { stdout: 'first line\nsecond line\ndone\n', stderr: 'bye\n' });
    assert.equal((await docker.containers.wait(Id)).StatusCode, 0);
    assert.equal(await settle(0), 0, 'the hijacked connection is closed once the output ended');
  });

  it('counts the bytes of a large stdin (wc -c) and ends', { timeout: 30_000 }, async () => {
    const { Id } = await createInteractive(['wc', '-c']);
    const session = await docker.containers.attach(Id, { stream: true, stdin: true, stdout: true, stderr: true });
    await docker.containers.start(Id);
    const output = collectOutput(session);
    const block = new Uint8Array(64 * 1024).fill(120);
    await session.stdin.writeAll((function* () { for (let i = 0; i < 48; i++) yield block; })());
    assert.equal((await output).stdout?.trim(), String(48 * 64 * 1024));
  });

  it('gives raw output for a TTY container, and resizes its terminal', { timeout: 30_000 }, async () => {
    const { Id } = await createInteractive(['sh', '-c', 'read line; stty size; echo out; echo err >&2'], true);
    const session = await docker.containers.attach(Id, { stream: true, stdin: true, stdout: true, stderr: true });
    assert.equal(session.tty, true);
    await docker.containers.start(Id);
    await session.resize({ h: 33, w: 101 });
    const output = collectOutput(session);
    await session.stdin.write('go\r');
    const { stdout, stderr } = await output;
    assert.equal(stderr, undefined, 'a TTY has one stream');
    assert.match(stdout ?? '', /33 101\r\nout\r\nerr\r\n/);
  });

  it('replays earlier output with logs: true', { timeout: 30_000 }, async (t) => {
    podmanDiffers(t, 'attach with logs=true replays output that is not in the multiplexed framing ("Unknown stream 10")');
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['sh', '-c', 'echo early; sleep 1; echo late'], Labels: { [TEST_LABEL]: label } }));
    await docker.containers.start(Id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const session = await docker.containers.attach(Id, { logs: true, stream: true, stdout: true, stderr: true });
    assert.deepEqual(await collectOutput(session), { stdout: 'early\nlate\n' });
  });

  it('closes the connection when the loop is left early, while other requests go on', { timeout: 30_000 }, async () => {
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['sh', '-c', 'while true; do echo tick; sleep 0.1; done'], Labels: { [TEST_LABEL]: label } }));
    await docker.containers.start(Id);
    const session = await docker.containers.attach(Id);
    let frames = 0;
    for await (const frame of session) {
      assert.equal(frame.stream, 'stdout');
      // Ordinary requests are not stuck behind the hijacked connection.
      const [inspected, listed] = await Promise.all([docker.containers.inspect(Id), docker.containers.list({ filters: { label: [`${TEST_LABEL}=${label}`] } })]);
      assert.equal(inspected.State?.Running, true);
      assert.ok(listed.some((container) => container.Id === Id));
      if (++frames === 3) break;
    }
    assert.equal(frames, 3);
    assert.equal(session.closed, true);
    assert.equal(await settle(0), 0);
    assert.equal((await docker.containers.inspect(Id)).State?.Running, true, 'leaving the loop detaches; the container runs on');
  });

  it('stops on abort with the signal\'s reason and releases the connection', { timeout: 30_000 }, async () => {
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['sleep', '600'], Labels: { [TEST_LABEL]: label } }));
    await docker.containers.start(Id);
    const controller = new AbortController();
    const session = await docker.containers.attach(Id, undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('enough')), 200);
    const started = Date.now();
    await assert.rejects(async () => { for await (const _ of session) { /* nothing comes */ } }, /enough/);
    assert.ok(Date.now() - started < 5000);
    assert.equal(await settle(0), 0);
  });

  it('rejects malformed detach keys before any request', { timeout: 30_000 }, async () => {
    await assert.rejects(docker.containers.attach('x', { stream: true, detachKeys: 'ctrl-' }), InvalidArgumentError);
  });
});

describe('containers.attachWebSocket', () => {
  it('reads a container\'s output through the WebSocket endpoint until it exits', { timeout: 30_000 }, async (t) => {
    podmanDiffers(t, 'Podman 4 has no /containers/{id}/attach/ws (404)');
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['sh', '-c', 'sleep 0.5; echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three'], Labels: { [TEST_LABEL]: label } }));
    const reading = (async () => {
      let text = '';
      for await (const chunk of docker.containers.attachWebSocket(Id, { stream: true, stdout: true, stderr: true })) text += Buffer.from(chunk).toString('utf8');
      return text;
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await docker.containers.start(Id);
    const text = await reading;
    // Not multiplexed: both streams arrive as plain text, in order.
    assert.equal(text.replace(/\r/g, ''), 'one\ntwo\nthree\n');
    assert.equal(await settle(0), 0);
  });

  it('closes when the loop is left', { timeout: 30_000 }, async (t) => {
    podmanDiffers(t, 'Podman 4 has no /containers/{id}/attach/ws (404)');
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['sh', '-c', 'while true; do echo tick; sleep 0.1; done'], Labels: { [TEST_LABEL]: label } }));
    await docker.containers.start(Id);
    let chunks = 0;
    for await (const chunk of docker.containers.attachWebSocket(Id, { stream: true, stdout: true })) {
      assert.match(Buffer.from(chunk).toString(), /tick/);
      if (++chunks === 2) break;
    }
    assert.equal(await settle(0), 0);
  });
});
