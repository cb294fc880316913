import { demultiplex, rawFrames } from '../stream/demultiplex.js';
import { DeferredIterator } from '../stream/deferred-iterator.js';
import { isMultiplexedContentType, type OutputFrame } from '../stream/frames.js';
import type { HttpResponse } from '../transport/response.js';

/**
 * Decodes container output (logs, attach). The response's `Content-Type` decides between the
 * multiplexed format and raw TTY bytes; engines that do not say (dockerd before API 1.42 on logs) are
 * asked whether the container has a TTY, which is what the Docker CLI does too. Bytes are never sniffed.
 */
export function decodeOutput(response: HttpResponse, hasTty: () => Promise<boolean>): AsyncIterableIterator<OutputFrame> {
  const multiplexed = isMultiplexedContentType(response.headers.get('content-type'));
  if (multiplexed !== undefined) return multiplexed ? demultiplex(response, { ownsChunks: true }) : rawFrames(response);
  // The decoder is chosen once the engine has said; after that, frames go straight to the caller.
  return new DeferredIterator(async () => ((await hasTty()) ? rawFrames(response) : demultiplex(response, { ownsChunks: true })));
}
