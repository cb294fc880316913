import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../errors.js';

/** The docker endpoint of a context, as `meta.json` stores it (`Endpoints.docker`). */
export interface ContextDockerEndpoint {
  /** The engine address, e.g. `tcp://host:2376`, `ssh://user@host`, `unix:///var/run/docker.sock`. */
  Host?: string;
  /** Do not verify the engine's TLS certificate. */
  SkipTLSVerify: boolean;
}

/** A context's metadata, exactly as `contexts/meta/<sha256 of name>/meta.json` holds it. */
export interface ContextMetadata {
  Name: string;
  Metadata: { Description?: string; [key: string]: unknown };
  Endpoints: { docker?: ContextDockerEndpoint; [endpoint: string]: unknown };
}

/** TLS files a context stores for its docker endpoint (`contexts/tls/<sha256>/docker/`), as PEM bytes. */
export interface ContextTlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** A context read from the store, or the built-in `default` one. */
export interface DockerContext {
  /** The context's name. */
  name: string;
  /** Its description (`Metadata.Description`). */
  description: string;
  /** The docker endpoint's address; `undefined` when the context stores none. */
  host: string | undefined;
  /** Do not verify the engine's certificate. */
  skipTLSVerify: boolean;
  /** TLS files stored with the context, if any. */
  tls: ContextTlsMaterial;
  /** The metadata as stored (what `docker context inspect` prints). */
  metadata: ContextMetadata;
  /** Where the metadata and TLS files live; `undefined` for the built-in `default` context. */
  storage: { metadataPath: string; tlsPath: string } | undefined;
}

/** The name of the context that stands for "the environment and the default socket". */
export const DEFAULT_CONTEXT_NAME = 'default';

/** The description the docker CLI shows for the `default` context. */
export const DEFAULT_CONTEXT_DESCRIPTION = 'Current DOCKER_HOST based configuration';

const CONTEXT_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$/;
const TLS_FILES = ['ca', 'cert', 'key'] as const;

/** The directory name of a context in the store: the hex SHA-256 of its name. */
export function contextDirectoryName(name: string): string {
  // node:crypto is fetched when a context is looked up, not imported with the module: a run that uses
  // DOCKER_HOST or the default socket (every one-shot `berth ps`) never loads it. getBuiltinModule is
  // synchronous, as this function must be (Node >= 20.16, Bun).
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256').update(name).digest('hex');
}

/** Where a context's `meta.json` and TLS files live. */
export function contextPaths(configDir: string, name: string): { metadataPath: string; tlsPath: string } {
  const id = contextDirectoryName(name);
  return { metadataPath: join(configDir, 'contexts', 'meta', id), tlsPath: join(configDir, 'contexts', 'tls', id) };
}

/** Rejects names the docker CLI rejects, with its words. */
export function validateContextName(name: string): void {
  if (name === DEFAULT_CONTEXT_NAME) throw new InvalidArgumentError(`"${DEFAULT_CONTEXT_NAME}" is a reserved context name`);
  if (!CONTEXT_NAME_PATTERN.test(name)) {
    throw new InvalidArgumentError(`context name "${name}" is invalid, names are validated against regexp "${CONTEXT_NAME_PATTERN.source}"`);
  }
}

/** A context that does not exist in the store. */
export class ContextNotFoundError extends InvalidArgumentError {
  /** The name asked for. */
  readonly contextName: string;

  constructor(name: string, metaFile: string) {
    super(`context "${name}": context not found: open ${metaFile}: no such file or directory`);
    this.contextName = name;
  }
}

