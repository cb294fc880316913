import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NonZeroExitError, NotFoundError, type Docker } from '../../src/index.js';
import { TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from '../helpers/engine.js';
import { openRegistry } from '../helpers/registry.js';

let docker: Docker;
/** One label value for this file: every container a run makes carries it, so leftovers can be counted. */
const RUN_LABEL = uniqueName('run');
const create = { Labels: { [TEST_LABEL]: RUN_LABEL } };
const images: string[] = [];

/** Containers of this file that still exist (running or not). */
async function leftovers(): Promise<string[]> {
  const list = await docker.containers.list({ all: true, filters: { label: [`${TEST_LABEL}=${RUN_LABEL}`] } });
  return list.map((container) => container.Id ?? "");
}

before(() => { docker = testDocker(); });
after(async () => {
  for (const id of await leftovers()) await docker.containers.remove(id, { force: true }).catch(() => undefined);
  for (const image of images) await docker.images.remove(image).catch(() => undefined);
  docker.close();
});

describe('docker.run', () => {
  test('exit codes 0 and 3 are results; stdout and stderr come apart; the container is removed', async () => {
    const ok = await docker.run(TEST_IMAGE, ['sh', '-c', 'echo out; echo err >&2'], { create });
    assert.deepEqual([ok.exitCode, ok.stdout, ok.stderr], [0, 'out\n', 'err\n']);
    const failed = await docker.run(TEST_IMAGE, ['sh', '-c', 'echo partial; exit 3'], { create });
    assert.deepEqual([failed.exitCode, failed.stdout, failed.stderr], [3, 'partial\n', '']);
    assert.deepEqual(await leftovers(), []);
  });

  test('stdin is written then closed: cat sees end of file; output as bytes', async () => {
    const result = await docker.run(TEST_IMAGE, ['sh', '-c', 'cat; echo done'], { create, stdin: ['hello ', Buffer.from('world\n')], output: 'bytes' });
    assert.ok(result.stdout instanceof Uint8Array);
    assert.equal(Buffer.from(result.stdout).toString(), 'hello world\ndone\n');
    assert.equal(result.exitCode, 0);
  });

  test('rejectOnNonZero: a NonZeroExitError carrying the exit code and output', async () => {
    await assert.rejects(docker.run(TEST_IMAGE, ['sh', '-c', 'echo oops >&2; exit 7'], { create, rejectOnNonZero: true }), (error: unknown) => {
      assert.ok(error instanceof NonZeroExitError);
      assert.deepEqual([error.exitCode, error.stderr, error.code], [7, 'oops\n', 'NON_ZERO_EXIT']);
      return true;
    });
    assert.deepEqual(await leftovers(), []);
  });

  test('pull "missing" pulls an image the engine lacks; "never" fails with NotFoundError and creates nothing', async () => {
    const reference = `${openRegistry()}/${uniqueName('runpull')}:v1`;
    images.push(reference);
    await docker.images.tag(TEST_IMAGE, { repo: reference });
    await docker.images.push(reference);
    await docker.images.remove(reference);
    await assert.rejects(docker.run(reference, ['true'], { create, pull: 'never' }), NotFoundError);
    await assert.rejects(docker.images.inspect(reference), NotFoundError);
    const result = await docker.run(reference, ['echo', 'pulled'], { create });
    assert.deepEqual([result.exitCode, result.stdout], [0, 'pulled\n']);
    await docker.images.inspect(reference);
    assert.deepEqual(await leftovers(), []);
  });

  test('an abort ends the run and removes the running container', async () => {
    const controller = new AbortController();
    const name = uniqueName('runabort');
    const running = docker.run(TEST_IMAGE, ['sleep', '30'], { create, name, signal: controller.signal });
    // Abort once the container runs.
    for (let i = 0; i < 100; i++) {
      const [found] = await docker.containers.list({ filters: { name: [name] } });
      if (found?.State === 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const started = Date.now();
    controller.abort();
    await assert.rejects(running);
    assert.ok(Date.now() - started < 10_000, 'the abort did not wait for the container');
    assert.deepEqual(await leftovers(), []);
  });

  test('keep: the exited container stays; invalid options are rejected before any request', async () => {
    const result = await docker.run(TEST_IMAGE, ['true'], { create, keep: true });
    assert.deepEqual(await leftovers(), [result.containerId]);
    await docker.containers.remove(result.containerId);
    await assert.rejects(docker.run(TEST_IMAGE, ['true'], { pull: 'sometimes' as 'never' }), /pull must be/);
    await assert.rejects(docker.run('', ['true']), /needs an image/);
    assert.throws(() => docker.runStream(TEST_IMAGE, 'true' as unknown as string[]), /array of strings/);
  });
});

describe('docker.runStream', () => {
  test('frames as they come, then the exit code; the container is removed', async () => {
    const run = docker.runStream(TEST_IMAGE, ['sh', '-c', 'echo a; echo b >&2; exit 4'], { create });
    const seen: string[] = [];
    for await (const frame of run) seen.push(`${frame.stream}:${Buffer.from(frame.data).toString()}`);
    assert.deepEqual(seen.sort(), ['stderr:b\n', 'stdout:a\n']);
    assert.equal(await run.exitCode, 4);
    assert.deepEqual(await leftovers(), []);
  });

  test('leaving the loop early removes the container and rejects exitCode', async () => {
    const run = docker.runStream(TEST_IMAGE, ['sh', '-c', 'echo first; sleep 30'], { create });
    for await (const frame of run) {
      assert.equal(Buffer.from(frame.data).toString(), 'first\n');
      break;
    }
    await assert.rejects(run.exitCode, /left before the container exited/);
    assert.deepEqual(await leftovers(), []);
  });
});
