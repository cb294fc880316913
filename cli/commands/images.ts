/**
 * Image commands that need no progress display: images (image ls), rmi, tag, history, image inspect,
 * image prune, search. Tables, columns and messages as the Docker CLI prints them.
 */
import type { ImageSummary } from '../../src/index.js';
import { write, writeLine, type CliContext, type Command } from '../command.js';
import { confirm } from '../confirm.js';
import { CliError, errorMessage } from '../errors.js';
import { goJson, goTimeString, humanSize, timeAgo } from '../format.js';
import { ellipsis, formatTable } from '../table.js';
import { compileTemplate } from '../template.js';
import { parseFilters } from './filters.js';

/** One row of `berth images`, with the Docker CLI's template field names. */
export interface ImageRow {
  Containers: string;
  CreatedAt: string;
  CreatedSince: string;
  Digest: string;
  ID: string;
  Repository: string;
  SharedSize: string;
  Size: string;
  Tag: string;
  UniqueSize: string;
  VirtualSize: string;
}

const IMAGE_HEADERS: Record<string, string> = {
  Repository: 'REPOSITORY', Tag: 'TAG', Digest: 'DIGEST', ID: 'IMAGE ID', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT',
  Size: 'SIZE', VirtualSize: 'VIRTUAL SIZE', SharedSize: 'SHARED SIZE', UniqueSize: 'UNIQUE SIZE', Containers: 'CONTAINERS',
};

/** `sha256:0123…` → `0123456789ab` (or the whole hex with `--no-trunc`, prefix kept as docker does). */
export function shortId(id: string, truncate = true): string {
  return truncate ? id.replace(/^sha256:/, '').slice(0, 12) : id;
}

