/**
 * The resolution order, case by case, with a temporary configuration directory and environment: the docker CLI's
 * own precedence (checked against docker 28.2.2), its warnings and its error messages.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ContextNotFoundError, DEFAULT_NAMED_PIPE, Docker, InvalidArgumentError, createContext, defaultHost, dockerHostOverrideWarning,
  resolveEndpoint, writeCurrentContext,
} from '../../src/index.js';

describe('resolveEndpoint: the docker CLI order', () => {
  let root: string;
  let configDir: string;
  let certDir: string;
  const env = (extra: Record<string, string> = {}) => ({ DOCKER_CONFIG: configDir, HOME: join(root, 'home'), ...extra });

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'berth-resolve-'));
    configDir = join(root, 'config');
    certDir = join(root, 'certs');
    mkdirSync(certDir);
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certDir, file), `${file} content`);
    createContext(configDir, { name: 'ctx-a', description: 'A', host: 'tcp://a.example:2375' });
    createContext(configDir, { name: 'ctx-b', host: 'ssh://me@b.example:2222' });
    createContext(configDir, {
      name: 'ctx-tls', host: 'tcp://tls.example:2376',
      tls: { ca: Buffer.from('context ca'), cert: Buffer.from('context cert'), key: Buffer.from('context key') },
    });
    createContext(configDir, { name: 'ctx-skip', host: 'tcp://skip.example:2376', skipTLSVerify: true });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const withCurrent = <T>(name: string | undefined, body: () => T): T => {
    writeCurrentContext(configDir, name);
    try {
      return body();
    } finally {
      writeCurrentContext(configDir, undefined);
    }
  };

  test('nothing set: the default context and the default address', () => {
    const resolved = resolveEndpoint({ env: env(), platform: 'linux' });
    assert.equal(resolved.contextName, 'default');
    assert.equal(resolved.source, 'default');
    assert.equal(resolved.host, defaultHost(env(), 'linux'));
    assert.equal(resolved.tls, undefined);
    assert.deepEqual(resolved.warnings, []);
  });

  test('currentContext in config.json is used when nothing else is set', () => {
    withCurrent('ctx-a', () => {
      const resolved = resolveEndpoint({ env: env() });
      assert.deepEqual([resolved.host, resolved.contextName, resolved.source], ['tcp://a.example:2375', 'ctx-a', 'config-file']);
    });
  });

  test('DOCKER_CONTEXT beats currentContext', () => {
    withCurrent('ctx-a', () => {
      const resolved = resolveEndpoint({ env: env({ DOCKER_CONTEXT: 'ctx-b' }) });
      assert.deepEqual([resolved.host, resolved.contextName, resolved.source], ['ssh://me@b.example:2222', 'ctx-b', 'DOCKER_CONTEXT']);
    });
  });

  test('DOCKER_HOST beats DOCKER_CONTEXT and currentContext, with the docker CLI warning returned (not printed)', () => {
    withCurrent('ctx-a', () => {
      const resolved = resolveEndpoint({ env: env({ DOCKER_HOST: 'tcp://env.example:2375', DOCKER_CONTEXT: 'ctx-b' }) });
      assert.deepEqual([resolved.host, resolved.contextName, resolved.source], ['tcp://env.example:2375', 'default', 'DOCKER_HOST']);
      assert.deepEqual(resolved.warnings, [
        'DOCKER_HOST environment variable overrides the active context. To use a context, either set the global --context flag, or unset DOCKER_HOST environment variable.',
      ]);
    });
  });

  test('DOCKER_HOST alone gives no warning', () => {
    const resolved = resolveEndpoint({ env: env({ DOCKER_HOST: 'unix:///tmp/x.sock' }) });
    assert.equal(resolved.host, 'unix:///tmp/x.sock');
    assert.deepEqual(resolved.warnings, []);
  });

  test('an empty DOCKER_HOST or DOCKER_CONTEXT counts as unset', () => {
    withCurrent('ctx-a', () => {
      const resolved = resolveEndpoint({ env: env({ DOCKER_HOST: '', DOCKER_CONTEXT: '' }) });
      assert.equal(resolved.contextName, 'ctx-a');
    });
  });

  test('--context beats DOCKER_HOST', () => {
    const resolved = resolveEndpoint({ env: env({ DOCKER_HOST: 'tcp://env.example:2375' }), context: 'ctx-b' });
    assert.deepEqual([resolved.host, resolved.contextName, resolved.source], ['ssh://me@b.example:2222', 'ctx-b', 'context-flag']);
  });

  test('-H beats DOCKER_HOST and every context', () => {
    withCurrent('ctx-a', () => {
      const resolved = resolveEndpoint({ env: env({ DOCKER_HOST: 'tcp://env.example:2375', DOCKER_CONTEXT: 'ctx-b' }), host: 'unix:///flag.sock' });
      assert.deepEqual([resolved.host, resolved.contextName, resolved.source], ['unix:///flag.sock', 'default', 'host-flag']);
    });
  });

  test('-H and --context together is the docker CLI error', () => {
    assert.throws(() => resolveEndpoint({ env: env(), host: 'unix:///x', context: 'ctx-a' }),
      (error: unknown) => error instanceof InvalidArgumentError && error.message === 'conflicting options: cannot specify both --host and --context');
  });

  test('a context that does not exist is the docker CLI error, naming the meta.json it looked for', () => {
    assert.throws(() => resolveEndpoint({ env: env({ DOCKER_CONTEXT: 'nope' }) }), (error: unknown) => {
      assert.ok(error instanceof ContextNotFoundError);
      assert.match(error.message, /^context "nope": context not found: open .*\/contexts\/meta\/ca3704aa0b06f5954c79ee837faa152d84d6b2d42838f0637a15eda8337dbdce\/meta\.json: no such file or directory$/);
      return true;
    });
  });

  test('currentContext "default" is the default context', () => {
    withCurrent('default', () => assert.equal(resolveEndpoint({ env: env() }).contextName, 'default'));
  });

  test('--config names another configuration directory', () => {
    const other = join(root, 'other-config');
    createContext(other, { name: 'elsewhere', host: 'tcp://elsewhere:1' });
    writeCurrentContext(other, 'elsewhere');
    assert.equal(resolveEndpoint({ env: env(), configDir: other }).host, 'tcp://elsewhere:1');
  });

  test('a context with TLS files uses them, verifying the engine', () => {
    const { tls, host } = resolveEndpoint({ env: env(), context: 'ctx-tls' });
    assert.equal(host, 'tcp://tls.example:2376');
    assert.equal(tls?.ca?.toString(), 'context ca');
    assert.equal(tls?.cert?.toString(), 'context cert');
    assert.equal(tls?.key?.toString(), 'context key');
    assert.equal(tls?.verify, true);
  });

  test('SkipTLSVerify in a context turns verification off (and TLS on)', () => {
    const { tls } = resolveEndpoint({ env: env(), context: 'ctx-skip' });
    assert.equal(tls?.verify, false);
  });

  test('a context without TLS files or SkipTLSVerify is plain TCP', () => {
    assert.equal(resolveEndpoint({ env: env(), context: 'ctx-a' }).tls, undefined);
  });

  test('DOCKER_TLS_VERIFY with DOCKER_CERT_PATH reads ca.pem, cert.pem and key.pem and verifies', () => {
    const { tls } = resolveEndpoint({ env: env({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certDir }) });
    assert.deepEqual([tls?.ca?.toString(), tls?.cert?.toString(), tls?.key?.toString(), tls?.verify], ['ca.pem content', 'cert.pem content', 'key.pem content', true]);
  });

  test('DOCKER_TLS_VERIFY=0 still verifies, as in the docker CLI (any non-empty value turns it on)', () => {
    const { tls } = resolveEndpoint({ env: env({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '0', DOCKER_CERT_PATH: certDir }) });
    assert.equal(tls?.verify, true);
  });

  test('without DOCKER_CERT_PATH the files come from the configuration directory; a missing one is named', () => {
    assert.throws(() => resolveEndpoint({ env: env({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1' }) }),
      (error: unknown) => error instanceof InvalidArgumentError && error.message === `unable to resolve docker endpoint: open ${join(configDir, 'ca.pem')}: no such file or directory`);
  });

  test('--tlsverify with --tlscacert/--tlscert/--tlskey reads those files', () => {
    const { tls } = resolveEndpoint({
      env: env(), host: 'tcp://h', tlsVerify: true,
      tlsCaCert: join(certDir, 'key.pem'), tlsCert: join(certDir, 'ca.pem'), tlsKey: join(certDir, 'cert.pem'),
    });
    assert.deepEqual([tls?.ca?.toString(), tls?.cert?.toString(), tls?.key?.toString(), tls?.verify], ['key.pem content', 'ca.pem content', 'cert.pem content', true]);
  });

  test('--tls alone uses TLS without verifying the engine (the docker CLI meaning of --tls)', () => {
    const { tls } = resolveEndpoint({ env: env({ DOCKER_CERT_PATH: certDir }), host: 'tcp://h', tls: true });
    assert.equal(tls?.verify, false);
    assert.equal(tls?.ca?.toString(), 'ca.pem content');
  });

  test('TLS variables do not touch a Unix socket', () => {
    assert.equal(resolveEndpoint({ env: env({ DOCKER_HOST: 'unix:///x.sock', DOCKER_TLS_VERIFY: '1' }) }).tls, undefined);
  });

  test('Docker.fromEnv() connects where the resolver says', () => {
    withCurrent('ctx-b', () => assert.equal(Docker.fromEnv(env()).endpoint, 'ssh://me@b.example:2222'));
    assert.equal(Docker.fromEnv(env({ DOCKER_CONTEXT: 'ctx-a' })).endpoint, 'tcp://a.example:2375');
    assert.equal(Docker.fromEnv(env(), {}, { context: 'ctx-tls' }).endpoint, 'tcp://tls.example:2376');
    // DOCKER_TLS_VERIFY on tcp:// without a port means TLS, so the default port is 2376.
    assert.equal(Docker.fromEnv(env({ DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certDir })).endpoint, 'tcp://h:2376');
    assert.equal(Docker.fromEnv(env({ DOCKER_HOST: 'tcp://h' })).endpoint, 'tcp://h:2375');
  });

  test('a malformed config.json is ignored with a warning, not an error', () => {
    const broken = join(root, 'broken-config');
    mkdirSync(broken);
    writeFileSync(join(broken, 'config.json'), '{ not json');
    const resolved = resolveEndpoint({ env: { DOCKER_CONFIG: broken, DOCKER_HOST: 'unix:///x.sock' } });
    assert.equal(resolved.host, 'unix:///x.sock');
    assert.equal(resolved.warnings.length, 1);
    assert.match(resolved.warnings[0]!, /^Error loading config file: Cannot read the Docker configuration file .*config\.json/);
  });

  test('the warning for `context use NAME` names the context, as docker does', () => {
    assert.equal(dockerHostOverrideWarning('prod'),
      'DOCKER_HOST environment variable overrides the active context. To use "prod", either set the global --context flag, or unset DOCKER_HOST environment variable.');
  });
});

describe('defaultHost: what exists, in the docker order', () => {
  let root: string;
  before(() => { root = mkdtempSync(join(tmpdir(), 'berth-default-host-')); });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('Windows uses the engine named pipe', () => {
    assert.equal(defaultHost({}, 'win32'), DEFAULT_NAMED_PIPE);
    assert.equal(DEFAULT_NAMED_PIPE, 'npipe:////./pipe/docker_engine');
  });

  test('the rootless socket, then Docker Desktop\'s, when /var/run/docker.sock is absent; else /var/run/docker.sock', () => {
    const runtime = join(root, 'run');
    const home = join(root, 'home');
    mkdirSync(runtime);
    mkdirSync(join(home, '.docker', 'run'), { recursive: true });
    const desktop = join(home, '.docker', 'run', 'docker.sock');
    const rootless = join(runtime, 'docker.sock');
    const system = '/var/run/docker.sock';
    const env = { XDG_RUNTIME_DIR: runtime, HOME: home };
    const exists = (paths: string[]) => (path: string) => paths.includes(path);
    assert.equal(defaultHost(env, 'linux', exists([])), `unix://${system}`);
    assert.equal(defaultHost(env, 'linux', exists([desktop])), `unix://${desktop}`);
    assert.equal(defaultHost(env, 'linux', exists([desktop, rootless])), `unix://${rootless}`);
    assert.equal(defaultHost(env, 'linux', exists([desktop, rootless, system])), `unix://${system}`);
    // And with the real file system: a socket file in XDG_RUNTIME_DIR is found when /var/run/docker.sock is absent.
    writeFileSync(rootless, '');
    const found = defaultHost(env, 'linux');
    assert.ok(found === `unix://${rootless}` || found === `unix://${system}`);
  });
});
