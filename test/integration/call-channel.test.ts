/**
 * The public diagnostics channel (`CALL_CHANNEL`): every Engine API call is reported when it ends, with its
 * operation and outcome, from the library and from the bundled `berth` command (a preloaded subscriber).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CALL_CHANNEL, Docker, NotFoundError, type CallEvent } from '../../src/index.js';
import { CLI_PATH } from '../helpers/cli.js';
import { testHost } from '../helpers/engine.js';

let scratch: string;
before(async () => { scratch = await mkdtemp(join(tmpdir(), 'berth-channel-')); });
after(async () => { await rm(scratch, { recursive: true, force: true }); });

describe('the call channel', () => {
  it('reports each call of the library with its operation and outcome, the typed error included', async () => {
    const events: CallEvent[] = [];
    const listener = (message: unknown) => events.push(message as CallEvent);
    subscribe(CALL_CHANNEL, listener);
    const docker = new Docker({ host: testHost() });
    try {
      await docker.containers.list({ all: true });
      await assert.rejects(docker.containers.inspect('berth-channel-no-such-container'), NotFoundError);
    } finally {
      unsubscribe(CALL_CHANNEL, listener);
      docker.close();
    }
    // The first call negotiates the version with a ping.
    assert.deepEqual(events.map(({ operation, ok }) => [operation, ok]), [['SystemPing', true], ['ContainerList', true], ['ContainerInspect', false]]);
    assert.ok(events[2]!.error instanceof NotFoundError, 'the failed call carries its typed error');
  });

  it('reaches a subscriber preloaded into the bundled berth command, which has its own copy of the library', async () => {
    const log = join(scratch, 'calls.jsonl');
    const preload = join(scratch, 'subscriber.mjs');
    await writeFile(preload, [
      "import { subscribe } from 'node:diagnostics_channel';",
      "import { appendFileSync } from 'node:fs';",
      `subscribe(${JSON.stringify(CALL_CHANNEL)}, ({ operation, ok }) => appendFileSync(${JSON.stringify(log)}, JSON.stringify({ operation, ok }) + '\\n'));`,
    ].join('\n'));
    await writeFile(log, '');
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', preload, CLI_PATH, '-H', testHost(), 'ps', '-a', '-q'], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', resolve);
    });
    assert.equal(code, 0);
    const calls = (await readFile(log, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { operation: string; ok: boolean });
    assert.deepEqual(calls, [{ operation: 'SystemPing', ok: true }, { operation: 'ContainerList', ok: true }]);
  });
});
