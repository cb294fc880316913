/** `berth secret` and `berth config` (create from a file or stdin, ls, inspect, rm), as the Docker CLI's. */
import type { Docker } from '../../src/index.js';
import { writeLine, type Command } from '../command.js';
import { humanDuration } from '../format.js';
import { parseFilters } from './filters.js';
import { INSPECT_FORMAT, eachName, inspectEach, labelsFrom, listFlags, printRows, readFileOrStdin } from './objects.js';

type Kind = 'secret' | 'config';

const group = (docker: Docker, kind: Kind) => (kind === 'secret' ? docker.secrets : docker.configs);
const ago = (time: string | undefined, now: number) => (time ? `${humanDuration(now - Date.parse(time))} ago` : '');

function createCommand(kind: Kind): Command {
  return {
    usage: `[OPTIONS] ${kind.toUpperCase()} file|-`,
    description: `Create a ${kind} from a file or STDIN as content`,
    flags: [{ name: 'label', short: 'l', type: 'list', description: `${kind === 'secret' ? 'Secret' : 'Config'} labels` }],
    minArgs: 2,
    maxArgs: 2,
    async run(context, args) {
      const [name, file] = args.positionals as [string, string];
      const data = await readFileOrStdin(context, file);
      const { ID } = await group(context.docker(), kind).create({ Name: name, Labels: labelsFrom(args.list('label')), Data: data.toString('base64') });
      await writeLine(context.stdout, ID);
      return 0;
    },
  };
}

function lsCommand(kind: Kind): Command {
  return {
    usage: '[OPTIONS]',
    description: `List ${kind}s`,
    flags: listFlags('Only display IDs'),
    maxArgs: 0,
    async run(context, args) {
      const items = await group(context.docker(), kind).list({ filters: parseFilters(args.list('filter')) });
      const now = Date.now();
      const rows = items.map((item) => ({
        ID: item.ID ?? '',
        Name: item.Spec?.Name ?? '',
        Driver: (item.Spec as { Driver?: { Name?: string } } | undefined)?.Driver?.Name ?? '',
        CreatedAt: ago(item.CreatedAt, now),
        UpdatedAt: ago(item.UpdatedAt, now),
      })).sort((a, b) => a.Name.localeCompare(b.Name));
      const table = kind === 'secret'
        ? 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.CreatedAt}}\t{{.UpdatedAt}}'
        : 'table {{.ID}}\t{{.Name}}\t{{.CreatedAt}}\t{{.UpdatedAt}}';
      await printRows(context, rows, {
        table,
        headers: { ID: 'ID', Name: 'NAME', Driver: 'DRIVER', CreatedAt: 'CREATED', UpdatedAt: 'UPDATED' },
        quietField: 'ID',
      }, args.string('format'), args.bool('quiet'));
      return 0;
    },
  };
}

function inspectCommand(kind: Kind): Command {
  return {
    usage: `[OPTIONS] ${kind.toUpperCase()} [${kind.toUpperCase()}...]`,
    description: `Display detailed information on one or more ${kind}s`,
    flags: [INSPECT_FORMAT],
    minArgs: 1,
    run(context, args) {
      const docker = context.docker();
      return inspectEach(context, args.positionals, args.string('format'), (name) => group(docker, kind).inspect(name));
    },
  };
}

function rmCommand(kind: Kind): Command {
  return {
    usage: `${kind.toUpperCase()} [${kind.toUpperCase()}...]`,
    description: `Remove one or more ${kind}s`,
    flags: [],
    minArgs: 1,
    run(context, args) {
      const docker = context.docker();
      return eachName(context, args.positionals, (name) => group(docker, kind).remove(name));
    },
  };
}

/** `berth secret create NAME FILE|-` */
export const secretCreate = createCommand('secret');
/** `berth secret ls` */
export const secretLs = lsCommand('secret');
/** `berth secret inspect SECRET...` */
export const secretInspect = inspectCommand('secret');
/** `berth secret rm SECRET...` */
export const secretRm = rmCommand('secret');
/** `berth config create NAME FILE|-` */
export const configCreate = createCommand('config');
/** `berth config ls` */
export const configLs = lsCommand('config');
/** `berth config inspect CONFIG...` */
export const configInspect = inspectCommand('config');
/** `berth config rm CONFIG...` */
export const configRm = rmCommand('config');
