/**
 * Every script in examples/ runs as a user would run it (`node examples/x.mjs`, on the runtime running this test),
 * against the test engine, and prints what it promises. The examples import the built package (dist/src).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Cleanup, podmanDiffers, TEST_IMAGE, TEST_LABEL, testDocker, testHost, uniqueName } from '../helpers/engine.js';
import { openRegistry } from '../helpers/registry.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const docker = testDocker();
const cleanup = new Cleanup(docker);
after(async () => { await cleanup.run(); docker.close(); });

/** Runs examples/NAME with the test engine in DOCKER_HOST; resolves with its output, rejects on a non-zero exit. */
async function example(name: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [`${EXAMPLES}${name}`, ...args], {
    env: { ...process.env, DOCKER_HOST: testHost(), EXAMPLE_IMAGE: TEST_IMAGE },
    timeout: 120_000,
  });
}

describe('examples/', () => {
  it('has no example without a test here', () => {
    assert.deepEqual(readdirSync(EXAMPLES).filter((file) => file.endsWith('.mjs')).sort(),
      ['build-directory.mjs', 'exec-stdin.mjs', 'follow-events.mjs', 'pull-progress.mjs', 'seed.mjs']);
  });

  it('seed.mjs: list, create, start, wait, logs (frames), stop (a 304 result), remove', async () => {
    const name = uniqueName('example-seed');
    const { stdout } = await example('seed.mjs', name);
    const lines = stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^containers before: \d+$/);
    assert.match(lines[1]!, new RegExp(`^created ${name} [0-9a-f]{12}$`));
    assert.equal(lines[2], 'exit code: 3');
    // stdout and stderr frames, each under its own stream (their order between the streams is the engine's).
    assert.deepEqual(lines.slice(3, 5).sort(), ['stderr: hello from stderr', 'stdout: hello from stdout']);
    assert.deepEqual(lines.slice(5), ['already stopped: true', `removed ${name}`]);
    await assert.rejects(docker.containers.inspect(name), { status: 404 });
  });

  it('exec-stdin.mjs: the command reads stdin to its end; output and exit code come back', async () => {
    const { stdout } = await example('exec-stdin.mjs');
    assert.equal(stdout, 'stdout: HELLO THROUGH STDIN\nstderr: done\nexit code: 7\n');
  });

  it('follow-events.mjs: create, start, die, destroy, then the abort ends the loop', async () => {
    const { stdout } = await example('follow-events.mjs');
    const lines = stdout.trimEnd().split('\n');
    // Podman adds its own actions (init, cleanup) between these; the order of these four is the same on both.
    const lifecycle = ['create', 'start', 'die', 'destroy'].map((action) => `event: container ${action}`);
    assert.deepEqual(lines.filter((line) => lifecycle.includes(line)), lifecycle);
    assert.equal(lines.at(-1), 'stopped following');
  });

  it('pull-progress.mjs: a layer the engine lacks is downloaded, the bar reaches its total, the digest is printed', async (t) => {
    podmanDiffers(t, 'a pull reports no byte counts, no digest and no closing status line');
    // An image with a layer of its own in the local registry, then gone from the engine: the pull must download it.
    const reference = `${openRegistry()}/${uniqueName('example-pull')}:1`;
    const { Id } = await cleanup.container(docker.containers.create({
      Image: TEST_IMAGE, Cmd: ['sh', '-c', 'head -c 1500000 /dev/urandom > /blob'], Labels: { [TEST_LABEL]: 'examples' },
    }));
    await docker.containers.start(Id);
    await docker.containers.wait(Id);
    const [repo, tag] = reference.split(/:(?=[^:/]+$)/);
    await docker.images.commit(Id, { repo, tag });
    const pushed = await docker.images.push(reference);
    await docker.containers.remove(Id, { force: true });
    await docker.images.remove(reference);
    try {
      const { stdout } = await example('pull-progress.mjs', reference);
      assert.match(stdout, /\n\[=+\] (\d+\.\d)\/\1 MB\n/, 'the bar is full, with a total of at least one layer');
      assert.ok(stdout.includes(`\npulled ${reference} ${pushed.digest}\n`), stdout);
      assert.ok(stdout.includes(`Downloaded newer image for ${reference}`), stdout);
    } finally {
      await docker.images.remove(reference, { force: true }).catch(() => undefined);
    }
  });

  it('pull-progress.mjs: a pull that fails exits 1 with the engine\'s reason', async () => {
    const missing = `${openRegistry()}/${uniqueName('example-nosuch')}:1`;
    await assert.rejects(example('pull-progress.mjs', missing), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /^pull failed.*: .*(not found|unknown|manifest)/i);
      return true;
    });
  });

  it('build-directory.mjs: builds from a directory, runs the image, removes it', async () => {
    const { stdout } = await example('build-directory.mjs');
    const tag = /^built (berth-example-build:\d+) sha256:[0-9a-f]{64}$/m.exec(stdout)?.[1];
    assert.ok(tag, stdout);
    assert.match(stdout, /\nhello from a built image\nremoved berth-example-build:\d+\n$/);
    await assert.rejects(docker.images.inspect(tag), { status: 404 });
  });
});
