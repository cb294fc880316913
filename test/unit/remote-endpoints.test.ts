/**
 * Parsing of the remote host forms (ssh://, npipe://) and the exact ssh command line, which must match what the
 * docker CLI runs so that ~/.ssh/config, known_hosts and ControlMaster behave the same for both.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { ConnectionError, parseHost } from '../../src/index.js';
import type { Connector } from '../../src/transport/connector.js';
import { LazyConnector } from '../../src/transport/lazy-connector.js';
import { SshConnector } from '../../src/transport/ssh-connector.js';

describe('remote host forms', () => {
  test('ssh:// with user and port', () => {
    assert.deepEqual(parseHost('ssh://me@example.com:2222'), { kind: 'ssh', user: 'me', host: 'example.com', port: 2222, url: 'ssh://me@example.com:2222' });
  });

  test('ssh:// with neither user nor port leaves both to ssh and its config', () => {
    const endpoint = parseHost('ssh://prod-alias');
    assert.equal(endpoint.kind, 'ssh');
    assert.deepEqual(endpoint.kind === 'ssh' && [endpoint.user, endpoint.host, endpoint.port], [undefined, 'prod-alias', undefined]);
  });

  test('npipe:// becomes a Windows pipe path that node:net opens', () => {
    const endpoint = parseHost('npipe:////./pipe/docker_engine');
    assert.deepEqual(endpoint, { kind: 'npipe', pipePath: '\\\\.\\pipe\\docker_engine', url: 'npipe:////./pipe/docker_engine' });
  });

  test('tcp:// defaults to 2375, or 2376 with TLS', () => {
    assert.equal(parseHost('tcp://h').url, 'tcp://h:2375');
    assert.equal(parseHost('tcp://h', { tls: true }).url, 'tcp://h:2376');
  });
});

describe('the ssh command line', () => {
  test('is the docker CLI\'s: ssh -o ConnectTimeout=30 -T -l USER -p PORT -- HOST docker system dial-stdio', () => {
    const connector = new SshConnector('ssh://me@h:2222', { user: 'me', host: 'h', port: 2222 });
    assert.deepEqual(connector.sshArguments(30_000),
      ['-o', 'ConnectTimeout=30', '-T', '-l', 'me', '-p', '2222', '--', 'h', 'docker', 'system', 'dial-stdio']);
  });

  test('without user and port, ssh decides (its config may name them)', () => {
    const connector = new SshConnector('ssh://h', { user: undefined, host: 'h', port: undefined });
    assert.deepEqual(connector.sshArguments(5_500), ['-o', 'ConnectTimeout=6', '-T', '--', 'h', 'docker', 'system', 'dial-stdio']);
  });

  test('extra options come before the host, and never turn host key checking off', () => {
    const connector = new SshConnector('ssh://h', { user: undefined, host: 'h', port: undefined },
      { configFile: '/cfg', identityFile: '/key', extraArgs: ['-o', 'ControlMaster=auto'] });
    const args = connector.sshArguments(0);
    assert.deepEqual(args, ['-F', '/cfg', '-T', '-i', '/key', '-o', 'ControlMaster=auto', '--', 'h', 'docker', 'system', 'dial-stdio']);
    assert.ok(!args.some((arg) => /StrictHostKeyChecking/i.test(arg)));
  });

  test('a host name that looks like an option stays a host name (after --)', () => {
    const connector = new SshConnector('ssh://-oProxyCommand=x', { user: undefined, host: '-oProxyCommand=x', port: undefined });
    const args = connector.sshArguments(1000);
    assert.equal(args[args.indexOf('--') + 1], '-oProxyCommand=x');
  });
});

describe('TLS and SSH connectors, made on the first connection', () => {
  function countingMaker(): { make: () => Promise<Connector>; made: () => number; closed: () => number } {
    let made = 0;
    let closed = 0;
    return {
      make: async () => {
        made++;
        return { endpoint: 'ssh://h', connect: async () => new PassThrough(), close: () => { closed++; } };
      },
      made: () => made,
      closed: () => closed,
    };
  }

  test('concurrent first connections make the connector once', async () => {
    const maker = countingMaker();
    const lazy = new LazyConnector('ssh://h', maker.make);
    await Promise.all([lazy.connect({ timeout: 0 }), lazy.connect({ timeout: 0 }), lazy.connect({ timeout: 0 })]);
    assert.equal(maker.made(), 1);
  });

  test('a close() before the first connection has finished still closes what it made (no ssh child left behind)', async () => {
    const maker = countingMaker();
    const lazy = new LazyConnector('ssh://h', maker.make);
    const connecting = lazy.connect({ timeout: 0 });
    lazy.close();
    await connecting;
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(maker.closed() >= 1, 'the made connector was closed');
  });

  test('a failure to make the connector is the connection error', async () => {
    const lazy = new LazyConnector('tcp://h:2376', async () => { throw new ConnectionError('tcp://h:2376', 'no TLS here', 'check the host'); });
    await assert.rejects(lazy.connect({ timeout: 0 }), ConnectionError);
  });
});
