/**
 * ssh:// endpoints through the system ssh and a real sshd (scripts/remote-engines.sh), with the real engine behind
 * `docker system dial-stdio`: requests, streams, request bodies, connection reuse, and ssh's own failures.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ConnectionError, Docker } from '../../src/index.js';
import { Cleanup, TEST_IMAGE, TEST_LABEL, collectOutput, dockerdOnly, uniqueName } from '../helpers/engine.js';
import { SSH_DIR, TEST_SSH, sshChildren } from '../helpers/ssh.js';
import { demultiplex } from '../../src/stream/demultiplex.js';
import { HttpClient } from '../../src/transport/http-client.js';
import { SshConnector } from '../../src/transport/ssh-connector.js';

const label = { [TEST_LABEL]: uniqueName('ssh') };

describe('SSH endpoints', { skip: dockerdOnly('the sshd of scripts/remote-engines.sh forwards to dockerd') }, () => {
  let docker: Docker;
  let cleanup: Cleanup;

  before(() => {
    docker = new Docker({ host: 'ssh://berth-ssh-test', ssh: TEST_SSH, connectTimeout: 10_000 });
    cleanup = new Cleanup(docker);
  });
  after(() => cleanup.run());

  test('ping and list reach the engine through ssh', async () => {
    const ping = await docker.ping();
    assert.match(ping.apiVersion ?? '', /^1\.\d+$/);
    assert.ok(Array.isArray(await docker.containers.list({ all: true })));
    assert.equal(docker.endpoint, 'ssh://berth-ssh-test');
  });

  test('a container runs and its logs stream back through ssh, stdout and stderr apart', async () => {
    const { Id } = await cleanup.container(docker.containers.create({
      Image: TEST_IMAGE, Cmd: ['sh', '-c', 'echo out; echo err >&2'], Labels: label,
    }, { name: uniqueName('ssh-logs') }));
    await docker.containers.start(Id);
    assert.equal((await docker.containers.wait(Id)).StatusCode, 0);
    const output = await collectOutput(docker.containers.logs(Id, { stdout: true, stderr: true }));
    assert.deepEqual(output, { stdout: 'out\n', stderr: 'err\n' });
  });

  test('a request body (a tar archive) goes up through ssh and comes back', async () => {
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Labels: label }, { name: uniqueName('ssh-archive') }));
    const content = Buffer.from('hello through ssh\n');
    const header = Buffer.alloc(512);
    header.write('greeting.txt', 0);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(content.length.toString(8).padStart(11, '0') + '\0', 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0' + '00', 257);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    const body = Buffer.concat([header, content, Buffer.alloc(512 - content.length), Buffer.alloc(1024)]);
    await docker.containers.putArchive(Id, body, { path: '/tmp' });
    const stat = await docker.containers.archiveInfo(Id, { path: '/tmp/greeting.txt' });
    assert.equal(stat?.size, content.length);
  });

  test('a hijacked attach carries stdin up and output down through ssh, and stdin can be half-closed', async () => {
    const { Id } = await cleanup.container(docker.containers.create({
      Image: TEST_IMAGE, Cmd: ['sh', '-c', 'tr a-z A-Z; echo done >&2'], OpenStdin: true, StdinOnce: true, AttachStdin: true,
      AttachStdout: true, AttachStderr: true, Labels: label,
    }, { name: uniqueName('ssh-attach') }));
    const http = new HttpClient(new SshConnector('ssh://berth-ssh-test', { user: undefined, host: 'berth-ssh-test', port: undefined }, TEST_SSH));
    try {
      const response = await http.send({
        method: 'POST', target: `/v1.41/containers/${Id}/attach?stream=1&stdin=1&stdout=1&stderr=1`, upgrade: true,
      });
      assert.equal(response.status, 101);
      const stream = response.takeOver();
      await docker.containers.start(Id);
      stream.end('hello over ssh\n');
      const output = await collectOutput(demultiplex(stream));
      assert.deepEqual(output, { stdout: 'HELLO OVER SSH\n', stderr: 'done\n' });
      assert.equal((await docker.containers.wait(Id)).StatusCode, 0);
    } finally {
      http.close();
    }
  });

  test('connections are reused: sequential requests use one ssh child; concurrent ones one child each', async () => {
    const fresh = new Docker({ host: 'ssh://berth-ssh-test', ssh: TEST_SSH, apiVersion: '1.41' });
    try {
      const before = new Set(sshChildren());
      const opened = () => sshChildren().filter((pid) => !before.has(pid)).length;
      for (let i = 0; i < 5; i++) await fresh.ping();
      assert.equal(opened(), 1, 'five sequential pings, one ssh');
      await Promise.all([fresh.ping(), fresh.ping(), fresh.ping()]);
      const afterConcurrent = opened();
      assert.ok(afterConcurrent >= 1 && afterConcurrent <= 3, `three concurrent pings opened ${afterConcurrent} ssh children`);
      for (let i = 0; i < 5; i++) await fresh.system.version();
      assert.equal(opened(), afterConcurrent, 'idle connections are reused, not replaced');
    } finally {
      fresh.close();
    }
  });

  test('closing the client ends its ssh children', async () => {
    const fresh = new Docker({ host: 'ssh://berth-ssh-test', ssh: TEST_SSH, apiVersion: '1.41' });
    const before = new Set(sshChildren());
    await Promise.all([fresh.ping(), fresh.ping()]);
    const mine = sshChildren().filter((pid) => !before.has(pid));
    assert.ok(mine.length >= 1);
    fresh.close();
    const alive = () => sshChildren().filter((pid) => mine.includes(pid));
    for (let i = 0; i < 50 && alive().length > 0; i++) await sleep(100);
    assert.deepEqual(alive(), []);
  });

  test('an idle pooled ssh connection does not keep a program alive', async () => {
    const index = fileURLToPath(new URL('../../src/index.js', import.meta.url));
    const script = `import { Docker } from ${JSON.stringify(index)};
const docker = new Docker({ host: 'ssh://berth-ssh-test', ssh: ${JSON.stringify(TEST_SSH)} });
console.log((await docker.ping()).apiVersion);`;
    const started = Date.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(null); }, 15_000);
      child.on('exit', (exitCode) => { clearTimeout(timer); resolve(exitCode); });
    });
    assert.equal(code, 0, `the program should exit by itself (output: ${out})`);
    assert.match(out, /^1\.\d+/);
    assert.ok(Date.now() - started < 10_000);
  });

  const failures: Array<[string, string, RegExp, number]> = [
    ['a key the server does not accept', 'berth-ssh-wrong-key', /Permission denied \(publickey\)/, 255],
    ['a changed host key', 'berth-ssh-changed-host-key', /Host key verification failed/, 255],
    ['an unknown host key (ssh checks it; Berth never turns checking off)', 'berth-ssh-unknown-host-key', /Host key verification failed/, 255],
    // This login's forced command runs with no docker on its PATH, as on a host without Docker.
    ['no docker on the remote host', 'berth-ssh-no-docker', /docker: (command )?not found/, 127],
  ];
  for (const [what, alias, message, status] of failures) {
    test(`${what} is a ConnectionError with ssh's own words`, async () => {
      const failing = new Docker({ host: `ssh://${alias}`, ssh: TEST_SSH, connectTimeout: 10_000 });
      try {
        await assert.rejects(failing.ping(), (error: unknown) => {
          assert.ok(error instanceof ConnectionError, String(error));
          assert.match(error.message, message);
          assert.match(error.message, /^Cannot connect to the Docker daemon at ssh:\/\//);
          assert.match(error.message, new RegExp(`exit status ${status}`));
          assert.match(error.hint, /Docker 18\.09 or later/);
          return true;
        });
      } finally {
        failing.close();
      }
    });
  }

  test('a host that does not resolve fails fast with ssh\'s message', async () => {
    const failing = new Docker({ host: 'ssh://no-such-host.invalid', ssh: { ...TEST_SSH, extraArgs: ['-o', 'BatchMode=yes'] } });
    try {
      await assert.rejects(failing.ping(), (error: unknown) => error instanceof ConnectionError && /Could not resolve hostname/.test(error.message));
    } finally {
      failing.close();
    }
  });

  test('user and port in the URL reach ssh as -l and -p', async () => {
    // The test ssh_config has a `Host 127.0.0.1` block with the key and known_hosts, but no User or Port.
    const direct = new Docker({ host: 'ssh://root@127.0.0.1:2222', ssh: TEST_SSH });
    try {
      assert.ok((await direct.ping()).apiVersion);
    } finally {
      direct.close();
    }
  });

  test('ssh multiplexing (ControlMaster) works: ssh options apply, and a second client rides the master', async () => {
    const controlPath = join(SSH_DIR, `cm-${process.pid}-%C`);
    const ssh = { ...TEST_SSH, extraArgs: ['-o', 'ControlMaster=auto', '-o', `ControlPath=${controlPath}`, '-o', 'ControlPersist=30'] };
    const sshCommand = (...args: string[]) => spawnSync('ssh', ['-F', TEST_SSH.configFile!, '-o', `ControlPath=${controlPath}`, ...args, 'berth-ssh-test'], { encoding: 'utf8' });
    try {
      const first = new Docker({ host: 'ssh://berth-ssh-test', ssh });
      assert.ok((await first.ping()).apiVersion);
      first.close();
      assert.equal(sshCommand('-O', 'check').status, 0, 'a master connection runs after the first client');
      const second = new Docker({ host: 'ssh://berth-ssh-test', ssh });
      assert.ok(Array.isArray(await second.containers.list()));
      second.close();
    } finally {
      sshCommand('-O', 'exit');
    }
  });

  test('a missing ssh program is a ConnectionError that says to install it', async () => {
    const failing = new Docker({ host: 'ssh://berth-ssh-test', ssh: { command: '/nonexistent/ssh' } });
    await assert.rejects(failing.ping(), (error: unknown) => error instanceof ConnectionError && /not found/.test(error.message) && /OpenSSH/.test(error.hint));
  });
});
