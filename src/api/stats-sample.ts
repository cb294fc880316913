/**
 * Stats samples as the spec names their fields, whichever engine sent them.
 */
import type { ContainerStatsResponse } from '../generated/models.js';

/**
 * Podman 4 sends the container ID as `Id` where dockerd (and the spec) say `id`: copy it over, so code that
 * reads `sample.id` works on both engines. Samples that already have `id` come back unchanged.
 */
export function normalizeStatsSample(sample: ContainerStatsResponse): ContainerStatsResponse {
  const podmanId = (sample as { Id?: unknown }).Id;
  if ((sample.id === undefined || sample.id === null) && typeof podmanId === 'string') return { ...sample, id: podmanId };
  return sample;
}

/** {@link normalizeStatsSample} over a stream of samples. */
export async function* normalizeStatsSamples(samples: AsyncIterable<ContainerStatsResponse>): AsyncIterable<ContainerStatsResponse> {
  for await (const sample of samples) yield normalizeStatsSample(sample);
}
