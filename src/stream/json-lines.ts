import { ProtocolError } from '../errors.js';

/**
 * Decodes a stream of JSON values separated by newlines (events, stats, progress). A value split across
 * chunks, or several in one chunk, both decode correctly; blank lines are skipped.
 */
export async function* jsonLines<T>(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<T> {
  const decoder = new TextDecoder('utf-8');
  // The pieces of the line not yet complete. Kept apart and joined once the newline comes: appending to one
  // string and searching it again on every chunk made a long line (a big JSON value) quadratic.
  let pending: string[] = [];
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      pending.push(text.slice(start, newline));
      const line = pending.length === 1 ? pending[0]! : pending.join('');
      pending = [];
      start = newline + 1;
      if (line.trim()) yield parseLine<T>(line);
    }
    if (start < text.length) pending.push(start === 0 ? text : text.slice(start));
  }
  // The last value may come without a newline (some engines end the stream that way).
  const last = pending.join('') + decoder.decode();
  if (last.trim()) yield parseLine<T>(last);
}

function parseLine<T>(line: string): T {
  try {
    return JSON.parse(line) as T;
  } catch (error) {
    throw new ProtocolError(`The engine sent a line that is not JSON: ${line.slice(0, 80)}`, { cause: error });
  }
}
