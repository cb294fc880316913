import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CredentialHelperError, CredentialStore, DOCKER_HUB_AUTH_KEY, dockerConfigPath, encodeRegistryAuth, parseImageReference,
  registryAuthKey, type CredentialHelperRunner,
} from '../../src/index.js';

const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

/** A helper runner that answers from a map and records what it was asked. */
function fakeRunner(answers: Record<string, Record<string, string>>) {
  const calls: string[] = [];
  const runner: CredentialHelperRunner = {
    async run(helper, action, input) {
      calls.push(`${helper} ${action} ${action === 'store' ? JSON.parse(input).ServerURL : input}`);
      if (action === 'get') {
        const answer = answers[helper]?.[input];
        if (!answer) throw new CredentialHelperError(helper, 'docker-credential-x get failed (exit 1): credentials not found in native keychain');
        return answer;
      }
      if (action === 'list') return JSON.stringify(Object.fromEntries(Object.keys(answers[helper] ?? {}).map((key) => [key, 'user'])));
      return '';
    },
  };
  return { runner, calls };
}

test('image references: registry, repository, tag and digest as the engine reads them', () => {
  assert.deepEqual(parseImageReference('busybox'), { registry: 'docker.io', repository: 'busybox', tag: undefined, digest: undefined });
  assert.deepEqual(parseImageReference('team/app:1.0'), { registry: 'docker.io', repository: 'team/app', tag: '1.0', digest: undefined });
  assert.deepEqual(parseImageReference('127.0.0.1:5000/app'), { registry: '127.0.0.1:5000', repository: '127.0.0.1:5000/app', tag: undefined, digest: undefined });
  assert.deepEqual(parseImageReference('localhost/a/b:x@sha256:abcd'), { registry: 'localhost', repository: 'localhost/a/b', tag: 'x', digest: 'sha256:abcd' });
  assert.equal(registryAuthKey('docker.io'), DOCKER_HUB_AUTH_KEY);
  assert.equal(registryAuthKey('https://index.docker.io/v1/'), DOCKER_HUB_AUTH_KEY);
  assert.equal(registryAuthKey('https://registry.example.com/v2/'), 'registry.example.com');
  assert.throws(() => parseImageReference('bad name'));
});

test('config.json location: $DOCKER_CONFIG, else ~/.docker', () => {
  assert.equal(dockerConfigPath({ DOCKER_CONFIG: '/etc/dc' }), '/etc/dc/config.json');
  assert.equal(dockerConfigPath({ HOME: '/home/u' }), '/home/u/.docker/config.json');
});

test('auths: base64 user:password, identity tokens, keys with scheme and path, Docker Hub key', async () => {
  const store = new CredentialStore({
    config: {
      auths: {
        'https://registry.example.com/v1/': { auth: basic('alice', 'pa:ss') },
        'tokens.example.com': { identitytoken: 'tok-123' },
        [DOCKER_HUB_AUTH_KEY]: { auth: basic('hubuser', 'hubpass') },
      },
    },
  });
  assert.deepEqual(await store.get('registry.example.com'), { serveraddress: 'registry.example.com', username: 'alice', password: 'pa:ss' });
  assert.deepEqual(await store.get('tokens.example.com'), { serveraddress: 'tokens.example.com', identitytoken: 'tok-123' });
  assert.equal((await store.get('docker.io'))?.username, 'hubuser');
  assert.equal(await store.get('other.example.com'), undefined);
});

test('credHelpers per registry come before credsStore, which comes before auths', async () => {
  const { runner, calls } = fakeRunner({
    special: { 'a.example.com': JSON.stringify({ ServerURL: 'a.example.com', Username: 'from-special', Secret: 's1' }) },
    desktop: {
      'b.example.com': JSON.stringify({ ServerURL: 'b.example.com', Username: 'from-store', Secret: 's2' }),
      [DOCKER_HUB_AUTH_KEY]: JSON.stringify({ Username: '<token>', Secret: 'hub-identity-token' }),
    },
  });
  const store = new CredentialStore({
    config: {
      credHelpers: { 'a.example.com': 'special' },
      credsStore: 'desktop',
      auths: { 'a.example.com': { auth: basic('file', 'x') }, 'c.example.com': { auth: basic('file-c', 'y') } },
    },
    helperRunner: runner,
  });
  assert.equal((await store.get('a.example.com'))?.username, 'from-special');
  assert.equal((await store.get('b.example.com'))?.username, 'from-store');
  assert.deepEqual(await store.get('docker.io'), { identitytoken: 'hub-identity-token', serveraddress: DOCKER_HUB_AUTH_KEY });
  // The store has nothing for c: the file entry is used, as the CLI does.
  assert.equal((await store.get('c.example.com'))?.username, 'file-c');
  assert.deepEqual(calls, ['special get a.example.com', 'desktop get b.example.com', `desktop get ${DOCKER_HUB_AUTH_KEY}`, 'desktop get c.example.com']);
  const all = await store.all();
  assert.deepEqual(Object.keys(all).sort(), ['a.example.com', 'b.example.com', 'c.example.com', DOCKER_HUB_AUTH_KEY].sort());
});

