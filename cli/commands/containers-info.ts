/**
 * Commands that read a container without changing it: inspect (JSON array or `--format` template),
 * top, port, diff.
 */
import type { Docker } from '../../src/index.js';
import { writeLine, write, type CliContext, type Command } from '../command.js';
import { CliError, errorMessage, isNotFoundError } from '../errors.js';
import { goJson } from '../format.js';
import { formatTable } from '../table.js';
import { compileTemplate } from '../template.js';

const INSPECT_FLAGS = [
  { name: 'format', short: 'f', type: 'string' as const, description: 'Format output using a custom template' },
  { name: 'size', short: 's', type: 'boolean' as const, description: 'Display total file sizes if the type is container' },
];

type Lookup = (docker: Docker, name: string, size: boolean) => Promise<unknown>;

/** Looks up each name, prints the results (a JSON array, or one template line each), then the errors. */
async function inspectEach(context: CliContext, names: readonly string[], format: string | undefined, size: boolean, lookup: Lookup): Promise<number> {
  const template = format ? compileTemplate(format) : undefined;
  const docker = context.docker();
  const found: unknown[] = [];
  const errors: string[] = [];
  for (const name of names) {
    try {
      found.push(await lookup(docker, name, size));
    } catch (error) {
      errors.push(errorMessage(error));
    }
  }
  if (template) {
    await write(context.stdout, found.map((object) => template(object) + '\n').join(''));
  } else {
    // Four spaces, as the Docker CLI indents; an empty list still prints `[]`.
    await writeLine(context.stdout, goJson(found, 4));
  }
  for (const error of errors) await writeLine(context.stderr, error);
  return errors.length ? 1 : 0;
}

/** `berth inspect NAME|ID...`: containers, then images, by name or ID. */
export const inspect: Command = {
  usage: '[OPTIONS] NAME|ID [NAME|ID...]',
  description: 'Return low-level information on Docker objects',
  flags: [...INSPECT_FLAGS, { name: 'type', type: 'string', description: 'Return JSON for specified type (container, image)' }],
  minArgs: 1,
  run(context, args) {
    const type = args.string('type');
    if (type !== undefined && type !== 'container' && type !== 'image') {
      throw new CliError(`Error: "${type}" is not a valid value for --type`);
    }
    return inspectEach(context, args.positionals, args.string('format'), args.bool('size'), async (docker, name, size) => {
      if (type !== 'image') {
        try {
          return await docker.containers.inspect(name, { size });
        } catch (error) {
          if (!isNotFoundError(error)) throw error;
        }
      }
      if (type !== 'container') {
        try {
          return await docker.request('GET', '/images/{name}/json', { pathParams: { name } });
        } catch (error) {
          if (!isNotFoundError(error)) throw error;
        }
      }
      throw new CliError(`Error: No such ${type ?? 'object'}: ${name}`);
    });
  },
};

/** `berth container inspect CONTAINER...` */
export const containerInspect: Command = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Display detailed information on one or more containers',
  flags: INSPECT_FLAGS,
  minArgs: 1,
  run(context, args) {
    return inspectEach(context, args.positionals, args.string('format'), args.bool('size'), (docker, name, size) => docker.containers.inspect(name, { size }));
  },
};

/** `berth top CONTAINER [ps OPTIONS]` */
export const top: Command = {
  usage: 'CONTAINER [ps OPTIONS]',
  description: 'Display the running processes of a container',
  flags: [],
  interspersed: false,
  minArgs: 1,
  async run(context, args) {
    const [id, ...psArgs] = args.positionals as [string, ...string[]];
    const result = await context.docker().containers.top(id, psArgs.length ? { ps_args: psArgs.join(' ') } : {});
    const rows = [result.Titles ?? [], ...(result.Processes ?? [])];
    await write(context.stdout, formatTable(rows, { minWidth: 20, padding: 3 }));
    return 0;
  },
};

/** `berth port CONTAINER [PRIVATE_PORT[/PROTO]]` */
export const port: Command = {
  usage: 'CONTAINER [PRIVATE_PORT[/PROTO]]',
  description: 'List port mappings or a specific mapping for the container',
  flags: [],
  minArgs: 1,
  maxArgs: 2,
  async run(context, args) {
    const [id, wanted] = args.positionals as [string, string | undefined];
    const container = await context.docker().containers.inspect(id);
    const ports = (container.NetworkSettings?.Ports ?? {}) as Record<string, Array<{ HostIp?: string; HostPort?: string }> | null>;
    const address = (binding: { HostIp?: string; HostPort?: string }) => {
      const ip = binding.HostIp || '0.0.0.0';
      return `${ip.includes(':') ? `[${ip}]` : ip}:${binding.HostPort ?? ''}`;
    };
    if (wanted !== undefined) {
      const [number, proto = 'tcp'] = wanted.split('/');
      if (!/^\d+$/.test(number!)) throw new CliError(`Error: Invalid port: ${wanted}`);
      const bindings = ports[`${number}/${proto}`];
      if (!bindings?.length) throw new CliError(`Error: No public port '${wanted}' published for ${id}`);
      await write(context.stdout, bindings.map((binding) => address(binding) + '\n').join(''));
      return 0;
    }
    const keys = Object.keys(ports).sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || (a < b ? -1 : a > b ? 1 : 0));
    const lines = keys.flatMap((key) => (ports[key] ?? []).map((binding) => `${key} -> ${address(binding)}\n`));
    await write(context.stdout, lines.join(''));
    return 0;
  },
};

const CHANGE_KINDS = ['C', 'A', 'D'];

/** `berth diff CONTAINER`: `A` added, `C` changed, `D` deleted. */
export const diff: Command = {
  usage: 'CONTAINER',
  description: 'Inspect changes to files or directories on a container\'s filesystem',
  flags: [],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const changes = await context.docker().containers.changes(args.positionals[0]!);
    await write(context.stdout, changes.map((change) => `${CHANGE_KINDS[change.Kind] ?? '?'} ${change.Path}\n`).join(''));
    return 0;
  },
};
