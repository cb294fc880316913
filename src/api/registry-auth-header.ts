import { encodeRegistryAuth, type CredentialStore, type RegistryAuth } from '../auth/credential-store.js';

/**
 * The X-Registry-Auth header for a registry: the explicit credentials when given, else the store's. With
 * none, `{}` when `always` (dockerd requires the header on push), else no header.
 */
export async function registryAuthHeader(
  credentials: CredentialStore | undefined,
  registry: string,
  explicit: RegistryAuth | undefined,
  always: boolean,
): Promise<Record<string, string> | undefined> {
  const auth = explicit ?? (await credentials?.get(registry));
  if (!auth && !always) return undefined;
  return { 'X-Registry-Auth': encodeRegistryAuth(auth ?? {}) };
}

/**
 * The X-Registry-Auth header for credentials the caller gave, and nothing else: the calls that take no
 * credential store (plugin pull, upgrade and push; service create and update). `{}` with none.
 */
export function explicitRegistryAuthHeader(auth: RegistryAuth | undefined): Record<string, string> {
  return auth === undefined ? {} : { 'X-Registry-Auth': encodeRegistryAuth(auth) };
}
