/**
 * Byte fixtures fed the way a socket may deliver them: whole, split in two at every boundary, and one
 * byte at a time. A decoder that is right must give the same answer for every one of them.
 */

/** Every way a test feeds `bytes`: whole, each 2-way split, and 1-byte chunks. */
export function* everySplit(bytes: Uint8Array): Generator<{ label: string; chunks: Buffer[] }> {
  const buffer = Buffer.from(bytes);
  yield { label: 'whole', chunks: [buffer] };
  for (let at = 1; at < buffer.length; at++) {
    yield { label: `split at ${at}`, chunks: [buffer.subarray(0, at), buffer.subarray(at)] };
  }
  yield { label: '1-byte chunks', chunks: [...buffer].map((_, i) => buffer.subarray(i, i + 1)) };
}

/** An async iterable over `chunks`, as a response body would deliver them. */
export async function* chunksOf(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}
