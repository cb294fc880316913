/**
 * The TLS registry (self-signed certificate, htpasswd): the engine speaks TLS to it (127.0.0.0/8 is an
 * insecure registry: TLS without checking the certificate), and Berth's login and credentials work there too.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EngineError, StreamError, type Docker } from '../../src/index.js';
import { podmanDiffers, TEST_IMAGE, testDocker, testEngine, uniqueName } from '../helpers/engine.js';
import { REGISTRY_PASSWORD, REGISTRY_USER, tlsRegistry } from '../helpers/registry.js';

let docker: Docker;
let reference: string;

before(async () => {
  docker = testDocker();
  reference = `${tlsRegistry()}/${uniqueName('tls')}:v1`;
  await docker.images.tag(TEST_IMAGE, { repo: reference });
});
after(async () => {
  await docker.images.remove(reference).catch(() => undefined);
  docker.close();
});

test('the registry on the TLS port speaks only TLS', async () => {
  // Plain HTTP to a TLS server: Go's server answers 400 "Client sent an HTTP request to an HTTPS server".
  const response = await fetch(`http://${tlsRegistry()}/v2/`);
  assert.equal(response.status, 400);
  assert.match(await response.text(), /HTTPS server/);
});

const auth = () => ({ username: REGISTRY_USER, password: REGISTRY_PASSWORD, serveraddress: tlsRegistry() });

test('login to the TLS registry', async (t) => {
  podmanDiffers(t, 'POST /auth checks the certificate (x509: unknown authority) although registries.conf marks 127.0.0.1 insecure');
  const login = await docker.system.auth(auth());
  assert.equal(login.Status, 'Login Succeeded');
});

test('push and pull through the TLS registry with credentials; without them the pull is refused', async () => {
  const localId = (await docker.images.inspect(reference)).Id;
  const pushed = await docker.images.push(reference, { auth: auth() });
  assert.match(pushed.digest ?? '', /^sha256:[0-9a-f]{64}$/);
  await docker.images.remove(reference);
  await assert.rejects(async () => { await docker.images.pull(reference, { auth: {} }); }, (error: unknown) => {
    assert.ok(error instanceof EngineError || error instanceof StreamError, String(error));
    assert.doesNotMatch(String(error), new RegExp(REGISTRY_PASSWORD));
    return true;
  });
  const pulled = await docker.images.pull(reference, { auth: auth() });
  // Podman's pull stream names no digest (as in registry.test.ts); the image ID below is checked on both.
  if (testEngine() === 'docker') assert.equal(pulled.digest, pushed.digest);
  assert.equal((await docker.images.inspect(reference)).Id, localId);
});