/** The rows an image gives: one per tag, else one per digest, else one `<none>` row. */
export function imageRows(image: ImageSummary, truncate: boolean, now = Date.now()): ImageRow[] {
  const base = {
    Containers: image.Containers === undefined || image.Containers < 0 ? 'N/A' : String(image.Containers),
    CreatedAt: goTimeString(image.Created ?? 0),
    CreatedSince: timeAgo(image.Created ?? 0, now),
    ID: shortId(image.Id ?? '', truncate),
    SharedSize: image.SharedSize === undefined || image.SharedSize < 0 ? 'N/A' : humanSize(image.SharedSize, 3),
    Size: humanSize(image.Size ?? 0, 3),
    UniqueSize: image.SharedSize === undefined || image.SharedSize < 0 ? 'N/A' : humanSize((image.Size ?? 0) - image.SharedSize, 3),
    VirtualSize: humanSize(image.Size ?? 0),
  };
  const digests = (image.RepoDigests ?? []).filter((digest) => digest !== '<none>@<none>');
  const digestFor = (repository: string) => digests.find((digest) => digest.startsWith(repository + '@'))?.split('@')[1] ?? '<none>';
  const tags = (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>');
  if (tags.length) {
    return tags.map((reference) => {
      const colon = reference.lastIndexOf(':');
      const repository = reference.slice(0, colon);
      return { ...base, Repository: repository, Tag: reference.slice(colon + 1), Digest: digestFor(repository) };
    });
  }
  if (digests.length) {
    return digests.map((reference) => {
      const [repository, digest] = reference.split('@') as [string, string];
      return { ...base, Repository: repository, Tag: '<none>', Digest: digest };
    });
  }
  return [{ ...base, Repository: '<none>', Tag: '<none>', Digest: '<none>' }];
}

/** `berth images [-a] [-q] [--digests] [--filter k=v] [--no-trunc] [--format json|table|TEMPLATE] [REPOSITORY[:TAG]]` */
export const images: Command = {
  usage: '[OPTIONS] [REPOSITORY[:TAG]]',
  description: 'List images',
  flags: [
    { name: 'all', short: 'a', type: 'boolean', description: 'Show all images (default hides intermediate images)' },
    { name: 'digests', type: 'boolean', description: 'Show digests' },
    { name: 'filter', short: 'f', type: 'list', valueName: 'filter', description: 'Filter output based on conditions provided' },
    { name: 'format', type: 'string', description: 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' },
    { name: 'no-trunc', type: 'boolean', description: 'Don\'t truncate output' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Only show image IDs' },
  ],
  maxArgs: 1,
  async run(context, args) {
    const truncate = !args.bool('no-trunc');
    const format = args.string('format') ?? '';
    const digests = args.bool('digests');
    const filters = parseFilters(args.list('filter')) ?? {};
    if (args.positionals[0]) filters.reference = [...(filters.reference ?? []), args.positionals[0]];
    const list = await context.docker().images.list({ all: args.bool('all'), digests, filters });
    const now = Date.now();
    // Podman lists every tag of an image one of whose tags matches; dockerd only the matching ones.
    const references = filters.reference ?? [];
    const rows = list.flatMap((image) => imageRows(image, truncate, now)).filter((row) => references.every((pattern) => matchesReference(row, pattern)));
    if (args.bool('quiet')) {
      await write(context.stdout, rows.map((row) => row.ID + '\n').join(''));
    } else if (format === 'json') {
      await write(context.stdout, rows.map((row) => goJson(sortedKeys(row)) + '\n').join(''));
    } else {
      const columns = digests ? '{{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}' : '{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
      await printRows(context, format === '' || format === 'table' ? `table ${columns}` : format, rows, IMAGE_HEADERS);
    }
    return 0;
  },
};

/**
 * Whether a row matches a `reference` filter as dockerd applies it: a glob against `repository:tag` when the
 * pattern has a tag, else against the repository (Podman's full `docker.io/library/` names are shortened).
 */
export function matchesReference(row: ImageRow, pattern: string): boolean {
  if (row.Repository === '<none>') return true;
  const glob = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
  const hasTag = pattern.lastIndexOf(':') > pattern.lastIndexOf('/');
  return glob.test(hasTag ? `${row.Repository}:${row.Tag}` : row.Repository);
}

/** Prints rows through a `table …` template (with headers and aligned columns) or a plain template. */
async function printRows(context: CliContext, format: string, rows: readonly object[], headers: Record<string, string>): Promise<void> {
  const isTable = format.startsWith('table');
  const compiled = compileTemplate(format.replace(/^table\s*/, ''));
  if (isTable) {
    const lines = [compiled(headers), ...rows.map((row) => compiled(row))].map((line) => line.split('\t'));
    await write(context.stdout, formatTable(lines));
  } else {
    await write(context.stdout, rows.map((row) => compiled(row) + '\n').join(''));
  }
}

/** `berth rmi [-f] [--no-prune] IMAGE...`: each removal reported; errors printed and the exit code 1. */
export const rmi: Command = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  description: 'Remove one or more images',
  flags: [
    { name: 'force', short: 'f', type: 'boolean', description: 'Force removal of the image' },
    { name: 'no-prune', type: 'boolean', description: 'Do not delete untagged parents' },
  ],
  minArgs: 1,
  async run(context, args) {
    let failed = false;
    for (const name of args.positionals) {
      try {
        const removed = await context.docker().images.remove(name, { force: args.bool('force'), noprune: args.bool('no-prune') });
        for (const item of removed) {
          if (item.Untagged) await writeLine(context.stdout, `Untagged: ${item.Untagged}`);
          if (item.Deleted) await writeLine(context.stdout, `Deleted: ${item.Deleted}`);
        }
      } catch (error) {
        failed = true;
        await writeLine(context.stderr, errorMessage(error));
      }
    }
    return failed ? 1 : 0;
  },
};

/** `berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]` */
export const tag: Command = {
  usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  description: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  flags: [],
  minArgs: 2,
  maxArgs: 2,
  async run(context, args) {
    const [source, target] = args.positionals as [string, string];
    await context.docker().images.tag(source, { repo: target });
    return 0;
  },
};

const HISTORY_HEADERS: Record<string, string> = { ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT' };

/** `berth history [-H] [--no-trunc] [-q] [--format] IMAGE` */
export const history: Command = {
  usage: '[OPTIONS] IMAGE',
  description: 'Show the history of an image',
  flags: [
    { name: 'format', type: 'string', description: 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' },
    { name: 'human', short: 'H', type: 'boolean', description: 'Print sizes and dates in human readable format', defaultText: 'true' },
    { name: 'no-trunc', type: 'boolean', description: 'Don\'t truncate output' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Only show image IDs' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const truncate = !args.bool('no-trunc');
    const human = args.has('human') ? args.bool('human') : true;
    const now = Date.now();
    const layers = await context.docker().images.history(args.positionals[0]!);
    const rows = layers.map((layer) => {
      const createdBy = (layer.CreatedBy ?? '').replace(/\t/g, ' ');
      return {
        ID: layer.Id && layer.Id !== '<missing>' ? shortId(layer.Id, truncate) : '<missing>',
        CreatedSince: human ? timeAgo(layer.Created ?? 0, now) : new Date((layer.Created ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        CreatedAt: new Date((layer.Created ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        CreatedBy: truncate ? ellipsis(createdBy, 45) : createdBy,
        Size: human ? humanSize(layer.Size ?? 0, 3) : String(layer.Size ?? 0),
        Comment: layer.Comment ?? '',
      };
    });
    const format = args.string('format') ?? '';
    if (args.bool('quiet')) await write(context.stdout, rows.map((row) => row.ID + '\n').join(''));
    else if (format === 'json') await write(context.stdout, rows.map((row) => goJson(sortedKeys(row)) + '\n').join(''));
    else await printRows(context, format === '' || format === 'table' ? 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}' : format, rows, HISTORY_HEADERS);
    return 0;
  },
};

/** `berth image inspect [-f TEMPLATE] IMAGE...` */
export const imageInspect: Command = {
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  description: 'Display detailed information on one or more images',
  flags: [{ name: 'format', short: 'f', type: 'string', description: 'Format output using a custom template' }],
  minArgs: 1,
  async run(context, args) {
    const format = args.string('format');
    const template = format ? compileTemplate(format) : undefined;
    const found: unknown[] = [];
    const errors: string[] = [];
    for (const name of args.positionals) {
      try {
        found.push(await context.docker().images.inspect(name));
      } catch (error) {
        errors.push(errorMessage(error));
      }
    }
    if (template) await write(context.stdout, found.map((object) => template(object) + '\n').join(''));
    else await writeLine(context.stdout, goJson(found, 4));
    for (const error of errors) await writeLine(context.stderr, error);
    return errors.length ? 1 : 0;
  },
};

/** `berth image prune [-a] [-f] [--filter k=v]` */
export const imagePrune: Command = {
  usage: '[OPTIONS]',
  description: 'Remove unused images',
  flags: [
    { name: 'all', short: 'a', type: 'boolean', description: 'Remove all unused images, not just dangling ones' },
    { name: 'filter', type: 'list', valueName: 'filter', description: 'Provide filter values (e.g. "until=<timestamp>")' },
    { name: 'force', short: 'f', type: 'boolean', description: 'Do not prompt for confirmation' },
  ],
  maxArgs: 0,
  async run(context, args) {
    const all = args.bool('all');
    const warning = all
      ? 'WARNING! This will remove all images without at least one container associated to them.'
      : 'WARNING! This will remove all dangling images.';
    if (!(await confirm(context, warning, args.bool('force')))) return 0;
    const filters = parseFilters(args.list('filter')) ?? {};
    if (all) filters.dangling = ['false'];
    const result = await context.docker().images.prune({ filters });
    if (result.ImagesDeleted.length) {
      const lines = result.ImagesDeleted.flatMap((item) => [
        ...(item.Untagged ? [`untagged: ${item.Untagged}`] : []),
        ...(item.Deleted ? [`deleted: ${item.Deleted}`] : []),
      ]);
      await writeLine(context.stdout, `Deleted Images:\n${lines.join('\n')}\n`);
    }
    await writeLine(context.stdout, `Total reclaimed space: ${humanSize(result.SpaceReclaimed)}`);
    return 0;
  },
};

/** `berth search [--limit N] [--filter k=v] [--no-trunc] [--format] TERM` */
export const search: Command = {
  usage: '[OPTIONS] TERM',
  description: 'Search Docker Hub for images',
  flags: [
    { name: 'filter', short: 'f', type: 'list', valueName: 'filter', description: 'Filter output based on conditions provided' },
    { name: 'format', type: 'string', description: 'Pretty-print search using a Go template' },
    { name: 'limit', type: 'string', valueName: 'int', description: 'Max number of search results' },
    { name: 'no-trunc', type: 'boolean', description: 'Don\'t truncate output' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const truncate = !args.bool('no-trunc');
    const results = await context.docker().images.search({ term: args.positionals[0]!, limit: args.integer('limit'), filters: parseFilters(args.list('filter')) });
    const rows = results.map((result) => {
      const description = (result.description ?? '').replace(/\n/g, ' ');
      return { Name: result.name ?? '', Description: truncate ? ellipsis(description, 45) : description, StarCount: String(result.star_count ?? 0), IsOfficial: result.is_official ? '[OK]' : '' };
    });
    const format = args.string('format') ?? '';
    await printRows(context, format === '' || format === 'table' ? 'table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}' : format, rows,
      { Name: 'NAME', Description: 'DESCRIPTION', StarCount: 'STARS', IsOfficial: 'OFFICIAL' });
    return 0;
  },
};

/** The row with its keys in alphabetical order, as Go prints a struct's fields for `--format json`. */
function sortedKeys(row: object): object {
  return Object.fromEntries(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}


/** Throws the Docker CLI's error when a flag value must be one of a few words. */
export function oneOf(flag: string, value: string | undefined, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value)) throw new CliError(`invalid argument "${value}" for "--${flag}" flag`, 125);
}