/** Reads one stored context. Throws {@link ContextNotFoundError} when there is none by that name. */
export function readContext(configDir: string, name: string): DockerContext {
  const storage = contextPaths(configDir, name);
  const metaFile = join(storage.metadataPath, 'meta.json');
  let text: string;
  try {
    text = readFileSync(metaFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ContextNotFoundError(name, metaFile);
    throw error;
  }
  return contextFromMetadata(parseMetadata(text, metaFile), storage);
}

/** Every stored context, sorted by name (the built-in `default` is not included). */
export function listContexts(configDir: string): DockerContext[] {
  const metaRoot = join(configDir, 'contexts', 'meta');
  let entries: string[];
  try {
    entries = readdirSync(metaRoot);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const contexts: DockerContext[] = [];
  for (const id of entries) {
    const metaFile = join(metaRoot, id, 'meta.json');
    let text: string;
    try {
      text = readFileSync(metaFile, 'utf8');
    } catch {
      continue; // a directory without meta.json is not a context (the docker CLI skips it too)
    }
    const metadata = parseMetadata(text, metaFile);
    contexts.push(contextFromMetadata(metadata, contextPaths(configDir, metadata.Name)));
  }
  return contexts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The built-in `default` context for a host (what the environment and flags resolve to). */
export function defaultContext(host: string, skipTLSVerify = false): DockerContext {
  const metadata: ContextMetadata = { Name: DEFAULT_CONTEXT_NAME, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: skipTLSVerify } } };
  return { name: DEFAULT_CONTEXT_NAME, description: DEFAULT_CONTEXT_DESCRIPTION, host, skipTLSVerify, tls: {}, metadata, storage: undefined };
}

/** What `context create` needs to know. TLS files are given as PEM bytes (the CLI reads the files the user names). */
export interface CreateContextOptions {
  name: string;
  description?: string | undefined;
  host?: string | undefined;
  skipTLSVerify?: boolean | undefined;
  tls?: ContextTlsMaterial | undefined;
}

/**
 * Writes a new context to the store in the docker CLI's layout, so `docker context` reads it: `meta.json` (mode
 * 0644) under `contexts/meta/<sha256>/`, TLS files (mode 0600, directories 0700) under `contexts/tls/<sha256>/docker/`.
 */
export function createContext(configDir: string, options: CreateContextOptions): DockerContext {
  validateContextName(options.name);
  const storage = contextPaths(configDir, options.name);
  const metaFile = join(storage.metadataPath, 'meta.json');
  try {
    readFileSync(metaFile);
    throw new InvalidArgumentError(`context "${options.name}" already exists`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const skipTLSVerify = options.skipTLSVerify === true;
  // Key order as the docker CLI writes it: Host, then SkipTLSVerify; no Host key when there is no host.
  const endpoint: ContextDockerEndpoint = options.host ? { Host: options.host, SkipTLSVerify: skipTLSVerify } : { SkipTLSVerify: skipTLSVerify };
  const metadata: ContextMetadata = {
    Name: options.name,
    Metadata: options.description ? { Description: options.description } : {},
    Endpoints: { docker: endpoint },
  };
  const material = options.tls ?? {};
  const present = TLS_FILES.filter((file) => material[file] !== undefined);
  if (present.length > 0) {
    const dir = join(storage.tlsPath, 'docker');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const file of present) writeFileSync(join(dir, `${file}.pem`), material[file]!, { mode: 0o600 });
  }
  mkdirSync(storage.metadataPath, { recursive: true, mode: 0o755 });
  writeFileSync(metaFile, JSON.stringify(metadata), { mode: 0o644 });
  return contextFromMetadata(metadata, storage);
}

/** Deletes a stored context: its metadata and its TLS files. */
export function removeContext(configDir: string, name: string): void {
  if (name === DEFAULT_CONTEXT_NAME) throw new InvalidArgumentError(`context "${DEFAULT_CONTEXT_NAME}" cannot be removed`);
  const storage = contextPaths(configDir, name);
  try {
    readFileSync(join(storage.metadataPath, 'meta.json'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new InvalidArgumentError(`context "${name}" does not exist`);
    throw error;
  }
  rmSync(storage.tlsPath, { recursive: true, force: true });
  rmSync(storage.metadataPath, { recursive: true, force: true });
}

/**
 * What `docker context inspect` prints for a context: the metadata, the names of its TLS files and where it is stored.
 */
export function inspectContext(context: DockerContext): Record<string, unknown> {
  const files = TLS_FILES.filter((file) => context.tls[file] !== undefined).map((file) => `${file}.pem`);
  return {
    Name: context.metadata.Name,
    Metadata: context.metadata.Metadata,
    Endpoints: context.metadata.Endpoints,
    TLSMaterial: files.length > 0 ? { docker: files } : {},
    Storage: {
      MetadataPath: context.storage?.metadataPath ?? '<IN MEMORY>',
      TLSPath: context.storage?.tlsPath ?? '<IN MEMORY>',
    },
  };
}

function parseMetadata(text: string, metaFile: string): ContextMetadata {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`Cannot read the context metadata ${metaFile}: ${(error as Error).message}`);
  }
  const metadata = parsed as Partial<ContextMetadata> | null;
  if (!metadata || typeof metadata !== 'object' || typeof metadata.Name !== 'string') {
    throw new InvalidArgumentError(`Cannot read the context metadata ${metaFile}: no "Name"`);
  }
  return { Name: metadata.Name, Metadata: metadata.Metadata ?? {}, Endpoints: metadata.Endpoints ?? {} };
}

function contextFromMetadata(metadata: ContextMetadata, storage: { metadataPath: string; tlsPath: string }): DockerContext {
  const docker = metadata.Endpoints.docker;
  const tls: ContextTlsMaterial = {};
  for (const file of TLS_FILES) {
    try {
      tls[file] = readFileSync(join(storage.tlsPath, 'docker', `${file}.pem`));
    } catch {
      // absent: the context has no such file
    }
  }
  return {
    name: metadata.Name,
    description: typeof metadata.Metadata.Description === 'string' ? metadata.Metadata.Description : '',
    host: docker?.Host || undefined,
    skipTLSVerify: docker?.SkipTLSVerify === true,
    tls,
    metadata,
    storage,
  };
}
