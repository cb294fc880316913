/** `berth service` (create, ls, ps, inspect, logs, scale, update, rollback, rm), as the Docker CLI's. */
import { StringDecoder } from 'node:string_decoder';
import type { Docker, ServiceInfo, ServiceSpec, Task } from '../../src/index.js';
import { UsageError } from '../args.js';
import { write, writeLine, type CliContext, type Command } from '../command.js';
import { CliError, isNotFoundError } from '../errors.js';
import { humanDuration } from '../format.js';
import { ellipsis } from '../table.js';
import { parseFilters } from './filters.js';
import { INSPECT_FORMAT, eachName, inspectEach, labelsFrom, listFlags, printRows, shortId } from './objects.js';
import { SERVICE_CREATE_FLAGS, buildServiceSpec, countFlag } from './service-options.js';

const capitalize = (text: string | undefined) => (text ? text[0]!.toUpperCase() + text.slice(1) : '');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The image without its pinned digest, as `service ls` shows it. */
const imageName = (image: string | undefined) => (image ?? '').replace(/@sha256:[0-9a-f]+$/, '');

/** Waits until a service's update (or rollback) is done and its running tasks match what it wants. */
async function waitConverged(context: CliContext, docker: Docker, id: string): Promise<void> {
  for (;;) {
    const service = await docker.services.inspect(id);
    const state = service.UpdateStatus?.State;
    if (state === 'paused' || state === 'rollback_paused') {
      throw new CliError(`Error: update ${state === 'paused' ? 'paused' : 'rollback paused'}: ${service.UpdateStatus?.Message ?? ''}`);
    }
    const settled = state === undefined || state === 'completed' || state === 'rollback_completed';
    const tasks = await docker.tasks.list({ filters: { service: [service.ID!], 'desired-state': ['running'] } });
    const running = tasks.filter((task) => task.Status?.State === 'running').length;
    const wanted = service.Spec?.Mode?.Replicated ? (service.Spec.Mode.Replicated.Replicas ?? 1) : tasks.length;
    if (settled && running === wanted && tasks.length === wanted) {
      await write(context.stdout, `overall progress: ${running} out of ${wanted} tasks\nverify: Service converged\n`);
      return;
    }
    await sleep(500);
  }
}

/** `berth service create [OPTIONS] IMAGE [COMMAND] [ARG...]`: prints the new service's ID. */
export const serviceCreate: Command = {
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Create a new service',
  flags: SERVICE_CREATE_FLAGS,
  interspersed: false,
  minArgs: 1,
  async run(context, args) {
    const docker = context.docker();
    const { ID, Warnings } = await docker.services.create(await buildServiceSpec(docker, args));
    for (const warning of Warnings ?? []) await writeLine(context.stderr, warning);
    await writeLine(context.stdout, ID ?? '');
    if (!args.bool('detach')) await waitConverged(context, docker, ID!);
    return 0;
  },
};

/** `berth service ls` */
export const serviceLs: Command = {
  usage: '[OPTIONS]',
  description: 'List services',
  flags: listFlags('Only display IDs'),
  maxArgs: 0,
  async run(context, args) {
    const services = await context.docker().services.list({ filters: parseFilters(args.list('filter')), status: true });
    const rows = services.map((service) => {
      const replicated = service.Spec?.Mode?.Replicated !== undefined;
      const status = service.ServiceStatus;
      return {
        ID: shortId(service.ID),
        Name: service.Spec?.Name ?? '',
        Mode: replicated ? 'replicated' : 'global',
        Replicas: `${status?.RunningTasks ?? 0}/${status?.DesiredTasks ?? (replicated ? service.Spec?.Mode?.Replicated?.Replicas ?? 0 : 0)}`,
        Image: imageName(service.Spec?.TaskTemplate?.ContainerSpec?.Image),
        Ports: (service.Endpoint?.Ports ?? []).map((port) => `*:${port.PublishedPort}->${port.TargetPort}/${port.Protocol ?? 'tcp'}`).join(', '),
      };
    }).sort((a, b) => a.Name.localeCompare(b.Name));
    await printRows(context, rows, {
      table: 'table {{.ID}}\t{{.Name}}\t{{.Mode}}\t{{.Replicas}}\t{{.Image}}\t{{.Ports}}',
      headers: { ID: 'ID', Name: 'NAME', Mode: 'MODE', Replicas: 'REPLICAS', Image: 'IMAGE', Ports: 'PORTS' },
      quietField: 'ID',
    }, args.string('format'), args.bool('quiet'));
    return 0;
  },
};

