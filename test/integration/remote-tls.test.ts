/**
 * TLS endpoints against real TLS (a proxy with certificates from scripts/remote-engines.sh) and the real engine:
 * the right certificates work, every certificate problem is a ConnectionError that names it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BadRequestError, ConnectionError, Docker, type TlsOptions } from '../../src/index.js';
import { TLS_DIR, startTlsProxy, tlsFile, type TlsProxy } from '../helpers/tls-proxy.js';

describe('TLS endpoints', () => {
  let proxy: TlsProxy;
  let otherAddressProxy: TlsProxy;
  let plainServer: Server;
  let plainPort: number;
  let configDir: string;
  const clients: Docker[] = [];
  const rightTls = (): TlsOptions => ({ ca: tlsFile('berth-test-ca.pem'), cert: tlsFile('client.pem'), key: tlsFile('client-key.pem') });
  const client = (options: ConstructorParameters<typeof Docker>[0]) => {
    const docker = new Docker({ connectTimeout: 5000, headersTimeout: 10_000, ...options });
    clients.push(docker);
    return docker;
  };

  before(async () => {
    proxy = await startTlsProxy();
    // 127.0.0.2 is loopback too, but the server certificate names only 127.0.0.1 and localhost.
    otherAddressProxy = await startTlsProxy('127.0.0.2');
    // One answer per connection: under Bun the TLS hello can arrive in several chunks, and a second end() with data
    // is a write after end.
    plainServer = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    });
    await new Promise<void>((resolve) => plainServer.listen(0, '127.0.0.1', resolve));
    plainPort = (plainServer.address() as { port: number }).port;
    configDir = mkdtempSync(join(tmpdir(), 'berth-tls-config-'));
  });

  after(async () => {
    for (const docker of clients) docker.close();
    await proxy.close();
    await otherAddressProxy.close();
    await new Promise<void>((resolve) => plainServer.close(() => resolve()));
    rmSync(configDir, { recursive: true, force: true });
  });

  test('with the CA and a client certificate, requests reach the engine through TLS', async () => {
    const docker = client({ host: `tcp://127.0.0.1:${proxy.port}`, tls: rightTls() });
    const ping = await docker.ping();
    assert.match(ping.apiVersion ?? '', /^1\.\d+$/);
    const containers = await docker.containers.list({ all: true });
    assert.ok(Array.isArray(containers));
    assert.equal(docker.endpoint, `tcp://127.0.0.1:${proxy.port}`);
  });

  test('DOCKER_HOST with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH works through Docker.fromEnv()', async () => {
    const docker = Docker.fromEnv({
      DOCKER_HOST: `tcp://127.0.0.1:${proxy.port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: join(TLS_DIR, 'client-dir'), DOCKER_CONFIG: configDir,
    });
    clients.push(docker);
    const version = await docker.version();
    assert.ok(version.ApiVersion);
  });

  test('https:// with the same material works', async () => {
    const docker = client({ host: `https://127.0.0.1:${proxy.port}`, tls: rightTls() });
    assert.ok((await docker.info()).ID !== undefined);
  });

  test('an engine certificate from an unknown CA is a ConnectionError that says so', async () => {
    const docker = client({ host: `tcp://127.0.0.1:${proxy.port}`, tls: { ...rightTls(), ca: tlsFile('other-ca.pem') } });
    await assert.rejects(docker.ping(), (error: unknown) => {
      assert.ok(error instanceof ConnectionError, String(error));
      assert.match(error.message, /unknown authority/);
      assert.match(error.hint, /ca\.pem|--tlscacert/);
      return true;
    });
  });

  test('without any CA (system roots only) the test CA is unknown too', async () => {
    const docker = client({ host: `https://127.0.0.1:${proxy.port}`, tls: { cert: tlsFile('client.pem'), key: tlsFile('client-key.pem') } });
    await assert.rejects(docker.ping(), (error: unknown) => error instanceof ConnectionError && /unknown authority/.test(error.message));
  });

  test('no client certificate is a ConnectionError about the client certificate', async () => {
    const docker = client({ host: `tcp://127.0.0.1:${proxy.port}`, tls: { ca: tlsFile('berth-test-ca.pem') } });
    await assert.rejects(docker.ping(), (error: unknown) => {
      assert.ok(error instanceof ConnectionError, String(error));
      assert.match(error.message, /client certificate/);
      assert.match(error.hint, /cert\.pem and key\.pem/);
      return true;
    });
  });

  test('a client certificate from another CA is refused: the request fails and never reaches the engine', async () => {
    // A Node TLS server checks the client certificate after the handshake and hangs up without an alert (dockerd
    // sends bad_certificate, which the previous test's mapping covers); so only "it fails, fast" is checked here.
    const docker = client({
      host: `tcp://127.0.0.1:${proxy.port}`, tls: { ca: tlsFile('berth-test-ca.pem'), cert: tlsFile('other-client.pem'), key: tlsFile('other-client-key.pem') },
    });
    const before = proxy.rejected.length;
    await assert.rejects(docker.ping(), (error: unknown) => error instanceof Error && /Cannot connect|closed the connection/.test(error.message));
    assert.equal(proxy.rejected.length, before + 1);
  });

  test('an address the certificate does not name is a name mismatch', async () => {
    const docker = client({ host: `tcp://127.0.0.2:${otherAddressProxy.port}`, tls: rightTls() });
    await assert.rejects(docker.ping(), (error: unknown) => {
      assert.ok(error instanceof ConnectionError, String(error));
      assert.match(error.message, /name mismatch.*127\.0\.0\.2/);
      return true;
    });
  });

  test('verification is on by default and off only when asked: verify=false accepts the unknown CA', async () => {
    const docker = client({ host: `tcp://127.0.0.2:${otherAddressProxy.port}`, tls: { cert: tlsFile('client.pem'), key: tlsFile('client-key.pem'), verify: false } });
    assert.ok((await docker.ping()).apiVersion);
  });

  test('plain HTTP to the TLS port gets the engine-style 400 answer, not a hang', async () => {
    const docker = client({ host: `tcp://127.0.0.1:${proxy.port}` });
    await assert.rejects(docker.version(), (error: unknown) => error instanceof BadRequestError && /HTTP request to an HTTPS server/.test(error.message));
  });

  test('TLS to a port that does not speak TLS is a ConnectionError that says so', async () => {
    const docker = client({ host: `tcp://127.0.0.1:${plainPort}`, tls: rightTls() });
    await assert.rejects(docker.ping(), (error: unknown) => {
      assert.ok(error instanceof ConnectionError, String(error));
      assert.match(error.message, /does not speak TLS/);
      return true;
    });
  });

  test('a key that is not PEM is a ConnectionError naming the certificate or key, without its content', async () => {
    const docker = client({ host: `tcp://127.0.0.1:${proxy.port}`, tls: { ...rightTls(), key: 'not-a-key-SECRET' } });
    await assert.rejects(docker.ping(), (error: unknown) => {
      assert.ok(error instanceof ConnectionError, String(error));
      assert.match(error.message, /certificate or key/);
      assert.doesNotMatch(error.message, /SECRET/);
      return true;
    });
  });
});
