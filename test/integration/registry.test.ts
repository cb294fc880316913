import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  CredentialStore, Docker, EngineError, NotFoundError, ServerError, StreamError, UnsupportedOperationError, type PullMessage,
} from '../../src/index.js';
import { podmanDiffers, TEST_IMAGE, testDocker, testEngine, testHost, uniqueName } from '../helpers/engine.js';
import { authRegistry, openRegistry, REGISTRY_PASSWORD, REGISTRY_USER } from '../helpers/registry.js';

const WRONG_PASSWORD = 'wrong-pw-Kx93-berth';
let docker: Docker;
const tags: string[] = [];
const directories: string[] = [];
const clients: Docker[] = [];
/** Every error any test here saw while credentials were in play: none may show a password. */
const errorsSeen: unknown[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-registry-test-'));
  directories.push(dir);
  return dir;
}

/** Tags the test image under `registry`, with a fresh name; removed at the end. */
async function tagged(registry: string): Promise<string> {
  const reference = `${registry}/${uniqueName('repo')}:v1`;
  await docker.images.tag(TEST_IMAGE, { repo: reference });
  tags.push(reference);
  return reference;
}

/** A client whose credentials come from a config.json written into a temporary DOCKER_CONFIG. */
function clientWithConfig(config: object, extraEnv: NodeJS.ProcessEnv = {}): { client: Docker; dir: string } {
  const dir = tempDir();
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const client = Docker.fromEnv({ DOCKER_HOST: testHost(), DOCKER_CONFIG: dir, PATH: process.env.PATH, ...extraEnv });
  clients.push(client);
  return { client, dir };
}

/**
 * A failed pull: dockerd answers an error status before any progress (a typed EngineError); Podman answers 200
 * and puts the error in the stream (a StreamError). Both carry the engine's message.
 */
function assertPullFailure(error: unknown): void {
  if (testEngine() === 'podman') assert.ok(error instanceof StreamError, String(error));
  else assert.ok(error instanceof EngineError, String(error));
}

async function expectRejection(promise: PromiseLike<unknown>, check: (error: unknown) => void): Promise<void> {
  await assert.rejects(async () => { await promise; }, (error: unknown) => {
    errorsSeen.push(error);
    check(error);
    return true;
  });
}

before(() => { docker = testDocker(); });
after(async () => {
  for (const tag of tags) await docker.images.remove(tag).catch(() => undefined);
  for (const client of clients) client.close();
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
  docker.close();
});

test('push to an open registry (empty X-Registry-Auth), remove, pull back: same image ID and digest', async () => {
  const reference = await tagged(openRegistry());
  const localId = (await docker.images.inspect(reference)).Id;
  const pushed = await docker.images.push(reference);
  assert.equal(pushed.tag, 'v1');
  assert.match(pushed.digest ?? '', /^sha256:[0-9a-f]{64}$/);
  if (testEngine() === 'podman') {
    // Podman 4.3 has no GET /distribution/{name}/json: Berth says so plainly.
    await assert.rejects(docker.distribution.inspect(reference), UnsupportedOperationError);
  } else {
    const described = await docker.distribution.inspect(reference);
    assert.equal(described.Descriptor.digest, pushed.digest);
    assert.ok(described.Platforms.some((platform) => platform.os === 'linux'));
  }

  await docker.images.remove(reference);
  await assert.rejects(docker.images.inspect(reference), NotFoundError);
  const pull = docker.images.pull(reference);
  const messages: PullMessage[] = [];
  for await (const message of pull) messages.push(message);
  const result = await pull;
  assert.equal(result.reference, reference);
  if (testEngine() === 'podman') {
    // Podman's pull stream names neither the digest nor a closing status.
    assert.equal(result.digest, undefined);
  } else {
    assert.equal(result.digest, pushed.digest);
    assert.match(result.status ?? '', /Downloaded newer image|Image is up to date/);
  }
  assert.ok(messages.length >= 2);
  assert.equal((await docker.images.inspect(reference)).Id, localId, 'the image came back whole');
});

test('a pull of a name that does not exist is a typed error with the engine message', async () => {
  await expectRejection(docker.images.pull(`${openRegistry()}/${uniqueName('missing')}:nope`), (error) => {
    if (testEngine() === 'podman') assertPullFailure(error);
    else assert.ok(error instanceof NotFoundError, String(error));
    assert.match((error as Error).message, /manifest unknown|not found/);
  });
});

