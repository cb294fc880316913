/**
 * `berth plugin` on the private swarm engine: create from a directory (config.json + rootfs), ls,
 * inspect, enable, disable, rm. As in plugins.test.ts, the test itself listens on the plugin's socket on
 * the host, since busybox cannot (dockerd enables a plugin only once its socket answers).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Docker } from '../../src/index.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { dockerdOnly, uniqueName } from '../helpers/engine.js';
import { swarmDocker, swarmHost } from '../helpers/swarm-engine.js';

function berth(args: string[]): Promise<CliResult> {
  return runCli(['-H', swarmHost(), ...args], { noHost: true });
}

async function ok(args: string[]): Promise<string> {
  const result = await berth(args);
  assert.equal(result.code, 0, `berth ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

describe('berth plugin (own engine)', { skip: dockerdOnly('the plugin CLI tests run on the private swarm dockerd, whatever the engine under test') }, () => {
  let docker: Docker;
  let dir: string;
  let listener: Server | undefined;
  const name = uniqueName('cli-plugin');

  before(() => {
    docker = swarmDocker();
    dir = mkdtempSync(join(tmpdir(), 'berth-cli-plugin-'));
    mkdirSync(join(dir, 'rootfs', 'bin'), { recursive: true });
    cpSync('/bin/busybox', join(dir, 'rootfs', 'bin', 'busybox'));
    for (const applet of ['sh', 'sleep']) symlinkSync('busybox', join(dir, 'rootfs', 'bin', applet));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({
      Description: 'Berth CLI test plugin',
      Documentation: 'https://example.invalid/berth',
      Entrypoint: ['/bin/sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done'],
      Interface: { Socket: 'cli.sock', Types: ['docker.volumedriver/1.0'] },
      Network: { Type: 'none' },
    }));
  });
  after(async () => {
    await docker.plugins.remove(name, { force: true }).catch(() => undefined);
    listener?.close();
    rmSync(dir, { recursive: true, force: true });
    docker.close();
  });

  test('create from a directory, ls, inspect, enable, disable, rm', async () => {
    assert.equal(await ok(['plugin', 'create', name, dir]), `${name}\n`);
    const lines = (await ok(['plugin', 'ls', '--filter', 'capability=volumedriver'])).trimEnd().split('\n');
    assert.match(lines[0]!, /^ID {13}NAME +DESCRIPTION +ENABLED$/);
    const row = lines.find((line) => line.includes(`${name}:latest`));
    assert.match(row ?? '', new RegExp(`^[0-9a-f]{12} {3}${name}:latest {3}Berth CLI test plugin {3}false$`));

    const id = (await ok(['plugin', 'inspect', '-f', '{{.Id}}', name])).trim();
    mkdirSync(join('/run/docker/plugins', id), { recursive: true });
    listener = createServer((connection) => connection.end());
    await new Promise<void>((resolve) => listener!.listen(join('/run/docker/plugins', id, 'cli.sock'), resolve));

    assert.equal(await ok(['plugin', 'enable', name]), `${name}\n`);
    assert.equal(await ok(['plugin', 'inspect', '-f', '{{.Enabled}}', name]), 'true\n');
    const refused = await berth(['plugin', 'rm', name]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^Error response from daemon: .*enabled/);
    assert.equal(await ok(['plugin', 'disable', name]), `${name}\n`);
    assert.equal(await ok(['plugin', 'rm', name]), `${name}\n`);
    const gone = await berth(['plugin', 'inspect', name]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /not found/);
  });

  test('create refuses a directory without config.json, before any request', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'berth-cli-plugin-empty-'));
    try {
      const result = await berth(['plugin', 'create', uniqueName('cli-plugin-bad'), empty]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^Error: config file ".*config\.json" does not exist or is not a file\n$/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
