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
  const imageSize = (image: ImageSummary) => image.Size - (image.SharedSize > 0 ? image.SharedSize : 0);
  const volumeSize = (volume: Volume) => Math.max(volume.UsageData?.Size ?? 0, 0);
  const sum = <T>(items: T[], size: (item: T) => number) => items.reduce((total, item) => total + size(item), 0);
  const unusedImages = images.filter((image) => image.Containers === 0);
  const stoppedContainers = containers.filter((container) => container.State !== 'running');
  const unusedVolumes = volumes.filter((volume) => (volume.UsageData?.RefCount ?? 0) === 0);
  const reclaimableCache = buildCache.filter((record) => !record.InUse && !record.Shared);
  return {
    ImageUsage: {
      ActiveCount: images.length - unusedImages.length,
      TotalCount: images.length,
      TotalSize: raw.LayersSize ?? sum(images, imageSize),
      Reclaimable: sum(unusedImages, imageSize),
      Items: images,
    },
    ContainerUsage: {
      ActiveCount: containers.length - stoppedContainers.length,
      TotalCount: containers.length,
      TotalSize: sum(containers, (container) => container.SizeRw ?? 0),
      Reclaimable: sum(stoppedContainers, (container) => container.SizeRw ?? 0),
      Items: containers,
    },
    VolumeUsage: {
      ActiveCount: volumes.length - unusedVolumes.length,
      TotalCount: volumes.length,
      TotalSize: sum(volumes, volumeSize),
      Reclaimable: sum(unusedVolumes, volumeSize),
      Items: volumes,
    },
    BuildCacheUsage: {
      ActiveCount: buildCache.filter((record) => record.InUse).length,
      TotalCount: buildCache.length,
      TotalSize: sum(buildCache, (record) => record.Size ?? 0),
      Reclaimable: sum(reclaimableCache, (record) => record.Size ?? 0),
      Items: buildCache,
    },
  };
}
