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
const networks = () => import('./networks.js');
const volumes = () => import('./volumes.js');
const swarm = () => import('./swarm.js');
const services = () => import('./services.js');
const secretsConfigs = () => import('./secrets-configs.js');
const plugins = () => import('./plugins.js');
const contexts = () => import('./context.js');
const imageCommands = () => import('./images.js');
const transfer = () => import('./image-transfer.js');
const loginCommands = () => import('./login.js');

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
  { names: ['exec', 'container exec'], summary: 'Execute a command in a running container', load: async () => (await import('./interactive.js')).exec },
  { names: ['attach', 'container attach'], summary: 'Attach local standard input, output, and error streams to a running container', load: async () => (await import('./interactive.js')).attach },
  { names: ['stats', 'container stats'], summary: 'Display a live stream of container(s) resource usage statistics', load: async () => (await import('./monitor.js')).stats },
  { names: ['events', 'system events'], summary: 'Get real time events from the server', load: async () => (await import('./monitor.js')).events },
  { names: ['images', 'image ls', 'image list'], summary: 'List images', load: async () => (await imageCommands()).images },
  { names: ['pull', 'image pull'], summary: 'Download an image from a registry', load: async () => (await transfer()).pull },
  { names: ['push', 'image push'], summary: 'Upload an image to a registry', load: async () => (await transfer()).push },
  { names: ['build', 'image build'], summary: 'Build an image from a Dockerfile', load: async () => (await import('./build.js')).build },
  { names: ['tag', 'image tag'], summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', load: async () => (await imageCommands()).tag },
  { names: ['rmi', 'image rm', 'image remove'], summary: 'Remove one or more images', load: async () => (await imageCommands()).rmi },
  { names: ['history', 'image history'], summary: 'Show the history of an image', load: async () => (await imageCommands()).history },
  { names: ['image inspect'], summary: 'Display detailed information on one or more images', load: async () => (await imageCommands()).imageInspect },
  { names: ['image prune'], summary: 'Remove unused images', load: async () => (await imageCommands()).imagePrune },
  { names: ['save', 'image save'], summary: 'Save one or more images to a tar archive (streamed to STDOUT by default)', load: async () => (await transfer()).save },
  { names: ['load', 'image load'], summary: 'Load an image from a tar archive or STDIN', load: async () => (await transfer()).load },
  { names: ['import', 'image import'], summary: 'Import the contents from a tarball to create a filesystem image', load: async () => (await transfer()).importCommand },
  { names: ['commit', 'container commit'], summary: 'Create a new image from a container\'s changes', load: async () => (await transfer()).commit },
  { names: ['search'], summary: 'Search Docker Hub for images', load: async () => (await imageCommands()).search },
  { names: ['login'], summary: 'Log in to a registry', load: async () => (await loginCommands()).login },
  { names: ['logout'], summary: 'Log out from a registry', load: async () => (await loginCommands()).logout },
  { names: ['version'], summary: 'Show the Docker version information', load: async () => (await import('./system.js')).version },
  { names: ['info', 'system info'], summary: 'Display system-wide information', load: async () => (await import('./system.js')).info },
  { names: ['system df'], summary: 'Show docker disk usage', load: async () => (await import('./system.js')).df },
  { names: ['network ls', 'network list'], summary: 'List networks', load: async () => (await networks()).networkLs },
  { names: ['network create'], summary: 'Create a network', load: async () => (await networks()).networkCreate },
  { names: ['network inspect'], summary: 'Display detailed information on one or more networks', load: async () => (await networks()).networkInspect },
  { names: ['network connect'], summary: 'Connect a container to a network', load: async () => (await networks()).networkConnect },
  { names: ['network disconnect'], summary: 'Disconnect a container from a network', load: async () => (await networks()).networkDisconnect },
  { names: ['network rm', 'network remove'], summary: 'Remove one or more networks', load: async () => (await networks()).networkRm },
  { names: ['network prune'], summary: 'Remove all unused networks', load: async () => (await networks()).networkPrune },
  { names: ['volume ls', 'volume list'], summary: 'List volumes', load: async () => (await volumes()).volumeLs },
  { names: ['volume create'], summary: 'Create a volume', load: async () => (await volumes()).volumeCreate },
  { names: ['volume inspect'], summary: 'Display detailed information on one or more volumes', load: async () => (await volumes()).volumeInspect },
  { names: ['volume rm', 'volume remove'], summary: 'Remove one or more volumes', load: async () => (await volumes()).volumeRm },
  { names: ['volume prune'], summary: 'Remove unused local volumes', load: async () => (await volumes()).volumePrune },
  { names: ['swarm init'], summary: 'Initialize a swarm', load: async () => (await swarm()).swarmInit },
  { names: ['swarm join'], summary: 'Join a swarm as a node and/or manager', load: async () => (await swarm()).swarmJoin },
  { names: ['swarm join-token'], summary: 'Manage join tokens', load: async () => (await swarm()).swarmJoinToken },
  { names: ['swarm leave'], summary: 'Leave the swarm', load: async () => (await swarm()).swarmLeave },
  { names: ['swarm unlock'], summary: 'Unlock swarm', load: async () => (await swarm()).swarmUnlock },
  { names: ['swarm unlock-key'], summary: 'Manage the unlock key', load: async () => (await swarm()).swarmUnlockKey },
  { names: ['node ls', 'node list'], summary: 'List nodes in the swarm', load: async () => (await swarm()).nodeLs },
  { names: ['node inspect'], summary: 'Display detailed information on one or more nodes', load: async () => (await swarm()).nodeInspect },
  { names: ['node update'], summary: 'Update a node', load: async () => (await swarm()).nodeUpdate },
  { names: ['node rm', 'node remove'], summary: 'Remove one or more nodes from the swarm', load: async () => (await swarm()).nodeRm },
  { names: ['service create'], summary: 'Create a new service', load: async () => (await services()).serviceCreate },
  { names: ['service ls', 'service list'], summary: 'List services', load: async () => (await services()).serviceLs },
  { names: ['service ps'], summary: 'List the tasks of one or more services', load: async () => (await services()).servicePs },
  { names: ['service inspect'], summary: 'Display detailed information on one or more services', load: async () => (await services()).serviceInspect },
  { names: ['service logs'], summary: 'Fetch the logs of a service or task', load: async () => (await services()).serviceLogs },
  { names: ['service scale'], summary: 'Scale one or multiple replicated services', load: async () => (await services()).serviceScale },
  { names: ['service update'], summary: 'Update a service', load: async () => (await services()).serviceUpdate },
  { names: ['service rollback'], summary: 'Revert changes to a service\'s configuration', load: async () => (await services()).serviceRollback },
  { names: ['service rm', 'service remove'], summary: 'Remove one or more services', load: async () => (await services()).serviceRm },
  { names: ['secret create'], summary: 'Create a secret from a file or STDIN as content', load: async () => (await secretsConfigs()).secretCreate },
  { names: ['secret ls', 'secret list'], summary: 'List secrets', load: async () => (await secretsConfigs()).secretLs },
  { names: ['secret inspect'], summary: 'Display detailed information on one or more secrets', load: async () => (await secretsConfigs()).secretInspect },
  { names: ['secret rm', 'secret remove'], summary: 'Remove one or more secrets', load: async () => (await secretsConfigs()).secretRm },
  { names: ['config create'], summary: 'Create a config from a file or STDIN as content', load: async () => (await secretsConfigs()).configCreate },
  { names: ['config ls', 'config list'], summary: 'List configs', load: async () => (await secretsConfigs()).configLs },
  { names: ['config inspect'], summary: 'Display detailed information on one or more configs', load: async () => (await secretsConfigs()).configInspect },
  { names: ['config rm', 'config remove'], summary: 'Remove one or more configs', load: async () => (await secretsConfigs()).configRm },
  { names: ['plugin ls', 'plugin list'], summary: 'List plugins', load: async () => (await plugins()).pluginLs },
  { names: ['plugin create'], summary: 'Create a plugin from a rootfs and configuration', load: async () => (await plugins()).pluginCreate },
  { names: ['plugin enable'], summary: 'Enable a plugin', load: async () => (await plugins()).pluginEnable },
  { names: ['plugin disable'], summary: 'Disable a plugin', load: async () => (await plugins()).pluginDisable },
  { names: ['plugin inspect'], summary: 'Display detailed information on one or more plugins', load: async () => (await plugins()).pluginInspect },
  { names: ['plugin rm', 'plugin remove'], summary: 'Remove one or more plugins', load: async () => (await plugins()).pluginRm },
  { names: ['context create'], summary: 'Create a context', load: async () => (await contexts()).create },
  { names: ['context inspect'], summary: 'Display detailed information on one or more contexts', load: async () => (await contexts()).inspect },
  { names: ['context ls', 'context list'], summary: 'List contexts', load: async () => (await contexts()).ls },
  { names: ['context rm', 'context remove'], summary: 'Remove one or more contexts', load: async () => (await contexts()).rm },
  { names: ['context show'], summary: 'Print the name of the current context', load: async () => (await contexts()).show },
  { names: ['context use'], summary: 'Set the current docker context', load: async () => (await contexts()).use },
];

/** The management commands (`berth container …`, `berth system …`). */
export const groups: Record<string, string> = {
  container: 'Manage containers',
  context: 'Manage contexts',
  image: 'Manage images',
  system: 'Manage Docker',
  network: 'Manage networks',
  volume: 'Manage volumes',
  swarm: 'Manage Swarm',
  node: 'Manage Swarm nodes',
  service: 'Manage Swarm services',
  secret: 'Manage Swarm secrets',
  config: 'Manage Swarm configs',
  plugin: 'Manage plugins',
};

/** The entry for a command name (`ps`, `container ls`), or undefined. */
export function findCommand(name: string): CommandEntry | undefined {
  return commands.find((entry) => entry.names.includes(name));
}
