import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { InvalidArgumentError } from '../errors.js';

/** The environment, as `process.env` holds it. Only the `DOCKER_*`, `HOME` and `XDG_RUNTIME_DIR` entries are read. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The Docker CLI's configuration directory: the `--config` flag, else `DOCKER_CONFIG`, else `~/.docker`.
 * Contexts, `config.json` and the default TLS files (`ca.pem`, `cert.pem`, `key.pem`) live there.
 */
export function dockerConfigDir(env: Environment = process.env, flag?: string): string {
  if (flag) return flag;
  if (env.DOCKER_CONFIG) return env.DOCKER_CONFIG;
  return join(env.HOME || homedir(), '.docker');
}

/** The parts of `config.json` that endpoint resolution uses. Other keys are kept untouched on write. */
export interface DockerConfigFile {
  /** The context `docker context use` chose. */
  currentContext?: string;
  [key: string]: unknown;
}

/** Reads `config.json` in `configDir`; a missing file is an empty configuration, a malformed one an error. */
export function readDockerConfig(configDir: string): DockerConfigFile {
  const path = join(configDir, 'config.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as DockerConfigFile;
  } catch (error) {
    // V8's JSON.parse messages quote the text around the fault, and this file holds registry credentials.
    const reason = error instanceof SyntaxError ? 'it is not valid JSON' : (error as Error).message;
    throw new InvalidArgumentError(`Cannot read the Docker configuration file ${path}: ${reason}`);
  }
}

/**
 * Sets (or, with `undefined` or `default`, removes) `currentContext` in `config.json`, keeping every other key, as
 * `docker context use` does: tab-indented JSON, mode 0600, written through a temporary file.
 */
export function writeCurrentContext(configDir: string, name: string | undefined): void {
  const config = { ...readDockerConfig(configDir) };
  if (name === undefined || name === 'default') delete config.currentContext;
  else config.currentContext = name;
  // The docker CLI always writes an `auths` object; keep the file in the shape it expects.
  if (!('auths' in config)) config.auths = {};
  const path = join(configDir, 'config.json');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(orderAuthsFirst(config), null, '\t'), { mode: 0o600 });
  renameSync(temporary, path);
}

function orderAuthsFirst(config: DockerConfigFile): DockerConfigFile {
  const { auths, ...rest } = config;
  return { auths, ...rest };
}

/** True when a file or socket exists at `path`. */
export function pathExists(path: string): boolean {
  return existsSync(path);
}
