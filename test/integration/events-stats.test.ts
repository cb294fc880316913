/**
 * Events and stats streams against the real engine: typed messages, filters, `until` ending the stream,
 * and both streams ending cleanly on break, on abort, and when the container stops.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { InvalidArgumentError, type EventMessage } from '../../src/index.js';
import { countingDocker } from '../helpers/counting-docker.js';
import { Cleanup, podmanDiffers, TEST_IMAGE, TEST_LABEL, uniqueName } from '../helpers/engine.js';

const { docker, settle } = countingDocker();
const cleanup = new Cleanup(docker);
after(() => cleanup.run());

describe('system.events', () => {
  it('sees create, start, die and destroy of a container, filtered by its label', { timeout: 30_000 }, async () => {
    const label = uniqueName('events');
    const filters = { type: ['container'], label: [`${TEST_LABEL}=${label}`] };
    const seen: EventMessage[] = [];
    const reading = (async () => {
      for await (const event of docker.system.events({ filters })) {
        seen.push(event);
        if (event.Action === 'destroy' || event.Action === 'remove') break;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['true'], Labels: { [TEST_LABEL]: label } }));
    await docker.containers.start(Id);
    await docker.containers.wait(Id);
    await docker.containers.remove(Id);
    await reading;
    const actions = seen.map((event) => event.Action);
    assert.deepEqual(actions.filter((action) => ['create', 'start', 'die', 'destroy'].includes(action ?? '')), ['create', 'start', 'die', 'destroy']);
    for (const event of seen) {
      assert.equal(event.Type, 'container');
      assert.equal(event.Actor?.ID, Id);
      assert.equal(event.Actor?.Attributes?.[TEST_LABEL], label);
      assert.equal(typeof event.timeNano, 'number');
    }
    assert.equal(await settle(0), 0, 'leaving the loop closed the events connection');
  });

  it('replays a past window with since and until, and ends by itself', { timeout: 30_000 }, async () => {
    const label = uniqueName('events-window');
    const since = new Date();
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['true'], Labels: { [TEST_LABEL]: label } }));
    await docker.containers.remove(Id);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const until = Math.ceil(Date.now() / 1000);
    const actions: string[] = [];
    for await (const event of docker.system.events({ since, until, filters: { label: [`${TEST_LABEL}=${label}`] } })) actions.push(event.Action ?? '');
    assert.deepEqual(actions, ['create', 'destroy']);
    assert.equal(await settle(0), 0);
  });

  it('ends with the signal\'s reason on abort', { timeout: 30_000 }, async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('no more events')), 200);
    await assert.rejects(async () => {
      for await (const _ of docker.system.events({ filters: { label: [`${TEST_LABEL}=${uniqueName('never')}`] } }, { signal: controller.signal })) { /* none */ }
    }, /no more events/);
    assert.equal(await settle(0), 0);
  });

  it('rejects an invalid time before any request', { timeout: 30_000 }, () => {
    assert.throws(() => docker.system.events({ since: new Date(Number.NaN) }), InvalidArgumentError);
  });
});

describe('containers.statsStream', () => {
  it('yields samples about a second apart; break closes the connection', { timeout: 30_000 }, async (t) => {
    podmanDiffers(t, 'stats samples come every 5 s');
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['sleep', '60'], Labels: { [TEST_LABEL]: uniqueName('stats') } }));
    await docker.containers.start(Id);
    const samples = [];
    for await (const sample of docker.containers.statsStream(Id)) {
      samples.push(sample);
      if (samples.length === 2) break;
    }
    assert.equal(samples.length, 2);
    assert.equal(samples[0]!.id, Id);
    assert.ok(typeof samples[1]!.memory_stats?.usage === 'number');
    const gap = Date.parse(samples[1]!.read!) - Date.parse(samples[0]!.read!);
    assert.ok(gap > 500 && gap < 3000, `${gap} ms between samples`);
    assert.equal(await settle(0), 0);
  });

  it('ends when the container stops (dockerd itself never closes the stream)', { timeout: 30_000 }, async (t) => {
    podmanDiffers(t, 'the stats stream closes when the container stops, without an all-zero sample');
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['sleep', '2'], Labels: { [TEST_LABEL]: uniqueName('stats') } }));
    await docker.containers.start(Id);
    const started = Date.now();
    const reads: string[] = [];
    for await (const sample of docker.containers.statsStream(Id)) reads.push(sample.read ?? '');
    assert.ok(Date.now() - started < 10_000);
    assert.ok(reads.length >= 2, `${reads.length} samples`);
    assert.match(reads.at(-1)!, /^0001-01-01/, 'the last sample says "not running"');
    assert.equal(await settle(0), 0);
  });

  it('ends with the signal\'s reason on abort', { timeout: 30_000 }, async () => {
    const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE, Cmd: ['sleep', '60'], Labels: { [TEST_LABEL]: uniqueName('stats') } }));
    await docker.containers.start(Id);
    const controller = new AbortController();
    let count = 0;
    await assert.rejects(async () => {
      for await (const _ of docker.containers.statsStream(Id, {}, { signal: controller.signal })) {
        if (++count === 1) controller.abort(new Error('stats aborted'));
      }
    }, /stats aborted/);
    assert.equal(count, 1);
    assert.equal(await settle(0), 0);
  });
});