/** `berth service ps SERVICE...` */
export const servicePs: Command = {
  usage: '[OPTIONS] SERVICE [SERVICE...]',
  description: 'List the tasks of one or more services',
  flags: [...listFlags('Only display task IDs'), { name: 'no-trunc', type: 'boolean', description: 'Do not truncate output' }],
  minArgs: 1,
  async run(context, args) {
    const docker = context.docker();
    const truncate = !args.bool('no-trunc');
    const filters = parseFilters(args.list('filter')) ?? {};
    const services = await Promise.all(args.positionals.map((name) => docker.services.inspect(name)));
    const tasks = await docker.tasks.list({ filters: { ...filters, service: services.map((service) => service.ID!) } });
    const names = new Map(services.map((service) => [service.ID!, service.Spec?.Name ?? '']));
    const nodeNames = new Map<string, string>();
    for (const nodeId of new Set(tasks.map((task) => task.NodeID).filter((id): id is string => !!id))) {
      nodeNames.set(nodeId, await docker.nodes.inspect(nodeId).then((node) => node.Description?.Hostname ?? nodeId, () => nodeId));
    }
    const now = Date.now();
    const taskName = (task: Task) => `${names.get(task.ServiceID ?? '') ?? ''}.${task.Slot ?? task.NodeID}`;
    // Per slot, the newest task first; older ones of the same slot are shown as its history (" \_ ").
    const sorted = [...tasks].sort((a, b) => taskName(a).localeCompare(taskName(b), undefined, { numeric: true })
      || Date.parse(b.CreatedAt ?? '') - Date.parse(a.CreatedAt ?? ''));
    let previous = '';
    const rows = sorted.map((task) => {
      const name = taskName(task);
      const shown = name === previous ? ` \\_ ${name}` : name;
      previous = name;
      const since = task.Status?.Timestamp ? ` ${humanDuration(now - Date.parse(task.Status.Timestamp))} ago` : '';
      const error = task.Status?.Err ? `"${truncate ? ellipsis(task.Status.Err, 29) : task.Status.Err}"` : '';
      return {
        ID: shortId(task.ID, truncate),
        Name: shown,
        Image: imageName(task.Spec?.ContainerSpec?.Image),
        Node: nodeNames.get(task.NodeID ?? '') ?? '',
        DesiredState: capitalize(task.DesiredState),
        CurrentState: `${capitalize(task.Status?.State)}${since}`,
        Error: error,
        Ports: (task.Status?.PortStatus?.Ports ?? []).map((port) => `*:${port.PublishedPort}->${port.TargetPort}/${port.Protocol ?? 'tcp'}`).join(', '),
      };
    });
    await printRows(context, rows, {
      table: 'table {{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Ports}}',
      headers: { ID: 'ID', Name: 'NAME', Image: 'IMAGE', Node: 'NODE', DesiredState: 'DESIRED STATE', CurrentState: 'CURRENT STATE', Error: 'ERROR', Ports: 'PORTS' },
      quietField: 'ID',
    }, args.string('format'), args.bool('quiet'));
    return 0;
  },
};

/** `berth service inspect SERVICE...` */
export const serviceInspect: Command = {
  usage: '[OPTIONS] SERVICE [SERVICE...]',
  description: 'Display detailed information on one or more services',
  flags: [INSPECT_FORMAT],
  minArgs: 1,
  run(context, args) {
    const docker = context.docker();
    return inspectEach(context, args.positionals, args.string('format'), (name) => docker.services.inspect(name));
  },
};

/** Splits `attr=v,attr=v message` (a log line asked for with `details`) into the swarm context and the message. */
function splitDetails(line: string): { attributes: Record<string, string>; message: string } {
  const space = line.indexOf(' ');
  const head = space < 0 ? line : line.slice(0, space);
  if (!head.includes('com.docker.swarm.')) return { attributes: {}, message: line };
  const attributes: Record<string, string> = {};
  for (const pair of head.split(',')) {
    const equals = pair.indexOf('=');
    if (equals > 0) attributes[decodeURIComponent(pair.slice(0, equals))] = decodeURIComponent(pair.slice(equals + 1));
  }
  return { attributes, message: space < 0 ? '' : line.slice(space + 1) };
}

