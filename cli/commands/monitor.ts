/**
 * `events` and `stats`: the two commands that follow the engine as things happen. Both end on ctrl-c (the
 * process exits), `events` also when `--until` is reached, `stats` when every container stopped.
 */
import type { ContainerStatsResponse, EventMessage } from '../../src/index.js';
import { UsageError } from '../args.js';
import { write, writeLine, type Command } from '../command.js';
import { bytesSize, goJson, humanSize, parseTimestamp } from '../format.js';
import { formatTable } from '../table.js';
import { compileTemplate } from '../template.js';
import { parseFilters } from './filters.js';

/** `berth events [--filter k=v] [--since T] [--until T] [--format json|TEMPLATE]` */
export const events: Command = {
  usage: '[OPTIONS]',
  description: 'Get real time events from the server',
  flags: [
    { name: 'filter', short: 'f', type: 'list', description: 'Filter output based on conditions provided' },
    { name: 'format', type: 'string', description: 'Format output using a custom template: \'json\' or a Go template' },
    { name: 'since', type: 'string', description: 'Show all events created since timestamp' },
    { name: 'until', type: 'string', description: 'Stream events until this timestamp' },
  ],
  maxArgs: 0,
  async run(context, args) {
    const since = timestamp('since', args.string('since'));
    const until = timestamp('until', args.string('until'));
    const format = args.string('format');
    const template = format && format !== 'json' ? compileTemplate(format) : undefined;
    const docker = context.docker();
    for await (const event of docker.system.events({ since, until, filters: parseFilters(args.list('filter')) })) {
      if (format === 'json') await writeLine(context.stdout, goJson(event));
      else if (template) await writeLine(context.stdout, template(event));
      else await writeLine(context.stdout, eventLine(event));
    }
    return 0;
  },
};

function timestamp(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = parseTimestamp(text);
  if (seconds === undefined) throw new UsageError(`invalid value "${text}" for --${name}: a duration (10m), Unix seconds or an RFC 3339 time`);
  return seconds;
}

/** The Docker CLI's line: `TIME TYPE ACTION ID (k=v, …)`, attributes sorted by name. */
function eventLine(event: EventMessage): string {
  const nanos = event.timeNano ?? (event.time ?? 0) * 1e9;
  const time = new Date(Math.floor(nanos / 1e6)).toISOString().replace(/\.(\d{3})Z$/, (_, ms: string) => `.${ms}${String(Math.floor(nanos % 1e6)).padStart(6, '0')}Z`);
  const attributes = Object.entries(event.Actor?.Attributes ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const tail = attributes.length ? ` (${attributes.map(([key, value]) => `${key}=${value}`).join(', ')})` : '';
  return `${time} ${event.Type ?? ''} ${event.Action ?? ''} ${event.Actor?.ID ?? ''}${tail}`;
}

/** `berth stats [--all] [--no-stream] [--no-trunc] [CONTAINER...]` */
export const stats: Command = {
  usage: '[OPTIONS] [CONTAINER...]',
  description: 'Display a live stream of container(s) resource usage statistics',
  flags: [
    { name: 'all', short: 'a', type: 'boolean', description: 'Show all containers (default shows just running)' },
    { name: 'no-stream', type: 'boolean', description: 'Disable streaming stats and only pull the first result' },
    { name: 'no-trunc', type: 'boolean', description: 'Do not truncate output' },
  ],
  async run(context, args) {
    const docker = context.docker();
    let ids: string[] = args.positionals;
    if (!ids.length) ids = (await docker.containers.list({ all: args.bool('all') })).map((container) => container.Id as string);
    const truncate = !args.bool('no-trunc');
    if (args.bool('no-stream')) {
      const samples = await Promise.all(ids.map((id) => docker.containers.stats(id)));
      await write(context.stdout, statsTable(samples, truncate));
      return 0;
    }
    // One stream per container; the table is drawn again every second from the latest sample of each.
    const latest = new Map<string, ContainerStatsResponse>();
    const streams = ids.map(async (id) => {
      for await (const sample of docker.containers.statsStream(id)) latest.set(id, sample);
    });
    const clear = context.stdout.isTTY ? '\x1b[2J\x1b[H' : '';
    const draw = () => write(context.stdout, clear + statsTable(ids.map((id) => latest.get(id)).filter((s) => s !== undefined), truncate));
    let running = true;
    const finished = Promise.all(streams).finally(() => { running = false; });
    while (running) {
      await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 1000))]);
      if (latest.size) await draw();
    }
    await finished;
    return 0;
  },
};

/** The table `docker stats` prints. */
export function statsTable(samples: ContainerStatsResponse[], truncate = true): string {
  const rows = [['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS']];
  for (const sample of samples) {
    const id = sample.id ?? '';
    const memory = memoryUsage(sample);
    const limit = sample.memory_stats?.limit ?? 0;
    const running = !(sample.read ?? '').startsWith('0001-01-01');
    const [rx, tx] = Object.values(sample.networks ?? {}).reduce(([r, t], n) => [r + (n.rx_bytes ?? 0), t + (n.tx_bytes ?? 0)], [0, 0]);
    const [read, written] = blockIo(sample);
    rows.push([
      truncate ? id.slice(0, 12) : id,
      (sample.name ?? '').replace(/^\//, '') || '--',
      running ? `${cpuPercent(sample).toFixed(2)}%` : '--',
      running ? `${bytesSize(memory)} / ${bytesSize(limit)}` : '-- / --',
      running ? `${(limit ? (memory / limit) * 100 : 0).toFixed(2)}%` : '--',
      running ? `${humanSize(rx, 3)} / ${humanSize(tx, 3)}` : '-- / --',
      running ? `${humanSize(read, 3)} / ${humanSize(written, 3)}` : '-- / --',
      running ? String(sample.pids_stats?.current ?? 0) : '--',
    ]);
  }
  return formatTable(rows, { minWidth: 0, padding: 3 });
}

/** CPU use since the previous sample, as a percentage of one CPU (100% per busy CPU), as the Docker CLI computes it. */
export function cpuPercent(sample: ContainerStatsResponse): number {
  const cpu = sample.cpu_stats;
  const previous = sample.precpu_stats;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (previous?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu?.system_cpu_usage ?? 0) - (previous?.system_cpu_usage ?? 0);
  const cpus = cpu?.online_cpus || cpu?.cpu_usage?.percpu_usage?.length || 1;
  return systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
}

/** Memory in use without the page cache that could be dropped (cgroup v1 `total_inactive_file`, v2 `inactive_file`). */
function memoryUsage(sample: ContainerStatsResponse): number {
  const usage = sample.memory_stats?.usage ?? 0;
  const stats = (sample.memory_stats?.stats ?? {}) as Record<string, number | undefined>;
  const inactive = stats.total_inactive_file ?? stats.inactive_file ?? 0;
  return inactive < usage ? usage - inactive : usage;
}

function blockIo(sample: ContainerStatsResponse): [number, number] {
  let read = 0;
  let written = 0;
  for (const entry of sample.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = (entry.op ?? '').toLowerCase();
    if (op === 'read') read += entry.value ?? 0;
    else if (op === 'write') written += entry.value ?? 0;
  }
  return [read, written];
}
