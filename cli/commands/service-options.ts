/**
 * What `berth service create` builds from its flags: the service spec, with secret and config references
 * resolved by name, and published ports.
 */
import type { Docker, EndpointPortConfig, ServiceSpec } from '../../src/index.js';
import { UsageError, type FlagSpec, type ParsedArgs } from '../args.js';
import { CliError } from '../errors.js';
import { parseGoDuration } from '../format.js';
import { labelsFrom } from './objects.js';

/** The flags of `service create`. */
export const SERVICE_CREATE_FLAGS: FlagSpec[] = [
  { name: 'name', type: 'string', description: 'Service name' },
  { name: 'replicas', type: 'string', valueName: 'uint', description: 'Number of tasks' },
  { name: 'mode', type: 'string', description: 'Service mode ("replicated" or "global")', defaultText: '"replicated"' },
  { name: 'env', short: 'e', type: 'list', description: 'Set environment variables' },
  { name: 'label', short: 'l', type: 'list', description: 'Service labels' },
  { name: 'container-label', type: 'list', description: 'Container labels' },
  { name: 'secret', type: 'list', valueName: 'secret', description: 'Specify secrets to expose to the service' },
  { name: 'config', type: 'list', valueName: 'config', description: 'Specify configurations to expose to the service' },
  { name: 'endpoint-mode', type: 'string', description: 'Endpoint mode (vip or dnsrr)', defaultText: '"vip"' },
  { name: 'publish', short: 'p', type: 'list', valueName: 'port', description: 'Publish a port as a node port (published:target[/protocol], or mode=host,published=…,target=…)' },
  { name: 'network', type: 'list', description: 'Network attachments' },
  { name: 'workdir', short: 'w', type: 'string', description: 'Working directory inside the container' },
  { name: 'user', short: 'u', type: 'string', description: 'Username or UID (format: <name|uid>[:<group|gid>])' },
  { name: 'hostname', type: 'string', description: 'Container hostname' },
  { name: 'tty', short: 't', type: 'boolean', description: 'Allocate a pseudo-TTY' },
  { name: 'restart-condition', type: 'string', description: 'Restart when condition is met ("none"|"on-failure"|"any")' },
  { name: 'stop-grace-period', type: 'string', valueName: 'duration', description: 'Time to wait before force killing a container (ns|us|ms|s|m|h)' },
  { name: 'update-parallelism', type: 'string', valueName: 'uint', description: 'Maximum number of tasks updated simultaneously (0 to update all at once)' },
  { name: 'update-delay', type: 'string', valueName: 'duration', description: 'Delay between updates (ns|us|ms|s|m|h)' },
  { name: 'update-monitor', type: 'string', valueName: 'duration', description: 'Duration after each task update to monitor for failure (ns|us|ms|s|m|h)' },
  { name: 'detach', short: 'd', type: 'boolean', description: 'Exit immediately instead of waiting for the service to converge' },
  { name: 'no-resolve-image', type: 'boolean', description: 'Do not query the registry to resolve image digest (berth never does)' },
];

/** A Go duration flag in nanoseconds (swarm's unit), or undefined when absent. */
export function durationFlag(args: ParsedArgs, name: string): number | undefined {
  const text = args.string(name);
  if (text === undefined) return undefined;
  const milliseconds = parseGoDuration(text);
  if (milliseconds === undefined) throw new UsageError(`invalid argument "${text}" for "--${name}" flag: time: invalid duration "${text}"`);
  return Math.round(milliseconds * 1e6);
}

/** A non-negative integer flag, or undefined when absent. */
export function countFlag(args: ParsedArgs, name: string): number | undefined {
  const value = args.integer(name);
  if (value !== undefined && value < 0) throw new UsageError(`invalid argument "${value}" for "--${name}" flag: must not be negative`);
  return value;
}

/** `source=name,target=path,uid=0,gid=0,mode=0444`, or just `name`. */
function parseReference(spec: string): Record<string, string> {
  if (!spec.includes('=')) return { source: spec };
  const fields: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const equals = part.indexOf('=');
    if (equals <= 0) throw new UsageError(`invalid field '${part}' must be a key=value pair`);
    fields[part.slice(0, equals).trim().toLowerCase()] = part.slice(equals + 1).trim();
  }
  if (fields.src !== undefined) fields.source ??= fields.src;
  if (!fields.source) throw new UsageError(`source is required in '${spec}'`);
  return fields;
}

