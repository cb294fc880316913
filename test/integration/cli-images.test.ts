/**
 * The `berth` image commands against the real engine and the local registries: images, tag, rmi, history,
 * image inspect, push/pull, build, save/load, import, commit, image prune, login/logout.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { Cleanup, podmanDiffers, TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from '../helpers/engine.js';
import { authRegistry, openRegistry, REGISTRY_PASSWORD, REGISTRY_USER } from '../helpers/registry.js';

const docker = testDocker();
const cleanup = new Cleanup(docker);
const labelValue = uniqueName('cli-images');
const label = `${TEST_LABEL}=${labelValue}`;
const images: string[] = [];
const directories: string[] = [];

after(async () => {
  for (const image of images.reverse()) await docker.images.remove(image, { force: true }).catch(() => undefined);
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
  await cleanup.run();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-cli-images-'));
  directories.push(dir);
  return dir;
}

/** Runs berth and insists on exit code 0. */
async function berth(args: string[], options: Parameters<typeof runCli>[1] = {}) {
  const result = await runCli(args, options);
  assert.equal(result.code, 0, `berth ${args.join(' ')} failed: ${result.stderr}`);
  return result;
}

/** A fresh tag of the test image. */
async function taggedImage(prefix: string): Promise<string> {
  const name = `${uniqueName(prefix)}:v1`;
  await berth(['tag', TEST_IMAGE, name]);
  images.push(name);
  return name;
}

describe('berth images, tag, history, image inspect, rmi', () => {
  test('a new tag is listed with its ID, as a table, as IDs and as JSON', async () => {
    const name = await taggedImage('list');
    const id = (await docker.images.inspect(name)).Id!;
    const short = id.replace('sha256:', '').slice(0, 12);
    const [repository] = name.split(':');
    const table = await berth(['images', repository!]);
    const lines = table.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, new RegExp(`^${repository}\\s+v1\\s+${short}\\s+.+ ago\\s+\\d`));
    assert.equal((await berth(['images', '-q', repository!])).stdout, `${short}\n`);
    const json = JSON.parse((await berth(['image', 'ls', '--format', 'json', repository!])).stdout);
    assert.equal(json.ID, short);
    assert.equal(json.Tag, 'v1');
    assert.equal((await berth(['images', '--no-trunc', '--format', '{{.ID}}', repository!])).stdout.trim(), id);
  });

  test('history and image inspect show the image', async () => {
    const name = await taggedImage('history');
    const id = (await docker.images.inspect(name)).Id!;
    const history = await berth(['history', name]);
    assert.match(history.stdout.split('\n')[0]!, /^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);
    assert.equal((await berth(['history', '-q', name])).stdout.split('\n')[0], id.replace('sha256:', '').slice(0, 12));
    assert.equal((await berth(['image', 'inspect', '-f', '{{.Id}}', name])).stdout, `${id}\n`);
    const inspected = JSON.parse((await berth(['image', 'inspect', name])).stdout);
    assert.equal(inspected[0].Id, id);
    const missing = await runCli(['image', 'inspect', 'berth-no-such-image:x']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Error response from daemon: .*(No such image|not known|image not known)/i);
  });

  test('rmi prints what it untagged, and keeps going after an error (exit 1)', async () => {
    const name = await taggedImage('rmi');
    const result = await runCli(['rmi', 'berth-no-such-image:x', name]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, new RegExp(`^Untagged: (docker\\.io/library/)?${name}$`, 'm'));
    assert.match(result.stderr, /^Error response from daemon: /m);
  });
});

describe('berth push, pull, login, logout', () => {
  test('push then pull back through the open registry; plain lines without byte counts when not a terminal', async () => {
    const name = `${openRegistry()}/${uniqueName('cli-push')}:v1`;
    await berth(['tag', TEST_IMAGE, name]);
    images.push(name);
    const pushed = await berth(['push', name]);
    assert.match(pushed.stdout, /The push refers to repository/);
    assert.match(pushed.stdout, /v1: digest: sha256:[0-9a-f]{64} size: \d+/);
    assert.doesNotMatch(pushed.stdout, /\x1b\[/, 'no cursor movements when stdout is not a terminal');
    await berth(['rmi', name]);
    const pulled = await berth(['pull', name]);
    assert.equal(pulled.stdout.trimEnd().split('\n').at(-1), name, 'the reference is the last line, as docker prints it');
    assert.doesNotMatch(pulled.stdout, /Downloading|Extracting/);
    assert.ok((await docker.images.inspect(name)).Id);
  });

  test('pulling a missing image fails with the engine message and exit code 1', async () => {
    const result = await runCli(['pull', `${openRegistry()}/${uniqueName('missing')}:nope`]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /manifest unknown|not found/);
  });

  test('login with a wrong password fails without showing it; --password-stdin logs in and push uses it; logout forgets', async (t) => {
    if (podmanDiffers(t, 'Podman 4.3\'s POST /auth logs in to a loopback registry over HTTPS', { run: false })) return;
    const config = tempDir();
    const wrong = 'cli-wrong-pw-Q7z';
    const refused = await runCli(['--config', config, 'login', '-u', REGISTRY_USER, '--password-stdin', authRegistry()], { input: `${wrong}\n` });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /401 Unauthorized/);
    assert.ok(!refused.stderr.includes(wrong) && !refused.stdout.includes(wrong));

    const ok = await berth(['--config', config, 'login', '-u', REGISTRY_USER, '--password-stdin', authRegistry()], { input: `${REGISTRY_PASSWORD}\n` });
    assert.equal(ok.stdout, 'Login Succeeded\n');
    assert.match(ok.stderr, /WARNING! Your password will be stored unencrypted/);
    const file = join(config, 'config.json');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(Buffer.from(saved.auths[authRegistry()].auth, 'base64').toString(), `${REGISTRY_USER}:${REGISTRY_PASSWORD}`);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(!ok.stdout.includes(REGISTRY_PASSWORD) && !ok.stderr.includes(REGISTRY_PASSWORD));

    const name = `${authRegistry()}/${uniqueName('cli-auth')}:v1`;
    await berth(['tag', TEST_IMAGE, name]);
    images.push(name);
    await berth(['--config', config, 'push', name]);
    assert.equal((await berth(['--config', config, 'logout', authRegistry()])).stdout, `Removing login credentials for ${authRegistry()}\n`);
    assert.equal((await berth(['--config', config, 'logout', authRegistry()])).stdout, `Not logged in to ${authRegistry()}\n`);
    const refusedPush = await runCli(['--config', config, 'push', name]);
    assert.equal(refusedPush.code, 1);
    assert.match(refusedPush.stderr, /no basic auth credentials|unauthorized/);
  });
});

