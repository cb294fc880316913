/**
 * `berth ps`: the container list, in the Docker CLI's table (same columns, widths and truncation), as
 * IDs only (`-q`), as one JSON object per line (`--format json`), or through a Go-style template.
 */
import type { ContainerSummary } from '../../src/index.js';
import type { Command } from '../command.js';
import { write } from '../command.js';
import { goJson, goTimeString, humanSize, timeAgo } from '../format.js';
import { ellipsis, formatTable } from '../table.js';
import { compileTemplate } from '../template.js';
import { parseFilters } from './filters.js';

/** The fields of one row, named as the Docker CLI's template fields (`{{.ID}}`, `{{.Names}}` …). */
export interface ContainerRow {
  Command: string;
  CreatedAt: string;
  ID: string;
  Image: string;
  Labels: string;
  LocalVolumes: string;
  Mounts: string;
  Names: string;
  Networks: string;
  Platform: null;
  Ports: string;
  RunningFor: string;
  Size: string;
  State: string;
  Status: string;
  /** `{{.Label "key"}}`: one label's value (a method, so JSON output leaves it out, as docker's does). */
  Label: (name: unknown) => string;
}

const HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED',
  Ports: 'PORTS', State: 'STATE', Status: 'STATUS', Size: 'SIZE', Names: 'NAMES', Labels: 'LABELS',
  Mounts: 'MOUNTS', Networks: 'NETWORKS', LocalVolumes: 'LOCAL VOLUMES', Platform: 'PLATFORM',
};

const DEFAULT_TABLE = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