test('the auth registry: no credentials and a wrong password fail with the engine message and no secret', async () => {
  const reference = await tagged(authRegistry());
  await expectRejection(docker.images.push(reference), (error) => {
    assert.ok(error instanceof StreamError);
    assert.match((error as Error).message, /no basic auth credentials|unauthorized/);
  });
  const wrong = { username: REGISTRY_USER, password: WRONG_PASSWORD, serveraddress: authRegistry() };
  await expectRejection(docker.images.push(reference, { auth: wrong }), (error) => {
    assert.ok(error instanceof StreamError);
    assert.match((error as Error).message, /unauthorized|authentication required/);
  });
  await expectRejection(docker.images.pull(reference, { auth: wrong }), assertPullFailure);
  if (testEngine() === 'podman') return; // Podman's POST /auth: see the login test
  await expectRejection(docker.system.auth(wrong), (error) => {
    // dockerd answers a refused login with 500 and the registry's words.
    assert.ok(error instanceof ServerError);
    assert.match((error as Error).message, /401 Unauthorized/);
  });
});

test('login, store as docker login does, then push and pull with the stored credentials', async (t) => {
  podmanDiffers(t, 'Podman 4.3\'s POST /auth ignores registries.conf and logs in to a loopback registry over HTTPS');
  const { client, dir } = clientWithConfig({});
  const login = await client.system.auth({ username: REGISTRY_USER, password: REGISTRY_PASSWORD, serveraddress: authRegistry() });
  assert.equal(login.Status, 'Login Succeeded');
  const store = CredentialStore.fromEnv({ DOCKER_CONFIG: dir });
  await store.store({ username: REGISTRY_USER, password: REGISTRY_PASSWORD, serveraddress: authRegistry() });

  // A new client reads the config.json the login wrote.
  const fresh = Docker.fromEnv({ DOCKER_HOST: testHost(), DOCKER_CONFIG: dir });
  clients.push(fresh);
  const reference = await tagged(authRegistry());
  const pushed = await fresh.images.push(reference);
  assert.match(pushed.digest ?? '', /^sha256:/);
  assert.equal((await fresh.distribution.inspect(reference)).Descriptor.digest, pushed.digest);
  await docker.images.remove(reference);
  await fresh.images.pull(reference);
  assert.ok((await docker.images.inspect(reference)).Id);
  // Without credentials the same registry refuses: the stored ones were really used.
  await expectRejection(docker.distribution.inspect(reference), (error) => assert.ok(error instanceof EngineError));
});

test('a credential helper on PATH (credHelpers) supplies the login; a wrong one in the helper fails without leaking it', async () => {
  const bin = tempDir();
  const answer = (password: string) => JSON.stringify({ ServerURL: authRegistry(), Username: REGISTRY_USER, Secret: password });
  const helper = (password: string) => `#!/bin/sh\nread server\nif [ "$1" = get ] && [ "$server" = "${authRegistry()}" ]; then echo '${answer(password)}'; exit 0; fi\necho "credentials not found in native keychain"; exit 1\n`;
  mkdirSync(join(bin, 'good'));
  mkdirSync(join(bin, 'bad'));
  writeFileSync(join(bin, 'good', 'docker-credential-berthtest'), helper(REGISTRY_PASSWORD));
  writeFileSync(join(bin, 'bad', 'docker-credential-berthtest'), helper(WRONG_PASSWORD));
  chmodSync(join(bin, 'good', 'docker-credential-berthtest'), 0o755);
  chmodSync(join(bin, 'bad', 'docker-credential-berthtest'), 0o755);

  const config = { credHelpers: { [authRegistry()]: 'berthtest' } };
  const { client } = clientWithConfig(config, { PATH: `${join(bin, 'good')}:${process.env.PATH}` });
  const reference = await tagged(authRegistry());
  const pushed = await client.images.push(reference);
  assert.match(pushed.digest ?? '', /^sha256:/);

  const { client: wrong } = clientWithConfig(config, { PATH: `${join(bin, 'bad')}:${process.env.PATH}` });
  await expectRejection(wrong.images.push(reference), (error) => assert.ok(error instanceof StreamError));
  await expectRejection(wrong.images.pull(reference), assertPullFailure);

  // credsStore for every registry: the same helper, chosen by credsStore instead of credHelpers.
  const { client: viaStore } = clientWithConfig({ credsStore: 'berthtest' }, { PATH: `${join(bin, 'good')}:${process.env.PATH}` });
  await docker.images.remove(reference);
  await viaStore.images.pull(reference);
  assert.ok((await docker.images.inspect(reference)).Id, 'pulled with the credentials from credsStore');
});

test('no error seen with credentials in play shows a password, in its message, stack or inspection', () => {
  assert.ok(errorsSeen.length >= (testEngine() === 'podman' ? 6 : 8), `expected the failures above to be recorded, got ${errorsSeen.length}`);
  for (const error of errorsSeen) {
    const text = `${String(error)}\n${(error as Error).stack}\n${inspect(error, { depth: 10, showHidden: true })}\n${JSON.stringify(error)}`;
    for (const secret of [WRONG_PASSWORD, REGISTRY_PASSWORD, Buffer.from(WRONG_PASSWORD).toString('base64').slice(0, 12)]) {
      assert.ok(!text.includes(secret), `a secret appeared in: ${text}`);
    }
  }
});
