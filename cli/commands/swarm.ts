/** `berth swarm` (init, join, join-token, leave, unlock-key) and `berth node` (ls, inspect, update, rm). */
import type { Docker } from '../../src/index.js';
import { UsageError } from '../args.js';
import { write, writeLine, type Command } from '../command.js';
import { CliError } from '../errors.js';
import { parseFilters } from './filters.js';
import { readLine } from '../confirm.js';
import { INSPECT_FORMAT, eachName, inspectEach, labelsFrom, listFlags, printRows } from './objects.js';

const capitalize = (text: string | undefined) => (text ? text[0]!.toUpperCase() + text.slice(1) : '');

/** The address other nodes join through: this manager's, as the engine reports it. */
async function managerAddress(docker: Docker): Promise<string> {
  const info = await docker.info();
  const self = info.Swarm?.NodeID;
  return info.Swarm?.RemoteManagers?.find((manager) => manager.NodeID === self)?.Addr ?? info.Swarm?.NodeAddr ?? '';
}

async function joinCommand(docker: Docker, role: 'worker' | 'manager'): Promise<string> {
  const swarm = await docker.swarm.inspect();
  const token = role === 'worker' ? swarm.JoinTokens?.Worker : swarm.JoinTokens?.Manager;
  return `berth swarm join --token ${token} ${await managerAddress(docker)}`;
}

function unlockKeyText(key: string): string {
  return 'To unlock a swarm manager after it restarts, run the `berth swarm unlock`\ncommand and provide the following key:\n\n'
    + `    ${key}\n\nPlease remember to store this key in a password manager, since without it you\nwill not be able to restart the manager.\n`;
}

/** `berth swarm init [OPTIONS]` */
export const swarmInit: Command = {
  usage: '[OPTIONS]',
  description: 'Initialize a swarm',
  flags: [
    { name: 'advertise-addr', type: 'string', description: 'Advertised address (format: "<ip|interface>[:port]")' },
    { name: 'listen-addr', type: 'string', valueName: 'node-addr', description: 'Listen address (format: "<ip|interface>[:port]")', defaultText: '0.0.0.0:2377' },
    { name: 'data-path-addr', type: 'string', description: 'Address or interface to use for data path traffic' },
    { name: 'autolock', type: 'boolean', description: 'Enable manager autolocking (requiring an unlock key to start a stopped manager)' },
    { name: 'force-new-cluster', type: 'boolean', description: 'Force create a new cluster from current state' },
    { name: 'default-addr-pool', type: 'list', valueName: 'ipNetSlice', description: 'default address pool in CIDR format' },
  ],
  maxArgs: 0,
  async run(context, args) {
    const docker = context.docker();
    const pools = args.list('default-addr-pool');
    const nodeId = await docker.swarm.init({
      ListenAddr: args.string('listen-addr') ?? '0.0.0.0:2377',
      AdvertiseAddr: args.string('advertise-addr'),
      DataPathAddr: args.string('data-path-addr'),
      ForceNewCluster: args.bool('force-new-cluster') || undefined,
      DefaultAddrPool: pools.length ? pools : undefined,
      Spec: args.bool('autolock') ? { EncryptionConfig: { AutoLockManagers: true } } : undefined,
    });
    let text = `Swarm initialized: current node (${nodeId}) is now a manager.\n\n`
      + `To add a worker to this swarm, run the following command:\n\n    ${await joinCommand(docker, 'worker')}\n\n`
      + 'To add a manager to this swarm, run \'berth swarm join-token manager\' and follow the instructions.\n\n';
    if (args.bool('autolock')) text += unlockKeyText((await docker.swarm.unlockKey()).UnlockKey ?? '') + '\n';
    await write(context.stdout, text);
    return 0;
  },
};

