/**
 * Commands that change a container's state: start, stop, restart, kill, rm, wait, pause, unpause, rename,
 * container prune. Those that take several containers report each one as the Docker CLI does: the name
 * or ID as given on stdout for each success, an error line on stderr for each failure, exit 1 if any failed.
 */
import type { FlagSpec, ParsedArgs } from '../args.js';
import { writeLine, type CliContext, type Command } from '../command.js';
import { confirm } from '../confirm.js';
import { CliError, errorMessage } from '../errors.js';
import { humanSize } from '../format.js';
import { parseFilters } from './filters.js';

/** Runs `action` on each container in turn; prints each success (unless `quiet`) and each failure. */
async function forEachContainer(
  context: CliContext,
  ids: readonly string[],
  action: (id: string) => Promise<string | void>,
): Promise<string[]> {
  const failed: string[] = [];
  for (const id of ids) {
    try {
      const printed = await action(id);
      await writeLine(context.stdout, printed ?? id);
    } catch (error) {
      failed.push(id);
      await writeLine(context.stderr, errorMessage(error));
    }
  }
  return failed;
}

function multiContainerCommand(description: string, flags: FlagSpec[], action: (context: CliContext, args: ParsedArgs, id: string) => Promise<string | void>): Command {
  return {
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    description,
    flags,
    minArgs: 1,
    async run(context, args) {
      const failed = await forEachContainer(context, args.positionals, (id) => action(context, args, id));
      return failed.length ? 1 : 0;
    },
  };
}

const STOP_FLAGS: FlagSpec[] = [
  { name: 'signal', short: 's', type: 'string', description: 'Signal to send to the container' },
  { name: 'timeout', short: 't', type: 'string', valueName: 'int', description: 'Seconds to wait before killing the container' },
  { name: 'time', type: 'string', valueName: 'int', description: 'Seconds to wait before killing the container (deprecated: use --timeout)' },
];

function stopQuery(args: ParsedArgs): { t?: number; signal?: string } {
  const t = args.integer('timeout') ?? args.integer('time');
  return { t, signal: args.string('signal') };
}

/** `berth start CONTAINER...`: starting a running container succeeds, as with the Docker CLI. */
export const start: Command = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Start one or more stopped containers',
  flags: [
    { name: 'attach', short: 'a', type: 'boolean', description: 'Attach STDOUT/STDERR and forward signals' },
    { name: 'interactive', short: 'i', type: 'boolean', description: 'Attach container\'s STDIN' },
  ],
  minArgs: 1,
  async run(context, args) {
    if (args.bool('attach') || args.bool('interactive')) {
      if (args.positionals.length > 1) throw new CliError('Error: you cannot start and attach multiple containers at once', 1);
      const { startAttached } = await import('./interactive.js');
      return (await startAttached(context, args.positionals[0]!, { stdin: args.bool('interactive'), signals: true })).exitCode;
    }
    const docker = context.docker();
    const failed = await forEachContainer(context, args.positionals, async (id) => { await docker.containers.start(id); });
    if (failed.length) {
      await writeLine(context.stderr, `Error: failed to start containers: ${failed.join(', ')}`);
      return 1;
    }
    return 0;
  },
};

/** `berth stop [-t N] [-s SIGNAL] CONTAINER...` */
export const stop = multiContainerCommand('Stop one or more running containers', STOP_FLAGS, async (context, args, id) => {
  await context.docker().containers.stop(id, stopQuery(args));
});

/** `berth restart [-t N] [-s SIGNAL] CONTAINER...` */
export const restart = multiContainerCommand('Restart one or more containers', STOP_FLAGS, async (context, args, id) => {
  await context.docker().containers.restart(id, stopQuery(args));
});

/** `berth kill [-s SIGNAL] CONTAINER...` */
export const kill = multiContainerCommand('Kill one or more running containers', [
  { name: 'signal', short: 's', type: 'string', description: 'Signal to send to the container' },
], async (context, args, id) => {
  await context.docker().containers.kill(id, { signal: args.string('signal') });
});

/** `berth rm [-f] [-v] CONTAINER...` */
export const rm = multiContainerCommand('Remove one or more containers', [
  { name: 'force', short: 'f', type: 'boolean', description: 'Force the removal of a running container (uses SIGKILL)' },
  { name: 'volumes', short: 'v', type: 'boolean', description: 'Remove anonymous volumes associated with the container' },
  { name: 'link', short: 'l', type: 'boolean', description: 'Remove the specified link' },
], async (context, args, id) => {
  await context.docker().containers.remove(id, { force: args.bool('force'), v: args.bool('volumes'), link: args.bool('link') });
});

/** `berth wait CONTAINER...`: prints each exit code. */
export const wait = multiContainerCommand('Block until one or more containers stop, then print their exit codes', [], async (context, _args, id) => {
  const result = await context.docker().containers.wait(id);
  return String(result.StatusCode);
});

/** `berth pause CONTAINER...` */
export const pause = multiContainerCommand('Pause all processes within one or more containers', [], async (context, _args, id) => {
  await context.docker().containers.pause(id);
});

/** `berth unpause CONTAINER...` */
export const unpause = multiContainerCommand('Unpause all processes within one or more containers', [], async (context, _args, id) => {
  await context.docker().containers.unpause(id);
});

/** `berth rename CONTAINER NEW_NAME` */
export const rename: Command = {
  usage: 'CONTAINER NEW_NAME',
  description: 'Rename a container',
  flags: [],
  minArgs: 2,
  maxArgs: 2,
  async run(context, args) {
    const [oldName, newName] = args.positionals as [string, string];
    if (!newName.trim()) throw new CliError('Error: Neither old nor new names may be empty');
    try {
      await context.docker().containers.rename(oldName, { name: newName });
    } catch (error) {
      throw new CliError(`${errorMessage(error)}\nError: failed to rename container named ${oldName}`);
    }
    return 0;
  },
};

/** `berth container prune [-f] [--filter k=v]` */
export const prune: Command = {
  usage: '[OPTIONS]',
  description: 'Remove all stopped containers',
  flags: [
    { name: 'force', short: 'f', type: 'boolean', description: 'Do not prompt for confirmation' },
    { name: 'filter', type: 'list', valueName: 'filter', description: 'Provide filter values (e.g. "until=<timestamp>")' },
  ],
  maxArgs: 0,
  async run(context, args) {
    if (!(await confirm(context, 'WARNING! This will remove all stopped containers.', args.bool('force')))) return 0;
    const result = await context.docker().containers.prune({ filters: parseFilters(args.list('filter')) });
    const deleted = result.ContainersDeleted ?? [];
    if (deleted.length) await writeLine(context.stdout, `Deleted Containers:\n${deleted.join('\n')}\n`);
    await writeLine(context.stdout, `Total reclaimed space: ${humanSize(result.SpaceReclaimed ?? 0)}`);
    return 0;
  },
};

