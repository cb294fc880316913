import type { BuildCache, ContainerSummary, ImageSummary, Volume } from '../generated/models.js';
import type { SystemDataUsageResponse } from '../generated/operations.js';

/** `GET /system/df` as engines before API 1.52 answer it: flat lists, no totals. */
interface LegacyDataUsage {
  LayersSize?: number;
  Images?: ImageSummary[] | null;
  Containers?: ContainerSummary[] | null;
  Volumes?: Volume[] | null;
  BuildCache?: BuildCache[] | null;
}

/**
 * Gives `/system/df` one shape whatever the API version. API 1.52 replaced the flat lists (`Images`,
 * `Containers`, `Volumes`, `BuildCache`, `LayersSize`) with per-kind summaries (`ImageUsage` …); the types
 * follow the newest spec, so an older engine's answer is turned into that shape, with the totals computed
 * the way the Docker CLI computes them for `docker system df`.
 */
export function normalizeDataUsage(raw: SystemDataUsageResponse & LegacyDataUsage): SystemDataUsageResponse {
  if (raw.ImageUsage || raw.ContainerUsage || raw.VolumeUsage || raw.BuildCacheUsage) return raw;
  const images = raw.Images ?? [];
  const containers = raw.Containers ?? [];
  const volumes = raw.Volumes ?? [];
  const buildCache = raw.BuildCache ?? [];
  const sum = <T>(items: T[], size: (item: T) => number) => items.reduce((total, item) => total + size(item), 0);
  // -1 means "not computed" in these answers.
  const known = (size: number | undefined | null) => (size === undefined || size === null || size < 0 ? 0 : size);

  const layersSize = known(raw.LayersSize);
  const imagesInUse = images.filter((image) => image.Containers > 0);
  const inUseSize = sum(imagesInUse, (image) => (image.Size >= 0 && image.SharedSize >= 0 ? image.Size - image.SharedSize : 0));
  const isActive = (state: string | undefined) => state === 'running' || state === 'paused' || state === 'restarting';
  const activeContainers = containers.filter((container) => isActive(container.State));
  const containersSize = sum(containers, (container) => known(container.SizeRw));
  const volumeSize = (volume: Volume) => known(volume.UsageData?.Size);
  const usedVolumes = volumes.filter((volume) => (volume.UsageData?.RefCount ?? 0) > 0);
  const volumesSize = sum(volumes, volumeSize);
  const ownCache = buildCache.filter((record) => !record.Shared);
  const cacheSize = sum(ownCache, (record) => known(record.Size));
  return {
    ImageUsage: {
      ActiveCount: imagesInUse.length,
      TotalCount: images.length,
      TotalSize: layersSize,
      Reclaimable: Math.max(layersSize - inUseSize, 0),
      Items: images,
    },
    ContainerUsage: {
      ActiveCount: activeContainers.length,
      TotalCount: containers.length,
      TotalSize: containersSize,
      Reclaimable: containersSize - sum(activeContainers, (container) => known(container.SizeRw)),
      Items: containers,
    },
    VolumeUsage: {
      ActiveCount: usedVolumes.length,
      TotalCount: volumes.length,
      TotalSize: volumesSize,
      Reclaimable: volumesSize - sum(usedVolumes, volumeSize),
      Items: volumes,
    },
    BuildCacheUsage: {
      ActiveCount: buildCache.filter((record) => record.InUse).length,
      TotalCount: buildCache.length,
      TotalSize: cacheSize,
      Reclaimable: cacheSize - sum(ownCache.filter((record) => record.InUse), (record) => known(record.Size)),
      Items: buildCache,
    },
  };
}
