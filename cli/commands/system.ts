/**
 * `berth version`, `berth info` and `berth system df`, laid out as the Docker CLI lays them out.
 */
import type { SystemDataUsageResponse, SystemInfoResponse } from '../../src/index.js';
import { write, writeLine, type Command } from '../command.js';
import { errorMessage } from '../errors.js';
import { bytesSize, goJson, humanSize } from '../format.js';
import { formatTable } from '../table.js';
import { compileTemplate } from '../template.js';
import { cliVersion } from '../version.js';

const FORMAT_FLAG = { name: 'format', short: 'f', type: 'string' as const, description: 'Format output using a custom template (\'json\' or a Go template)' };

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };

/** A label and its value, the value starting at column 20 as in `docker version`. */
function field(label: string, value: unknown): string {
  return `${label.padEnd(20)}${value ?? ''}`;
}

/** A time as Go's `time.ANSIC` in local time: `Thu May  7 21:09:36 2026`. */
function ansic(text: string | undefined): string {
  const date = text ? new Date(text) : undefined;
  if (!date || Number.isNaN(date.getTime())) return text ?? '';
  const day = date.toLocaleString('en-US', { weekday: 'short' });
  const month = date.toLocaleString('en-US', { month: 'short' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day} ${month} ${String(date.getDate()).padStart(2, ' ')} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${date.getFullYear()}`;
}

/** `berth version`: the client's versions, then the engine's (or the error that kept us from it). */
export const version: Command = {
  usage: '[OPTIONS]',
  description: 'Show the Docker version information',
  flags: [FORMAT_FLAG],
  maxArgs: 0,
  async run(context, args) {
    const { LATEST_API_VERSION } = await import('../../src/index.js');
    const docker = context.docker();
    let apiVersion = LATEST_API_VERSION;
    let server: Awaited<ReturnType<typeof docker.version>> | undefined;
    let failure: unknown;
    try {
      apiVersion = await docker.apiVersion();
      server = await docker.version();
    } catch (error) {
      failure = error;
    }
    const client = {
      Version: cliVersion(), ApiVersion: apiVersion, DefaultAPIVersion: LATEST_API_VERSION, NodeVersion: process.version,
      Os: process.platform, Arch: GO_ARCH[process.arch] ?? process.arch, Context: 'default',
    };
    const format = args.string('format');
    if (format) {
      const data = { Client: client, Server: server ?? null };
      await writeLine(context.stdout, format === 'json' ? goJson(data) : compileTemplate(format)(data));
    } else {
      const downgraded = apiVersion !== LATEST_API_VERSION ? ` (downgraded from ${LATEST_API_VERSION})` : '';
      const lines = [
        'Client:',
        field(' Version:', client.Version),
        field(' API version:', `${apiVersion}${downgraded}`),
        field(' Node.js version:', client.NodeVersion),
        field(' OS/Arch:', `${client.Os}/${client.Arch}`),
        field(' Context:', client.Context),
      ];
      if (server) {
        lines.push('', server.Platform?.Name ? `Server: ${server.Platform.Name}` : 'Server:');
        // Engines that name no "Engine" component (Podman) get one from the top-level fields, as docker shows it.
        const components = [...(server.Components ?? [])];
        if (!components.some((component) => component.Name === 'Engine')) {
          components.push({
            Name: 'Engine', Version: server.Version ?? '',
            Details: { ApiVersion: server.ApiVersion, MinAPIVersion: server.MinAPIVersion, GoVersion: server.GoVersion, GitCommit: server.GitCommit,
              BuildTime: server.BuildTime, Os: server.Os, Arch: server.Arch, Experimental: String(server.Experimental ?? false) },
          });
        }
        for (const component of components) {
          const details = (component.Details ?? {}) as Record<string, unknown>;
          lines.push(` ${component.Name}:`);
          if (component.Name === 'Engine') {
            lines.push(
              field('  Version:', component.Version),
              field('  API version:', `${details.ApiVersion} (minimum version ${details.MinAPIVersion})`),
              field('  Go version:', details.GoVersion),
              field('  Git commit:', details.GitCommit),
              field('  Built:', ansic(details.BuildTime as string | undefined)),
              field('  OS/Arch:', `${details.Os}/${details.Arch}`),
              field('  Experimental:', details.Experimental),
            );
          } else {
            lines.push(field('  Version:', component.Version));
            for (const key of Object.keys(details).sort()) lines.push(field(`  ${key}:`, details[key]));
          }
        }
      }
      await write(context.stdout, lines.join('\n') + '\n');
    }
    if (failure !== undefined) {
      await writeLine(context.stderr, errorMessage(failure));
      return 1;
    }
    return 0;
  },
};

/** `berth info`: the client, then the engine's system-wide information. */
export const info: Command = {
  usage: '[OPTIONS]',
  description: 'Display system-wide information',
  flags: [FORMAT_FLAG],
  maxArgs: 0,
  async run(context, args) {
    const format = args.string('format');
    const docker = context.docker();
    if (format) {
      const data = await docker.info();
      await writeLine(context.stdout, format === 'json' ? goJson(data) : compileTemplate(format)(data));
      return 0;
    }
    await write(context.stdout, `Client:\n Version:    ${cliVersion()}\n Context:    default\n Debug Mode: false\n\n`);
    let data: SystemInfoResponse;
    try {
      data = await docker.info();
    } catch (error) {
      await writeLine(context.stdout, 'Server:');
      await writeLine(context.stderr, errorMessage(error));
      return 1;
    }
    await write(context.stdout, formatInfo(data));
    for (const warning of data.Warnings ?? []) await writeLine(context.stderr, warning);
    return 0;
  },
};

function formatInfo(info: SystemInfoResponse): string {
  const lines: string[] = ['Server:'];
  const add = (indent: number, label: string, value?: unknown) => lines.push(`${' '.repeat(indent)}${label}:${value === undefined ? '' : ` ${value}`}`);
  add(1, 'Containers', info.Containers);
  add(2, 'Running', info.ContainersRunning);
  add(2, 'Paused', info.ContainersPaused);
  add(2, 'Stopped', info.ContainersStopped);
  add(1, 'Images', info.Images);
  add(1, 'Server Version', info.ServerVersion);
  add(1, 'Storage Driver', info.Driver);
  for (const [key, value] of info.DriverStatus ?? []) add(2, key ?? '', value);
  add(1, 'Logging Driver', info.LoggingDriver);
  add(1, 'Cgroup Driver', info.CgroupDriver);
  add(1, 'Cgroup Version', info.CgroupVersion);
  add(1, 'Plugins');
  add(2, 'Volume', (info.Plugins?.Volume ?? []).join(' '));
  add(2, 'Network', (info.Plugins?.Network ?? []).join(' '));
  if (info.Plugins?.Authorization?.length) add(2, 'Authorization', info.Plugins.Authorization.join(' '));
  add(2, 'Log', (info.Plugins?.Log ?? []).join(' '));
  add(1, 'Swarm', info.Swarm?.LocalNodeState);
  add(1, 'Runtimes', Object.keys(info.Runtimes ?? {}).sort().join(' '));
  add(1, 'Default Runtime', info.DefaultRuntime);
  add(1, 'Init Binary', info.InitBinary);
  add(1, 'containerd version', info.ContainerdCommit?.ID);
  add(1, 'runc version', info.RuncCommit?.ID);
  add(1, 'init version', info.InitCommit?.ID);
  if (info.SecurityOptions?.length) {
    add(1, 'Security Options');
    for (const option of info.SecurityOptions) {
      const fields = Object.fromEntries(option.split(',').map((pair) => pair.split('=') as [string, string]));
      lines.push(`  ${fields.name ?? option}`);
      for (const [key, value] of Object.entries(fields)) if (key !== 'name') lines.push(`   ${key[0]!.toUpperCase()}${key.slice(1)}: ${value}`);
    }
  }
  add(1, 'Kernel Version', info.KernelVersion);
  add(1, 'Operating System', info.OperatingSystem);
  add(1, 'OSType', info.OSType);
  add(1, 'Architecture', info.Architecture);
  add(1, 'CPUs', info.NCPU);
  add(1, 'Total Memory', bytesSize(info.MemTotal ?? 0));
  add(1, 'Name', info.Name);
  add(1, 'ID', info.ID);
  add(1, 'Docker Root Dir', info.DockerRootDir);
  add(1, 'Debug Mode', info.Debug);
  if (info.HttpProxy) add(1, 'HTTP Proxy', info.HttpProxy);
  if (info.HttpsProxy) add(1, 'HTTPS Proxy', info.HttpsProxy);
  if (info.NoProxy) add(1, 'No Proxy', info.NoProxy);
  if (info.Labels?.length) {
    add(1, 'Labels');
    for (const label of info.Labels) lines.push(`  ${label}`);
  }
  add(1, 'Experimental', info.ExperimentalBuild);
  const insecure = info.RegistryConfig?.InsecureRegistryCIDRs ?? [];
  if (insecure.length) {
    add(1, 'Insecure Registries');
    for (const cidr of insecure) lines.push(`  ${cidr}`);
  }
  const mirrors = info.RegistryConfig?.Mirrors ?? [];
  if (mirrors.length) {
    add(1, 'Registry Mirrors');
    for (const mirror of mirrors) lines.push(`  ${mirror}`);
  }
  add(1, 'Live Restore Enabled', info.LiveRestoreEnabled);
  return lines.join('\n') + '\n\n';
}

/** `berth system df`: space used by images, containers, local volumes and the build cache. */
export const df: Command = {
  usage: '[OPTIONS]',
  description: 'Show docker disk usage',
  flags: [FORMAT_FLAG, { name: 'verbose', short: 'v', type: 'boolean', description: 'Show detailed information on space usage (not supported yet)' }],
  maxArgs: 0,
  async run(context, args) {
    const usage = await context.docker().df();
    const rows = diskUsageRows(usage);
    const format = args.string('format');
    if (format === 'json') {
      await write(context.stdout, rows.map((row) => goJson(row) + '\n').join(''));
    } else if (format && format !== 'table') {
      const template = compileTemplate(format.replace(/^table\s*/, ''));
      await write(context.stdout, rows.map((row) => template(row) + '\n').join(''));
    } else {
      const table = [['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'], ...rows.map((row) => [row.Type, row.TotalCount, row.Active, row.Size, row.Reclaimable])];
      await write(context.stdout, formatTable(table));
    }
    return 0;
  },
};

/** One row of `system df`, with the Docker CLI's template field names. */
export interface DiskUsageRow {
  Active: string;
  Reclaimable: string;
  Size: string;
  TotalCount: string;
  Type: string;
}

function reclaimable(reclaim: number, total: number, withPercent = true): string {
  // Podman reports LayersSize 0 with images of non-zero size: never show a negative amount.
  if (reclaim < 0) reclaim = 0;
  return withPercent && total > 0 ? `${humanSize(reclaim)} (${Math.floor((reclaim * 100) / total)}%)` : humanSize(reclaim);
}

/** `GET /system/df` as engines before API 1.52 answer it (the spec now documents only the summary form). */
interface LegacyDiskUsage {
  LayersSize?: number;
  Images?: Array<{ Containers: number; Size: number; SharedSize: number }> | null;
  Containers?: Array<{ State?: string; SizeRw?: number }> | null;
  Volumes?: Array<{ UsageData?: { Size: number; RefCount: number } | null }> | null;
  BuildCache?: Array<{ InUse?: boolean; Shared?: boolean; Size?: number }> | null;
}

type Summary = { ActiveCount?: number; TotalCount?: number; Reclaimable?: number; TotalSize?: number } | undefined;

/** Computes the four rows as the Docker CLI does, from either form of `GET /system/df`. */
export function diskUsageRows(usage: SystemDataUsageResponse): DiskUsageRow[] {
  if (usage.ImageUsage || usage.ContainerUsage) {
    const row = (type: string, summary: Summary, withPercent = true): DiskUsageRow => ({
      Type: type, TotalCount: String(summary?.TotalCount ?? 0), Active: String(summary?.ActiveCount ?? 0),
      Size: humanSize(summary?.TotalSize ?? 0), Reclaimable: reclaimable(summary?.Reclaimable ?? 0, summary?.TotalSize ?? 0, withPercent),
    });
    return [row('Images', usage.ImageUsage), row('Containers', usage.ContainerUsage), row('Local Volumes', usage.VolumeUsage), row('Build Cache', usage.BuildCacheUsage, false)];
  }
  const legacy = usage as LegacyDiskUsage;
  const images = legacy.Images ?? [];
  const layersSize = legacy.LayersSize ?? 0;
  let imagesInUse = 0;
  for (const image of images) {
    if (image.Containers > 0 && image.Size !== -1 && image.SharedSize !== -1) imagesInUse += image.Size - image.SharedSize;
  }
  const containers = legacy.Containers ?? [];
  const isActive = (state: string | undefined) => state === 'running' || state === 'paused' || state === 'restarting';
  const containersSize = containers.reduce((sum, container) => sum + (container.SizeRw ?? 0), 0);
  const containersReclaimable = containers.filter((container) => !isActive(container.State)).reduce((sum, container) => sum + (container.SizeRw ?? 0), 0);
  const volumes = legacy.Volumes ?? [];
  const volumeSize = (volume: (typeof volumes)[number]) => (volume.UsageData && volume.UsageData.Size !== -1 ? volume.UsageData.Size : 0);
  const volumesSize = volumes.reduce((sum, volume) => sum + volumeSize(volume), 0);
  const volumesReclaimable = volumes.filter((volume) => (volume.UsageData?.RefCount ?? 0) <= 0).reduce((sum, volume) => sum + volumeSize(volume), 0);
  const cache = legacy.BuildCache ?? [];
  const cacheSize = cache.filter((record) => !record.Shared).reduce((sum, record) => sum + (record.Size ?? 0), 0);
  const cacheInUse = cache.filter((record) => record.InUse && !record.Shared).reduce((sum, record) => sum + (record.Size ?? 0), 0);
  return [
    { Type: 'Images', TotalCount: String(images.length), Active: String(images.filter((image) => image.Containers > 0).length), Size: humanSize(layersSize), Reclaimable: reclaimable(layersSize - imagesInUse, layersSize) },
    { Type: 'Containers', TotalCount: String(containers.length), Active: String(containers.filter((container) => isActive(container.State)).length), Size: humanSize(containersSize), Reclaimable: reclaimable(containersReclaimable, containersSize) },
    { Type: 'Local Volumes', TotalCount: String(volumes.length), Active: String(volumes.filter((volume) => (volume.UsageData?.RefCount ?? 0) > 0).length), Size: humanSize(volumesSize), Reclaimable: reclaimable(volumesReclaimable, volumesSize) },
    { Type: 'Build Cache', TotalCount: String(cache.length), Active: String(cache.filter((record) => record.InUse).length), Size: humanSize(cacheSize), Reclaimable: reclaimable(cacheSize - cacheInUse, cacheSize, false) },
  ];
}
