/**
 * The real dockerd dies while `events` and `logs -f` are followed: both loops end with a ConnectionError at once
 * (not a hang, not a silent normal end), calls while it is down fail with a ConnectionError, and the same client
 * works again once the engine is back.
 *
 * This uses a private dockerd of its own (scripts/engine.sh with BERTH_ENGINE_DIR=/tmp/berth-engine-fault, in its
 * own network namespace when another dockerd runs), never the shared test engine. It is killed with SIGKILL, as a
 * crash or `systemctl kill` would: on a graceful stop dockerd first stops the containers, so a `logs -f` then ends
 * normally with the container, which is right but is not the fault under test.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { ConnectionError, Docker } from '../../src/index.js';

const run = promisify(execFile);
const ENGINE_DIR = '/tmp/berth-engine-fault';
const SCRIPT = fileURLToPath(new URL('../../../scripts/engine.sh', import.meta.url));
const LABEL = { 'berth.test': `engine-restart-${process.pid}` };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function engineScript(command: 'start' | 'stop'): Promise<string> {
  const { stdout } = await run('bash', [SCRIPT, command], { env: { ...process.env, BERTH_ENGINE_DIR: ENGINE_DIR }, timeout: 120_000 });
  return stdout.trim().split('\n').at(-1)!.replace(/^DOCKER_HOST=/, '');
}

/** Kills our private dockerd, after making sure the pid is that dockerd and not the shared one. */
function killPrivateDockerd(): void {
  const pid = Number(readFileSync(`${ENGINE_DIR}/docker.pid`, 'utf8').trim());
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  assert.equal(cmdline[0], 'dockerd', `pid ${pid} is a dockerd`);
  assert.ok(cmdline.includes(`unix://${ENGINE_DIR}/docker.sock`), `pid ${pid} is the private fault engine, not another`);
  process.kill(pid, 'SIGKILL');
}

let host: string;
let docker: Docker;
before(async () => {
  host = await engineScript('start');
  docker = new Docker({ host });
});
after(async () => {
  try {
    for (const container of await docker.containers.list({ all: true, filters: { label: [`berth.test=${LABEL['berth.test']}`] } })) {
      await docker.containers.remove(container.Id!, { force: true });
    }
  } finally {
    docker.close();
    await engineScript('stop');
  }
});

/** Follows `items` in the background; settles with how it ended. */
function follow(items: AsyncIterable<unknown>, seen: { count: number }): Promise<{ error?: unknown; at: number }> {
  return (async () => {
    try {
      for await (const _ of items) seen.count++;
      return { at: Date.now() };
    } catch (error) {
      return { error, at: Date.now() };
    }
  })();
}

describe('the real engine dies and comes back', () => {
  it('events and logs -f end with a ConnectionError; calls meanwhile fail; the same client works after the restart', async () => {
    const container = await docker.containers.create({
      Image: 'busybox:local', Labels: LABEL, Cmd: ['sh', '-c', 'while true; do echo tick; sleep 0.1; done'],
    });
    await docker.containers.start(container.Id);
    const events = { count: 0 };
    const logs = { count: 0 };
    const eventsEnded = follow(docker.system.events({ filters: { label: [`berth.test=${LABEL['berth.test']}`] } }), events);
    const logsEnded = follow(docker.containers.logs(container.Id, { follow: true, stdout: true }), logs);
    for (let i = 0; i < 100 && logs.count < 2; i++) await sleep(20);
    assert.ok(logs.count >= 2, 'the logs were flowing');

    const killedAt = Date.now();
    killPrivateDockerd();
    for (const [name, ended] of [['events', eventsEnded], ['logs -f', logsEnded]] as const) {
      const { error, at } = await ended;
      assert.ok(error instanceof ConnectionError, `${name} ended with ${String(error)}`);
      assert.equal(error.endpoint, host);
      assert.ok(at - killedAt < 3000, `${name} ended ${at - killedAt} ms after the kill`);
    }
    await assert.rejects(docker.ping({ timeout: 5000 }), ConnectionError);

    await engineScript('start');
    // The same client, without being told: its pooled connections are gone, new ones are opened.
    const ping = await docker.ping();
    assert.equal(ping.engine, 'docker');
    const seen = { count: 0 };
    const again = follow(docker.system.events({ filters: { label: [`berth.test=${LABEL['berth.test']}`] } }), seen);
    const restarted = await docker.containers.create({ Image: 'busybox:local', Labels: LABEL, Cmd: ['echo', 'back'] });
    await docker.containers.start(restarted.Id);
    assert.equal((await docker.containers.wait(restarted.Id)).StatusCode, 0);
    const lines: string[] = [];
    for await (const frame of docker.containers.logs(restarted.Id, { stdout: true })) lines.push(Buffer.from(frame.data).toString());
    assert.deepEqual(lines, ['back\n']);
    for (let i = 0; i < 100 && seen.count < 2; i++) await sleep(20);
    assert.ok(seen.count >= 2, `events flow again (${seen.count})`);
    docker.close(); // ends the events loop
    await again;
  });
});
