import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import type { TlsOptions } from '../transport/connector-for-endpoint.js';
import { DEFAULT_CONTEXT_NAME, readContext } from './contexts.js';
import { dockerConfigDir, pathExists, readDockerConfig, type DockerConfigFile, type Environment } from './docker-config.js';

/** The Windows engine's named pipe. */
export const DEFAULT_NAMED_PIPE = 'npipe:////./pipe/docker_engine';

/**
 * What the user said on the command line (the docker CLI's global flags), and where to look.
 * Everything is optional: `resolveEndpoint()` alone resolves from `process.env` and `~/.docker`.
 */
export interface ResolveEndpointOptions {
  /** The environment (default `process.env`). */
  env?: Environment;
  /** `-H/--host`: an engine address; wins over everything but cannot be combined with `context`. */
  host?: string | undefined;
  /** `-c/--context`: a context name; wins over everything but cannot be combined with `host`. */
  context?: string | undefined;
  /** `--config`: the configuration directory (default `DOCKER_CONFIG`, else `~/.docker`). */
  configDir?: string | undefined;
  /** `--tls`: use TLS. Without `tlsVerify` the engine's certificate is not verified, as in the docker CLI. */
  tls?: boolean | undefined;
  /** `--tlsverify`: use TLS and verify the engine's certificate (default: `DOCKER_TLS_VERIFY` is set). */
  tlsVerify?: boolean | undefined;
  /** `--tlscacert` (default `$DOCKER_CERT_PATH/ca.pem`, else `<configDir>/ca.pem`). */
  tlsCaCert?: string | undefined;
  /** `--tlscert` (default `$DOCKER_CERT_PATH/cert.pem`, else `<configDir>/cert.pem`). */
  tlsCert?: string | undefined;
  /** `--tlskey` (default `$DOCKER_CERT_PATH/key.pem`, else `<configDir>/key.pem`). */
  tlsKey?: string | undefined;
  /** The platform whose default engine address applies (default `process.platform`). */
  platform?: NodeJS.Platform;
}

/** Which rule chose the endpoint, in the docker CLI's order of precedence. */
export type EndpointSource = 'context-flag' | 'host-flag' | 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'config-file' | 'default';

/**
 * Where the engine is, as the docker CLI would find it. `host` and `tls` are {@link DockerOptions} fields:
 * `new Docker({ ...resolveEndpoint({ context: 'prod' }) })` connects there.
 */
export interface ResolvedEndpoint {
  /** The engine address: `unix://…`, `tcp://…`, `ssh://…`, `npipe://…`. */
  host: string;
  /** TLS material and verification, when the endpoint uses TLS. */
  tls: TlsOptions | undefined;
  /** The context in use (`default` when the address came from a flag, the environment or the default socket). */
  contextName: string;
  /** Which rule chose it. */
  source: EndpointSource;
  /** The configuration directory that was read. */
  configDir: string;
  /** What the docker CLI would warn about (e.g. `DOCKER_HOST` overriding a chosen context). Never printed here. */
  warnings: string[];
}

/**
 * The docker CLI's warning when `DOCKER_HOST` hides a context (it prints it from `context ls` and `context use`,
 * prefixed with `Warning: `).
 */
export function dockerHostOverrideWarning(contextName?: string): string {
  const target = contextName === undefined ? 'a context' : `"${contextName}"`;
  return `DOCKER_HOST environment variable overrides the active context. To use ${target}, either set the global --context flag, or unset DOCKER_HOST environment variable.`;
}

/**
 * Resolves the engine endpoint exactly as the docker CLI does: `--context` or `-H` (not both) > `DOCKER_HOST` >
 * `DOCKER_CONTEXT` > `currentContext` in `config.json` > the default address. This is the one place that reads the
 * environment and the configuration files for connecting.
 *
 * ```ts
 * const { host, tls, contextName } = resolveEndpoint({ context: 'prod' });
 * ```
 */