/** `berth service logs [OPTIONS] SERVICE|TASK`: lines prefixed with `name.slot.task@node    | ` unless `--raw`. */
export const serviceLogs: Command = {
  usage: '[OPTIONS] SERVICE|TASK',
  description: 'Fetch the logs of a service or task',
  flags: [
    { name: 'follow', short: 'f', type: 'boolean', description: 'Follow log output' },
    { name: 'tail', short: 'n', type: 'string', description: 'Number of lines to show from the end of the logs', defaultText: '"all"' },
    { name: 'timestamps', short: 't', type: 'boolean', description: 'Show timestamps' },
    { name: 'raw', type: 'boolean', description: 'Do not neatly format logs' },
    { name: 'no-task-ids', type: 'boolean', description: 'Do not include task IDs in output' },
    { name: 'no-trunc', type: 'boolean', description: 'Do not truncate output' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const docker = context.docker();
    const target = args.positionals[0]!;
    const query = { stdout: true, stderr: true, details: true, follow: args.bool('follow') || undefined, tail: args.string('tail'), timestamps: args.bool('timestamps') || undefined };
    let frames;
    let serviceName: string | undefined;
    try {
      serviceName = (await docker.services.inspect(target)).Spec?.Name;
      frames = docker.services.logs(target, query);
    } catch (error) {
      if (!isNotFoundError(error)) throw error;
      frames = docker.tasks.logs(target, query);
    }
    const prefixes = new Map<string, string>();
    const prefixFor = async (attributes: Record<string, string>): Promise<string> => {
      const taskId = attributes['com.docker.swarm.task.id'] ?? '';
      let prefix = prefixes.get(taskId);
      if (prefix === undefined) {
        const task = await docker.tasks.inspect(taskId).catch(() => undefined);
        const service = serviceName ?? (task?.ServiceID ? (await docker.services.inspect(task.ServiceID)).Spec?.Name : '') ?? '';
        const node = attributes['com.docker.swarm.node.id'] ?? '';
        const host = await docker.nodes.inspect(node).then((n) => n.Description?.Hostname ?? node, () => node);
        const slot = task?.Slot !== undefined ? String(task.Slot) : node;
        const id = args.bool('no-task-ids') ? '' : `.${args.bool('no-trunc') ? taskId : taskId.slice(0, 12)}`;
        prefix = `${service}.${slot}${id}@${host}`;
        prefixes.set(taskId, prefix);
      }
      return prefix;
    };
    // A frame is not a line: the demultiplexer gathers consecutive frames of one stream that arrived together, and
    // splits a long one. Lines are cut here, per stream, and an unfinished last line is written at the end.
    const pending: Record<string, string> = { stdout: '', stderr: '' };
    const decoders: Record<string, StringDecoder> = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    const lines = async function* (): AsyncGenerator<{ stream: string; line: string }> {
      for await (const frame of frames) {
        const text = pending[frame.stream] + decoders[frame.stream]!.write(Buffer.from(frame.data));
        let start = 0;
        for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
          yield { stream: frame.stream, line: text.slice(start, end + 1) };
          start = end + 1;
        }
        pending[frame.stream] = text.slice(start);
      }
      for (const [stream, rest] of Object.entries(pending)) if (rest) yield { stream, line: rest };
    };
    for await (const { stream, line: whole } of lines()) {
      let line = whole;
      let timestamp = '';
      if (query.timestamps) {
        const space = line.indexOf(' ');
        timestamp = line.slice(0, space + 1);
        line = line.slice(space + 1);
      }
      const { attributes, message } = splitDetails(line);
      const out = args.bool('raw') ? `${timestamp}${message}` : `${await prefixFor(attributes)}    | ${timestamp}${message}`;
      await write(stream === 'stderr' ? context.stderr : context.stdout, out);
    }
    return 0;
  },
};

/** Updates a service's spec through `change`, with the version it was read at. */
async function updateSpec(context: CliContext, docker: Docker, name: string, change: (spec: ServiceSpec, service: ServiceInfo) => ServiceSpec, rollback = false): Promise<ServiceInfo> {
  const service = await docker.services.inspect(name);
  const spec = change(structuredClone(service.Spec ?? {}), service);
  const { Warnings } = await docker.services.update(service.ID!, spec, { version: service.Version?.Index ?? 0, rollback: rollback ? 'previous' : undefined });
  for (const warning of Warnings ?? []) await writeLine(context.stderr, warning);
  return service;
}

/** `berth service scale SERVICE=REPLICAS...` */
export const serviceScale: Command = {
  usage: '[OPTIONS] SERVICE=REPLICAS [SERVICE=REPLICAS...]',
  description: 'Scale one or multiple replicated services',
  flags: [{ name: 'detach', short: 'd', type: 'boolean', description: 'Exit immediately instead of waiting for the service to converge' }],
  minArgs: 1,
  async run(context, args) {
    const docker = context.docker();
    const requests = args.positionals.map((spec) => {
      const match = /^(.+)=(\d+)$/.exec(spec);
      if (!match) throw new UsageError(`invalid scale specifier '${spec}'.\nSee 'berth service scale --help'.`, 1);
      return { name: match[1]!, replicas: Number(match[2]) };
    });
    let failed = 0;
    const scaled: string[] = [];
    for (const { name, replicas } of requests) {
      try {
        const service = await updateSpec(context, docker, name, (spec) => {
          if (!spec.Mode?.Replicated) throw new CliError(`Error: scale can only be used with replicated mode`);
          spec.Mode.Replicated.Replicas = replicas;
          return spec;
        });
        await writeLine(context.stdout, `${name} scaled to ${replicas}`);
        scaled.push(service.ID!);
      } catch (error) {
        failed++;
        await writeLine(context.stderr, error instanceof CliError ? error.message : `Error response from daemon: ${(error as Error).message}`);
      }
    }
    if (!args.bool('detach')) for (const id of scaled) await waitConverged(context, docker, id);
    return failed ? 1 : 0;
  },
};

