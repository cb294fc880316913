/**
 * JSON lines (events, stats, progress) split anywhere: one value across chunks, several in one chunk,
 * multi-byte characters cut in half, and a last line without its newline.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtocolError } from '../../src/errors.js';
import { jsonLines } from '../../src/stream/json-lines.js';
import { chunksOf, everySplit } from '../helpers/splits.js';

async function decode(chunks: Buffer[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const value of jsonLines(chunksOf(chunks))) out.push(value);
  return out;
}

describe('jsonLines', () => {
  const values = [
    { status: 'start', id: 'abc', from: 'busybox:local' },
    { status: 'Pulling fs layer', progressDetail: {} },
    { message: 'naïve café ✓ 🐳', n: 3 },
    [1, 2, 3],
    'a string',
  ];
  const text = values.map((value) => JSON.stringify(value)).join('\n') + '\n';

  it('values split at every byte boundary, including inside multi-byte characters', async () => {
    const bytes = Buffer.from(text, 'utf8');
    assert.ok(bytes.length > text.length, 'the fixture has multi-byte characters');
    for (const { label, chunks } of everySplit(bytes)) {
      assert.deepEqual(await decode(chunks), values, label);
    }
  });

  it('several values in one chunk', async () => {
    assert.deepEqual(await decode([Buffer.from(text)]), values);
  });

  it('the last value without a newline', async () => {
    const bytes = Buffer.from(text.trimEnd(), 'utf8');
    for (const { label, chunks } of everySplit(bytes)) {
      assert.deepEqual(await decode(chunks), values, label);
    }
  });

  it('one long value (16 MB) across many chunks, between small ones', async () => {
    const long = { layer: 'x'.repeat(16 * 1024 * 1024) };
    const bytes = Buffer.from(`{"a":1}\n${JSON.stringify(long)}\n{"b":2}`);
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 65_536) chunks.push(bytes.subarray(at, at + 65_536));
    const values = await decode(chunks) as Array<Record<string, string | number>>;
    assert.equal(values.length, 3);
    assert.equal((values[1]!.layer as string).length, long.layer.length);
    assert.deepEqual(values[2], { b: 2 });
  });

  it('CRLF line ends and blank lines', async () => {
    assert.deepEqual(await decode([Buffer.from('{"a":1}\r\n\r\n\n{"b":2}\r\n')]), [{ a: 1 }, { b: 2 }]);
  });

  it('an empty stream yields nothing', async () => {
    assert.deepEqual(await decode([]), []);
    assert.deepEqual(await decode([Buffer.from('\n\n')]), []);
  });

  it('a line that is not JSON is a ProtocolError, after the values before it', async () => {
    const received: unknown[] = [];
    await assert.rejects((async () => {
      for await (const value of jsonLines(chunksOf([Buffer.from('{"ok":true}\n<html>oops</html>\n{"never":1}\n')]))) received.push(value);
    })(), ProtocolError);
    assert.deepEqual(received, [{ ok: true }]);
  });

  it('a stream cut inside a value is a ProtocolError', async () => {
    await assert.rejects(decode([Buffer.from('{"a":1}\n{"b":')]), ProtocolError);
  });

  it('a value is yielded as soon as its line is complete, before the stream ends', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    async function* source() {
      yield Buffer.from('{"first":1}\n{"sec');
      await gate;
      yield Buffer.from('ond":2}\n');
    }
    const iterator = jsonLines(source())[Symbol.asyncIterator]();
    assert.deepEqual((await iterator.next()).value, { first: 1 });
    release();
    assert.deepEqual((await iterator.next()).value, { second: 2 });
    assert.equal((await iterator.next()).done, true);
  });
});