export function resolveEndpoint(options: ResolveEndpointOptions = {}): ResolvedEndpoint {
  const env = options.env ?? process.env;
  if (options.host && options.context) {
    throw new InvalidArgumentError('conflicting options: cannot specify both --host and --context');
  }
  const configDir = dockerConfigDir(env, options.configDir);
  const warnings: string[] = [];
  const { name, source } = chooseContext(options, env, configDir, warnings);
  if (name !== DEFAULT_CONTEXT_NAME) {
    const context = readContext(configDir, name);
    const host = context.host ?? defaultHost(env, options.platform ?? process.platform);
    const usesTls = context.skipTLSVerify || context.tls.ca !== undefined || context.tls.cert !== undefined || context.tls.key !== undefined;
    const tls = usesTls ? { ...context.tls, verify: !context.skipTLSVerify } : undefined;
    return { host, tls, contextName: name, source, configDir, warnings };
  }
  const host = options.host || env.DOCKER_HOST || defaultHost(env, options.platform ?? process.platform);
  // TLS flags and variables matter only for TCP; a stray DOCKER_TLS_VERIFY must not break a Unix socket.
  const tls = /^(tcp|https?):\/\//i.test(host) ? tlsFromFlagsAndEnv(options, env, configDir) : undefined;
  return { host, tls, contextName: DEFAULT_CONTEXT_NAME, source, configDir, warnings };
}

function chooseContext(options: ResolveEndpointOptions, env: Environment, configDir: string, warnings: string[]): { name: string; source: EndpointSource } {
  if (options.context) return { name: options.context, source: 'context-flag' };
  if (options.host) return { name: DEFAULT_CONTEXT_NAME, source: 'host-flag' };
  if (env.DOCKER_HOST) {
    const hidden = env.DOCKER_CONTEXT || readConfigLeniently(configDir, warnings).currentContext;
    if (hidden && hidden !== DEFAULT_CONTEXT_NAME) warnings.push(dockerHostOverrideWarning());
    return { name: DEFAULT_CONTEXT_NAME, source: 'DOCKER_HOST' };
  }
  if (env.DOCKER_CONTEXT) return { name: env.DOCKER_CONTEXT, source: 'DOCKER_CONTEXT' };
  const current = readConfigLeniently(configDir, warnings).currentContext;
  if (current) return { name: current, source: current === DEFAULT_CONTEXT_NAME ? 'default' : 'config-file' };
  return { name: DEFAULT_CONTEXT_NAME, source: 'default' };
}

/** A config.json that cannot be read is ignored with a warning, as the docker CLI does. */
function readConfigLeniently(configDir: string, warnings: string[]): DockerConfigFile {
  try {
    return readDockerConfig(configDir);
  } catch (error) {
    warnings.push(`Error loading config file: ${(error as Error).message}`);
    return {};
  }
}

/**
 * The engine address when nothing names one. On Windows, the engine's named pipe; elsewhere the first socket that
 * exists of `/var/run/docker.sock`, `$XDG_RUNTIME_DIR/docker.sock` (rootless) and `~/.docker/run/docker.sock`
 * (Docker Desktop), else `/var/run/docker.sock` (so that the error names the usual place). `exists` checks a path
 * (default: the file system).
 */
export function defaultHost(
  env: Environment = process.env,
  platform: NodeJS.Platform = process.platform,
  exists: (path: string) => boolean = pathExists,
): string {
  if (platform === 'win32') return DEFAULT_NAMED_PIPE;
  const candidates = ['/var/run/docker.sock'];
  if (env.XDG_RUNTIME_DIR) candidates.push(join(env.XDG_RUNTIME_DIR, 'docker.sock'));
  candidates.push(join(env.HOME || homedir(), '.docker', 'run', 'docker.sock'));
  return `unix://${candidates.find((path) => exists(path)) ?? candidates[0]}`;
}

/** True for the docker CLI's boolean environment variables: set to anything but the empty string. */
function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}

function tlsFromFlagsAndEnv(options: ResolveEndpointOptions, env: Environment, configDir: string): TlsOptions | undefined {
  const verify = options.tlsVerify ?? isSet(env.DOCKER_TLS_VERIFY);
  const usesTls = verify || (options.tls ?? isSet(env.DOCKER_TLS));
  if (!usesTls) return undefined;
  const certPath = env.DOCKER_CERT_PATH || configDir;
  return {
    ca: readTlsFile(options.tlsCaCert ?? join(certPath, 'ca.pem')),
    cert: readTlsFile(options.tlsCert ?? join(certPath, 'cert.pem')),
    key: readTlsFile(options.tlsKey ?? join(certPath, 'key.pem')),
    verify,
  };
}

function readTlsFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InvalidArgumentError(`unable to resolve docker endpoint: open ${path}: ${reason}`);
  }
}