/** `berth swarm join --token TOKEN HOST:PORT` */
export const swarmJoin: Command = {
  usage: '[OPTIONS] HOST:PORT',
  description: 'Join a swarm as a node and/or manager',
  flags: [
    { name: 'token', type: 'string', description: 'Token for entry into the swarm' },
    { name: 'listen-addr', type: 'string', valueName: 'node-addr', description: 'Listen address (format: "<ip|interface>[:port]")', defaultText: '0.0.0.0:2377' },
    { name: 'advertise-addr', type: 'string', description: 'Advertised address (format: "<ip|interface>[:port]")' },
    { name: 'data-path-addr', type: 'string', description: 'Address or interface to use for data path traffic' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const token = args.string('token');
    if (!token) throw new UsageError('--token is required', 1);
    const docker = context.docker();
    await docker.swarm.join({
      JoinToken: token,
      RemoteAddrs: [args.positionals[0]!],
      ListenAddr: args.string('listen-addr') ?? '0.0.0.0:2377',
      AdvertiseAddr: args.string('advertise-addr'),
      DataPathAddr: args.string('data-path-addr'),
    });
    const info = await docker.info();
    await writeLine(context.stdout, `This node joined a swarm as a ${info.Swarm?.ControlAvailable ? 'manager' : 'worker'}.`);
    return 0;
  },
};

/** `berth swarm join-token [-q] [--rotate] worker|manager` */
export const swarmJoinToken: Command = {
  usage: '[OPTIONS] (worker|manager)',
  description: 'Manage join tokens',
  flags: [
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Only display token' },
    { name: 'rotate', type: 'boolean', description: 'Rotate join token' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const role = args.positionals[0];
    if (role !== 'worker' && role !== 'manager') throw new CliError(`Error: unknown role ${role}`);
    const docker = context.docker();
    if (args.bool('rotate')) {
      const swarm = await docker.swarm.inspect();
      await docker.swarm.update(swarm.Spec ?? {}, { version: swarm.Version?.Index ?? 0, rotateWorkerToken: role === 'worker', rotateManagerToken: role === 'manager' });
      if (!args.bool('quiet')) await writeLine(context.stdout, `Successfully rotated ${role} join token.\n`);
    }
    const swarm = await docker.swarm.inspect();
    const token = role === 'worker' ? swarm.JoinTokens?.Worker : swarm.JoinTokens?.Manager;
    if (args.bool('quiet')) await writeLine(context.stdout, token ?? '');
    else await write(context.stdout, `To add a ${role} to this swarm, run the following command:\n\n    ${await joinCommand(docker, role)}\n\n`);
    return 0;
  },
};

/** `berth swarm leave [-f]` */
export const swarmLeave: Command = {
  usage: '[OPTIONS]',
  description: 'Leave the swarm',
  flags: [{ name: 'force', short: 'f', type: 'boolean', description: 'Force this node to leave the swarm, ignoring warnings' }],
  maxArgs: 0,
  async run(context, args) {
    await context.docker().swarm.leave({ force: args.bool('force') || undefined });
    await writeLine(context.stdout, 'Node left the swarm.');
    return 0;
  },
};

/** `berth swarm unlock-key [-q] [--rotate]` */
export const swarmUnlockKey: Command = {
  usage: '[OPTIONS]',
  description: 'Manage the unlock key',
  flags: [
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Only display token' },
    { name: 'rotate', type: 'boolean', description: 'Rotate unlock key' },
  ],
  maxArgs: 0,
  async run(context, args) {
    const docker = context.docker();
    if (args.bool('rotate')) {
      const swarm = await docker.swarm.inspect();
      if (!swarm.Spec?.EncryptionConfig?.AutoLockManagers) throw new CliError('Error: cannot rotate because autolock is not turned on');
      await docker.swarm.update(swarm.Spec, { version: swarm.Version?.Index ?? 0, rotateManagerUnlockKey: true });
      if (!args.bool('quiet')) await writeLine(context.stdout, 'Successfully rotated manager unlock key.\n');
    }
    const key = (await docker.swarm.unlockKey()).UnlockKey ?? '';
    if (!key) throw new CliError('Error: no unlock key is set');
    if (args.bool('quiet')) await writeLine(context.stdout, key);
    else await write(context.stdout, unlockKeyText(key));
    return 0;
  },
};

/** `berth swarm unlock`: reads the unlock key from stdin, as the Docker CLI prompts for it. */
export const swarmUnlock: Command = {
  usage: '',
  description: 'Unlock swarm',
  flags: [],
  maxArgs: 0,
  async run(context) {
    if (context.stdin.isTTY) await write(context.stdout, 'Please enter unlock key: ');
    const key = (await readLine(context.stdin)).trim();
    if (!key) throw new CliError('Error: no unlock key entered');
    await context.docker().swarm.unlock({ UnlockKey: key });
    return 0;
  },
};

/** `self` is this node, as the Docker CLI resolves it. */
async function resolveNode(docker: Docker, name: string): Promise<string> {
  if (name !== 'self') return name;
  const id = (await docker.info()).Swarm?.NodeID;
  if (!id) throw new CliError('Error: this node is not a swarm manager');
  return id;
}

/** `berth node ls` */
export const nodeLs: Command = {
  usage: '[OPTIONS]',
  description: 'List nodes in the swarm',
  flags: listFlags('Only display IDs'),
  maxArgs: 0,
  async run(context, args) {
    const docker = context.docker();
    const nodes = await docker.nodes.list({ filters: parseFilters(args.list('filter')) });
    const self = nodes.length ? (await docker.info()).Swarm?.NodeID : undefined;
    const rows = nodes.map((node) => ({
      ID: `${node.ID ?? ''}${node.ID === self ? ' *' : ''}`,
      Hostname: node.Description?.Hostname ?? '',
      Status: capitalize(node.Status?.State),
      Availability: capitalize(node.Spec?.Availability),
      ManagerStatus: node.ManagerStatus?.Leader ? 'Leader' : capitalize(node.ManagerStatus?.Reachability),
      EngineVersion: node.Description?.Engine?.EngineVersion ?? '',
      Self: node.ID === self ? 'true' : 'false',
      RawID: node.ID ?? '',
    })).sort((a, b) => a.Hostname.localeCompare(b.Hostname) || a.RawID.localeCompare(b.RawID));
    await printRows(context, rows, {
      table: 'table {{.ID}}\t{{.Hostname}}\t{{.Status}}\t{{.Availability}}\t{{.ManagerStatus}}\t{{.EngineVersion}}',
      headers: { ID: 'ID', Hostname: 'HOSTNAME', Status: 'STATUS', Availability: 'AVAILABILITY', ManagerStatus: 'MANAGER STATUS', EngineVersion: 'ENGINE VERSION' },
      quietField: 'RawID',
    }, args.string('format'), args.bool('quiet'));
    return 0;
  },
};

/** `berth node inspect NODE...` (`self` is this node) */
export const nodeInspect: Command = {
  usage: '[OPTIONS] self|NODE [NODE...]',
  description: 'Display detailed information on one or more nodes',
  flags: [INSPECT_FORMAT],
  minArgs: 1,
  run(context, args) {
    const docker = context.docker();
    return inspectEach(context, args.positionals, args.string('format'), async (name) => docker.nodes.inspect(await resolveNode(docker, name)));
  },
};

/** `berth node update [--availability A] [--role R] [--label-add K=V] [--label-rm K] NODE` */
export const nodeUpdate: Command = {
  usage: '[OPTIONS] NODE',
  description: 'Update a node',
  flags: [
    { name: 'availability', type: 'string', description: 'Availability of the node ("active"|"pause"|"drain")' },
    { name: 'role', type: 'string', description: 'Role of the node ("worker"|"manager")' },
    { name: 'label-add', type: 'list', description: 'Add or update a node label (key=value)' },
    { name: 'label-rm', type: 'list', description: 'Remove a node label if exists' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const availability = args.string('availability');
    if (availability !== undefined && !['active', 'pause', 'drain'].includes(availability)) {
      throw new UsageError(`invalid argument "${availability}" for "--availability" flag: invalid availability`);
    }
    const role = args.string('role');
    if (role !== undefined && role !== 'worker' && role !== 'manager') throw new UsageError(`invalid argument "${role}" for "--role" flag: invalid role`);
    const labelsAdded = labelsFrom(args.list('label-add'));
    const labelsRemoved = args.list('label-rm');
    const docker = context.docker();
    const id = await resolveNode(docker, args.positionals[0]!);
    // The manager moves a node's version on its own (it records the node's status), so an update built on an
    // inspect made a moment before can be refused as "update out of sequence". The docker CLI gives up there;
    // the change asked for is still the same, so read the node again and apply it again, a few times.
    for (let attempt = 1; ; attempt++) {
      const node = await docker.nodes.inspect(id);
      const spec = { ...node.Spec };
      if (availability !== undefined) spec.Availability = availability as 'active' | 'pause' | 'drain';
      if (role !== undefined) spec.Role = role;
      const labels = { ...spec.Labels, ...labelsAdded };
      for (const key of labelsRemoved) delete labels[key];
      spec.Labels = labels;
      try {
        await docker.nodes.update(node.ID!, spec, { version: node.Version?.Index ?? 0 });
        break;
      } catch (error) {
        if (attempt >= 3 || !isOutOfSequence(error)) throw error;
      }
    }
    await writeLine(context.stdout, args.positionals[0]!);
    return 0;
  },
};

/** The engine's answer to an update made from an outdated version of a swarm object. */
function isOutOfSequence(error: unknown): boolean {
  return error instanceof Error && (error as { status?: unknown }).status === 500 && /update out of sequence/i.test(error.message);
}

/** `berth node rm [-f] NODE...` */
export const nodeRm: Command = {
  usage: '[OPTIONS] NODE [NODE...]',
  description: 'Remove one or more nodes from the swarm',
  flags: [{ name: 'force', short: 'f', type: 'boolean', description: 'Force remove a node from the swarm' }],
  minArgs: 1,
  run(context, args) {
    const docker = context.docker();
    return eachName(context, args.positionals, async (name) => docker.nodes.remove(await resolveNode(docker, name), { force: args.bool('force') || undefined }));
  },
};
