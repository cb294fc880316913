import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { dockerConfigPath, readDockerConfigFile, type ConfigAuthEntry, type CredentialsConfig } from './config-file.js';
import {
  isCredentialsNotFound, ProcessCredentialHelperRunner, type CredentialHelperRunner, type HelperCredentials,
} from './credential-helper.js';
import { DOCKER_HUB_AUTH_KEY, hostOf, registryAuthKey } from './reference.js';

/** Credentials for one registry, in the engine's `AuthConfig` field names (what X-Registry-Auth carries). */
export interface RegistryAuth {
  username?: string;
  password?: string;
  /** A token from an earlier login, used instead of username and password. */
  identitytoken?: string;
  /** A bearer token for the registry itself. */
  registrytoken?: string;
  /** The registry (`127.0.0.1:5000`, or Docker Hub's `https://index.docker.io/v1/`). */
  serveraddress?: string;
  email?: string;
}

/** How a {@link CredentialStore} is made (see {@link CredentialStore.fromEnv} for the usual way). */
export interface CredentialStoreOptions {
  /** The parsed config.json. */
  config: CredentialsConfig;
  /** Where `store`/`erase` write config.json; without it the store is read-only for file entries. */
  configPath?: string;
  /** Runs credential helpers; defaults to spawning `docker-credential-*` with `env`'s PATH. */
  helperRunner?: CredentialHelperRunner;
  /** The environment helpers run with (their PATH finds them). Defaults to an empty one. */
  env?: NodeJS.ProcessEnv;
  /** Why config.json could not be read: every lookup rejects with it (used by `Docker.fromEnv`). */
  loadError?: Error;
}

/**
 * Registry credentials found the Docker CLI's way: `credHelpers[host]`, then `credsStore`, then `auths` in
 * config.json. Reads the file only in {@link CredentialStore.fromEnv}; helpers run when a credential is
 * needed. Secrets are kept in private fields, so logging the store shows none.
 *
 * ```ts
 * const credentials = CredentialStore.fromEnv();
 * const docker = new Docker({ host, credentials });
 * await docker.images.push('registry.example.com/app:1');   // X-Registry-Auth from the helper or config.json
 * ```
 */
export class CredentialStore {
  readonly #config: CredentialsConfig;
  readonly #configPath: string | undefined;
  readonly #runner: CredentialHelperRunner;
  readonly #loadError: Error | undefined;

  constructor(options: CredentialStoreOptions) {
    this.#loadError = options.loadError;
    this.#config = structuredClone(options.config ?? {});
    this.#configPath = options.configPath;
    this.#runner = options.helperRunner ?? new ProcessCredentialHelperRunner(options.env ?? {});
  }

  /** The store for `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`); helpers found on `env.PATH`. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): CredentialStore {
    const configPath = dockerConfigPath(env);
    return new CredentialStore({ config: readDockerConfigFile(configPath), configPath, env: { ...env } });
  }

  /**
   * Like {@link CredentialStore.fromEnv}, but a config.json that cannot be read does not throw here: the error
   * is raised by the first lookup instead, so that a client that never needs credentials still works.
   */
  static fromEnvLenient(env: NodeJS.ProcessEnv = process.env): CredentialStore {
    try {
      return CredentialStore.fromEnv(env);
    } catch (error) {
      return new CredentialStore({ config: {}, loadError: error as Error });
    }
  }

  /** The config.json this store reads and writes, if any. */
  get configPath(): string | undefined {
    return this.#configPath;
  }

