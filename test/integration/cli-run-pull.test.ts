/**
 * `berth run`/`create` and a missing image: `--pull missing|always|never`, with the Docker CLI's lines on
 * stderr ("Unable to find image … locally", then the pull's progress).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { TEST_IMAGE, TEST_LABEL, testDocker, testEngine, uniqueName } from '../helpers/engine.js';
import { openRegistry } from '../helpers/registry.js';

const docker = testDocker();
const label = `${TEST_LABEL}=${uniqueName('clipull')}`;
let reference: string;

before(async () => {
  // An image only the registry has.
  reference = `${openRegistry()}/${uniqueName('clipull')}:v1`;
  await docker.images.tag(TEST_IMAGE, { repo: reference });
  await docker.images.push(reference);
  await docker.images.remove(reference);
});
after(async () => {
  await docker.containers.prune({ filters: { label: [label] } }).catch(() => undefined);
  await docker.images.remove(reference).catch(() => undefined);
  docker.close();
});

test('run --pull never: the engine\'s "No such image", exit 125, nothing pulled', async () => {
  const result = await runCli(['run', '--rm', '--pull', 'never', '-l', label, reference, 'true']);
  assert.equal(result.code, 125);
  assert.match(result.stderr, /^berth: .*(no such image|image not known)/i);
  await assert.rejects(docker.images.inspect(reference));
});

test('run with a missing image pulls it first (stderr as docker prints it), then runs', async () => {
  const result = await runCli(['run', '--rm', '-l', label, reference, 'echo', 'ran']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'ran\n');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines[0], `Unable to find image '${reference}' locally`);
  if (testEngine() === 'docker') {
    // The layer is already there (it is busybox:local's), so dockerd reports no layer lines.
    assert.equal(lines[1], `v1: Pulling from ${reference.slice(openRegistry().length + 1, -3)}`);
    assert.match(lines[2]!, /^Digest: sha256:[0-9a-f]{64}$/);
    assert.equal(lines[3], `Status: Downloaded newer image for ${reference}`);
  } else {
    assert.ok(lines.length > 1, 'the pull shows progress');
  }
  await docker.images.inspect(reference);
});

test('create --pull always pulls an image that is present; a wrong --pull is refused before anything', async () => {
  const created = await runCli(['create', '--pull', 'always', '-l', label, reference, 'true']);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /^[0-9a-f]{64}\n$/);
  assert.doesNotMatch(created.stderr, /Unable to find image/);
  if (testEngine() === 'docker') assert.match(created.stderr, new RegExp(`^Status: Image is up to date for ${reference.replace(/\./g, '\\.')}$`, 'm'));
  const wrong = await runCli(['run', '--pull', 'sometimes', TEST_IMAGE, 'true']);
  assert.equal(wrong.code, 125);
  assert.equal(wrong.stderr, 'berth: invalid pull option: \'sometimes\': must be one of "always", "missing" or "never"\n\nRun \'berth run --help\' for more information\n');
});
