/**
 * `berth swarm`, `node`, `service`, `secret` and `config` on the private swarm engine
 * (scripts/swarm-engine.sh): tables as the Docker CLI prints them, a service that reads a secret and a
 * config given as a file and on stdin, logs with task prefixes, scale, update, rollback, and leave/init.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Docker } from '../../src/index.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { TEST_IMAGE, TEST_LABEL, dockerdOnly, uniqueName } from '../helpers/engine.js';
import { swarmDocker, swarmHost } from '../helpers/swarm-engine.js';

const run = uniqueName('cli-swarm');

function berth(args: string[], input?: string): Promise<CliResult> {
  return runCli(['-H', swarmHost(), ...args], { noHost: true, input, timeout: 120_000 });
}

async function ok(args: string[], input?: string): Promise<string> {
  const result = await berth(args, input);
  assert.equal(result.code, 0, `berth ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

describe('berth swarm commands (own engine)', { skip: dockerdOnly('the swarm CLI tests run on the private swarm dockerd, whatever the engine under test') }, () => {
  let docker: Docker;
  let dir: string;
  const cleanups: Array<() => Promise<unknown>> = [];

  before(() => {
    docker = swarmDocker();
    dir = mkdtempSync(join(tmpdir(), 'berth-cli-swarm-'));
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    docker.close();
  });

  test('node ls marks this node, node update adds a label, node inspect self', async () => {
    const nodeId = (await docker.info()).Swarm!.NodeID!;
    const lines = (await ok(['node', 'ls'])).trimEnd().split('\n');
    assert.match(lines[0]!, /^ID {28}HOSTNAME +STATUS {4}AVAILABILITY {3}MANAGER STATUS {3}ENGINE VERSION$/);
    assert.match(lines[1]!, new RegExp(`^${nodeId} \\* {3}\\S+ +Ready {5}Active {9}Leader {11}\\S+$`));
    assert.equal(await ok(['node', 'ls', '-q']), `${nodeId}\n`);
    assert.equal(await ok(['node', 'update', '--label-add', `${TEST_LABEL}=${run}`, 'self']), 'self\n');
    assert.equal(await ok(['node', 'inspect', '-f', `{{index .Spec.Labels "${TEST_LABEL}"}}`, 'self']), `${run}\n`);
    const refused = await berth(['node', 'rm', nodeId]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^Error response from daemon: .*must be demoted/);
  });

  test('secret and config: create from a file and from stdin, ls, inspect, rm', async () => {
    const file = join(dir, 'secret.txt');
    writeFileSync(file, 'from-a-file');
    const secretName = uniqueName('cli-secret');
    const secretId = (await ok(['secret', 'create', '--label', `${TEST_LABEL}=${run}`, secretName, file])).trim();
    assert.match(secretId, /^[a-z0-9]{25}$/);
    const table = (await ok(['secret', 'ls', '--filter', `name=${secretName}`])).trimEnd().split('\n');
    assert.match(table[0]!, /^ID {26}NAME +DRIVER {4}CREATED +UPDATED$/);
    assert.match(table[1]!, new RegExp(`^${secretId} {3}${secretName} {3} +(Less than a second|\\d+ seconds?) ago`));
    assert.equal(await ok(['secret', 'inspect', '-f', '{{.Spec.Name}}', secretId]), `${secretName}\n`);

    const configName = uniqueName('cli-config');
    const configId = (await ok(['config', 'create', configName, '-'], 'from-stdin')).trim();
    assert.equal(Buffer.from((await docker.configs.inspect(configId)).Spec!.Data!, 'base64').toString(), 'from-stdin');
    assert.match((await ok(['config', 'ls', '-f', `name=${configName}`])).split('\n')[0]!, /^ID {26}NAME +CREATED +UPDATED$/);

    assert.equal(await ok(['secret', 'rm', secretName]), `${secretName}\n`);
    assert.equal(await ok(['config', 'rm', configId]), `${configId}\n`);
    const gone = await berth(['config', 'inspect', configId]);
    assert.equal(gone.code, 1);
    assert.equal(gone.stdout, '[]\n');
    assert.match(gone.stderr, /^Error response from daemon: .*not found/);
  });

  test('service create with a secret and a config, ls, ps, logs, scale, update, rollback, rm', async () => {
    const secretName = uniqueName('cli-svc-secret');
    const configName = uniqueName('cli-svc-config');
    await ok(['secret', 'create', secretName, '-'], 'secret-for-the-service');
    cleanups.push(() => docker.secrets.remove(secretName));
    await ok(['config', 'create', configName, '-'], 'config-for-the-service');
    cleanups.push(() => docker.configs.remove(configName));

    const name = uniqueName('cli-svc');
    const created = await ok(['service', 'create', '--name', name, '--label', `${TEST_LABEL}=${run}`, '--replicas', '1',
      '--endpoint-mode', 'dnsrr', '--stop-grace-period', '1s', '--update-monitor', '500ms', '--secret', secretName,
      '--config', `source=${configName},target=/app.conf`, '-e', 'V=1',
      TEST_IMAGE, 'sh', '-c', `cat /run/secrets/${secretName}; echo; cat /app.conf; echo; trap "exit 0" TERM; while :; do sleep 1; done`]);
    const [id, ...progress] = created.trimEnd().split('\n');
    cleanups.push(() => docker.services.remove(id!));
    assert.match(id!, /^[a-z0-9]{25}$/);
    assert.deepEqual(progress, ['overall progress: 1 out of 1 tasks', 'verify: Service converged']);

    const ls = (await ok(['service', 'ls', '--filter', `name=${name}`])).split('\n');
    assert.match(ls[0]!, /^ID {13}NAME +MODE {9}REPLICAS {3}IMAGE {11}PORTS$/);
    assert.match(ls[1]!, new RegExp(`^${id!.slice(0, 12)} {3}${name} {3}replicated {3}1/1 {8}${TEST_IMAGE} {3}$`));

    const ps = (await ok(['service', 'ps', name])).trimEnd().split('\n');
    assert.match(ps[0]!, /^ID {13}NAME +IMAGE {11}NODE +DESIRED STATE {3}CURRENT STATE +ERROR {5}PORTS$/);
    assert.match(ps[1]!, new RegExp(`^[a-z0-9]{12} {3}${name}\\.1 {3}${TEST_IMAGE} {3}\\S+ +Running {9}Running `));

    const logs = await waitForOutput(() => ok(['service', 'logs', name]), (out) => out.includes('config-for-the-service'));
    assert.match(logs, new RegExp(`^${name}\\.1\\.[a-z0-9]{12}@\\S+ {4}\\| secret-for-the-service\\n${name}\\.1\\.[a-z0-9]{12}@\\S+ {4}\\| config-for-the-service\\n$`));
    assert.equal(await ok(['service', 'logs', '--raw', name]), 'secret-for-the-service\nconfig-for-the-service\n');

    assert.equal(await ok(['service', 'scale', `${name}=2`]), `${name} scaled to 2\noverall progress: 2 out of 2 tasks\nverify: Service converged\n`);
    assert.equal((await docker.services.inspect(name)).Spec?.Mode?.Replicated?.Replicas, 2);

    assert.equal(await ok(['service', 'update', '--env-add', 'V=2', name]), `${name}\noverall progress: 2 out of 2 tasks\nverify: Service converged\n`);
    assert.deepEqual((await docker.services.inspect(name)).Spec?.TaskTemplate?.ContainerSpec?.Env, ['V=2']);
    assert.equal(await ok(['service', 'rollback', name]), `${name}\nrollback: manually requested rollback\noverall progress: 2 out of 2 tasks\nverify: Service converged\n`);
    assert.deepEqual((await docker.services.inspect(name)).Spec?.TaskTemplate?.ContainerSpec?.Env, ['V=1']);

    const inspected = JSON.parse(await ok(['service', 'inspect', name])) as Array<{ ID: string }>;
    assert.equal(inspected[0]!.ID, id);
    assert.equal(await ok(['service', 'rm', name]), `${name}\n`);
    assert.equal(await ok(['service', 'ls', '-q', '--filter', `name=${name}`]), '');
  });

  test('swarm join is refused while in a swarm; leave, init with autolock, unlock-key', async () => {
    const token = (await docker.swarm.inspect()).JoinTokens!.Worker!;
    const join = await berth(['swarm', 'join', '--token', token, '127.0.0.1:2377']);
    assert.equal(join.code, 1);
    assert.match(join.stderr, /^Error response from daemon: This node is already part of a swarm/);
    const noKey = await berth(['swarm', 'unlock-key']);
    assert.equal(noKey.code, 1);
    assert.equal(noKey.stderr, 'Error: no unlock key is set\n');

    assert.equal(await ok(['swarm', 'leave', '--force']), 'Node left the swarm.\n');
    const init = await ok(['swarm', 'init', '--autolock', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377']);
    const nodeId = (await docker.info()).Swarm!.NodeID!;
    const workerToken = (await docker.swarm.inspect()).JoinTokens!.Worker!;
    assert.ok(init.startsWith(`Swarm initialized: current node (${nodeId}) is now a manager.\n\n`
      + `To add a worker to this swarm, run the following command:\n\n    berth swarm join --token ${workerToken} 127.0.0.1:2377\n\n`), init);
    const key = (await ok(['swarm', 'unlock-key', '-q'])).trim();
    assert.match(key, /^SWMKEY-1-/);
    assert.ok(init.includes(`    ${key}\n`), 'init --autolock prints the unlock key');
    // The key is read from stdin; a running manager is not locked, and the engine says so.
    const unlock = await berth(['swarm', 'unlock'], `${key}\n`);
    assert.equal(unlock.code, 1);
    assert.equal(unlock.stderr, 'Error response from daemon: swarm is not locked\n');
    assert.match(await ok(['swarm', 'join-token', 'manager']), /^To add a manager to this swarm, run the following command:\n\n {4}berth swarm join --token SWMTKN-1-\S+ 127\.0\.0\.1:2377\n\n$/);

    // Autolock off again: the engine must not come back locked for the tests after this one.
    const swarm = await docker.swarm.inspect();
    await docker.swarm.update({ ...swarm.Spec, EncryptionConfig: { AutoLockManagers: false } }, { version: swarm.Version!.Index! });
  });
});

async function waitForOutput(read: () => Promise<string>, done: (output: string) => boolean): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const output = await read();
    if (done(output) || Date.now() > deadline) return output;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