  /** The helper that holds a registry's credentials (`credHelpers` first, then `credsStore`), if any. */
  helperFor(registry: string): string | undefined {
    const host = hostOf(registryAuthKey(registry));
    const helpers = this.#config.credHelpers ?? {};
    return helpers[host] ?? helpers[registryAuthKey(registry)] ?? (this.#config.credsStore || undefined);
  }

  /**
   * The credentials for a registry (`127.0.0.1:5000`, `docker.io`, `https://index.docker.io/v1/`), or
   * `undefined` when none are configured. A helper that has none is not an error; a helper that fails is.
   */
  async get(registry: string): Promise<RegistryAuth | undefined> {
    if (this.#loadError) throw this.#loadError;
    const key = registryAuthKey(registry);
    const helper = this.helperFor(registry);
    if (helper) {
      const fromHelper = await this.#fromHelper(helper, key);
      if (fromHelper) return fromHelper;
      // The CLI also falls back to a file entry when the store has nothing for a registry.
    }
    const entry = this.#fileEntry(key);
    return entry ? authFromEntry(entry[1], key) : undefined;
  }

  /**
   * Every credential known (for a build's X-Registry-Config): the file's `auths`, then what `credsStore`
   * lists, then each `credHelpers` registry. Helpers that fail are left out: a build that needs no
   * registry must not fail because of one.
   */
  async all(): Promise<Record<string, RegistryAuth>> {
    if (this.#loadError) throw this.#loadError;
    const out: Record<string, RegistryAuth> = {};
    for (const [key, entry] of Object.entries(this.#config.auths ?? {})) {
      const auth = authFromEntry(entry, key);
      if (auth) out[key] = auth;
    }
    const keys = new Set<string>(Object.keys(this.#config.credHelpers ?? {}));
    if (this.#config.credsStore) {
      try {
        const listed = JSON.parse(await this.#runner.run(this.#config.credsStore, 'list', '')) as Record<string, string>;
        for (const key of Object.keys(listed ?? {})) keys.add(key);
      } catch {
        // A store that cannot list: only the file entries and the per-registry helpers are used.
      }
    }
    for (const key of keys) {
      try {
        const auth = await this.get(key);
        if (auth) out[auth.serveraddress ?? key] = auth;
      } catch {
        // See above: one failing helper does not stop the build.
      }
    }
    return out;
  }

  /**
   * Saves credentials as `docker login` does: in the registry's helper when one is configured, else in
   * config.json's `auths` (base64 `user:password`, or the identity token alone), written with mode 0600.
   */
  async store(auth: RegistryAuth): Promise<void> {
    if (this.#loadError) throw this.#loadError;
    if (!auth.serveraddress) throw new InvalidArgumentError('store() needs the registry in serveraddress');
    const key = registryAuthKey(auth.serveraddress);
    const helper = this.helperFor(auth.serveraddress);
    if (helper) {
      const credentials: HelperCredentials = auth.identitytoken
        ? { ServerURL: key, Username: '<token>', Secret: auth.identitytoken }
        : { ServerURL: key, Username: auth.username ?? '', Secret: auth.password ?? '' };
      await this.#runner.run(helper, 'store', JSON.stringify(credentials));
      // The CLI keeps an empty entry in `auths` so that `docker login` lists the registry.
      this.#setFileEntry(key, {});
    } else {
      const entry: ConfigAuthEntry = {};
      if (auth.identitytoken) entry.identitytoken = auth.identitytoken;
      else entry.auth = Buffer.from(`${auth.username ?? ''}:${auth.password ?? ''}`, 'utf8').toString('base64');
      this.#setFileEntry(key, entry);
    }
    this.#save();
  }

  /** Forgets a registry's credentials (`docker logout`): in its helper, and in config.json. */
  async erase(registry: string): Promise<boolean> {
    if (this.#loadError) throw this.#loadError;
    const key = registryAuthKey(registry);
    const helper = this.helperFor(registry);
    let erased = false;
    if (helper) {
      try {
        await this.#runner.run(helper, 'erase', key);
        erased = true;
      } catch (error) {
        if (!isCredentialsNotFound(error)) throw error;
      }
    }
    const entry = this.#fileEntry(key);
    if (entry) {
      delete this.#config.auths![entry[0]];
      erased = true;
      this.#save();
    }
    return erased;
  }

  async #fromHelper(helper: string, key: string): Promise<RegistryAuth | undefined> {
    let answer: string;
    try {
      answer = await this.#runner.run(helper, 'get', key);
    } catch (error) {
      if (isCredentialsNotFound(error)) return undefined;
      throw error;
    }
    let parsed: HelperCredentials;
    try {
      parsed = JSON.parse(answer) as HelperCredentials;
    } catch {
      return undefined;
    }
    if (!parsed || (!parsed.Username && !parsed.Secret)) return undefined;
    if (parsed.Username === '<token>') return { identitytoken: parsed.Secret, serveraddress: key };
    return { username: parsed.Username, password: parsed.Secret, serveraddress: key };
  }

  /** The `auths` entry for a key: the exact key, else one whose host is the same (`https://host/v2/` ↔ `host`). */
  #fileEntry(key: string): [string, ConfigAuthEntry] | undefined {
    const auths = this.#config.auths ?? {};
    if (auths[key]) return [key, auths[key]!];
    const host = hostOf(key);
    for (const [name, entry] of Object.entries(auths)) {
      const other = hostOf(name);
      if (other === host || (key === DOCKER_HUB_AUTH_KEY && registryAuthKey(other) === DOCKER_HUB_AUTH_KEY)) return [name, entry];
    }
    return undefined;
  }

  #setFileEntry(key: string, entry: ConfigAuthEntry): void {
    const existing = this.#fileEntry(key);
    this.#config.auths = { ...this.#config.auths, [existing ? existing[0] : key]: entry };
  }

  #save(): void {
    if (!this.#configPath) return;
    mkdirSync(dirname(this.#configPath), { recursive: true, mode: 0o700 });
    const temporary = `${this.#configPath}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.#config, null, '\t') + '\n', { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.#configPath);
  }
}

function authFromEntry(entry: ConfigAuthEntry, key: string): RegistryAuth | undefined {
  if (!entry || typeof entry !== 'object') return undefined;
  const auth: RegistryAuth = { serveraddress: key };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      auth.username = decoded.slice(0, colon);
      auth.password = decoded.slice(colon + 1);
    }
  } else {
    if (entry.username) auth.username = entry.username;
    if (entry.password) auth.password = entry.password;
  }
  if (entry.identitytoken) auth.identitytoken = entry.identitytoken;
  if (entry.registrytoken) auth.registrytoken = entry.registrytoken;
  if (entry.email) auth.email = entry.email;
  return auth.username || auth.password || auth.identitytoken || auth.registrytoken ? auth : undefined;
}

/**
 * The value of an X-Registry-Auth header: base64url (with padding, as the Docker CLI sends it) of the JSON
 * credentials; `{}` when there are none (dockerd wants the header on every push).
 */
export function encodeRegistryAuth(auth: RegistryAuth | Record<string, RegistryAuth> | undefined): string {
  return Buffer.from(JSON.stringify(auth ?? {}), 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}
