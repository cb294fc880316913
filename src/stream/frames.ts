/** Which stream a piece of container output came from. */
export type StreamName = 'stdin' | 'stdout' | 'stderr';

/**
 * A piece of a container's output. With a TTY the engine merges stdout and stderr into one stream;
 * such output is reported as `stdout`, as the Docker CLI prints it.
 */
export interface OutputFrame {
  stream: StreamName;
  /** The bytes; a large frame may arrive as several pieces of the same stream. */
  data: Uint8Array;
}

/** The content types the engine uses for container output. */
export const MULTIPLEXED_STREAM = 'application/vnd.docker.multiplexed-stream';
/** The content type of TTY output and hijacked raw streams. */
export const RAW_STREAM = 'application/vnd.docker.raw-stream';

/** Whether a response's `Content-Type` says the body is multiplexed; `undefined` when it does not say. */
export function isMultiplexedContentType(contentType: string | undefined): boolean | undefined {
  if (!contentType) return undefined;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === MULTIPLEXED_STREAM) return true;
  if (type === RAW_STREAM) return false;
  return undefined;
}
