/**
 * Secrets never leak: a marker secret is planted as a registry password, an identity token, a registry token,
 * an `auth` pair, an X-Registry-Auth value and TLS private key (and certificate) content; an engine that echoes
 * everything it is sent back in its errors (as a verbose registry or proxy may) then fails every call. No error
 * message, `String`, `util.inspect` (hidden properties, causes, full depth), stack or JSON of any error, no
 * inspect of the client or the credential store, and nothing written to stdout or stderr contains the marker,
 * in any of the forms it travels in (plain, JSON-escaped, base64, base64url).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { after, describe, it } from 'node:test';
import { CredentialStore, Docker } from '../../src/index.js';
import { SshConnector } from '../../src/transport/ssh-connector.js';
import { startFakeEngine, type FakeEngine } from '../helpers/fake-engine.js';

const MARKER = `berth-marker-${randomBytes(6).toString('hex')}`;
/** Every form the marker could travel in. */
const FORMS = [MARKER, Buffer.from(MARKER).toString('base64').replace(/=+$/, ''), Buffer.from(MARKER).toString('base64url')];

/** Everything a user could see or log of `value`. */
function renderings(value: unknown): string[] {
  const out = [String(value), inspect(value, { depth: Infinity, showHidden: true }), inspect(value, { depth: Infinity, showHidden: true, getters: true })];
  if (value instanceof Error) out.push(value.message, value.stack ?? '', JSON.stringify(value) ?? '');
  return out;
}

function assertClean(label: string, value: unknown): void {
  for (const text of renderings(value)) {
    for (const form of FORMS) assert.ok(!text.includes(form), `${label} shows the secret (${form === MARKER ? 'plain' : 'base64'}):\n${text.slice(0, 600)}`);
  }
}

/** Answers every request with an error that quotes the request, headers (decoded auth included) and body. */
function echo(head: string, headers: Map<string, string>, body: Buffer): string {
  const decoded = [...headers].filter(([name]) => name.startsWith('x-registry')).map(([, value]) => Buffer.from(value, 'base64').toString('utf8'));
  return `you sent ${head} ${decoded.join(' ')} ${body.toString('utf8')}`;
}

const engines: FakeEngine[] = [];
after(async () => { for (const engine of engines) await engine.close(); });

