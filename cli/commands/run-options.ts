/**
 * The flags `run` and `create` share, and how they become the engine's container configuration
 * (`ContainerCreateBody`): environment, labels, published ports, volumes, network, user, TTY …
 */
import { isAbsolute, resolve } from 'node:path';
import type { ContainerCreateBody } from '../../src/index.js';
import { UsageError, type FlagSpec, type ParsedArgs } from '../args.js';

/** The flags of `create` (and of `run`, which adds `-d`, `--rm`'s attached behaviour and `--sig-proxy`). */
export const CREATE_FLAGS: FlagSpec[] = [
  { name: 'name', type: 'string', description: 'Assign a name to the container' },
  { name: 'env', short: 'e', type: 'list', description: 'Set environment variables' },
  { name: 'env-file', type: 'list', description: 'Read in a file of environment variables' },
  { name: 'label', short: 'l', type: 'list', description: 'Set meta data on a container' },
  { name: 'workdir', short: 'w', type: 'string', description: 'Working directory inside the container' },
  { name: 'user', short: 'u', type: 'string', description: 'Username or UID (format: <name|uid>[:<group|gid>])' },
  { name: 'entrypoint', type: 'string', description: 'Overwrite the default ENTRYPOINT of the image' },
  { name: 'publish', short: 'p', type: 'list', description: 'Publish a container\'s port(s) to the host' },
  { name: 'publish-all', short: 'P', type: 'boolean', description: 'Publish all exposed ports to random ports' },
  { name: 'expose', type: 'list', description: 'Expose a port or a range of ports' },
  { name: 'volume', short: 'v', type: 'list', description: 'Bind mount a volume' },
  { name: 'network', type: 'string', description: 'Connect a container to a network' },
  { name: 'tty', short: 't', type: 'boolean', description: 'Allocate a pseudo-TTY' },
  { name: 'interactive', short: 'i', type: 'boolean', description: 'Keep STDIN open even if not attached' },
  { name: 'rm', type: 'boolean', description: 'Automatically remove the container and its associated anonymous volumes when it exits' },
  { name: 'hostname', short: 'h', type: 'string', description: 'Container host name' },
  { name: 'restart', type: 'string', description: 'Restart policy to apply when a container exits', defaultText: '"no"' },
  { name: 'init', type: 'boolean', description: 'Run an init inside the container that forwards signals and reaps processes' },
  { name: 'stop-signal', type: 'string', description: 'Signal to stop the container' },
  { name: 'stop-timeout', type: 'string', valueName: 'int', description: 'Timeout (in seconds) to stop a container' },
  { name: 'memory', short: 'm', type: 'string', valueName: 'bytes', description: 'Memory limit' },
  { name: 'read-only', type: 'boolean', description: 'Mount the container\'s root filesystem as read only' },
  { name: 'cap-add', type: 'list', description: 'Add Linux capabilities' },
  { name: 'cap-drop', type: 'list', description: 'Drop Linux capabilities' },
  { name: 'add-host', type: 'list', description: 'Add a custom host-to-IP mapping (host:ip)' },
  { name: 'tmpfs', type: 'list', description: 'Mount a tmpfs directory' },
  { name: 'platform', type: 'string', description: 'Set platform if server is multi-platform capable' },
  { name: 'pull', type: 'string', description: 'Pull image before running ("always", "missing", "never")', defaultText: 'missing' },
];

/** What `create`/`run` send: the body, and the query (`name`, `platform`). */
export interface CreateRequest {
  body: ContainerCreateBody;
  name: string | undefined;
  platform: string | undefined;
}