/** `berth service update [OPTIONS] SERVICE` */
export const serviceUpdate: Command = {
  usage: '[OPTIONS] SERVICE',
  description: 'Update a service',
  flags: [
    { name: 'image', type: 'string', description: 'Service image tag' },
    { name: 'replicas', type: 'string', valueName: 'uint', description: 'Number of tasks' },
    { name: 'env-add', type: 'list', description: 'Add or update an environment variable' },
    { name: 'env-rm', type: 'list', description: 'Remove an environment variable' },
    { name: 'label-add', type: 'list', description: 'Add or update a service label' },
    { name: 'label-rm', type: 'list', description: 'Remove a label by its key' },
    { name: 'args', type: 'string', valueName: 'command', description: 'Service command args (split on spaces)' },
    { name: 'force', type: 'boolean', description: 'Force update even if no changes require it' },
    { name: 'rollback', type: 'boolean', description: 'Rollback to previous specification' },
    { name: 'detach', short: 'd', type: 'boolean', description: 'Exit immediately instead of waiting for the service to converge' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const docker = context.docker();
    const name = args.positionals[0]!;
    const replicas = countFlag(args, 'replicas');
    const service = await updateSpec(context, docker, name, (spec) => {
      const container = (spec.TaskTemplate ??= {}).ContainerSpec ??= {};
      const image = args.string('image');
      if (image) container.Image = image;
      if (replicas !== undefined) {
        if (!spec.Mode?.Replicated) throw new UsageError('replicas can only be used with replicated mode', 1);
        spec.Mode.Replicated.Replicas = replicas;
      }
      const removed = new Set(args.list('env-rm'));
      const added = args.list('env-add');
      const addedNames = new Set(added.map((entry) => entry.split('=')[0]));
      const env = (container.Env ?? []).filter((entry) => {
        const key = entry.split('=')[0]!;
        return !removed.has(key) && !addedNames.has(key);
      });
      container.Env = [...env, ...added];
      const labels = { ...spec.Labels, ...labelsFrom(args.list('label-add')) };
      for (const key of args.list('label-rm')) delete labels[key];
      spec.Labels = labels;
      const commandArgs = args.string('args');
      if (commandArgs !== undefined) container.Args = commandArgs.split(/\s+/).filter(Boolean);
      if (args.bool('force')) spec.TaskTemplate.ForceUpdate = (spec.TaskTemplate.ForceUpdate ?? 0) + 1;
      return spec;
    }, args.bool('rollback'));
    await writeLine(context.stdout, name);
    if (args.bool('rollback') && !args.bool('detach')) await writeLine(context.stdout, 'rollback: manually requested rollback');
    if (!args.bool('detach')) await waitConverged(context, docker, service.ID!);
    return 0;
  },
};

/** `berth service rollback [-d] SERVICE`: back to the spec before the last update. */
export const serviceRollback: Command = {
  usage: '[OPTIONS] SERVICE',
  description: 'Revert changes to a service\'s configuration',
  flags: [{ name: 'detach', short: 'd', type: 'boolean', description: 'Exit immediately instead of waiting for the service to converge' }],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const docker = context.docker();
    const name = args.positionals[0]!;
    const service = await updateSpec(context, docker, name, (spec, current) => {
      if (!current.PreviousSpec) throw new CliError(`Error response from daemon: service ${name} does not have a previous spec`);
      return spec;
    }, true);
    await writeLine(context.stdout, name);
    if (!args.bool('detach')) {
      await writeLine(context.stdout, 'rollback: manually requested rollback');
      await waitConverged(context, docker, service.ID!);
    }
    return 0;
  },
};

/** `berth service rm SERVICE...` */
export const serviceRm: Command = {
  usage: 'SERVICE [SERVICE...]',
  description: 'Remove one or more services',
  flags: [],
  minArgs: 1,
  run(context, args) {
    const docker = context.docker();
    return eachName(context, args.positionals, (name) => docker.services.remove(name));
  },
};
