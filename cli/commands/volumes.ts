/** `berth volume` (ls, create, inspect, rm, prune), as the Docker CLI's. */
import { writeLine, type Command } from '../command.js';
import { humanSize } from '../format.js';
import { parseFilters } from './filters.js';
import { confirm } from '../confirm.js';
import { INSPECT_FORMAT, eachName, inspectEach, labelsFrom, listFlags, printRows } from './objects.js';

/** `berth volume ls` */
export const volumeLs: Command = {
  usage: '[OPTIONS]',
  description: 'List volumes',
  flags: listFlags('Only display volume names'),
  maxArgs: 0,
  async run(context, args) {
    const { Volumes } = await context.docker().volumes.list({ filters: parseFilters(args.list('filter')) });
    const rows = Volumes.map((volume) => ({ Driver: volume.Driver, Name: volume.Name, Scope: volume.Scope ?? 'local', Mountpoint: volume.Mountpoint }))
      .sort((a, b) => a.Name.localeCompare(b.Name));
    await printRows(context, rows, {
      table: 'table {{.Driver}}\t{{.Name}}',
      headers: { Driver: 'DRIVER', Name: 'VOLUME NAME', Scope: 'SCOPE', Mountpoint: 'MOUNTPOINT' },
      quietField: 'Name',
    }, args.string('format'), args.bool('quiet'));
    return 0;
  },
};

/** `berth volume create [OPTIONS] [VOLUME]`: prints the volume's name. */
export const volumeCreate: Command = {
  usage: '[OPTIONS] [VOLUME]',
  description: 'Create a volume',
  flags: [
    { name: 'driver', short: 'd', type: 'string', description: 'Specify volume driver name', defaultText: '"local"' },
    { name: 'label', type: 'list', description: 'Set metadata for a volume' },
    { name: 'opt', short: 'o', type: 'list', valueName: 'map', description: 'Set driver specific options' },
    { name: 'name', type: 'string', description: 'Specify volume name' },
  ],
  maxArgs: 1,
  async run(context, args) {
    const volume = await context.docker().volumes.create({
      Name: args.positionals[0] ?? args.string('name'),
      Driver: args.string('driver'),
      Labels: labelsFrom(args.list('label')),
      DriverOpts: labelsFrom(args.list('opt')),
    });
    await writeLine(context.stdout, volume.Name);
    return 0;
  },
};

/** `berth volume inspect VOLUME...` */
export const volumeInspect: Command = {
  usage: '[OPTIONS] VOLUME [VOLUME...]',
  description: 'Display detailed information on one or more volumes',
  flags: [INSPECT_FORMAT],
  minArgs: 1,
  run(context, args) {
    const docker = context.docker();
    return inspectEach(context, args.positionals, args.string('format'), (name) => docker.volumes.inspect(name));
  },
};

/** `berth volume rm [-f] VOLUME...` */
export const volumeRm: Command = {
  usage: '[OPTIONS] VOLUME [VOLUME...]',
  description: 'Remove one or more volumes',
  flags: [{ name: 'force', short: 'f', type: 'boolean', description: 'Force the removal of one or more volumes' }],
  minArgs: 1,
  run(context, args) {
    const docker = context.docker();
    return eachName(context, args.positionals, (name) => docker.volumes.remove(name, { force: args.bool('force') || undefined }));
  },
};

/** `berth volume prune [-f] [-a] [--filter F]` */
export const volumePrune: Command = {
  usage: '[OPTIONS]',
  description: 'Remove unused local volumes',
  flags: [
    { name: 'all', short: 'a', type: 'boolean', description: 'Remove all unused volumes, not just anonymous ones (API 1.42+)' },
    { name: 'filter', type: 'list', valueName: 'filter', description: 'Provide filter values (e.g. "label=<label>")' },
    { name: 'force', short: 'f', type: 'boolean', description: 'Do not prompt for confirmation' },
  ],
  maxArgs: 0,
  async run(context, args) {
    if (!(await confirm(context, 'WARNING! This will remove all local volumes not used by at least one container.', args.bool('force')))) return 0;
    const filters = parseFilters(args.list('filter')) ?? {};
    if (args.bool('all')) filters.all = ['true'];
    const result = await context.docker().volumes.prune({ filters });
    if (result.VolumesDeleted.length) await writeLine(context.stdout, `Deleted Volumes:\n${result.VolumesDeleted.join('\n')}\n`);
    await writeLine(context.stdout, `Total reclaimed space: ${humanSize(result.SpaceReclaimed)}`);
    return 0;
  },
};