test('X-Registry-Auth is base64url JSON with padding; no credentials encode as {}', () => {
  const header = encodeRegistryAuth({ username: 'u', password: '?>?>', serveraddress: 'r' });
  assert.doesNotMatch(header, /[+/]/);
  const decoded = JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
  assert.deepEqual(decoded, { username: 'u', password: '?>?>', serveraddress: 'r' });
  assert.equal(Buffer.from(encodeRegistryAuth(undefined), 'base64').toString(), '{}');
});

test('store and erase write config.json as docker login/logout do, with mode 0600, keeping other keys', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-config-'));
  try {
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ currentContext: 'x', auths: {} }));
    const store = CredentialStore.fromEnv({ DOCKER_CONFIG: dir, PATH: process.env.PATH });
    await store.store({ username: 'bob', password: 'hunter2', serveraddress: '127.0.0.1:5001' });
    const written = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(written.currentContext, 'x');
    assert.equal(written.auths['127.0.0.1:5001'].auth, basic('bob', 'hunter2'));
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal((await CredentialStore.fromEnv({ DOCKER_CONFIG: dir }).get('127.0.0.1:5001'))?.password, 'hunter2');
    assert.equal(await store.erase('127.0.0.1:5001'), true);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')).auths, {});
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a real helper executable on PATH: get, store, erase, and failures that never show the secret', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-helper-'));
  try {
    const secret = 'helper-secret-Zq81x';
    const helper = join(dir, 'docker-credential-berthtest');
    // A tiny helper: keeps one credential in a file; `get` of an unknown server answers the not-found text.
    // On `store` of the user "fail" it echoes its input and fails, as a buggy helper might.
    writeFileSync(helper, `#!/bin/sh
state="${dir}/state.json"
input=$(cat)
case "$1" in
  get) if [ -f "$state" ] && grep -q "\\"$input\\"" "$state"; then cat "$state"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  store) case "$input" in *'"Username":"fail"'*) echo "cannot store: $input"; exit 3 ;; esac; printf '%s' "$input" > "$state" ;;
  erase) rm -f "$state" ;;
  list) echo '{}' ;;
esac
`);
    chmodSync(helper, 0o755);
    const configDir = join(dir, 'config');
    const env = { DOCKER_CONFIG: configDir, PATH: `${dir}:${process.env.PATH}` };
    writeFileSync(join(dir, 'placeholder'), '');
    rmSync(join(dir, 'placeholder'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(configDir);
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ credHelpers: { 'reg.example.com': 'berthtest' } }));
    const store = CredentialStore.fromEnv(env);
    assert.equal(await store.get('reg.example.com'), undefined, 'not-found from the helper is "no credentials"');
    await store.store({ username: 'carol', password: secret, serveraddress: 'reg.example.com' });
    assert.deepEqual(await store.get('reg.example.com'), { username: 'carol', password: secret, serveraddress: 'reg.example.com' });
    // The password went to the helper, not to the file.
    assert.doesNotMatch(readFileSync(join(configDir, 'config.json'), 'utf8'), new RegExp(secret));
    await assert.rejects(store.store({ username: 'fail', password: secret, serveraddress: 'reg.example.com' }), (error: unknown) => {
      assert.ok(error instanceof CredentialHelperError);
      assert.match(error.message, /docker-credential-berthtest store failed \(exit 3\)/);
      assert.ok(!error.message.includes(secret), `the secret leaked: ${error.message}`);
      assert.ok(!String(error.stack).includes(secret));
      return true;
    });
    assert.equal(await store.erase('reg.example.com'), true);
    assert.equal(await store.get('reg.example.com'), undefined);
    const missing = new CredentialStore({ config: { credsStore: 'berth-no-such-helper' }, env });
    await assert.rejects(missing.get('x.example.com'), /docker-credential-berth-no-such-helper was not found on the PATH/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a broken config.json does not break Docker.fromEnv; the first lookup reports it without quoting the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-config-'));
  try {
    writeFileSync(join(dir, 'config.json'), '{"auths": {"r": {"auth": "c2VjcmV0LXZhbHVl"}');
    const store = CredentialStore.fromEnvLenient({ DOCKER_CONFIG: dir });
    await assert.rejects(store.get('r'), (error: unknown) => {
      assert.match(String(error), /config\.json is not valid JSON/);
      assert.ok(!String(error).includes('c2VjcmV0'));
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('logging a store shows no secret', async () => {
  const { inspect } = await import('node:util');
  const store = new CredentialStore({ config: { auths: { r: { auth: basic('u', 'very-secret-pw') } } } });
  assert.ok(!inspect(store, { depth: 10, showHidden: true }).includes(basic('u', 'very-secret-pw')));
});

test('a malformed config.json never has its text (credentials) quoted, by the credential store or the endpoint resolver', async () => {
  const { resolveEndpoint } = await import('../../src/config/resolve-endpoint.js');
  const dir = mkdtempSync(join(tmpdir(), 'berth-config-'));
  try {
    // An unquoted value: V8's JSON.parse message would quote the text around it.
    writeFileSync(join(dir, 'config.json'), '{"auths":{"r":{"auth":c2VjcmV0LXBhc3N3b3Jk}}}');
    const { warnings } = resolveEndpoint({ env: { DOCKER_CONFIG: dir } });
    assert.ok(warnings.length > 0);
    await assert.rejects(CredentialStore.fromEnvLenient({ DOCKER_CONFIG: dir }).get('r'), (error: unknown) => {
      for (const text of [...warnings, String(error)]) assert.ok(!text.includes('c2VjcmV0'), `quoted: ${text}`);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
