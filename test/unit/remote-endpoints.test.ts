/**
 * Parsing of the remote host forms (ssh://, npipe://) and the exact ssh command line, which must match what the
 * docker CLI runs so that ~/.ssh/config, known_hosts and ControlMaster behave the same for both.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseHost } from '../../src/index.js';
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