/** The ID of the secret or config with exactly this name (or ID). */
async function resolveId(docker: Docker, kind: 'secret' | 'config', name: string): Promise<{ id: string; name: string }> {
  const list = kind === 'secret' ? await docker.secrets.list({ filters: { name: [name] } }) : await docker.configs.list({ filters: { name: [name] } });
  const found = list.find((item) => item.Spec?.Name === name) ?? list.find((item) => item.ID === name);
  if (!found?.ID) throw new CliError(`Error response from daemon: ${kind} not found: ${name}`);
  return { id: found.ID, name: found.Spec?.Name ?? name };
}

/** `published:target[/protocol]` or `mode=host,published=8080,target=80,protocol=tcp`. */
export function parsePortConfig(spec: string): EndpointPortConfig {
  if (spec.includes('=')) {
    const fields = parseReference(`source=-,${spec}`);
    const target = Number(fields.target);
    if (!Number.isInteger(target)) throw new UsageError(`invalid argument "${spec}" for "-p, --publish" flag: missing target port`);
    return {
      TargetPort: target,
      PublishedPort: fields.published !== undefined ? Number(fields.published) : undefined,
      Protocol: fields.protocol ?? 'tcp',
      PublishMode: fields.mode ?? 'ingress',
    };
  }
  const match = /^(?:(\d+):)?(\d+)(?:\/(tcp|udp|sctp))?$/.exec(spec);
  if (!match) throw new UsageError(`invalid argument "${spec}" for "-p, --publish" flag: invalid port format`);
  return { PublishedPort: match[1] ? Number(match[1]) : undefined, TargetPort: Number(match[2]), Protocol: match[3] ?? 'tcp', PublishMode: 'ingress' };
}

/** The spec `service create IMAGE [COMMAND] [ARG...]` asks for. */
export async function buildServiceSpec(docker: Docker, args: ParsedArgs): Promise<ServiceSpec> {
  const [image, ...command] = args.positionals;
  const mode = args.string('mode') ?? 'replicated';
  if (mode !== 'replicated' && mode !== 'global') throw new UsageError(`invalid argument "${mode}" for "--mode" flag: must be replicated or global`);
  const replicas = countFlag(args, 'replicas');
  if (replicas !== undefined && mode === 'global') throw new UsageError('replicas can only be used with replicated mode', 1);

  const secrets = await Promise.all(args.list('secret').map(async (spec) => {
    const reference = parseReference(spec);
    const { id, name } = await resolveId(docker, 'secret', reference.source!);
    return { SecretID: id, SecretName: name, File: { Name: reference.target ?? name, UID: reference.uid ?? '0', GID: reference.gid ?? '0', Mode: reference.mode ? parseInt(reference.mode, 8) : 0o444 } };
  }));
  const configs = await Promise.all(args.list('config').map(async (spec) => {
    const reference = parseReference(spec);
    const { id, name } = await resolveId(docker, 'config', reference.source!);
    return { ConfigID: id, ConfigName: name, File: { Name: reference.target ?? `/${name}`, UID: reference.uid ?? '0', GID: reference.gid ?? '0', Mode: reference.mode ? parseInt(reference.mode, 8) : 0o444 } };
  }));
  const env = args.list('env');
  const ports = args.list('publish').map(parsePortConfig);
  const networks = args.list('network');
  const restart = args.string('restart-condition');
  return {
    Name: args.string('name'),
    Labels: labelsFrom(args.list('label')),
    TaskTemplate: {
      ContainerSpec: {
        Image: image,
        Args: command.length ? command : undefined,
        Env: env.length ? env : undefined,
        Labels: labelsFrom(args.list('container-label')),
        Dir: args.string('workdir'),
        User: args.string('user'),
        Hostname: args.string('hostname'),
        TTY: args.bool('tty') || undefined,
        StopGracePeriod: durationFlag(args, 'stop-grace-period'),
        Secrets: secrets.length ? secrets : undefined,
        Configs: configs.length ? configs : undefined,
      },
      RestartPolicy: restart ? { Condition: restart } : undefined,
      Networks: networks.length ? networks.map((Target) => ({ Target })) : undefined,
    },
    Mode: mode === 'global' ? { Global: {} } : { Replicated: { Replicas: replicas ?? 1 } },
    UpdateConfig: {
      Parallelism: countFlag(args, 'update-parallelism') ?? 1,
      Delay: durationFlag(args, 'update-delay'),
      Monitor: durationFlag(args, 'update-monitor'),
    },
    EndpointSpec: { Mode: args.string('endpoint-mode') ?? 'vip', Ports: ports.length ? ports : undefined },
  };
}
