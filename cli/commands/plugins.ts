/** `berth plugin` (ls, create, enable, disable, inspect, rm), as the Docker CLI's. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeLine, type Command } from '../command.js';
import { CliError } from '../errors.js';
import { parseFilters } from './filters.js';
import { INSPECT_FORMAT, eachName, inspectEach, listFlags, printRows, shortId } from './objects.js';

/** `berth plugin ls` */
export const pluginLs: Command = {
  usage: '[OPTIONS]',
  description: 'List plugins',
  flags: [...listFlags('Only display plugin IDs'), { name: 'no-trunc', type: 'boolean', description: 'Don\'t truncate output' }],
  maxArgs: 0,
  async run(context, args) {
    const plugins = await context.docker().plugins.list({ filters: parseFilters(args.list('filter')) });
    const truncate = !args.bool('no-trunc');
    const rows = plugins.map((plugin) => ({
      ID: shortId(plugin.Id, truncate),
      Name: plugin.Name,
      Description: plugin.Config.Description,
      Enabled: String(plugin.Enabled),
    })).sort((a, b) => a.Name.localeCompare(b.Name));
    await printRows(context, rows, {
      table: 'table {{.ID}}\t{{.Name}}\t{{.Description}}\t{{.Enabled}}',
      headers: { ID: 'ID', Name: 'NAME', Description: 'DESCRIPTION', Enabled: 'ENABLED' },
      quietField: 'ID',
    }, args.string('format'), args.bool('quiet'));
    return 0;
  },
};

/** `berth plugin create PLUGIN DIR`: DIR holds `config.json` and `rootfs/`. Prints the plugin's name. */
export const pluginCreate: Command = {
  usage: '[OPTIONS] PLUGIN PLUGIN-DATA-DIR',
  description: 'Create a plugin from a rootfs and configuration. Plugin data directory must contain config.json and rootfs directory.',
  flags: [],
  minArgs: 2,
  maxArgs: 2,
  async run(context, args) {
    const [name, dir] = args.positionals as [string, string];
    for (const [entry, kind] of [['config.json', 'file'], ['rootfs', 'directory']] as const) {
      const found = await stat(join(dir, entry)).catch(() => undefined);
      if (!found || (kind === 'file' ? !found.isFile() : !found.isDirectory())) {
        throw new CliError(`Error: ${kind === 'file' ? 'config file' : 'rootfs'} "${join(dir, entry)}" does not exist or is not a ${kind}`);
      }
    }
    // Loaded here only: tar-stream is the CLI's (cp) dependency, not needed by other commands.
    const { packPath } = await import('../archive.js');
    await context.docker().plugins.create(packPath(dir, '.', { bytes: 0 }), { name });
    await writeLine(context.stdout, name);
    return 0;
  },
};

/** `berth plugin enable [--timeout N] PLUGIN` */
export const pluginEnable: Command = {
  usage: '[OPTIONS] PLUGIN',
  description: 'Enable a plugin',
  flags: [{ name: 'timeout', type: 'string', valueName: 'int', description: 'HTTP client timeout (in seconds)', defaultText: '30' }],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const timeout = args.integer('timeout') ?? 30;
    if (timeout < 0) throw new CliError('Error: negative timeout -1 is invalid');
    await context.docker().plugins.enable(args.positionals[0]!, { timeout });
    await writeLine(context.stdout, args.positionals[0]!);
    return 0;
  },
};

/** `berth plugin disable [-f] PLUGIN` */
export const pluginDisable: Command = {
  usage: '[OPTIONS] PLUGIN',
  description: 'Disable a plugin',
  flags: [{ name: 'force', short: 'f', type: 'boolean', description: 'Force the disable of an active plugin' }],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    await context.docker().plugins.disable(args.positionals[0]!, { force: args.bool('force') || undefined });
    await writeLine(context.stdout, args.positionals[0]!);
    return 0;
  },
};

/** `berth plugin inspect PLUGIN...` */
export const pluginInspect: Command = {
  usage: '[OPTIONS] PLUGIN [PLUGIN...]',
  description: 'Display detailed information on one or more plugins',
  flags: [INSPECT_FORMAT],
  minArgs: 1,
  run(context, args) {
    const docker = context.docker();
    return inspectEach(context, args.positionals, args.string('format'), (name) => docker.plugins.inspect(name));
  },
};

/** `berth plugin rm [-f] PLUGIN...` */
export const pluginRm: Command = {
  usage: '[OPTIONS] PLUGIN [PLUGIN...]',
  description: 'Remove one or more plugins',
  flags: [{ name: 'force', short: 'f', type: 'boolean', description: 'Force the removal of an active plugin' }],
  minArgs: 1,
  run(context, args) {
    const docker = context.docker();
    return eachName(context, args.positionals, (name) => docker.plugins.remove(name, { force: args.bool('force') || undefined }));
  },
};
