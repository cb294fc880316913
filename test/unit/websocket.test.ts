/**
 * The WebSocket frame reader on byte fixtures split at every boundary, the handshake accept value (the
 * RFC 6455 example), and client frames (always masked).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeClientFrame, readFrames, webSocketAccept } from '../../src/stream/websocket.js';

/** A server frame: unmasked, with the 7-bit, 16-bit or 64-bit length form as the payload needs. */
function serverFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const head = length < 126 ? Buffer.from([0x80 | opcode, length])
    : length < 65536 ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
      : Buffer.concat([Buffer.from([0x80 | opcode, 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(length)); return b; })()]);
  return Buffer.concat([head, payload]);
}

async function* pieces(...chunks: Buffer[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

async function read(...chunks: Buffer[]) {
  const frames = [];
  for await (const frame of readFrames(pieces(...chunks))) frames.push({ opcode: frame.opcode, text: frame.payload.toString('latin1') });
  return frames;
}

describe('WebSocket frames', () => {
  const big = Buffer.alloc(70_000, 'b');
  const fixture = Buffer.concat([
    serverFrame(1, Buffer.from('hello')),
    serverFrame(2, Buffer.alloc(300, 'm')),
    serverFrame(2, big),
    serverFrame(8, Buffer.from([0x03, 0xe8])),
  ]);
  const expected = [
    { opcode: 1, text: 'hello' },
    { opcode: 2, text: 'm'.repeat(300) },
    { opcode: 2, text: big.toString('latin1') },
    { opcode: 8, text: '\x03\xe8' },
  ];

  it('reads frames of every length form split at every boundary of their headers', async () => {
    for (let at = 1; at < 320; at++) {
      assert.deepEqual(await read(fixture.subarray(0, at), fixture.subarray(at)), expected, `split at ${at}`);
    }
    assert.deepEqual(await read(...[...fixture].map((byte) => Buffer.from([byte])).slice(0, 400), fixture.subarray(400)), expected);
  });

  it('fails when the stream ends inside a frame', async () => {
    await assert.rejects(read(fixture.subarray(0, 10)), /ended inside a frame/);
  });

  it('unmasks client frames it encodes (round trip) and always masks them', async () => {
    const frame = encodeClientFrame(2, Buffer.from('stdin data'));
    assert.equal(frame[1]! & 0x80, 0x80);
    assert.deepEqual(await read(frame), [{ opcode: 2, text: 'stdin data' }]);
    const long = encodeClientFrame(1, Buffer.alloc(1000, 'x'));
    assert.deepEqual(await read(long), [{ opcode: 1, text: 'x'.repeat(1000) }]);
  });

  it('computes the handshake accept value of RFC 6455', () => {
    assert.equal(webSocketAccept('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });
});
