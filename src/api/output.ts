import { demultiplex, rawFrames } from '../stream/demultiplex.js';
import { isMultiplexedContentType, type OutputFrame } from '../stream/frames.js';
import type { HttpResponse } from '../transport/response.js';

/**
 * Decodes container output (logs, attach). The response's `Content-Type` decides between the
 * multiplexed format and raw TTY bytes; engines that do not say (dockerd before API 1.42 on logs) are
 * asked whether the container has a TTY, which is what the Docker CLI does too. Bytes are never sniffed.
 */
export async function* decodeOutput(response: HttpResponse, hasTty: () => Promise<boolean>): AsyncGenerator<OutputFrame> {
  let multiplexed = isMultiplexedContentType(response.headers.get('content-type'));
  if (multiplexed === undefined) multiplexed = !(await hasTty());
  yield* (multiplexed ? demultiplex(response) : rawFrames(response));
}
