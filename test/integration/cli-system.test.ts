/** `berth version`, `berth info`, `berth system df` and `-H` against the real engine. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createContext } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { testHost } from '../helpers/engine.js';

describe('berth system commands', () => {
  test('version shows the client and the engine', async () => {
    const result = await runCli(['version']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Client:\n Version: +\d+\.\d+\.\d+\n API version: +1\.\d+/);
    assert.match(result.stdout, /\nServer:.*\n(.*\n)* Engine:\n {2}Version: +\S+\n {2}API version: +1\.\d+ \(minimum version 1\.\d+\)\n/);
    const json = await runCli(['version', '--format', 'json']);
    const parsed = JSON.parse(json.stdout) as { Server: { ApiVersion: string } };
    assert.match(parsed.Server.ApiVersion, /^1\.\d+$/);
    const template = await runCli(['version', '--format', '{{.Server.Os}}']);
    assert.equal(template.stdout, 'linux\n');
  });

  test('version without an engine prints the client part and fails', async () => {
    const result = await runCli(['-H', 'unix:///tmp/berth-no-such-engine.sock', 'version'], { noHost: true });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^Client:\n/);
    assert.match(result.stderr, /Cannot connect to the Docker daemon/);
  });

  test('info shows the server section', async () => {
    const result = await runCli(['info']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Client:\n Version: +\S+\n/);
    assert.match(result.stdout, /\nServer:\n Containers: \d+\n {2}Running: \d+\n {2}Paused: \d+\n {2}Stopped: \d+\n Images: \d+\n/);
    assert.match(result.stdout, / Total Memory: \d+(\.\d+)?[KMGT]iB\n/);
    const format = await runCli(['info', '--format', '{{.OSType}}']);
    assert.equal(format.stdout, 'linux\n');
  });

  test('system df shows the four rows', async () => {
    const result = await runCli(['system', 'df']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^TYPE {12}TOTAL {5}ACTIVE {4}SIZE {6}RECLAIMABLE$/);
    assert.deepEqual(lines.slice(1).map((line) => line.split(/ {2,}/)[0]), ['Images', 'Containers', 'Local Volumes', 'Build Cache']);
    assert.match(lines[1]!, /^Images +[1-9]\d* +\d+ +[\d.]+[kMG]?B +[\d.]+[kMG]?B/);
  });

  test('the host comes from DOCKER_HOST when -H is not given', async () => {
    const result = await runCli(['version', '--format', '{{.Server.Os}}'], { noHost: true, env: { DOCKER_HOST: testHost() } });
    assert.equal(result.stdout, 'linux\n');
  });

  test('--context and --config pick a context; -H with -c is refused; an unknown context fails', async () => {
    const configDir = await mkdtemp(join(tmpdir(), 'berth-cli-config-'));
    try {
      createContext(configDir, { name: 'berth-test', host: testHost() });
      const viaContext = await runCli(['--config', configDir, '-c', 'berth-test', 'version', '--format', '{{.Server.Os}}'], { noHost: true });
      assert.equal(viaContext.stdout, 'linux\n', viaContext.stderr);
      const viaEnv = await runCli(['version', '--format', '{{.Server.Os}}'], { noHost: true, env: { DOCKER_CONFIG: configDir, DOCKER_CONTEXT: 'berth-test', DOCKER_HOST: '' } });
      assert.equal(viaEnv.stdout, 'linux\n', viaEnv.stderr);
      const both = await runCli(['-c', 'berth-test', 'ps'], { env: { DOCKER_CONFIG: configDir } });
      assert.equal(both.code, 1);
      assert.equal(both.stderr, 'conflicting options: cannot specify both --host and --context\n');
      const unknown = await runCli(['--config', configDir, '--context', 'berth-no-such-context', 'ps'], { noHost: true });
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /^Failed to initialize: .*berth-no-such-context/);
    } finally {
      await rm(configDir, { recursive: true, force: true });
    }
  });
});
