/** `berth network …` and `berth volume …` against the real engine: tables, inspect, connect with an alias, rm, prune. */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { Cleanup, TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from '../helpers/engine.js';

const docker = testDocker();
const cleanup = new Cleanup(docker);
const run = uniqueName('cli-objects');
const label = `${TEST_LABEL}=${run}`;

after(() => cleanup.run());

/** Runs the CLI and expects success. */
async function ok(args: string[], input?: string): Promise<string> {
  const result = await runCli(args, input === undefined ? {} : { input });
  assert.equal(result.code, 0, `berth ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

describe('berth network', () => {
  test('create, ls, inspect, connect with an alias, disconnect, rm', async () => {
    const name = uniqueName('cli-net');
    const subnet = `10.${randomInt(100, 250)}.${randomInt(0, 255)}`;
    const id = (await ok(['network', 'create', '--label', label, '--subnet', `${subnet}.0/24`, '--gateway', `${subnet}.1`, name])).trim();
    cleanup.defer(() => docker.networks.remove(id));
    assert.match(id, /^[0-9a-f]{64}$/);

    const table = await ok(['network', 'ls', '--filter', `label=${label}`]);
    const lines = table.trimEnd().split('\n');
    assert.match(lines[0]!, /^NETWORK ID {5}NAME +DRIVER {4}SCOPE$/);
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, new RegExp(`^${id.slice(0, 12)} {3}${name} {3}bridge {4}local$`));
    assert.equal(await ok(['network', 'ls', '-q', '--filter', `label=${label}`]), `${id.slice(0, 12)}\n`);
    assert.equal(await ok(['network', 'inspect', '-f', '{{.Name}} {{.Driver}}', name]), `${name} bridge\n`);
    const inspected = JSON.parse(await ok(['network', 'inspect', name])) as Array<{ Id: string; IPAM: { Config: Array<{ Subnet: string }> } }>;
    assert.equal(inspected[0]!.Id, id);
    assert.equal(inspected[0]!.IPAM.Config[0]!.Subnet, `${subnet}.0/24`);

    const { Id: container } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['sleep', '60'], Labels: { [TEST_LABEL]: run } }));
    await docker.containers.start(container);
    assert.equal(await ok(['network', 'connect', '--alias', 'cli-alias', '--ip', `${subnet}.50`, name, container]), '');
    const settings = (await docker.containers.inspect(container)).NetworkSettings?.Networks?.[name];
    assert.equal(settings?.IPAddress, `${subnet}.50`);
    assert.ok(settings?.Aliases?.includes('cli-alias'));
    assert.equal(await ok(['network', 'disconnect', name, container]), '');
    assert.equal((await docker.containers.inspect(container)).NetworkSettings?.Networks?.[name], undefined);

    assert.equal(await ok(['network', 'rm', name]), `${name}\n`);
    const again = await runCli(['network', 'rm', name]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^Error response from daemon: .*not found/);
  });

  test('prune asks first, and removes only what the filter names', async () => {
    const name = uniqueName('cli-prune');
    await docker.networks.create({ Name: name, Labels: { [TEST_LABEL]: run, 'berth.cli-prune': run } });
    cleanup.defer(() => docker.networks.remove(name));
    const declined = await ok(['network', 'prune', '--filter', `label=berth.cli-prune=${run}`], 'n\n');
    assert.match(declined, /^WARNING! This will remove all custom networks not used by at least one container\.\nAre you sure you want to continue\? \[y\/N\] /);
    assert.equal((await docker.networks.inspect(name)).Name, name);
    const pruned = await retryBusy(() => ok(['network', 'prune', '-f', '--filter', `label=berth.cli-prune=${run}`]));
    assert.equal(pruned, `Deleted Networks:\n${name}\n\n`);
  });
});

describe('berth volume', () => {
  test('create, ls, inspect, rm, prune', async () => {
    const name = uniqueName('cli-vol');
    assert.equal(await ok(['volume', 'create', '--label', label, name]), `${name}\n`);
    cleanup.defer(() => docker.volumes.remove(name, { force: true }));
    const table = (await ok(['volume', 'ls', '--filter', `label=${label}`])).trimEnd().split('\n');
    assert.deepEqual(table, ['DRIVER    VOLUME NAME', `local     ${name}`]);
    assert.equal(await ok(['volume', 'ls', '-q', '--filter', `label=${label}`]), `${name}\n`);
    assert.equal(await ok(['volume', 'inspect', '--format', '{{.Driver}} {{.Name}}', name]), `local ${name}\n`);
    assert.equal(await ok(['volume', 'rm', name]), `${name}\n`);

    const pruned = uniqueName('cli-vol-prune');
    await docker.volumes.create({ Name: pruned, Labels: { [TEST_LABEL]: run, 'berth.cli-prune': run } });
    cleanup.defer(() => docker.volumes.remove(pruned, { force: true }));
    const output = await retryBusy(() => ok(['volume', 'prune', '-f', '--filter', `label=berth.cli-prune=${run}`]));
    assert.match(output, new RegExp(`^Deleted Volumes:\\n${pruned}\\n\\nTotal reclaimed space: \\d+(\\.\\d+)?[kMG]?B\\n$`));
  });
});

/** dockerd runs one prune at a time (409 "a prune operation is already running"), and other test files share it. */
async function retryBusy<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= 300 || !/prune operation is already running/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
