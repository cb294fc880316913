import type { ContainerStatsResponse } from '../generated/models.js';

/**
 * Ends a stats stream once the container has stopped. dockerd (20.10 at least) never closes the stream
 * itself: after the container exits it keeps sending an all-zero sample every second, whose `read` time
 * is Go's zero time. That sample is passed on (it says "not running"), then the stream ends.
 */
export async function* statsUntilStopped(samples: AsyncIterable<ContainerStatsResponse>): AsyncGenerator<ContainerStatsResponse> {
  for await (const sample of samples) {
    yield sample;
    if (isZeroTime(sample.read)) return;
  }
}

/** Go's zero `time.Time` as JSON: `0001-01-01T00:00:00Z`. */
function isZeroTime(time: string | null | undefined): boolean {
  return typeof time === 'string' && time.startsWith('0001-01-01T00:00:00');
}
