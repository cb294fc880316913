import { ProtocolError } from '../errors.js';

/**
 * Decodes a stream of JSON values separated by newlines (events, stats, progress). A value split across
 * chunks, or several in one chunk, both decode correctly; blank lines are skipped.
 */
export async function* jsonLines<T>(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<T> {
  const decoder = new TextDecoder('utf-8');
  let buffered = '';
  for await (const chunk of chunks) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline = buffered.indexOf('\n');
    if (newline < 0) continue;
    let start = 0;
    while (newline >= 0) {
      const line = buffered.slice(start, newline);
      start = newline + 1;
      if (line.trim()) yield parseLine<T>(line);
      newline = buffered.indexOf('\n', start);
    }
    buffered = buffered.slice(start);
  }
  buffered += decoder.decode();
  // The last value may come without a newline (some engines end the stream that way).
  if (buffered.trim()) yield parseLine<T>(buffered);
}

function parseLine<T>(line: string): T {
  try {
    return JSON.parse(line) as T;
  } catch (error) {
    throw new ProtocolError(`The engine sent a line that is not JSON: ${line.slice(0, 80)}`, { cause: error });
  }
}
