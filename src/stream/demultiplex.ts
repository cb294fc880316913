import { ProtocolError, StreamError } from '../errors.js';
import type { OutputFrame, StreamName } from './frames.js';

const HEADER_BYTES = 8;
const STREAM_NAMES: Record<number, StreamName> = { 0: 'stdin', 1: 'stdout', 2: 'stderr' };
/** Stream 3 ("systemerr"): dockerd reports an error that happened after the stream started (e.g. a log driver failing). */
const SYSTEM_ERROR = 3;

/**
 * Splits the engine's multiplexed stream (the "stdcopy" format: an 8-byte header with the stream number
 * and a big-endian length, then the payload) into frames.
 *
 * It never copies the rest of its input to find the next frame: payloads are views into the chunks as
 * they arrived, and a payload that spans chunks is passed on in pieces, so throughput does not fall with
 * small frames. Only a header split across chunks is copied (8 bytes).
 */
export async function* demultiplex(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<OutputFrame> {
  const header = new Uint8Array(HEADER_BYTES);
  let headerFill = 0;
  let stream: StreamName | typeof SYSTEM_ERROR = 'stdout';
  let remaining = 0;
  let systemError: Uint8Array[] = [];
  for await (const chunk of chunks) {
    let offset = 0;
    while (offset < chunk.length) {
      if (remaining > 0) {
        const take = Math.min(remaining, chunk.length - offset);
        const data = chunk.subarray(offset, offset + take);
        offset += take;
        remaining -= take;
        if (stream !== SYSTEM_ERROR) {
          yield { stream, data };
          continue;
        }
        systemError.push(data);
        if (remaining === 0) throw new StreamError(Buffer.concat(systemError).toString('utf8').trim());
        continue;
      }
      if (headerFill === 0 && chunk.length - offset >= HEADER_BYTES) {
        stream = streamName(chunk[offset]!);
        remaining = readLength(chunk, offset + 4);
        offset += HEADER_BYTES;
        systemError = [];
        continue;
      }
      // A header split across chunks: gather its 8 bytes.
      const take = Math.min(HEADER_BYTES - headerFill, chunk.length - offset);
      header.set(chunk.subarray(offset, offset + take), headerFill);
      headerFill += take;
      offset += take;
      if (headerFill === HEADER_BYTES) {
        stream = streamName(header[0]!);
        remaining = readLength(header, 4);
        headerFill = 0;
        systemError = [];
      }
    }
  }
  if (headerFill > 0 || remaining > 0) {
    throw new ProtocolError(`The output stream ended inside a frame (${headerFill > 0 ? 'header' : `${remaining} bytes missing`})`);
  }
}

function streamName(byte: number): StreamName | typeof SYSTEM_ERROR {
  if (byte === SYSTEM_ERROR) return SYSTEM_ERROR;
  const name = STREAM_NAMES[byte];
  if (name === undefined) throw new ProtocolError(`Unknown stream ${byte} in multiplexed output`);
  return name;
}

function readLength(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}

/** Output of a TTY: one stream, reported as stdout. */
export async function* rawFrames(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<OutputFrame> {
  for await (const data of chunks) yield { stream: 'stdout', data };
}
