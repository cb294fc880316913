/** `berth network` (ls, create, inspect, connect, disconnect, rm, prune), as the Docker CLI's. */
import type { IPAMConfig } from '../../src/index.js';
import { UsageError } from '../args.js';
import { writeLine, type Command } from '../command.js';
import { parseFilters } from './filters.js';
import { confirm } from '../confirm.js';
import { INSPECT_FORMAT, eachName, inspectEach, labelsFrom, listFlags, printRows, shortId } from './objects.js';

/** `berth network ls` */
export const networkLs: Command = {
  usage: '[OPTIONS]',
  description: 'List networks',
  flags: [...listFlags('Only display network IDs'), { name: 'no-trunc', type: 'boolean', description: 'Do not truncate the output' }],
  maxArgs: 0,
  async run(context, args) {
    const networks = await context.docker().networks.list({ filters: parseFilters(args.list('filter')) });
    const truncate = !args.bool('no-trunc');
    const rows = networks
      .map((network) => ({ ID: shortId(network.Id, truncate), Name: network.Name ?? '', Driver: network.Driver ?? '', Scope: network.Scope ?? '' }))
      .sort((a, b) => a.Name.localeCompare(b.Name));
    await printRows(context, rows, {
      table: 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}',
      headers: { ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE' },
      quietField: 'ID',
    }, args.string('format'), args.bool('quiet'));
    return 0;
  },
};

/** `berth network create [OPTIONS] NETWORK`: prints the new network's ID. */
export const networkCreate: Command = {
  usage: '[OPTIONS] NETWORK',
  description: 'Create a network',
  flags: [
    { name: 'driver', short: 'd', type: 'string', description: 'Driver to manage the Network', defaultText: '"bridge"' },
    { name: 'label', type: 'list', description: 'Set metadata on a network' },
    { name: 'opt', short: 'o', type: 'list', valueName: 'map', description: 'Set driver specific options' },
    { name: 'subnet', type: 'list', valueName: 'strings', description: 'Subnet in CIDR format that represents a network segment' },
    { name: 'gateway', type: 'list', valueName: 'strings', description: 'IPv4 or IPv6 Gateway for the master subnet' },
    { name: 'ip-range', type: 'list', valueName: 'strings', description: 'Allocate container ip from a sub-range' },
    { name: 'internal', type: 'boolean', description: 'Restrict external access to the network' },
    { name: 'attachable', type: 'boolean', description: 'Enable manual container attachment' },
    { name: 'ipv6', type: 'boolean', description: 'Enable IPv6 networking' },
    { name: 'scope', type: 'string', description: 'Control the network\'s scope' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const subnets = args.list('subnet');
    const gateways = args.list('gateway');
    const ranges = args.list('ip-range');
    if (gateways.length > subnets.length || ranges.length > subnets.length) throw new UsageError('every --gateway and --ip-range needs a --subnet', 1);
    const config: IPAMConfig[] = subnets.map((Subnet, index) => ({ Subnet, Gateway: gateways[index], IPRange: ranges[index] }));
    const { Id } = await context.docker().networks.create({
      Name: args.positionals[0]!,
      Driver: args.string('driver') ?? 'bridge',
      Labels: labelsFrom(args.list('label')),
      Options: labelsFrom(args.list('opt')),
      IPAM: config.length ? { Driver: 'default', Config: config } : undefined,
      Internal: args.bool('internal') || undefined,
      Attachable: args.bool('attachable') || undefined,
      EnableIPv6: args.bool('ipv6') || undefined,
      Scope: args.string('scope'),
    });
    await writeLine(context.stdout, Id);
    return 0;
  },
};

/** `berth network inspect NETWORK...` */
export const networkInspect: Command = {
  usage: '[OPTIONS] NETWORK [NETWORK...]',
  description: 'Display detailed information on one or more networks',
  flags: [INSPECT_FORMAT, { name: 'verbose', short: 'v', type: 'boolean', description: 'Verbose output for diagnostics' }],
  minArgs: 1,
  run(context, args) {
    const docker = context.docker();
    return inspectEach(context, args.positionals, args.string('format'), (name) => docker.networks.inspect(name, { verbose: args.bool('verbose') || undefined }));
  },
};

/** `berth network connect [--alias A] [--ip IP] NETWORK CONTAINER` */
export const networkConnect: Command = {
  usage: '[OPTIONS] NETWORK CONTAINER',
  description: 'Connect a container to a network',
  flags: [
    { name: 'alias', type: 'list', valueName: 'strings', description: 'Add network-scoped alias for the container' },
    { name: 'ip', type: 'string', description: 'IPv4 address (e.g., "172.30.100.104")' },
    { name: 'ip6', type: 'string', description: 'IPv6 address (e.g., "2001:db8::33")' },
  ],
  minArgs: 2,
  maxArgs: 2,
  async run(context, args) {
    const [network, container] = args.positionals as [string, string];
    const ip = args.string('ip');
    const ip6 = args.string('ip6');
    const aliases = args.list('alias');
    await context.docker().networks.connect(network, {
      Container: container,
      EndpointConfig: {
        Aliases: aliases.length ? aliases : undefined,
        IPAMConfig: ip || ip6 ? { IPv4Address: ip, IPv6Address: ip6 } : undefined,
      },
    });
    return 0;
  },
};

/** `berth network disconnect [-f] NETWORK CONTAINER` */
export const networkDisconnect: Command = {
  usage: '[OPTIONS] NETWORK CONTAINER',
  description: 'Disconnect a container from a network',
  flags: [{ name: 'force', short: 'f', type: 'boolean', description: 'Force the container to disconnect from a network' }],
  minArgs: 2,
  maxArgs: 2,
  async run(context, args) {
    const [network, container] = args.positionals as [string, string];
    await context.docker().networks.disconnect(network, { Container: container, Force: args.bool('force') || undefined });
    return 0;
  },
};

/** `berth network rm NETWORK...` */
export const networkRm: Command = {
  usage: 'NETWORK [NETWORK...]',
  description: 'Remove one or more networks',
  flags: [],
  minArgs: 1,
  run(context, args) {
    const docker = context.docker();
    return eachName(context, args.positionals, (name) => docker.networks.remove(name));
  },
};

/** `berth network prune [-f] [--filter F]` */
export const networkPrune: Command = {
  usage: '[OPTIONS]',
  description: 'Remove all unused networks',
  flags: [
    { name: 'filter', type: 'list', valueName: 'filter', description: 'Provide filter values (e.g. "until=<timestamp>")' },
    { name: 'force', short: 'f', type: 'boolean', description: 'Do not prompt for confirmation' },
  ],
  maxArgs: 0,
  async run(context, args) {
    if (!(await confirm(context, 'WARNING! This will remove all custom networks not used by at least one container.', args.bool('force')))) return 0;
    const { NetworksDeleted } = await context.docker().networks.prune({ filters: parseFilters(args.list('filter')) });
    if (NetworksDeleted.length) await writeLine(context.stdout, `Deleted Networks:\n${NetworksDeleted.join('\n')}\n`);
    return 0;
  },
};