describe('secrets never appear in errors, inspect output or logs', () => {
  it('registry credentials echoed back by the engine (error status, and error lines inside a 200 stream)', async () => {
    const engine = await startFakeEngine((request, socket) => {
      const message = echo(request.head, request.headers, request.body);
      if (request.target.includes('/images/create')) {
        const line = JSON.stringify({ error: message, errorDetail: { message } }) + '\n';
        socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(line)}\r\n\r\n${line}`);
        return;
      }
      const body = JSON.stringify({ message });
      socket.write(`HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
    engines.push(engine);
    const credentials = new CredentialStore({
      config: { auths: { 'registry.example:5000': { auth: Buffer.from(`someone:${MARKER}`).toString('base64'), identitytoken: MARKER } } },
    });
    const docker = new Docker({ host: engine.host, apiVersion: '1.41', credentials });
    const explicit = { username: 'someone', password: MARKER, identitytoken: MARKER, registrytoken: MARKER, serveraddress: 'registry.example:5000' };

    const writes: string[] = [];
    const restore = captureOutput(writes);
    const errors: unknown[] = [];
    const messages: unknown[] = [];
    try {
      const attempts: (() => Promise<unknown>)[] = [
        () => docker.system.auth(explicit),
        () => docker.images.search({ term: 'registry.example:5000/app' }, { auth: explicit }),
        () => docker.images.search({ term: 'registry.example:5000/app' }),
        async () => docker.images.pull('registry.example:5000/app:1', { auth: explicit }),
        async () => docker.images.pull('registry.example:5000/app:1'),
        async () => { for await (const message of docker.images.pull('registry.example:5000/app:1', { auth: explicit })) messages.push(message); },
      ];
      for (const attempt of attempts) {
        try {
          await attempt();
          errors.push(new Error('the call succeeded: the test expects the echoing engine to fail it'));
        } catch (error) {
          errors.push(error);
        }
      }
    } finally {
      restore();
      docker.close();
    }
    assert.equal(errors.length, 6);
    assertClean('the progress messages', messages);
    // The engine did receive the secret (so the test would see a leak) ...
    assert.ok(engine.requests.some((request) => request.body.toString().includes(MARKER)), 'the login body carries the password');
    assert.ok(engine.requests.some((request) => [...request.headers.values()].some((value) => Buffer.from(value, 'base64').toString().includes(MARKER))),
      'an X-Registry-Auth header carries the password');
    for (const [i, error] of errors.entries()) {
      assert.ok(error instanceof Error && /you sent/.test(error.message), `attempt ${i} failed with the engine's echo: ${String(error)}`);
      assertClean(`attempt ${i}`, error);
    }
    assertClean('the client', docker);
    assertClean('the credential store', credentials);
    assertClean('stdout and stderr', writes.join(''));
  });

  it('TLS private key and certificate content: the connection error, and the client object', async () => {
    const server = createServer((socket) => socket.end('not TLS at all\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const pem = (kind: string) => `-----BEGIN ${kind}-----\n${Buffer.from(MARKER.repeat(4)).toString('base64')}\n${MARKER}\n-----END ${kind}-----\n`;
    const writes: string[] = [];
    const restore = captureOutput(writes);
    try {
      for (const tls of [{ key: pem('PRIVATE KEY'), cert: pem('CERTIFICATE') }, { key: MARKER, cert: MARKER, ca: MARKER }, { key: Buffer.from(pem('PRIVATE KEY')) }]) {
        const docker = new Docker({ host: `tcp://127.0.0.1:${port}`, tls });
        const error = await docker.ping().then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof Error, 'the connection failed');
        assertClean('the TLS error', error);
        assertClean('the TLS client', docker);
        docker.close();
      }
    } finally {
      restore();
      server.close();
    }
    assertClean('stdout and stderr', writes.join(''));
  });
});

describe('SSH never turns off host key checking', () => {
  const disabling = /StrictHostKeyChecking\s*=?\s*(no|off|accept-new)|UserKnownHostsFile\s*=?\s*\/dev\/null|GlobalKnownHostsFile|CheckHostIP\s*=?\s*no|KnownHostsCommand|VerifyHostKeyDNS/i;

  it('the ssh arguments Berth builds, for every combination of its options, contain no option about host keys', () => {
    const targets = [{ user: undefined, host: 'h', port: undefined }, { user: 'u', host: 'h.example', port: 2222 }];
    const optionSets = [{}, { configFile: '/c' }, { identityFile: '/k' }, { configFile: '/c', identityFile: '/k', command: 'ssh' }];
    for (const target of targets) {
      for (const options of optionSets) {
        for (const timeout of [0, 1500]) {
          const args = new SshConnector('ssh://x', target, options).sshArguments(timeout);
          assert.doesNotMatch(args.join(' '), disabling);
          assert.ok(!args.some((arg) => /^-o$/.test(arg) && false));
          const oValues = args.flatMap((arg, i) => (arg === '-o' ? [args[i + 1]!] : []));
          assert.deepEqual(oValues.filter((value) => !/^ConnectTimeout=\d+$/.test(value)), [], `only a connect timeout is set: ${args.join(' ')}`);
          // The host comes after `--`, so a name starting with `-` cannot become an option.
          assert.equal(args[args.indexOf('--') + 1], target.host);
        }
      }
    }
  });

  it('nothing in src/ names an option that disables host key checking', async () => {
    const { readFile, readdir } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { fileURLToPath } = await import('node:url');
    // dist/test/fault → the repository's src/
    const root = fileURLToPath(new URL('../../../src/', import.meta.url));
    const files = (await readdir(root, { recursive: true })).filter((file) => file.endsWith('.ts'));
    assert.ok(files.length > 20, `found the sources (${files.length} files in ${root})`);
    for (const file of files) {
      const text = await readFile(join(root, file), 'utf8');
      const code = text.split('\n').filter((line) => !/^\s*(\*|\/\/|\/\*\*)/.test(line)).join('\n');
      assert.doesNotMatch(code, disabling, file);
    }
  });
});

/** Captures what is written to stdout and stderr (the library must write nothing). */
function captureOutput(into: string[]): () => void {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const capture = (chunk: unknown) => { into.push(String(chunk)); return true; };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  return () => {
    process.stdout.write = out;
    process.stderr.write = err;
  };
}
