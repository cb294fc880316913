/** `berth service create` flag parsing that the engine tests do not reach: published ports and durations. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError, parseArgs } from '../../cli/args.js';
import { SERVICE_CREATE_FLAGS, durationFlag, parsePortConfig } from '../../cli/commands/service-options.js';

describe('service create options', () => {
  test('published ports in the short and the long syntax', () => {
    assert.deepEqual(parsePortConfig('8080:80'), { PublishedPort: 8080, TargetPort: 80, Protocol: 'tcp', PublishMode: 'ingress' });
    assert.deepEqual(parsePortConfig('53/udp'), { PublishedPort: undefined, TargetPort: 53, Protocol: 'udp', PublishMode: 'ingress' });
    assert.deepEqual(parsePortConfig('mode=host,published=8080,target=80'), { PublishedPort: 8080, TargetPort: 80, Protocol: 'tcp', PublishMode: 'host' });
    assert.throws(() => parsePortConfig('80:http'), UsageError);
    assert.throws(() => parsePortConfig('mode=host,published=8080'), UsageError);
  });

  test('durations become swarm nanoseconds; a bad one names the flag', () => {
    const args = parseArgs(['--update-delay', '1m30s', '--stop-grace-period', '500ms', 'busybox'], SERVICE_CREATE_FLAGS, { interspersed: false });
    assert.equal(durationFlag(args, 'update-delay'), 90e9);
    assert.equal(durationFlag(args, 'stop-grace-period'), 5e8);
    assert.equal(durationFlag(args, 'update-monitor'), undefined);
    const bad = parseArgs(['--update-delay', 'soon', 'busybox'], SERVICE_CREATE_FLAGS, { interspersed: false });
    assert.throws(() => durationFlag(bad, 'update-delay'), /--update-delay/);
  });
});
