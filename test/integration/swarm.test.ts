/**
 * Swarm on its own private engine (scripts/swarm-engine.sh): swarm inspect/update/unlock key, nodes,
 * secrets and configs, a replicated service that reads a mounted secret and config, its logs and tasks,
 * scale, update and rollback, and finally leave and init again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BadRequestError, ConflictError, EngineError, NotFoundError, UnavailableError, type Docker, type ServiceSpec } from '../../src/index.js';
import { TEST_IMAGE, TEST_LABEL, collectOutput, dockerdOnly, uniqueName } from '../helpers/engine.js';
import { swarmDocker, waitFor } from '../helpers/swarm-engine.js';

const SECOND = 1_000_000_000; // swarm durations are in nanoseconds

describe('swarm (own engine)', { skip: dockerdOnly('the swarm tests run on the private swarm dockerd (scripts/swarm-engine.sh), whatever the engine under test') }, () => {
  let docker: Docker;
  const run = uniqueName('swarm');
  const labels = { [TEST_LABEL]: run };
  const cleanups: Array<() => Promise<unknown>> = [];

  before(() => { docker = swarmDocker(); });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    docker.close();
  });

  /** Tasks of a service that should be running and are. */
  async function runningTasks(service: string) {
    const tasks = await docker.tasks.list({ filters: { service: [service], 'desired-state': ['running'] } });
    return tasks.filter((task) => task.Status?.State === 'running');
  }

  it('inspects and updates the swarm, rotates a join token, and hands out an unlock key with autolock', async () => {
    const swarm = await docker.swarm.inspect();
    assert.match(swarm.JoinTokens?.Worker ?? '', /^SWMTKN-1-/);
    const spec = swarm.Spec!;

    await docker.swarm.update({ ...spec, Labels: { ...spec.Labels, ...labels } }, { version: swarm.Version!.Index!, rotateWorkerToken: true });
    const updated = await docker.swarm.inspect();
    assert.equal(updated.Spec?.Labels?.[TEST_LABEL], run);
    assert.notEqual(updated.JoinTokens?.Worker, swarm.JoinTokens?.Worker, 'the worker token was rotated');
    assert.equal(updated.JoinTokens?.Manager, swarm.JoinTokens?.Manager);

    assert.equal((await docker.swarm.unlockKey()).UnlockKey ?? '', '', 'no key without autolock');
    await docker.swarm.update({ ...updated.Spec, EncryptionConfig: { AutoLockManagers: true } }, { version: updated.Version!.Index! });
    const { UnlockKey } = await docker.swarm.unlockKey();
    assert.match(UnlockKey ?? '', /^SWMKEY-1-/);
    const locked = await docker.swarm.inspect();
    await docker.swarm.update({ ...locked.Spec, EncryptionConfig: { AutoLockManagers: false } }, { version: locked.Version!.Index! });

    // The running manager is not locked: the engine says so (409), which shows the call reached it.
    await assert.rejects(docker.swarm.unlock({ UnlockKey: UnlockKey! }), (error: unknown) => error instanceof ConflictError && /not locked/.test(error.message));
    // Already in a swarm: join is refused with the engine's 503.
    await assert.rejects(
      docker.swarm.join({ ListenAddr: '127.0.0.1:2378', RemoteAddrs: ['127.0.0.1:2377'], JoinToken: updated.JoinTokens!.Worker! }),
      (error: unknown) => error instanceof UnavailableError && /already part of a swarm/.test(error.message));
    // A stale version is a conflict, not a silent overwrite.
    await assert.rejects(docker.swarm.update(spec, { version: swarm.Version!.Index! }), (error: unknown) => error instanceof EngineError && /out of sequence/i.test(error.message));
  });

  it('lists, inspects and labels the node', async () => {
    const nodes = await docker.nodes.list({ filters: { role: ['manager'] } });
    assert.equal(nodes.length, 1);
    const node = await docker.nodes.inspect(nodes[0]!.ID!);
    assert.equal(node.Spec?.Role, 'manager');
    assert.equal(node.ManagerStatus?.Leader, true);
    assert.equal(node.Status?.State, 'ready');

    // The manager moves the node's version on its own (it records the node's status): an update from an inspect
    // a moment old can be "out of sequence", so read it again and retry, as a careful caller does.
    for (let attempt = 1; ; attempt++) {
      const current = attempt === 1 ? node : await docker.nodes.inspect(node.ID!);
      try {
        await docker.nodes.update(node.ID!, { ...current.Spec, Labels: { ...current.Spec?.Labels, ...labels } }, { version: current.Version!.Index! });
        break;
      } catch (error) {
        if (attempt >= 3 || !(error instanceof EngineError && /out of sequence/i.test(error.message))) throw error;
      }
    }
    assert.equal((await docker.nodes.inspect(node.ID!)).Spec?.Labels?.[TEST_LABEL], run);
    const labelled = await docker.nodes.list({ filters: { 'node.label': [`${TEST_LABEL}=${run}`] } });
    assert.deepEqual(labelled.map((n) => n.ID), [node.ID]);
    // The only manager cannot be removed.
    await assert.rejects(docker.nodes.remove(node.ID!), (error: unknown) => error instanceof BadRequestError && /must be demoted/.test(error.message));
  });

  it('creates, inspects, lists, relabels and removes secrets and configs', async () => {
    const secretName = uniqueName('secret');
    const { ID: secretId } = await docker.secrets.create({ Name: secretName, Labels: labels, Data: Buffer.from('top secret').toString('base64') });
    const secret = await docker.secrets.inspect(secretId);
    assert.equal(secret.Spec?.Name, secretName);
    assert.equal(secret.Spec?.Data, undefined, 'the engine never gives a secret back');
    assert.deepEqual((await docker.secrets.list({ filters: { name: [secretName] } })).map((s) => s.ID), [secretId]);
    await docker.secrets.update(secretId, { ...secret.Spec, Labels: { ...labels, extra: 'yes' } }, { version: secret.Version!.Index! });
    assert.equal((await docker.secrets.inspect(secretName)).Spec?.Labels?.extra, 'yes');
    await docker.secrets.remove(secretId);
    await assert.rejects(docker.secrets.inspect(secretId), NotFoundError);

    const configName = uniqueName('config');
    const { ID: configId } = await docker.configs.create({ Name: configName, Labels: labels, Data: Buffer.from('key=value\n').toString('base64') });
    const config = await docker.configs.inspect(configId);
    assert.equal(Buffer.from(config.Spec?.Data ?? '', 'base64').toString(), 'key=value\n');
    assert.deepEqual((await docker.configs.list({ filters: { label: [`${TEST_LABEL}=${run}`] } })).map((c) => c.ID), [configId]);
    await docker.configs.update(configId, { ...config.Spec, Labels: { ...labels, extra: 'yes' } }, { version: config.Version!.Index! });
    assert.equal((await docker.configs.inspect(configId)).Spec?.Labels?.extra, 'yes');
    await docker.configs.remove(configId);
    await assert.rejects(docker.configs.inspect(configId), NotFoundError);
  });

  it('runs a service that reads its secret and config; logs, tasks, scale, update and rollback', async () => {
    const secretName = uniqueName('svc-secret');
    const configName = uniqueName('svc-config');
    const { ID: SecretID } = await docker.secrets.create({ Name: secretName, Labels: labels, Data: Buffer.from('the-secret-value').toString('base64') });
    cleanups.push(() => docker.secrets.remove(SecretID));
    const { ID: ConfigID } = await docker.configs.create({ Name: configName, Labels: labels, Data: Buffer.from('the-config-value').toString('base64') });
    cleanups.push(() => docker.configs.remove(ConfigID));

    const name = uniqueName('svc');
    const spec: ServiceSpec = {
      Name: name,
      Labels: labels,
      TaskTemplate: {
        ContainerSpec: {
          Image: TEST_IMAGE,
          Command: ['sh', '-c', 'cat /run/secrets/app-secret; echo; cat /app.conf; echo; echo "V=$V" >&2; trap "exit 0" TERM; while :; do sleep 1; done'],
          Env: ['V=1'],
          Secrets: [{ File: { Name: 'app-secret', UID: '0', GID: '0', Mode: 0o444 }, SecretID, SecretName: secretName }],
          Configs: [{ File: { Name: '/app.conf', UID: '0', GID: '0', Mode: 0o444 }, ConfigID, ConfigName: configName }],
          StopGracePeriod: SECOND,
        },
      },
      Mode: { Replicated: { Replicas: 1 } },
      UpdateConfig: { Parallelism: 1, Monitor: SECOND / 2, FailureAction: 'pause' },
      RollbackConfig: { Parallelism: 1, Monitor: SECOND / 2 },
      // No IPVS in this kernel: a virtual IP cannot work, DNS round robin does.
      EndpointSpec: { Mode: 'dnsrr' },
    };
    const { ID } = await docker.services.create(spec);
    cleanups.push(() => docker.services.remove(ID!));
    assert.match(ID ?? '', /^[a-z0-9]{25}$/);

    const [task] = await waitFor('the first task to run', async () => {
      const tasks = await runningTasks(name);
      return tasks.length === 1 ? tasks : undefined;
    });
    const inspected = await docker.tasks.inspect(task!.ID!);
    assert.equal(inspected.ServiceID, ID);
    assert.equal(inspected.Spec?.ContainerSpec?.Image, TEST_IMAGE);

    // The task read its secret and config: they show up in the task's logs and in the service's.
    const taskLogs = await waitFor('the task logs', async () => {
      const output = await collectOutput(docker.tasks.logs(task!.ID!, { stdout: true, stderr: true }));
      return output.stderr?.includes('V=1') ? output : undefined;
    });
    assert.equal(taskLogs.stdout, 'the-secret-value\nthe-config-value\n');
    assert.equal(taskLogs.stderr, 'V=1\n', 'stderr kept apart from stdout');
    const serviceLogs = await collectOutput(docker.services.logs(name, { stdout: true }));
    assert.equal(serviceLogs.stdout, 'the-secret-value\nthe-config-value\n');
    assert.equal(serviceLogs.stderr, undefined, 'only stdout was asked for');

    // Scale to 3 and back to 1.
    const scale = async (replicas: number) => {
      const current = await docker.services.inspect(ID!);
      await docker.services.update(ID!, { ...current.Spec, Mode: { Replicated: { Replicas: replicas } } }, { version: current.Version!.Index! });
      await waitFor(`${replicas} running tasks`, async () => ((await runningTasks(name)).length === replicas ? true : undefined));
    };
    await scale(3);
    assert.equal((await docker.services.list({ filters: { name: [name] }, status: true }))[0]?.ServiceStatus?.RunningTasks, 3);
    await scale(1);

    // Update the environment, then roll back to the previous spec.
    const before = await docker.services.inspect(ID!);
    const changed = structuredClone(before.Spec!);
    changed.TaskTemplate!.ContainerSpec!.Env = ['V=2'];
    await docker.services.update(ID!, changed, { version: before.Version!.Index! });
    await waitFor('the update to complete', async () => ((await docker.services.inspect(ID!)).UpdateStatus?.State === 'completed' ? true : undefined));
    const afterUpdate = await docker.services.inspect(ID!);
    assert.deepEqual(afterUpdate.Spec?.TaskTemplate?.ContainerSpec?.Env, ['V=2']);
    assert.deepEqual(afterUpdate.PreviousSpec?.TaskTemplate?.ContainerSpec?.Env, ['V=1']);

    await docker.services.update(ID!, afterUpdate.Spec!, { version: afterUpdate.Version!.Index!, rollback: 'previous' });
    await waitFor('the rollback to complete', async () => ((await docker.services.inspect(ID!)).UpdateStatus?.State === 'rollback_completed' ? true : undefined));
    assert.deepEqual((await docker.services.inspect(ID!)).Spec?.TaskTemplate?.ContainerSpec?.Env, ['V=1']);
    const [rolledBack] = await waitFor('a task of the rolled-back spec', async () => {
      const tasks = (await runningTasks(name)).filter((t) => t.Spec?.ContainerSpec?.Env?.includes('V=1'));
      return tasks.length === 1 ? tasks : undefined;
    });
    assert.ok(rolledBack);

    // A secret in use cannot be removed.
    await assert.rejects(docker.secrets.remove(SecretID), (error: unknown) => error instanceof EngineError && /in use/.test(error.message));

    await docker.services.remove(ID!);
    await assert.rejects(docker.services.inspect(ID!), NotFoundError);
  });

  it('leaves the swarm, and can init a new one', async () => {
    await docker.swarm.leave({ force: true });
    await assert.rejects(docker.swarm.inspect(), UnavailableError);
    const nodeId = await docker.swarm.init({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
    assert.match(nodeId, /^[a-z0-9]{25}$/);
    assert.equal((await docker.info()).Swarm?.NodeID, nodeId);
    assert.equal((await docker.nodes.inspect(nodeId)).Spec?.Role, 'manager');
  });
});
