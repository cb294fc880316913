/**
 * The local registries `scripts/registry.sh start` runs for the tests: one open, one with htpasswd.
 * The user and password are fixed test values of a throw-away registry on the loopback interface.
 */

/** The open registry (`127.0.0.1:5000`). */
export function openRegistry(): string {
  const registry = process.env.BERTH_TEST_REGISTRY;
  if (!registry) throw new Error('No test registry: run the tests through `npm test` (scripts/registry.sh start)');
  return registry;
}

/** The registry that wants a login (`127.0.0.1:5001`). */
export function authRegistry(): string {
  const registry = process.env.BERTH_TEST_AUTH_REGISTRY;
  if (!registry) throw new Error('No test auth registry: run the tests through `npm test` (scripts/registry.sh start)');
  return registry;
}

/** The htpasswd user of the auth registry. */
export const REGISTRY_USER = process.env.BERTH_TEST_REGISTRY_USER ?? 'berthtest';
/** The htpasswd password of the auth registry. */
export const REGISTRY_PASSWORD = process.env.BERTH_TEST_REGISTRY_PASSWORD ?? 'berth-registry-pw-7f3a';

/** The registry with TLS (a self-signed certificate for IP 127.0.0.1) and htpasswd (`127.0.0.1:5002`). */
export function tlsRegistry(): string {
  const registry = process.env.BERTH_TEST_TLS_REGISTRY;
  if (!registry) throw new Error('No test TLS registry: run the tests through `npm test` (scripts/registry.sh start)');
  return registry;
}
