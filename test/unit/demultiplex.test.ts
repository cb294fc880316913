/**
 * The multiplexed-stream decoder on frames split at every boundary: stdout and stderr stay apart, bytes
 * arrive intact, and a broken stream is an error, not silence.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtocolError, StreamError } from '../../src/errors.js';
import { demultiplex, rawFrames } from '../../src/stream/demultiplex.js';
import type { OutputFrame } from '../../src/stream/frames.js';
import { chunksOf, everySplit } from '../helpers/splits.js';

function frame(stream: number, data: string | Buffer): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** Decodes and merges consecutive pieces of the same stream (a frame may arrive in pieces). */
async function decode(chunks: Buffer[]): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for await (const { stream, data } of demultiplex(chunksOf(chunks))) {
    assert.ok(data.length > 0, 'no empty pieces are reported');
    const last = out.at(-1);
    if (last && last[0] === stream) last[1] += Buffer.from(data).toString('latin1');
    else out.push([stream, Buffer.from(data).toString('latin1')]);
  }
  return out;
}

describe('demultiplex', () => {
  const fixture = Buffer.concat([
    frame(1, 'hello from stdout\n'),
    frame(2, 'an error\n'),
    frame(1, ''),
    frame(1, 'ümlaut ✓\n'),
    frame(0, 'echoed stdin'),
    frame(2, 'x'),
  ]);
  const expected: Array<[string, string]> = [
    ['stdout', 'hello from stdout\n'],
    ['stderr', 'an error\n'],
    ['stdout', Buffer.from('ümlaut ✓\n').toString('latin1')],
    ['stdin', 'echoed stdin'],
    ['stderr', 'x'],
  ];

  it('frames and headers split at every boundary decode the same', async () => {
    for (const { label, chunks } of everySplit(fixture)) {
      assert.deepEqual(await decode(chunks), expected, label);
    }
  });

  it('a 0-length frame yields nothing and does not end the stream', async () => {
    assert.deepEqual(await decode([frame(1, ''), frame(1, ''), frame(2, 'after')]), [['stderr', 'after']]);
  });

  it('a huge frame arriving in pieces is passed on as it comes, without waiting for the whole frame', async () => {
    const payload = Buffer.alloc(8 * 1024 * 1024, 'y');
    const bytes = Buffer.concat([frame(1, payload), frame(2, 'tail')]);
    const pieces: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 65_536) pieces.push(bytes.subarray(at, at + 65_536));
    let stdoutBytes = 0;
    let stdoutPieces = 0;
    const frames: OutputFrame[] = [];
    for await (const piece of demultiplex(chunksOf(pieces))) {
      if (piece.stream === 'stdout') { stdoutBytes += piece.data.length; stdoutPieces++; } else frames.push(piece);
    }
    assert.equal(stdoutBytes, payload.length);
    assert.ok(stdoutPieces >= 128, `${stdoutPieces} pieces`);
    assert.equal(Buffer.from(frames[0]!.data).toString(), 'tail');
  });

  it('many small frames in one chunk', async () => {
    const bytes = Buffer.concat(Array.from({ length: 1000 }, (_, i) => frame(1 + (i % 2), `${i}\n`)));
    const out = await decode([bytes]);
    assert.equal(out.length, 1000);
    assert.deepEqual(out[999], ['stderr', '999\n']);
  });

  it('an unknown stream byte is a ProtocolError', async () => {
    for (const { label, chunks } of everySplit(Buffer.concat([frame(1, 'ok'), frame(7, 'bad')]))) {
      await assert.rejects(decode(chunks), (error: unknown) => error instanceof ProtocolError && /Unknown stream 7/.test(error.message), label);
    }
  });

  it('stream 3 (dockerd\'s "systemerr", an error after the stream started) is a StreamError with its message', async () => {
    const bytes = Buffer.concat([frame(1, 'some output\n'), frame(3, 'error from daemon in stream: log driver failed\n'), frame(1, 'never')]);
    for (const { label, chunks } of everySplit(bytes)) {
      const received: string[] = [];
      await assert.rejects((async () => {
        for await (const piece of demultiplex(chunksOf(chunks))) received.push(Buffer.from(piece.data).toString());
      })(), (error: unknown) => error instanceof StreamError && error.message === 'error from daemon in stream: log driver failed', label);
      assert.equal(received.join(''), 'some output\n', label);
    }
  });

  it('raw TTY bytes that happen to look like something else are not mistaken for a header', async () => {
    // A TTY stream starting with 0x01: rawFrames is chosen by the Content-Type, and passes the bytes on as they are.
    const tty = Buffer.from('\x01\x00\x00\x00\x00\x00\x00\x05hello');
    const out: string[] = [];
    for await (const piece of rawFrames(chunksOf([tty]))) out.push(`${piece.stream}:${Buffer.from(piece.data).toString('latin1')}`);
    assert.deepEqual(out, [`stdout:${tty.toString('latin1')}`]);
  });

  it('a stream truncated inside a header or a payload is a ProtocolError', async () => {
    const whole = Buffer.concat([frame(1, 'complete\n'), frame(2, 'cut short')]);
    for (const cut of [whole.length - 1, whole.length - 5, 17 + 3, 17 + 7]) {
      const truncated = whole.subarray(0, cut);
      for (const { label, chunks } of everySplit(truncated)) {
        await assert.rejects(decode(chunks), ProtocolError, `cut at ${cut}, ${label}`);
      }
    }
  });

  it('the frames before a truncation are still delivered', async () => {
    const received: string[] = [];
    await assert.rejects((async () => {
      for await (const piece of demultiplex(chunksOf([frame(1, 'first\n'), frame(2, 'sec').subarray(0, 10)]))) {
        received.push(Buffer.from(piece.data).toString());
      }
    })(), ProtocolError);
    assert.deepEqual(received, ['first\n', 'se']);
  });
});
