import { InvalidArgumentError, StreamError } from '../errors.js';
import type { RegistryAuth } from '../auth/credential-store.js';
import type { CreateImageInfo } from '../generated/models.js';
import type {
  GetPluginPrivilegesResponse, PluginCreateQuery, PluginDeleteQuery, PluginDisableQuery,
  PluginEnableQuery, PluginInspectResponse, PluginListQuery, PluginListResponse, PluginPullBody, PluginPullQuery,
  PluginSetBody, PluginUpgradeBody, PluginUpgradeQuery,
} from '../generated/operations.js';
import { jsonLines } from '../stream/json-lines.js';
import type { ApiClient, CallOptions } from './api-client.js';
import type { TarSource } from './containers.js';
import { explicitRegistryAuthHeader } from './registry-auth-header.js';
import { route } from './route.js';

/** Options of the calls that reach a registry (pull, upgrade, push): the call options, plus credentials. */
export interface PluginRegistryOptions extends CallOptions {
  /** Credentials for the plugin's registry, sent as `X-Registry-Auth`. */
  auth?: RegistryAuth | undefined;
}

/** One line of a plugin pull, upgrade or push progress stream. */
export type PluginProgress = CreateImageInfo & { progress?: string };

/**
 * The Plugin operations of the Engine API. Names take an optional tag (`:latest` by default).
 *
 * ```ts
 * const privileges = await docker.plugins.privileges({ remote: 'vieux/sshfs' });
 * for await (const line of docker.plugins.pull({ remote: 'vieux/sshfs' }, privileges)) console.log(line.status);
 * await docker.plugins.enable('vieux/sshfs');
 * ```
 */
export class Plugins {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  /** Lists installed plugins (`filters`: `capability`, and `enabled` — which the spec misspells `enable`). */
  list(query: PluginListQuery = {}, options?: CallOptions): Promise<PluginListResponse> {
    return this.#api.json({ operation: 'PluginList', method: 'GET', path: '/plugins', query, options });
  }

  /** The privileges a plugin in a registry asks for; pass them (once a user accepted them) to `pull`. */
  privileges(query: { remote: string }, options?: PluginRegistryOptions): Promise<GetPluginPrivilegesResponse> {
    requireText('remote', query?.remote);
    const { auth, ...callOptions } = options ?? {};
    return this.#api.json({ operation: 'GetPluginPrivileges', method: 'GET', path: '/plugins/privileges', query, headers: explicitRegistryAuthHeader(auth), options: callOptions });
  }

  /**
   * Installs a plugin from a registry, granting it `privileges` (from {@link Plugins.privileges}); the
   * progress arrives as lines. An error line ends the iteration with a {@link StreamError}. The plugin
   * is installed disabled: {@link Plugins.enable} it.
   */
  pull(query: PluginPullQuery, privileges: PluginPullBody = [], options?: PluginRegistryOptions): AsyncIterable<PluginProgress> {
    requireText('remote', query?.remote);
    const { auth, ...callOptions } = options ?? {};
    return this.#api.stream(
      { operation: 'PluginPull', method: 'POST', path: '/plugins/pull', query, body: privileges, headers: explicitRegistryAuthHeader(auth), options: callOptions },
      progressLines,
    );
  }

  /** An installed plugin's details: settings, config, whether it is enabled. */
  inspect(name: string, options?: CallOptions): Promise<PluginInspectResponse> {
    return this.#api.json({ operation: 'PluginInspect', method: 'GET', path: route`/plugins/${name}/json`, options });
  }

  /**
   * Removes a plugin (`force`: even if it is enabled). The spec promises the removed plugin in the answer,
   * but dockerd sends an empty body, so there is nothing to resolve with.
   */
  async remove(name: string, query: PluginDeleteQuery = {}, options?: CallOptions): Promise<void> {
    await this.#api.empty({ operation: 'PluginDelete', method: 'DELETE', path: route`/plugins/${name}`, query, options });
  }

  /** Enables a plugin (`timeout`: seconds the engine waits for the plugin to start). */
  async enable(name: string, query: PluginEnableQuery = {}, options?: CallOptions): Promise<void> {
    await this.#api.empty({ operation: 'PluginEnable', method: 'POST', path: route`/plugins/${name}/enable`, query, options });
  }

  /** Disables a plugin (`force` even if it is in use). */
  async disable(name: string, query: PluginDisableQuery = {}, options?: CallOptions): Promise<void> {
    await this.#api.empty({ operation: 'PluginDisable', method: 'POST', path: route`/plugins/${name}/disable`, query, options });
  }

  /** Upgrades a disabled plugin to another version from a registry, granting it `privileges`. */
  upgrade(name: string, query: PluginUpgradeQuery, privileges: PluginUpgradeBody = [], options?: PluginRegistryOptions): AsyncIterable<PluginProgress> {
    const path = route`/plugins/${name}/upgrade`;
    requireText('remote', query?.remote);
    const { auth, ...callOptions } = options ?? {};
    return this.#api.stream(
      { operation: 'PluginUpgrade', method: 'POST', path, query, body: privileges, headers: explicitRegistryAuthHeader(auth), options: callOptions },
      progressLines,
    );
  }

  /**
   * Creates a plugin from a tar archive holding `config.json` (the plugin's manifest) and `rootfs/` (its
   * root filesystem). The plugin is created disabled.
   */
  async create(tar: TarSource, query: PluginCreateQuery, options?: CallOptions): Promise<void> {
    requireText('name', query?.name);
    await this.#api.empty({ operation: 'PluginCreate', method: 'POST', path: '/plugins/create', query, body: tar, contentType: 'application/x-tar', options: { timeout: 0, ...options } });
  }

  /** Pushes a plugin to its registry; the progress arrives as lines. */
  push(name: string, options?: PluginRegistryOptions): AsyncIterable<PluginProgress> {
    const path = route`/plugins/${name}/push`;
    const { auth, ...callOptions } = options ?? {};
    return this.#api.stream({ operation: 'PluginPush', method: 'POST', path, headers: explicitRegistryAuthHeader(auth), options: callOptions }, progressLines);
  }

  /** Sets a plugin's settings: `['KEY=value', 'mount.source=/x', 'args=…']`. */
  async set(name: string, settings: PluginSetBody, options?: CallOptions): Promise<void> {
    const path = route`/plugins/${name}/set`;
    if (!Array.isArray(settings) || settings.some((setting) => typeof setting !== 'string' || !setting.includes('='))) {
      throw new InvalidArgumentError('plugins.set() takes settings as ["NAME=value", …]');
    }
    await this.#api.empty({ operation: 'PluginSet', method: 'POST', path, body: settings, options });
  }
}

/** Progress lines; an `errorDetail` line (the engine's way to fail after a 200) becomes a {@link StreamError}. */
async function* progressLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<PluginProgress> {
  for await (const line of jsonLines<PluginProgress & { error?: string }>(chunks)) {
    if (line.errorDetail || line.error) {
      throw new StreamError(line.errorDetail?.message ?? line.error ?? 'The engine reported an error', line.errorDetail?.code);
    }
    yield line;
  }
}

function requireText(name: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') throw new InvalidArgumentError(`A ${name} is required`);
}
