/**
 * The berth CLI's endpoint flags and `context` commands, side by side with the docker CLI: same output, messages
 * and exit codes on the same kind of store; and `berth -H ssh://…`, `--context`, `--tlsverify` against the real engine.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dockerdOnly } from '../helpers/engine.js';
import { pathWithTestSsh } from '../helpers/ssh.js';
import { TLS_DIR, startTlsProxy, type TlsProxy } from '../helpers/tls-proxy.js';

const BERTH = fileURLToPath(new URL('../../bin/berth.js', import.meta.url));
const DOCKER = process.env.BERTH_TEST_DOCKER_CLI ?? (statSync('/usr/local/bin/docker', { throwIfNoEntry: false }) ? '/usr/local/bin/docker' : 'docker');
const CERTS = join(TLS_DIR, 'client-dir');

interface Outcome { stdout: string; stderr: string; code: number }

/** Runs a program to the end (asynchronously: the TLS proxy lives in this process). */
function runProgram(file: string, args: string[], env: Record<string, string | undefined>): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(file, args, { env: env as NodeJS.ProcessEnv, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

describe('berth CLI: endpoints and contexts', () => {
  let proxy: TlsProxy;
  const dirs: string[] = [];
  const newConfig = () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-cli-contexts-'));
    dirs.push(dir);
    return dir;
  };
  const baseEnv = (config: string, extra: Record<string, string> = {}) => ({ PATH: pathWithTestSsh(), HOME: config, DOCKER_CONFIG: config, ...extra });
  const berth = (config: string, args: string[], extra: Record<string, string> = {}) => runProgram(process.execPath, [BERTH, ...args], baseEnv(config, extra));
  const docker = (config: string, args: string[], extra: Record<string, string> = {}) => runProgram(DOCKER, args, baseEnv(config, extra));

  before(async () => { proxy = await startTlsProxy(); });
  after(async () => {
    await proxy.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('the context commands print, warn and exit exactly as docker\'s do', async () => {
    const theirs = newConfig();
    const ours = newConfig();
    const engine = process.env.BERTH_TEST_DOCKER_HOST ?? 'unix:///tmp/berth-engine/docker.sock';
    const script: Array<[string[], Record<string, string>?]> = [
      [['context', 'create', 'prod', '--description', 'the prod one', '--docker', `host=tcp://10.0.0.1:2376,ca=${CERTS}/ca.pem,cert=${CERTS}/cert.pem,key=${CERTS}/key.pem`]],
      [['context', 'create', 'prod', '--docker', 'host=tcp://10.0.0.1:2376']],
      [['context', 'create', 'default', '--docker', 'host=tcp://x:1']],
      [['context', 'create', 'b/ad', '--docker', 'host=tcp://x:1']],
      [['context', 'create', 'skipper', '--docker', 'host=tcp://x:1,skip-tls-verify=true']],
      [['context', 'create', 'bogus', '--docker', 'host=tcp://x:1,color=red']],
      [['context', 'create', 'nofile', '--docker', 'host=tcp://x:1,ca=/nonexistent/ca.pem']],
      [['context', 'create', 'copy', '--from', 'prod']],
      [['context', 'ls']],
      [['context', 'ls', '--format', 'json']],
      [['context', 'ls', '-q']],
      [['context', 'ls', '--format', '{{.Name}} {{.Current}} {{.DockerEndpoint}}']],
      [['context', 'use', 'prod']],
      [['context', 'show']],
      [['context', 'ls']],
      [['context', 'ls'], { DOCKER_HOST: engine }],
      [['context', 'use', 'skipper'], { DOCKER_HOST: engine }],
      [['context', 'use', 'nope']],
      [['context', 'inspect']],
      [['context', 'inspect', 'copy', 'default']],
      [['context', 'inspect', '--format', '{{.Name}} {{.Endpoints.docker.Host}}', 'prod']],
      [['context', 'rm', 'skipper']],
      [['context', 'rm', 'prod', 'nope']],
      [['context', 'rm', '-f', 'prod', 'nope']],
      [['context', 'rm', 'default']],
      [['context', 'show']],
      [['--context', 'nope', 'ps']],
      [['-H', 'unix:///x.sock', '--context', 'copy', 'ps']],
    ];
    for (const [args, env] of script) {
      const expected = await docker(theirs, args, env);
      const actual = await berth(ours, args, env);
      const normalize = (text: string, dir: string) => text.split(dir).join('<CONFIG>');
      const what = `${args.join(' ')}${env ? ` with ${JSON.stringify(env)}` : ''}`;
      assert.equal(normalize(actual.stdout, ours), normalize(expected.stdout, theirs), `stdout of ${what}`);
      assert.equal(normalize(actual.stderr, ours), normalize(expected.stderr, theirs), `stderr of ${what}`);
      assert.equal(actual.code, expected.code, `exit code of ${what}`);
    }
  });

  test('berth -H ssh://… ps lists containers through ssh', { skip: dockerdOnly('the sshd of scripts/remote-engines.sh forwards to dockerd') }, async () => {
    const config = newConfig();
    const result = await berth(config, ['-H', 'ssh://berth-ssh-test', 'ps', '-a']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^CONTAINER ID\s+IMAGE\s+COMMAND/);
  });

  test('a context berth created (TLS files from --docker ca=,cert=,key=) works for docker and berth alike', async () => {
    const config = newConfig();
    const host = `tcp://127.0.0.1:${proxy.port}`;
    const created = await berth(config, ['context', 'create', 'tls-proxy', '--docker', `host=${host},ca=${CERTS}/ca.pem,cert=${CERTS}/cert.pem,key=${CERTS}/key.pem`]);
    assert.equal(created.code, 0, created.stderr);
    const viaDocker = await docker(config, ['--context', 'tls-proxy', 'version', '--format', '{{.Server.Version}}']);
    assert.equal(viaDocker.code, 0, viaDocker.stderr);
    assert.match(viaDocker.stdout, /^\d+\.\d+/);
    const viaBerth = await berth(config, ['--context', 'tls-proxy', 'ps', '-q']);
    assert.equal(viaBerth.code, 0, viaBerth.stderr);
    const used = await berth(config, ['context', 'use', 'tls-proxy']);
    assert.equal(used.code, 0);
    assert.equal((await berth(config, ['version', '--format', '{{.Server.Version}}'])).stdout, viaDocker.stdout);
  });

  test('--tlsverify with --tlscacert/--tlscert/--tlskey works; the wrong CA is a clear error with exit code 1', async () => {
    const config = newConfig();
    const host = `tcp://127.0.0.1:${proxy.port}`;
    const tlsFlags = (ca: string) => ['--tlsverify', '--tlscacert', ca, '--tlscert', `${CERTS}/cert.pem`, '--tlskey', `${CERTS}/key.pem`, '-H', host];
    const ok = await berth(config, [...tlsFlags(`${CERTS}/ca.pem`), 'ps', '-q']);
    assert.equal(ok.code, 0, ok.stderr);
    const bad = await berth(config, [...tlsFlags(join(TLS_DIR, 'other-ca.pem')), 'ps']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^Cannot connect to the Docker daemon at tcp:\/\/127\.0\.0\.1:\d+: TLS: the engine's certificate is signed by an unknown authority/);
  });

  test('DOCKER_TLS_VERIFY and DOCKER_CERT_PATH work for the CLI as for docker', async () => {
    const config = newConfig();
    const env = { DOCKER_HOST: `tcp://127.0.0.1:${proxy.port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: CERTS };
    const ours = await berth(config, ['version', '--format', '{{.Server.Version}}'], env);
    const theirs = await docker(config, ['version', '--format', '{{.Server.Version}}'], env);
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(ours.stdout, theirs.stdout);
  });
});
