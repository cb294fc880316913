/**
 * The `berth` CLI against the real engine: run, create, start/stop/restart/kill/pause/unpause/wait/rename/rm,
 * ps, inspect, top, port, diff, container prune, exit codes and error lines as the Docker CLI prints them.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { Cleanup, TEST_IMAGE, TEST_LABEL, testDocker, testEngine, uniqueName } from '../helpers/engine.js';

/** The image as lists show it: Podman names it with its registry (`localhost/busybox:local`). */
const IMAGE_PATTERN = '(?:localhost/)?busybox:local';

const docker = testDocker();
const cleanup = new Cleanup(docker);
const labelValue = uniqueName('cli');
const label = `${TEST_LABEL}=${labelValue}`;

after(async () => {
  await docker.containers.prune({ filters: { label: [label] } }).catch(() => undefined);
  await cleanup.run();
});

/** A name for a container that the cleanup removes. */
function containerName(prefix: string): string {
  return cleanup.trackContainer(uniqueName(prefix));
}

/** Starts `sleep 600` in the background under a new name. */
async function runSleeping(prefix: string, extra: string[] = []): Promise<string> {
  const name = containerName(prefix);
  const result = await runCli(['run', '-d', '--name', name, '-l', label, ...extra, TEST_IMAGE, 'sleep', '600']);
  assert.equal(result.code, 0, result.stderr);
  return name;
}

