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
      Containers: [{ Id: 'c1', State: 'running', SizeRw: 10 }, { Id: 'c2', State: 'exited', SizeRw: 5 }, { Id: 'c3', State: 'paused', SizeRw: 1 }],
      Volumes: [{ Name: 'v1', UsageData: { Size: 100, RefCount: 1 } }, { Name: 'v2', UsageData: { Size: -1, RefCount: 0 } }, { Name: 'v3', UsageData: { Size: 20, RefCount: 0 } }],
      BuildCache: [{ ID: 'x', InUse: false, Shared: false, Size: 7 }, { ID: 'y', InUse: true, Size: 3 }, { ID: 'z', Shared: true, Size: 50 }],
    } as unknown as SystemDataUsageResponse;
    const usage = normalizeDataUsage(legacy);
    const summary = (value: object | undefined) => ({ ...value, Items: undefined });
    // As `docker system df` computes them: reclaimable images are the layers not used by an image in use.
    assert.deepEqual(summary(usage.ImageUsage), { ActiveCount: 1, TotalCount: 2, TotalSize: 3000, Reclaimable: 1500, Items: undefined });
    assert.equal(usage.ImageUsage?.Items?.length, 2);
    // Paused containers are active.
    assert.deepEqual(summary(usage.ContainerUsage), { ActiveCount: 2, TotalCount: 3, TotalSize: 16, Reclaimable: 5, Items: undefined });
    // A size of -1 (not computed) counts as 0.
    assert.deepEqual(summary(usage.VolumeUsage), { ActiveCount: 1, TotalCount: 3, TotalSize: 120, Reclaimable: 20, Items: undefined });
    // Shared cache records are not counted in the size.
    assert.deepEqual(summary(usage.BuildCacheUsage), { ActiveCount: 1, TotalCount: 3, TotalSize: 10, Reclaimable: 7, Items: undefined });
  });

  it('null lists (an engine with nothing) become empty summaries', () => {
    const usage = normalizeDataUsage({ LayersSize: 0, Images: null, Containers: null, Volumes: null, BuildCache: null } as unknown as SystemDataUsageResponse);
    assert.equal(usage.ImageUsage?.TotalCount, 0);
    assert.deepEqual(usage.VolumeUsage?.Items, []);
  });
});
