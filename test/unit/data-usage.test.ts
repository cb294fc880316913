/**
 * `/system/df` in one shape: an engine before API 1.52 answers with flat lists, which are turned into the
 * typed summaries with the totals `docker system df` shows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeDataUsage } from '../../src/api/data-usage.js';
import type { SystemDataUsageResponse } from '../../src/index.js';

describe('normalizeDataUsage', () => {
  it('an API 1.52+ answer is passed on as it is', () => {
    const modern: SystemDataUsageResponse = { ImageUsage: { TotalCount: 1, ActiveCount: 0, TotalSize: 10, Reclaimable: 10, Items: [] } };
    assert.equal(normalizeDataUsage(modern), modern);
  });

  it('a 1.41 answer gets counts, sizes and reclaimable space per kind', () => {
    const legacy = {
      LayersSize: 3000,
      Images: [
        { Id: 'a', Size: 2000, SharedSize: 500, Containers: 1 },
        { Id: 'b', Size: 1000, SharedSize: -1, Containers: 0 },
      ],
      Containers: [{ Id: 'c1', State: 'running', SizeRw: 10 }, { Id: 'c2', State: 'exited', SizeRw: 5 }],
      Volumes: [{ Name: 'v1', UsageData: { Size: 100, RefCount: 1 } }, { Name: 'v2', UsageData: { Size: -1, RefCount: 0 } }],
      BuildCache: [{ ID: 'x', InUse: false, Shared: false, Size: 7 }, { ID: 'y', InUse: true, Size: 3 }],
    } as unknown as SystemDataUsageResponse;
    const usage = normalizeDataUsage(legacy);
    assert.deepEqual({ ...usage.ImageUsage, Items: usage.ImageUsage?.Items?.length }, { ActiveCount: 1, TotalCount: 2, TotalSize: 3000, Reclaimable: 1000, Items: 2 });
    assert.deepEqual({ ...usage.ContainerUsage, Items: undefined }, { ActiveCount: 1, TotalCount: 2, TotalSize: 15, Reclaimable: 5, Items: undefined });
    assert.deepEqual({ ...usage.VolumeUsage, Items: undefined }, { ActiveCount: 1, TotalCount: 2, TotalSize: 100, Reclaimable: 0, Items: undefined });
    assert.deepEqual({ ...usage.BuildCacheUsage, Items: undefined }, { ActiveCount: 1, TotalCount: 2, TotalSize: 10, Reclaimable: 7, Items: undefined });
  });

  it('null lists (an engine with nothing) become empty summaries', () => {
    const usage = normalizeDataUsage({ LayersSize: 0, Images: null, Containers: null, Volumes: null, BuildCache: null } as unknown as SystemDataUsageResponse);
    assert.equal(usage.ImageUsage?.TotalCount, 0);
    assert.deepEqual(usage.VolumeUsage?.Items, []);
  });
});
