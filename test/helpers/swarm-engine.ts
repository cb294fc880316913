/**
 * The second test engine: a private dockerd in swarm mode (scripts/swarm-engine.sh), for swarm and plugin
 * tests that must not run on the engine every other test shares.
 */
import { Docker } from '../../src/index.js';

/** The swarm engine's host, from `scripts/test.sh`; a clear failure (not a skip) when it is missing. */
export function swarmHost(): string {
  const host = process.env.BERTH_TEST_SWARM_HOST;
  if (!host) throw new Error('No swarm test engine: run the tests through `npm test` (it starts scripts/swarm-engine.sh), or set BERTH_TEST_SWARM_HOST');
  return host;
}

/** A client for the swarm test engine. */
export function swarmDocker(): Docker {
  return new Docker({ host: swarmHost() });
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
