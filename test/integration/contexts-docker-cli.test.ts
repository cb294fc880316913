/**
 * Contexts round trip with the real docker CLI on a temporary DOCKER_CONFIG: what docker writes, Berth reads and
 * connects with; what Berth writes, docker reads and connects with (through TLS and SSH to the real engine).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  Docker, contextDirectoryName, createContext, inspectContext, listContexts, readContext, readDockerConfig, removeContext,
  resolveEndpoint, writeCurrentContext,
} from '../../src/index.js';
import { dockerdOnly } from '../helpers/engine.js';
import { pathWithTestSsh } from '../helpers/ssh.js';
import { TLS_DIR, startTlsProxy, tlsFile, type TlsProxy } from '../helpers/tls-proxy.js';

const run = promisify(execFile);
const DOCKER = process.env.BERTH_TEST_DOCKER_CLI ?? (statSync('/usr/local/bin/docker', { throwIfNoEntry: false }) ? '/usr/local/bin/docker' : 'docker');

describe('contexts shared with the docker CLI', () => {
  let proxy: TlsProxy;
  let configDir: string;
  const clients: Docker[] = [];
  const docker = async (...args: string[]) => {
    const { stdout, stderr } = await run(DOCKER, args, {
      env: { PATH: pathWithTestSsh(), HOME: configDir, DOCKER_CONFIG: configDir }, timeout: 30_000,
    });
    return { stdout: stdout.trim(), stderr: stderr.trim() };
  };
  const berth = (env: Record<string, string>) => {
    const client = Docker.fromEnv({ DOCKER_CONFIG: configDir, ...env }, { connectTimeout: 10_000 });
    clients.push(client);
    return client;
  };

  before(async () => {
    proxy = await startTlsProxy();
    configDir = mkdtempSync(join(tmpdir(), 'berth-contexts-'));
  });
  after(async () => {
    for (const client of clients) client.close();
    await proxy.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  test('a TLS context created by docker is read by Berth and used to reach the engine', async () => {
    const certs = join(TLS_DIR, 'client-dir');
    await docker('context', 'create', 'from-docker', '--description', 'made by docker',
      '--docker', `host=tcp://127.0.0.1:${proxy.port},ca=${certs}/ca.pem,cert=${certs}/cert.pem,key=${certs}/key.pem`);
    const context = readContext(configDir, 'from-docker');
    assert.equal(context.host, `tcp://127.0.0.1:${proxy.port}`);
    assert.equal(context.description, 'made by docker');
    assert.deepEqual(context.tls.ca, tlsFile('berth-test-ca.pem'));
    assert.deepEqual(context.tls.key, tlsFile('client-key.pem'));
    const inspected = JSON.parse((await docker('context', 'inspect', 'from-docker')).stdout) as unknown[];
    assert.deepEqual([inspectContext(context)], inspected);
    const client = berth({ DOCKER_CONTEXT: 'from-docker' });
    assert.ok((await client.ping()).apiVersion);
  });

  test('a TLS context created by Berth is listed, inspected and used by docker', async () => {
    createContext(configDir, {
      name: 'from-berth', description: 'made by berth', host: `tcp://127.0.0.1:${proxy.port}`,
      tls: { ca: tlsFile('berth-test-ca.pem'), cert: tlsFile('client.pem'), key: tlsFile('client-key.pem') },
    });
    const names = (await docker('context', 'ls', '-q')).stdout.split('\n');
    assert.ok(names.includes('from-berth'));
    const inspected = JSON.parse((await docker('context', 'inspect', 'from-berth')).stdout) as unknown[];
    assert.deepEqual(inspected, [inspectContext(readContext(configDir, 'from-berth'))]);
    const { stdout } = await docker('--context', 'from-berth', 'version', '--format', '{{.Server.APIVersion}}');
    assert.match(stdout, /^1\.\d+$/);
  });

  test('Berth writes the same bytes and modes as docker for the same context', async () => {
    const other = mkdtempSync(join(tmpdir(), 'berth-contexts-same-'));
    try {
      const certs = join(TLS_DIR, 'client-dir');
      await run(DOCKER, ['context', 'create', 'same', '--docker', `host=tcp://h.example:2376,ca=${certs}/ca.pem,cert=${certs}/cert.pem,key=${certs}/key.pem,skip-tls-verify=true`],
        { env: { PATH: process.env.PATH ?? '', HOME: other, DOCKER_CONFIG: other } });
      createContext(configDir, {
        name: 'same', host: 'tcp://h.example:2376', skipTLSVerify: true,
        tls: { ca: tlsFile('berth-test-ca.pem'), cert: tlsFile('client.pem'), key: tlsFile('client-key.pem') },
      });
      const id = contextDirectoryName('same');
      for (const file of [`meta/${id}/meta.json`, `tls/${id}/docker/ca.pem`, `tls/${id}/docker/cert.pem`, `tls/${id}/docker/key.pem`]) {
        const theirs = join(other, 'contexts', file);
        const ours = join(configDir, 'contexts', file);
        assert.deepEqual(readFileSync(ours), readFileSync(theirs), file);
        assert.equal(statSync(ours).mode & 0o777, statSync(theirs).mode & 0o777, `mode of ${file}`);
      }
      for (const dir of [`meta/${id}`, `tls/${id}`, `tls/${id}/docker`]) {
        assert.equal(statSync(join(configDir, 'contexts', dir)).mode & 0o777, statSync(join(other, 'contexts', dir)).mode & 0o777, `mode of ${dir}`);
      }
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('an SSH context created by Berth is used by docker, and the other way round',
    { skip: dockerdOnly('the sshd of scripts/remote-engines.sh forwards to dockerd') }, async () => {
    createContext(configDir, { name: 'ssh-berth', host: 'ssh://berth-ssh-test' });
    assert.match((await docker('--context', 'ssh-berth', 'version', '--format', '{{.Server.APIVersion}}')).stdout, /^1\.\d+$/);
    await docker('context', 'create', 'ssh-docker', '--docker', 'host=ssh://root@127.0.0.1:2222');
    const resolved = resolveEndpoint({ env: { DOCKER_CONFIG: configDir }, context: 'ssh-docker' });
    assert.equal(resolved.host, 'ssh://root@127.0.0.1:2222');
    assert.equal(resolved.tls, undefined);
  });

  test('`docker context use` is followed by Berth, and Berth\'s choice by docker, keeping config.json\'s other keys', async () => {
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ auths: { 'registry.example': { auth: 'dXNlcjpwYXNz' } }, detachKeys: 'ctrl-x' }));
    await docker('context', 'use', 'from-docker');
    const resolved = resolveEndpoint({ env: { DOCKER_CONFIG: configDir } });
    assert.deepEqual([resolved.contextName, resolved.source], ['from-docker', 'config-file']);
    writeCurrentContext(configDir, 'from-berth');
    assert.equal((await docker('context', 'show')).stdout, 'from-berth');
    assert.match((await docker('context', 'ls')).stdout, /^from-berth \*/m);
    writeCurrentContext(configDir, 'default');
    assert.equal((await docker('context', 'show')).stdout, 'default');
    const config = readDockerConfig(configDir);
    assert.deepEqual(config.auths, { 'registry.example': { auth: 'dXNlcjpwYXNz' } });
    assert.equal(config.detachKeys, 'ctrl-x');
    assert.equal(config.currentContext, undefined);
  });

  test('contexts removed by Berth are gone for docker, and the other way round', async () => {
    removeContext(configDir, 'from-berth');
    assert.ok(!(await docker('context', 'ls', '-q')).stdout.split('\n').includes('from-berth'));
    createContext(configDir, { name: 'to-remove', host: 'tcp://gone.example:2375', tls: { ca: tlsFile('berth-test-ca.pem') } });
    await docker('context', 'rm', 'to-remove');
    assert.ok(!listContexts(configDir).some((context) => context.name === 'to-remove'));
    assert.throws(() => readContext(configDir, 'to-remove'), /context not found/);
    assert.throws(() => readContext(configDir, 'from-berth'), /context not found/);
  });
});