describe('berth build, save, load, import, commit, image prune', () => {
  test('build with -t, -f, --build-arg, --label, --target; -q prints only the ID; a failing RUN exits 1 with its message', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'docker'));
    writeFileSync(join(dir, 'docker', 'Dockerfile'), `FROM ${TEST_IMAGE} AS base\nARG WHO\nRUN echo "hello $WHO"\nFROM base AS other\nRUN echo not-built\n`);
    writeFileSync(join(dir, '.dockerignore'), 'docker\n');
    const name = `${uniqueName('cli-build')}:v1`;
    images.push(name);
    const built = await berth(['build', '-t', name, '-f', join(dir, 'docker', 'Dockerfile'), '--build-arg', 'WHO=berth', '--label', label, '--target', 'base', dir]);
    assert.match(built.stdout, /hello berth/);
    assert.doesNotMatch(built.stdout, /not-built/);
    const image = await docker.images.inspect(name);
    assert.equal(image.Config?.Labels?.[TEST_LABEL], labelValue);
    const quiet = await berth(['build', '-q', '--label', label, '-f', join(dir, 'docker', 'Dockerfile'), '--target', 'base', dir]);
    assert.match(quiet.stdout, /^sha256:[0-9a-f]{64}\n$/);

    writeFileSync(join(dir, 'Dockerfile'), `FROM ${TEST_IMAGE}\nRUN exit 7\n`);
    const failed = await runCli(['build', '--label', label, dir]);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /returned a non-zero code: 7|exit status 7/);
  });

  test('save -o then load -i: the image comes back with its name', async () => {
    const name = await taggedImage('cli-save');
    const id = (await docker.images.inspect(name)).Id!;
    const file = join(tempDir(), 'image.tar');
    await berth(['save', '-o', file, name]);
    assert.ok(statSync(file).size > 100_000);
    await berth(['rmi', name]);
    const loaded = await berth(['load', '-i', file]);
    assert.match(loaded.stdout, new RegExp(`Loaded image: (docker\\.io/library/)?${name}`));
    assert.equal((await docker.images.inspect(name)).Id, id);
  });

  test('import a tar with a change, commit a container: both print the new image ID', async () => {
    const { Id: container } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['true'], Labels: { [TEST_LABEL]: labelValue } }));
    const file = join(tempDir(), 'rootfs.tar');
    const chunks: Buffer[] = [];
    for await (const chunk of docker.containers.export(container)) chunks.push(Buffer.from(chunk));
    writeFileSync(file, Buffer.concat(chunks));
    const target = `${uniqueName('cli-import')}:v1`;
    images.push(target);
    const imported = await berth(['import', '-c', 'CMD ["/bin/true"]', '-m', 'from berth', file, target]);
    assert.match(imported.stdout, /^sha256:[0-9a-f]{64}\n$/);
    assert.deepEqual((await docker.images.inspect(target)).Config?.Cmd, ['/bin/true']);

    const committedName = `${uniqueName('cli-commit')}:v1`;
    images.push(committedName);
    const committed = await berth(['commit', '-c', `LABEL ${label}`, '-m', 'committed', container, committedName]);
    assert.match(committed.stdout, /^sha256:[0-9a-f]{64}\n$/);
    assert.equal((await docker.images.inspect(committedName)).Config?.Labels?.[TEST_LABEL], labelValue);
  });

  test('image prune -f with a label filter removes only this run\'s dangling images', async () => {
    const pruneLabel = `${TEST_LABEL}=${labelValue}-prune`;
    const { Id: container } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['true'] }));
    const { Id: dangling } = await docker.images.commit(container, { changes: [`LABEL ${pruneLabel}`] });
    images.push(dangling);
    const result = await berth(['image', 'prune', '-f', '--filter', `label=${pruneLabel}`]);
    assert.match(result.stdout, new RegExp(`deleted: ${dangling}`));
    assert.match(result.stdout, /Total reclaimed space: /);
    const declined = await runCli(['image', 'prune', '--filter', `label=${pruneLabel}`], { input: 'n\n' });
    assert.equal(declined.code, 0);
    assert.match(declined.stdout, /WARNING! This will remove all dangling images\.\nAre you sure you want to continue\? \[y\/N\] /);
  });
});
