/**
 * The command table. To add a command, add one entry: the names it answers to (the first is the one
 * shown in help; `container ls` style names are the Docker CLI's management-command aliases), a summary,
 * and a loader. Modules are imported only when their command runs, so `berth ps` loads nothing else.
 */
import type { Command } from '../command.js';

/** One row of the command table. */
export interface CommandEntry {
  /** Every name the command answers to, e.g. `['ps', 'container ls', 'container list', 'container ps']`. */
  names: string[];
  /** One line for `berth --help`. */
  summary: string;
  load(): Promise<Command>;
}

const lifecycle = () => import('./containers-lifecycle.js');
const create = () => import('./containers-create.js');
const info = () => import('./containers-info.js');

/** Every command, in the order `berth --help` lists them. */
export const commands: CommandEntry[] = [
  { names: ['ps', 'container ls', 'container list', 'container ps'], summary: 'List containers', load: async () => (await import('./containers-list.js')).ps },
  { names: ['run', 'container run'], summary: 'Create and run a new container from an image', load: async () => (await create()).run },
  { names: ['create', 'container create'], summary: 'Create a new container', load: async () => (await create()).create },
  { names: ['start', 'container start'], summary: 'Start one or more stopped containers', load: async () => (await lifecycle()).start },
  { names: ['stop', 'container stop'], summary: 'Stop one or more running containers', load: async () => (await lifecycle()).stop },
  { names: ['restart', 'container restart'], summary: 'Restart one or more containers', load: async () => (await lifecycle()).restart },
  { names: ['kill', 'container kill'], summary: 'Kill one or more running containers', load: async () => (await lifecycle()).kill },
  { names: ['rm', 'container rm', 'container remove'], summary: 'Remove one or more containers', load: async () => (await lifecycle()).rm },
  { names: ['wait', 'container wait'], summary: 'Block until one or more containers stop, then print their exit codes', load: async () => (await lifecycle()).wait },
  { names: ['pause', 'container pause'], summary: 'Pause all processes within one or more containers', load: async () => (await lifecycle()).pause },
  { names: ['unpause', 'container unpause'], summary: 'Unpause all processes within one or more containers', load: async () => (await lifecycle()).unpause },
  { names: ['rename', 'container rename'], summary: 'Rename a container', load: async () => (await lifecycle()).rename },
  { names: ['container prune'], summary: 'Remove all stopped containers', load: async () => (await lifecycle()).prune },
  { names: ['logs', 'container logs'], summary: 'Fetch the logs of a container', load: async () => (await import('./logs.js')).logs },
  { names: ['inspect'], summary: 'Return low-level information on Docker objects', load: async () => (await info()).inspect },
  { names: ['container inspect'], summary: 'Display detailed information on one or more containers', load: async () => (await info()).containerInspect },
  { names: ['top', 'container top'], summary: 'Display the running processes of a container', load: async () => (await info()).top },
  { names: ['port', 'container port'], summary: 'List port mappings or a specific mapping for the container', load: async () => (await info()).port },
  { names: ['diff', 'container diff'], summary: 'Inspect changes to files or directories on a container\'s filesystem', load: async () => (await info()).diff },
  { names: ['export', 'container export'], summary: 'Export a container\'s filesystem as a tar archive', load: async () => (await import('./copy.js')).exportCommand },
  { names: ['cp', 'container cp'], summary: 'Copy files/folders between a container and the local filesystem', load: async () => (await import('./copy.js')).cp },
  { names: ['version'], summary: 'Show the Docker version information', load: async () => (await import('./system.js')).version },
  { names: ['info', 'system info'], summary: 'Display system-wide information', load: async () => (await import('./system.js')).info },
  { names: ['system df'], summary: 'Show docker disk usage', load: async () => (await import('./system.js')).df },
];

/** The management commands (`berth container …`, `berth system …`). */
export const groups: Record<string, string> = {
  container: 'Manage containers',
  system: 'Manage Docker',
};

/** The entry for a command name (`ps`, `container ls`), or undefined. */
export function findCommand(name: string): CommandEntry | undefined {
  return commands.find((entry) => entry.names.includes(name));
}