/** `berth ps [-a] [-q] [--filter k=v] [--no-trunc] [--format json|table|TEMPLATE] [-n N] [-l] [-s]` */
export const ps: Command = {
  usage: '[OPTIONS]',
  description: 'List containers',
  flags: [
    { name: 'all', short: 'a', type: 'boolean', description: 'Show all containers (default shows just running)' },
    { name: 'filter', short: 'f', type: 'list', valueName: 'filter', description: 'Filter output based on conditions provided' },
    { name: 'format', type: 'string', description: 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' },
    { name: 'last', short: 'n', type: 'string', valueName: 'int', description: 'Show n last created containers (includes all states)', defaultText: '-1' },
    { name: 'latest', short: 'l', type: 'boolean', description: 'Show the latest created container (includes all states)' },
    { name: 'no-trunc', type: 'boolean', description: 'Don\'t truncate output' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Only display container IDs' },
    { name: 'size', short: 's', type: 'boolean', description: 'Display total file sizes' },
  ],
  maxArgs: 0,
  async run(context, args) {
    const last = args.integer('last') ?? -1;
    const limit = args.bool('latest') ? 1 : last > 0 ? last : undefined;
    const truncate = !args.bool('no-trunc');
    let format = args.string('format') ?? '';
    const quiet = args.bool('quiet');
    // As the docker CLI: sizes are asked for (they cost the engine time) only when the output shows them.
    const size = args.bool('size') || /\.Size\b|\{\{\s*json\s+\.\s*\}\}/.test(format);
    const template = format === '' || format === 'table' ? (size ? `${DEFAULT_TABLE}\t{{.Size}}` : DEFAULT_TABLE) : format;
    const compiled = quiet || format === 'json' ? undefined : compileTemplate(template.replace(/^table\s*/, ''));

    const containers = await context.docker().containers.list({
      all: args.bool('all') || limit !== undefined, limit, size, filters: parseFilters(args.list('filter')),
    });
    const now = Date.now();
    const rows = containers.map((container) => containerRow(container, truncate, now));
    if (quiet) {
      await write(context.stdout, rows.map((row) => row.ID + '\n').join(''));
    } else if (format === 'json') {
      await write(context.stdout, rows.map((row) => goJson(row) + '\n').join(''));
    } else if (template.startsWith('table')) {
      const header = compiled!(Object.fromEntries(Object.entries(HEADERS)));
      const lines = [header, ...rows.map((row) => compiled!(row))].map((line) => line.split('\t'));
      await write(context.stdout, formatTable(lines));
    } else {
      await write(context.stdout, rows.map((row) => compiled!(row) + '\n').join(''));
    }
    return 0;
  },
};

/** One container as the Docker CLI's list shows it; `truncate` is the opposite of `--no-trunc`. */
export function containerRow(container: ContainerSummary, truncate: boolean, now = Date.now()): ContainerRow {
  const id = container.Id ?? '';
  const names = (container.Names ?? [])
    .map((name) => name.replace(/^\//, ''))
    // Legacy links appear as extra names with a slash (`other/alias`); the truncated view hides them.
    .filter((name) => !truncate || !name.includes('/'));
  const mounts = (container.Mounts ?? []).map((mount) => {
    const name = mount.Name || mount.Source || '';
    return truncate ? ellipsis(name, 15) : name;
  });
  const command = container.Command ?? '';
  const sizeRw = container.SizeRw ?? 0;
  const sizeRootFs = container.SizeRootFs ?? 0;
  return {
    Command: JSON.stringify(truncate ? ellipsis(command, 20) : command),
    CreatedAt: goTimeString(container.Created ?? 0),
    ID: truncate ? id.slice(0, 12) : id,
    Image: displayImage(container.Image ?? '', container.ImageID ?? '', truncate),
    Labels: Object.entries(container.Labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => `${key}=${value}`).join(','),
    LocalVolumes: String((container.Mounts ?? []).filter((mount) => mount.Driver === 'local').length),
    Mounts: mounts.join(','),
    Names: names.join(','),
    Networks: Object.keys(container.NetworkSettings?.Networks ?? {}).sort().join(','),
    Platform: null,
    Ports: displayPorts(container.Ports ?? []),
    RunningFor: timeAgo(container.Created ?? 0, now),
    Size: sizeRootFs > 0 ? `${humanSize(sizeRw, 3)} (virtual ${humanSize(sizeRootFs, 3)})` : humanSize(sizeRw, 3),
    State: container.State ?? '',
    Status: container.Status ?? '',
    Label: (name) => container.Labels?.[String(name)] ?? '',
  };
}

function displayImage(image: string, imageId: string, truncate: boolean): string {
  if (!truncate) return image;
  const bare = (text: string) => text.replace(/^sha256:/, '');
  // A container whose image lost its tag shows the image ID: shorten it like any other ID.
  if (image === imageId || /^(sha256:)?[0-9a-f]{64}$/.test(image)) return bare(image).slice(0, 12);
  // A reference pinned by digest shows without the digest when it also has a name.
  const at = image.indexOf('@');
  return at > 0 ? image.slice(0, at) : image;
}

interface PortEntry { IP?: string; PrivatePort?: number; PublicPort?: number; Type?: string }

/**
 * The PORTS column: published ports as `127.0.0.1:32768->80/tcp`, exposed ones as `80/tcp`, runs of
 * consecutive ports folded into ranges (`8000-8002/tcp`), sorted as the Docker CLI sorts them.
 */
export function displayPorts(ports: readonly PortEntry[]): string {
  const sorted = [...ports].sort((a, b) =>
    (a.PrivatePort ?? 0) - (b.PrivatePort ?? 0) || compareText(a.IP ?? '', b.IP ?? '') ||
    (a.PublicPort ?? 0) - (b.PublicPort ?? 0) || compareText(a.Type ?? '', b.Type ?? ''));
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const hostMappings: string[] = [];
  for (const port of sorted) {
    const current = port.PrivatePort ?? 0;
    let key = port.Type ?? 'tcp';
    if (port.IP) {
      if (port.PublicPort !== current) {
        const host = port.IP.includes(':') ? `[${port.IP}]` : port.IP;
        hostMappings.push(`${host}:${port.PublicPort}->${current}/${port.Type}`);
        continue;
      }
      key = `${port.IP}/${port.Type}`;
    }
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { first: current, last: current });
    } else if (current === group.last + 1) {
      group.last = current;
    } else {
      result.push(formatGroup(key, group.first, group.last));
      groups.set(key, { first: current, last: current });
    }
  }
  // Map iteration order is the order keys were first added, as the Docker CLI keeps them.
  for (const [key, group] of groups) result.push(formatGroup(key, group.first, group.last));
  return [...result, ...hostMappings].join(', ');
}

function formatGroup(key: string, first: number, last: number): string {
  const slash = key.lastIndexOf('/');
  const ip = slash >= 0 ? key.slice(0, slash) : '';
  const type = key.slice(slash + 1);
  const range = first === last ? String(first) : `${first}-${last}`;
  if (!ip) return `${range}/${type}`;
  const host = ip.includes(':') ? `[${ip}]` : ip;
  return `${host}:${range}->${range}/${type}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
