/**
 * Moves pieces of `bytes` together in place and returns them as one view: `bytes[ranges[0]..ranges[1])`, then
 * each following pair `[start, end)` of `ranges` (up to `used` numbers), copied down over whatever lay between
 * them (HTTP chunk framing, frame headers). Only for bytes nobody else reads: a fresh buffer per socket read.
 * `copyWithin` (a V8 builtin) rather than `Buffer#copy`: a third of the cost per small piece.
 */
export function gatherInPlace<T extends Uint8Array>(bytes: T, ranges: readonly number[], used: number): T {
  const start = ranges[0]!;
  let at = ranges[1]!;
  for (let i = 2; i < used; i += 2) {
    const from = ranges[i]!;
    const to = ranges[i + 1]!;
    bytes.copyWithin(at, from, to);
    at += to - from;
  }
  return bytes.subarray(start, at) as T;
}