/** Builds the create request from the parsed flags and `IMAGE [COMMAND] [ARG...]`. */
export function buildCreateRequest(args: ParsedArgs, env: NodeJS.ProcessEnv, options: { attach: boolean; autoRemove: boolean }): CreateRequest {
  const [image, ...command] = args.positionals;
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const spec of args.list('publish')) {
    for (const { port, hostIp, hostPort } of parsePublish(spec)) {
      exposed[port] = {};
      (bindings[port] ??= []).push({ HostIp: hostIp, HostPort: hostPort });
    }
  }
  for (const spec of args.list('expose')) {
    for (const port of expandPortRange(spec, 'expose')) exposed[port] = {};
  }
  const binds: string[] = [];
  const volumes: Record<string, Record<string, never>> = {};
  for (const spec of args.list('volume')) {
    const parsed = parseVolume(spec);
    if (parsed.anonymous) volumes[parsed.target] = {};
    else binds.push(parsed.bind);
  }
  const interactive = args.bool('interactive');
  const entrypoint = args.string('entrypoint');
  const stopTimeout = args.integer('stop-timeout');
  const tmpfs = Object.fromEntries(args.list('tmpfs').map((spec) => {
    const colon = spec.indexOf(':');
    return colon < 0 ? [spec, ''] : [spec.slice(0, colon), spec.slice(colon + 1)];
  }));
  const body: ContainerCreateBody = {
    Image: image,
    Cmd: command.length ? command : undefined,
    Entrypoint: entrypoint === undefined ? undefined : [entrypoint],
    Env: parseEnv(args.list('env'), env),
    Labels: parseLabels(args.list('label')),
    WorkingDir: args.string('workdir'),
    User: args.string('user'),
    Hostname: args.string('hostname'),
    Tty: args.bool('tty'),
    OpenStdin: interactive,
    StdinOnce: interactive && options.attach,
    AttachStdin: interactive && options.attach,
    AttachStdout: options.attach,
    AttachStderr: options.attach,
    ExposedPorts: Object.keys(exposed).length ? exposed : undefined,
    Volumes: Object.keys(volumes).length ? volumes : undefined,
    StopSignal: args.string('stop-signal'),
    StopTimeout: stopTimeout,
    HostConfig: {
      AutoRemove: options.autoRemove,
      Binds: binds.length ? binds : undefined,
      PortBindings: Object.keys(bindings).length ? bindings : undefined,
      PublishAllPorts: args.bool('publish-all') || undefined,
      NetworkMode: args.string('network'),
      RestartPolicy: parseRestart(args.string('restart')),
      Init: args.has('init') ? args.bool('init') : undefined,
      Memory: parseMemory(args.string('memory')),
      ReadonlyRootfs: args.bool('read-only') || undefined,
      CapAdd: args.list('cap-add').length ? args.list('cap-add') : undefined,
      CapDrop: args.list('cap-drop').length ? args.list('cap-drop') : undefined,
      ExtraHosts: args.list('add-host').length ? args.list('add-host') : undefined,
      Tmpfs: Object.keys(tmpfs).length ? tmpfs : undefined,
    },
  };
  return { body, name: args.string('name'), platform: args.string('platform') };
}

/** `-e NAME=value` as is; `-e NAME` takes NAME from the environment, and is dropped when unset (as docker does). */
export function parseEnv(specs: readonly string[], env: NodeJS.ProcessEnv): string[] | undefined {
  const out: string[] = [];
  for (const spec of specs) {
    if (spec.startsWith('=')) throw new UsageError(`invalid argument "${spec}" for "-e, --env" flag: invalid environment variable: ${spec}`);
    if (spec.includes('=')) out.push(spec);
    else if (env[spec] !== undefined) out.push(`${spec}=${env[spec]}`);
  }
  return out.length ? out : undefined;
}

/** `-l key=value` or `-l key` (an empty value). */
export function parseLabels(specs: readonly string[]): Record<string, string> | undefined {
  if (!specs.length) return undefined;
  const labels: Record<string, string> = {};
  for (const spec of specs) {
    const equals = spec.indexOf('=');
    if (equals === 0) throw new UsageError(`invalid argument "${spec}" for "-l, --label" flag: invalid label format: "${spec}"`);
    if (equals < 0) labels[spec] = '';
    else labels[spec.slice(0, equals)] = spec.slice(equals + 1);
  }
  return labels;
}

/** One port binding of `-p`. */
export interface PortBinding {
  /** `80/tcp` */
  port: string;
  hostIp: string;
  /** Empty for a random port. */
  hostPort: string;
}

/**
 * Parses `-p [ip:][hostPort:]containerPort[/proto]`, with ranges (`8000-8001:80-81`) and IPv6 addresses in
 * brackets (`[::1]:8080:80`). `127.0.0.1::80` binds a random port on 127.0.0.1.
 */
