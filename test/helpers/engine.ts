/**
 * What integration tests share: a client for the test engine, unique names, and cleanup of everything a
 * test created, so that runs never see each other's leftovers.
 */
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { Docker } from '../../src/index.js';

/** The image every integration test uses; `scripts/engine.sh start` imports it. */
export const TEST_IMAGE = 'busybox:local';

/** The test engine's host, from `scripts/test.sh` (or DOCKER_HOST when run by hand). */
export function testHost(): string {
  const host = process.env.BERTH_TEST_DOCKER_HOST ?? process.env.DOCKER_HOST;
  if (!host) throw new Error('No test engine: run the tests through `npm test`, or set BERTH_TEST_DOCKER_HOST');
  return host;
}

/** The engines the integration suite runs against. */
export type TestEngine = 'docker' | 'podman';

/**
 * Which engine {@link testHost} is: `BERTH_TEST_ENGINE` (`docker`, the default, or `podman`), set by
 * `scripts/test.sh` for each run. Tests use it only through {@link podmanDiffers}, or to assert a documented
 * difference itself.
 */
export function testEngine(): TestEngine {
  const engine = process.env.BERTH_TEST_ENGINE || 'docker';
  if (engine !== 'docker' && engine !== 'podman') throw new Error(`BERTH_TEST_ENGINE must be docker or podman, not ${engine}`);
  return engine;
}

/** The prefix of the TODO/SKIP reason of a known difference; scripts/compatibility.mjs looks for it. */
export const PODMAN_DIFFERS = 'podman differs:';

/**
 * Marks the running test as one that cannot pass on Podman, with the reason (what Podman does instead).
 * On dockerd it does nothing and returns false. On Podman the test is reported as TODO with the reason and
 * still runs: its outcome is shown, counted apart from passes and failures, and a test that starts to
 * pass shows up in docs/compatibility.md as "marked but passes". When running it would hang or harm the
 * engine, pass `{ run: false }`: it is then reported as SKIP with the reason, and the caller must return.
 *
 * ```ts
 * test('ContainerUpdate changes the memory limit', async (t) => {
 *   podmanDiffers(t, 'POST /containers/{id}/update is 404 in Podman 4');
 *   ...
 * });
 * test('ContainerWait condition=removed', async (t) => {
 *   if (podmanDiffers(t, 'wait?condition=removed on an exited container never answers', { run: false })) return;
 *   ...
 * });
 * ```
 */
export function podmanDiffers(t: TestContext, reason: string, options: { run?: boolean } = {}): boolean {
  if (testEngine() !== 'podman') return false;
  if (options.run === false) t.skip(`${PODMAN_DIFFERS} ${reason}`);
  else t.todo(`${PODMAN_DIFFERS} ${reason}`);
  return true;
}

/**
 * The same mark as a test option: `test(name, { todo: onPodman('reason') }, fn)` (undefined on dockerd).
 * Not for `describe`: node:test does not pass a suite's TODO on to its tests.
 */
export function onPodman(reason: string): string | undefined {
  return testEngine() === 'podman' ? `${PODMAN_DIFFERS} ${reason}` : undefined;
}

/**
 * For a suite whose fixtures always reach dockerd whatever the engine under test (e.g. the SSH fixture's
 * sshd forwards to dockerd): `describe(name, { skip: dockerdOnly('why') }, fn)`. On Podman the suite is
 * reported as skipped with the reason, so the Podman run never credits Podman with dockerd's answers.
 */
export function dockerdOnly(reason: string): string | undefined {
  return testEngine() === 'podman' ? `dockerd only: ${reason}` : undefined;
}

/** A client for the test engine. */
export function testDocker(): Docker {
  return new Docker({ host: testHost() });
}

/** A name no other test run uses: `berth-test-<prefix>-<random>`. */
export function uniqueName(prefix: string): string {
  return `berth-test-${prefix}-${randomBytes(4).toString('hex')}`;
}

/** The label every test container carries, so cleanup (and prune tests) touch only test objects. */
export const TEST_LABEL = 'berth.test';

/**
 * Keeps track of containers a test file creates and removes them at the end.
 *
 * ```ts
 * const cleanup = new Cleanup(docker);
 * after(() => cleanup.run());
 * const { Id } = await cleanup.container(docker.containers.create({ Image: TEST_IMAGE }));
 * ```
 */
export class Cleanup {
  readonly #docker: Docker;
  readonly #containers = new Set<string>();
  readonly #tasks: Array<() => Promise<unknown>> = [];

  constructor(docker: Docker) {
    this.#docker = docker;
  }

  /** Records a container (by ID or name) to remove at the end. */
  trackContainer(id: string): string {
    this.#containers.add(id);
    return id;
  }

  /** Awaits a create call and records the container it made. */
  async container<T extends { Id: string }>(created: Promise<T>): Promise<T> {
    const result = await created;
    this.#containers.add(result.Id);
    return result;
  }

  /** Runs `task` at the end (after the containers are gone). */
  defer(task: () => Promise<unknown>): void {
    this.#tasks.push(task);
  }

  /** Removes everything recorded; errors for what is already gone are ignored. */
  async run(): Promise<void> {
    await Promise.all([...this.#containers].map((id) => this.#docker.containers.remove(id, { force: true, v: true }).catch(() => undefined)));
    this.#containers.clear();
    for (const task of this.#tasks.splice(0)) await task().catch(() => undefined);
    this.#docker.close();
  }
}

/** Collects an async iterable of byte frames into text per stream. */
export async function collectOutput(frames: AsyncIterable<{ stream: string; data: Uint8Array }>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const frame of frames) out[frame.stream] = (out[frame.stream] ?? '') + Buffer.from(frame.data).toString('utf8');
  return out;
}