describe('berth run', () => {
  test('run --rm prints the output, exits 0 and leaves no container', async () => {
    const result = await runCli(['run', '--rm', '-l', label, TEST_IMAGE, 'echo', 'hi']);
    assert.equal(result.stdout, 'hi\n');
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    const left = await docker.containers.list({ all: true, filters: { label: [label], ancestor: [TEST_IMAGE] } });
    assert.deepEqual(left.filter((container) => container.Command === 'echo hi'), []);
  });

  test('run exits with the container\'s exit code', async () => {
    const result = await runCli(['run', '--rm', '-l', label, TEST_IMAGE, 'sh', '-c', 'exit 3']);
    assert.equal(result.code, 3);
  });

  test('attached run keeps stdout and stderr apart and loses nothing', async () => {
    const script = 'for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done';
    const result = await runCli(['run', '--rm', '-l', label, TEST_IMAGE, 'sh', '-c', script]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, 'out1\nout2\nout3\nout4\nout5\n');
    assert.equal(result.stderr, 'err1\nerr2\nerr3\nerr4\nerr5\n');
  });

  test('flags after the image belong to the command', async () => {
    const result = await runCli(['run', '--rm', '-l', label, TEST_IMAGE, 'echo', '-n', 'hi']);
    assert.equal(result.stdout, 'hi');
    assert.equal(result.code, 0);
  });

  test('a missing image makes run exit 125 after trying to pull it', async () => {
    // A registry on a closed local port fails at once, with or without internet.
    const result = await runCli(['run', '--rm', '-l', label, '127.0.0.1:9/berth-no-such-image:x', 'true']);
    assert.equal(result.code, 125);
    assert.match(result.stderr, /Unable to find image '127\.0\.0\.1:9\/berth-no-such-image:x' locally/);
    // dockerd refuses the pull with an HTTP error; Podman reports it inside the pull stream.
    assert.match(result.stderr, /^berth: (Error response from daemon: )?.*127\.0\.0\.1:9/m);
    assert.match(result.stderr, /Run 'berth run --help' for more information/);
  });

  test('an unknown flag exits 125 with the usage line', async () => {
    const result = await runCli(['run', '--bogus', TEST_IMAGE]);
    assert.equal(result.code, 125);
    assert.match(result.stderr, /^unknown flag: --bogus\n/);
    assert.match(result.stderr, /Usage: {2}berth run \[OPTIONS\] IMAGE \[COMMAND\] \[ARG\.\.\.\]/);
    assert.match(result.stderr, /Run 'berth run --help' for more information/);
  });

  test('a command that does not exist exits 127', async () => {
    const result = await runCli(['run', '--rm', '-l', label, TEST_IMAGE, 'berth-no-such-command']);
    assert.equal(result.code, 127);
    assert.match(result.stderr, /executable file not found/);
  });

  test('attached run forwards SIGTERM to the container and removes it with --rm', async () => {
    const name = containerName('sigproxy');
    let signalled = false;
    const script = 'trap "echo got TERM; exit 5" TERM; echo ready; while true; do sleep 0.1; done';
    const result = await runCli(['run', '--rm', '--name', name, '-l', label, TEST_IMAGE, 'sh', '-c', script], {
      onStdout: (stdout, child) => {
        if (!signalled && stdout.includes('ready')) {
          signalled = true;
          child.kill('SIGTERM');
        }
      },
    });
    assert.equal(result.stdout, 'ready\ngot TERM\n');
    assert.equal(result.code, 5);
    assert.deepEqual(await docker.containers.list({ all: true, filters: { name: [name] } }), []);
  });

  test('run -d applies name, env, label, workdir, user, entrypoint and published ports', async () => {
    const name = containerName('rund');
    const result = await runCli([
      'run', '-d', '--name', name, '-l', label, '-l', 'extra=yes', '-e', 'GREETING=hello', '--env=OTHER=1', '-w', '/tmp',
      '-u', '1000:1000', '--entrypoint', 'sh', '-p', '127.0.0.1::80', '-t', TEST_IMAGE, '-c', 'sleep 600',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^[0-9a-f]{64}\n$/);
    const info = await docker.containers.inspect(name);
    assert.equal(info.State?.Running, true);
    assert.ok(info.Config?.Env?.includes('GREETING=hello'));
    assert.ok(info.Config?.Env?.includes('OTHER=1'));
    assert.equal(info.Config?.Labels?.extra, 'yes');
    assert.equal(info.Config?.WorkingDir, '/tmp');
    assert.equal(info.Config?.User, '1000:1000');
    assert.deepEqual(info.Config?.Entrypoint, ['sh']);
    assert.deepEqual(info.Config?.Cmd, ['-c', 'sleep 600']);
    assert.equal(info.Config?.Tty, true);
    assert.equal(info.HostConfig?.PortBindings?.['80/tcp']?.[0]?.HostIp, '127.0.0.1');

    const port = await runCli(['port', name, '80']);
    assert.equal(port.code, 0, port.stderr);
    assert.match(port.stdout, /^127\.0\.0\.1:\d+\n$/);
    const all = await runCli(['port', name]);
    assert.match(all.stdout, /^80\/tcp -> 127\.0\.0\.1:\d+\n$/);
    const none = await runCli(['port', name, '81']);
    assert.equal(none.code, 1);
    assert.equal(none.stderr, `Error: No public port '81' published for ${name}\n`);
  });

  test('run -d --rm leaves removal to the engine', async () => {
    const name = containerName('rundrm');
    const result = await runCli(['run', '-d', '--rm', '--name', name, '-l', label, TEST_IMAGE, 'true']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal((await docker.containers.inspect(name).catch(() => undefined))?.HostConfig?.AutoRemove ?? true, true);
  });

  test('create prints the ID of a created container', async () => {
    const name = containerName('create');
    const result = await runCli(['create', '--name', name, '-l', label, TEST_IMAGE, 'echo', 'x']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^[0-9a-f]{64}\n$/);
    assert.equal((await docker.containers.inspect(name)).State?.Status, 'created');
    const again = await runCli(['create', '--name', name, '-l', label, TEST_IMAGE]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^Error response from daemon: .*container name "\/?berth-test-create-\w+" is already in use/);
  });
});

describe('berth start, stop, restart, kill, pause, unpause, wait, rename, rm', () => {
  test('starting a running container again succeeds and prints its name', async () => {
    const name = await runSleeping('start');
    const result = await runCli(['start', name]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${name}\n`);
  });

  test('start reports each container and fails for the missing one', async () => {
    const name = containerName('start2');
    await runCli(['create', '--name', name, '-l', label, TEST_IMAGE, 'sleep', '600']);
    const result = await runCli(['start', name, 'berth-no-such-container']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, `${name}\n`);
    assert.match(result.stderr, /^Error response from daemon: [^\n]*no such container[^\n]*\nError: failed to start containers: berth-no-such-container\n$/i);
    assert.equal((await docker.containers.inspect(name)).State?.Running, true);
  });

  test('stop, restart, kill, pause and unpause change the state and print the name', async () => {
    const name = await runSleeping('states');
    const pause = await runCli(['pause', name]);
    assert.equal(pause.stdout, `${name}\n`);
    assert.equal((await docker.containers.inspect(name)).State?.Paused, true);
    const pausedAgain = await runCli(['pause', name]);
    assert.equal(pausedAgain.code, 1);
    assert.match(pausedAgain.stderr, /^Error response from daemon: [^\n]*[0-9a-f]{64}"? is already paused[^\n]*\n$/);
    assert.equal((await runCli(['unpause', name])).code, 0);
    assert.equal((await docker.containers.inspect(name)).State?.Paused, false);

    const stop = await runCli(['stop', '-t', '1', name]);
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal(stop.stdout, `${name}\n`);
    assert.equal((await docker.containers.inspect(name)).State?.Running, false);
    const stopAgain = await runCli(['stop', name]);
    assert.equal(stopAgain.code, 0, 'stopping a stopped container is not an error');

    const restart = await runCli(['restart', '--timeout=1', name]);
    assert.equal(restart.code, 0, restart.stderr);
    assert.equal((await docker.containers.inspect(name)).State?.Running, true);

    const kill = await runCli(['kill', '-s', 'KILL', name]);
    assert.equal(kill.code, 0, kill.stderr);
    assert.equal(kill.stdout, `${name}\n`);
    const wait = await runCli(['wait', name]);
    assert.equal(wait.stdout, '137\n');
    const killStopped = await runCli(['kill', name]);
    assert.equal(killStopped.code, 1);
    assert.match(killStopped.stderr, /^Error response from daemon: .*(is not running|can only kill running containers)/);
  });

  test('wait prints each exit code', async () => {
    const name = containerName('wait');
    await runCli(['run', '-d', '--name', name, '-l', label, TEST_IMAGE, 'sh', '-c', 'exit 7']);
    const result = await runCli(['wait', name]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '7\n');
  });

  test('rename gives the container its new name', async () => {
    const name = containerName('rename');
    const renamed = containerName('renamed');
    await runCli(['create', '--name', name, '-l', label, TEST_IMAGE]);
    const result = await runCli(['rename', name, renamed]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal((await docker.containers.inspect(renamed)).Name, `/${renamed}`);
    const missing = await runCli(['rename', 'berth-no-such-container', 'x']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Error response from daemon: [^\n]*no such container[^\n]*\nError: failed to rename container named berth-no-such-container\n$/i);
  });

  test('rm of a missing container exits 1 with "No such container"', async () => {
    const result = await runCli(['rm', 'berth-no-such-container']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^Error response from daemon: [^\n]*(No such container: berth-no-such-container|"berth-no-such-container" found: no such container)\n$/);
  });

  test('rm takes several containers and reports each', async () => {
    const first = containerName('rm1');
    const second = containerName('rm2');
    await runCli(['create', '--name', first, '-l', label, TEST_IMAGE]);
    await runCli(['run', '-d', '--name', second, '-l', label, TEST_IMAGE, 'sleep', '600']);
    const refused = await runCli(['rm', second]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^Error response from daemon: .*(stop the container|cannot remove a running container|cannot be removed without force)/i);
    const result = await runCli(['rm', '-f', '-v', first, 'berth-no-such-container', second]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, `${first}\n${second}\n`);
    assert.match(result.stderr, /^Error response from daemon: [^\n]*no such container[^\n]*\n$/i);
    assert.deepEqual(await docker.containers.list({ all: true, filters: { name: [first, second] } }), []);
  });

  test('container prune -f removes stopped containers that match the filter', async () => {
    const pruneLabel = `${TEST_LABEL}=${uniqueName('prune')}`;
    const name = containerName('prune');
    await runCli(['create', '--name', name, '-l', pruneLabel, TEST_IMAGE]);
    const result = await runCli(['container', 'prune', '-f', '--filter', `label=${pruneLabel}`]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: \S+\n$/);
    const nothing = await runCli(['container', 'prune', '-f', '--filter', `label=${pruneLabel}`]);
    assert.equal(nothing.stdout, 'Total reclaimed space: 0B\n');
  });
});

describe('berth ps', () => {
  test('the table has the Docker CLI\'s columns, truncated IDs and quoted commands', async () => {
    const name = await runSleeping('ps', ['-p', '127.0.0.1::80']);
    const result = await runCli(['ps', '--filter', `name=${name}`]);
    assert.equal(result.code, 0, result.stderr);
    const [header, row, ...rest] = result.stdout.split('\n');
    assert.match(header!, /^CONTAINER ID {3}IMAGE +COMMAND {7}CREATED +STATUS +PORTS +NAMES$/);
    if (testEngine() === 'docker') assert.match(header!, /^CONTAINER ID {3}IMAGE {11}COMMAND/);
    assert.deepEqual(rest, ['']);
    assert.match(row!, new RegExp(`^[0-9a-f]{12} {3}${IMAGE_PATTERN} {3}"sleep 600" {3}.* ago +Up .+ +127\\.0\\.0\\.1:\\d+->80/tcp +${name}$`));
  });

  test('-q, --no-trunc, -a and the container ls alias', async () => {
    const name = containerName('psq');
    await runCli(['create', '--name', name, '-l', label, TEST_IMAGE, 'echo', 'a very long command line that is cut']);
    const running = await runCli(['ps', '-q', '--filter', `name=${name}`]);
    assert.equal(running.stdout, '', 'a created container is not listed without -a');
    const quiet = await runCli(['ps', '-a', '-q', '--filter', `name=${name}`]);
    assert.match(quiet.stdout, /^[0-9a-f]{12}\n$/);
    const full = await runCli(['container', 'ls', '-aq', '--no-trunc', '--filter', `name=${name}`]);
    assert.match(full.stdout, /^[0-9a-f]{64}\n$/);
    const table = await runCli(['ps', '-a', '--filter', `name=${name}`]);
    // dockerd quotes the arguments in its Command column; Podman joins them with spaces.
    assert.match(table.stdout, / {3}"echo ('a very long c|a very long co)…" {3}/);
    const untruncated = await runCli(['ps', '-a', '--no-trunc', '--filter', `name=${name}`]);
    assert.match(untruncated.stdout, /a very long command line that is cut/);
  });

  test('--format json prints one parsable object per line', async () => {
    const name = await runSleeping('psjson');
    const result = await runCli(['ps', '--format', 'json', '--filter', `label=${label}`, '--filter', `name=${name}`]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.Names, name);
    assert.equal(lines[0]!.State, 'running');
    assert.match(String(lines[0]!.Image), new RegExp(`^${IMAGE_PATTERN}$`));
    assert.match(String(lines[0]!.ID), /^[0-9a-f]{12}$/);
    assert.match(String(lines[0]!.Labels), new RegExp(`berth\\.test=${labelValue}`));
  });

  test('--format with a template, and table templates get headers', async () => {
    const name = await runSleeping('pstpl');
    const plain = await runCli(['ps', '--filter', `name=${name}`, '--format', '{{.Names}}\\t{{.State}}']);
    assert.equal(plain.stdout, `${name}\trunning\n`);
    const labelled = await runCli(['ps', '--filter', `name=${name}`, '--format', '{{.Label "berth.test"}}']);
    assert.equal(labelled.stdout, `${labelValue}\n`);
    const table = await runCli(['ps', '--filter', `name=${name}`, '--format', 'table {{.Names}}\t{{.State}}']);
    assert.match(table.stdout, new RegExp(`^NAMES +STATE\\n${name} +running\\n$`));
  });

  test('a bad filter and extra arguments are refused', async () => {
    const badFilter = await runCli(['ps', '--filter', 'nonsense']);
    assert.equal(badFilter.code, 125);
    assert.match(badFilter.stderr, /bad format of filter/);
    const extra = await runCli(['ps', 'extra']);
    assert.equal(extra.code, 1);
    assert.match(extra.stderr, /^berth: 'berth ps' accepts no arguments/);
  });
});

describe('berth inspect, top, diff', () => {
  test('inspect prints a JSON array, and -f formats fields', async () => {
    const name = await runSleeping('inspect');
    const json = await runCli(['inspect', name]);
    assert.equal(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as Array<{ Id: string; Name: string }>;
    assert.equal(parsed.length, 1);
    assert.equal(parsed[0]!.Name, `/${name}`);
    assert.match(json.stdout, /^\[\n {4}\{\n {8}"Id": /);

    const status = await runCli(['inspect', '-f', '{{.State.Status}} {{.Id}}', name]);
    assert.equal(status.stdout, `running ${parsed[0]!.Id}\n`);
    const config = await runCli(['container', 'inspect', '--format', '{{json .Config}}', name]);
    assert.match((JSON.parse(config.stdout) as { Image: string }).Image, new RegExp(`^${IMAGE_PATTERN}$`));
    const labels = await runCli(['inspect', '-f', '{{index .Config.Labels "berth.test"}} {{.Config.Cmd}}', name]);
    assert.equal(labels.stdout, `${labelValue} [sleep 600]\n`);
  });

  test('inspect of a missing object prints [] and an error', async () => {
    const result = await runCli(['inspect', 'berth-no-such-container']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '[]\n');
    assert.equal(result.stderr, 'Error: No such object: berth-no-such-container\n');
    const container = await runCli(['container', 'inspect', 'berth-no-such-container']);
    assert.equal(container.code, 1);
    assert.match(container.stderr, /^Error response from daemon: .*no such container/i);
  });

  test('top lists the processes, diff the changed files', async () => {
    const name = await runSleeping('top');
    const top = await runCli(['top', name]);
    assert.equal(top.code, 0, top.stderr);
    // Podman's default columns differ from dockerd's `ps -ef`; both are laid out 20 wide.
    assert.match(top.stdout, /^(UID {17}PID {17}PPID|PID {17}USER {16}COMMAND)/);
    assert.match(top.stdout, /sleep 600/);
    const custom = await runCli(['top', name, '-o', 'pid,comm']);
    assert.match(custom.stdout, /^PID {17}COMMAND\n(\d+ +\w+\n)+$/);
    assert.match(custom.stdout, /\d+ +sleep\n/);

    await runCli(['cp', '-', `${name}:/tmp`], { input: await tarOf('added.txt', 'x') });
    const diff = await runCli(['diff', name]);
    assert.equal(diff.code, 0, diff.stderr);
    assert.match(diff.stdout, /^A \/tmp\/added\.txt$/m);
    assert.match(diff.stdout, /^([ACD] \/\S*\n)+$/);
  });
});

describe('berth errors and help', () => {
  test('a daemon that is not there gives the connection error and exit 1', async () => {
    const result = await runCli(['-H', 'unix:///tmp/berth-no-such-engine.sock', 'ps'], { noHost: true });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Cannot connect to the Docker daemon at unix:\/\/\/tmp\/berth-no-such-engine\.sock/);
  });

  test('--help prints the usage and the flags; missing arguments exit 1', async () => {
    const help = await runCli(['rm', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: {2}berth rm \[OPTIONS\] CONTAINER \[CONTAINER\.\.\.\]/);
    assert.match(help.stdout, /-f, --force/);
    const missing = await runCli(['rm']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^berth: 'berth rm' requires at least 1 argument\n/);
    const unknown = await runCli(['frobnicate']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown command: berth frobnicate/);
    const version = await runCli(['--version'], { noHost: true });
    assert.match(version.stdout, /^berth version \d+\.\d+\.\d+/);
  });
});

/** A one-file tar archive, made with the CLI's own tar library to feed `cp -`. */
async function tarOf(name: string, content: string): Promise<Buffer> {
  const { pack } = await import('tar-stream');
  const archive = pack();
  archive.entry({ name, mode: 0o644 }, content);
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
