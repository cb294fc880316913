import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DockerError } from '../errors.js';

/** One entry of config.json's `auths`, as the Docker CLI writes it. */
export interface ConfigAuthEntry {
  /** base64 of `username:password`. */
  auth?: string;
  username?: string;
  password?: string;
  /** A token from a login that returned one (used instead of a password). */
  identitytoken?: string;
  registrytoken?: string;
  email?: string;
}

/** The parts of the Docker CLI's config.json that registry credentials depend on (other keys are kept as they are). */
export interface CredentialsConfig {
  auths?: Record<string, ConfigAuthEntry>;
  /** The credential helper for every registry (`docker-credential-<credsStore>`). */
  credsStore?: string;
  /** A credential helper per registry host, ahead of `credsStore`. */
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

/** Where the Docker CLI keeps config.json: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
  return join(dir, 'config.json');
}

/**
 * Reads config.json; a missing file is an empty configuration (as for the Docker CLI). A file that is not
 * JSON is an error that names the file but never quotes it (it holds credentials).
 */
export function readDockerConfigFile(path: string): CredentialsConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new DockerError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'read error'}`, 'CONFIG');
  }
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DockerError(`${path} is not valid JSON`, 'CONFIG');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new DockerError(`${path} is not a JSON object`, 'CONFIG');
  return parsed as CredentialsConfig;
}