export function parsePublish(spec: string): PortBinding[] {
  const invalid = () => new UsageError(`invalid argument "${spec}" for "-p, --publish" flag: invalid port format: ${spec}`);
  let rest = spec;
  let proto = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    proto = rest.slice(slash + 1).toLowerCase();
    rest = rest.slice(0, slash);
    if (!['tcp', 'udp', 'sctp'].includes(proto)) throw invalid();
  }
  let hostIp = '';
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0 || rest[close + 1] !== ':') throw invalid();
    hostIp = rest.slice(1, close);
    rest = rest.slice(close + 2);
  }
  const parts = rest.split(':');
  let hostPortText = '';
  let containerPortText: string;
  if (parts.length === 1) {
    containerPortText = parts[0]!;
  } else if (parts.length === 2) {
    hostPortText = parts[0]!;
    containerPortText = parts[1]!;
  } else if (parts.length === 3 && !hostIp) {
    hostIp = parts[0]!;
    hostPortText = parts[1]!;
    containerPortText = parts[2]!;
  } else {
    throw invalid();
  }
  const containerPorts = portRange(containerPortText);
  if (!containerPorts) throw invalid();
  const hostPorts = hostPortText === '' ? undefined : portRange(hostPortText);
  if (hostPortText !== '' && !hostPorts) throw invalid();
  if (hostPorts && hostPorts.length !== containerPorts.length && hostPorts.length !== 1) throw invalid();
  return containerPorts.map((port, index) => ({
    port: `${port}/${proto}`,
    hostIp,
    // One host range for one container port means "any port of that range".
    hostPort: !hostPorts ? '' : hostPorts.length === containerPorts.length ? String(hostPorts[index]) :
      containerPorts.length === 1 && hostPortText.includes('-') ? hostPortText : String(hostPorts[0]),
  }));
}

function portRange(text: string): number[] | undefined {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) return undefined;
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  if (first < 1 || last > 65535 || last < first) return undefined;
  return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

function expandPortRange(spec: string, flag: string): string[] {
  const [ports, proto = 'tcp'] = spec.split('/');
  const range = portRange(ports!);
  if (!range) throw new UsageError(`invalid argument "${spec}" for "--${flag}" flag: invalid range format for --expose: ${spec}`);
  return range.map((port) => `${port}/${proto}`);
}

/** `-v` forms: `/container/path` (an anonymous volume), `name:/path[:opts]`, `/host:/path[:opts]`, `./rel:/path`. */
export function parseVolume(spec: string): { anonymous: true; target: string } | { anonymous: false; bind: string } {
  const parts = spec.split(':');
  if (parts.length === 1) {
    if (!isAbsolute(spec)) throw new UsageError(`invalid argument "${spec}" for "-v, --volume" flag: invalid volume specification: '${spec}'`);
    return { anonymous: true, target: spec };
  }
  const [source, target, ...options] = parts;
  if (!source || !target || options.length > 1 || !isAbsolute(target)) {
    throw new UsageError(`invalid argument "${spec}" for "-v, --volume" flag: invalid volume specification: '${spec}'`);
  }
  // A relative host path (./data, ../x, .) is made absolute, as the Docker CLI does; other names are volumes.
  const hostSource = source === '.' || source.startsWith('./') || source.startsWith('../') || source === '..' ? resolve(source) : source;
  return { anonymous: false, bind: [hostSource, target, ...options].join(':') };
}

function parseRestart(text: string | undefined): { Name: 'no' | 'always' | 'unless-stopped' | 'on-failure' | ''; MaximumRetryCount?: number } | undefined {
  if (text === undefined) return undefined;
  const [name, count] = text.split(':');
  if (!['no', 'always', 'unless-stopped', 'on-failure'].includes(name!)) {
    throw new UsageError(`invalid restart policy format: ${text}`);
  }
  if (count !== undefined && (name !== 'on-failure' || !/^\d+$/.test(count))) throw new UsageError(`invalid restart policy format: ${text}`);
  return { Name: name as 'no', MaximumRetryCount: count === undefined ? undefined : Number(count) };
}

/** `512m`, `1g`, `1024` (bytes): binary units, as docker's RAMInBytes. */
export function parseMemory(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([bkmgtp]?)b?$/i.exec(text.trim());
  if (!match) throw new UsageError(`invalid argument "${text}" for "-m, --memory" flag: invalid size: '${text}'`);
  const power = 'bkmgtp'.indexOf((match[2] || 'b').toLowerCase());
  return Math.floor(Number(match[1]) * 1024 ** power);
}
