/** FrameWriter: output frames batched per stream, order kept, everything written by end(). */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { FrameWriter } from '../../cli/frame-writer.js';

function recorder(log: string[], name: string, options: { highWaterMark?: number } = {}): Writable {
  return new Writable({
    highWaterMark: options.highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      log.push(`${name}:${chunk.toString('utf8')}`);
      setImmediate(callback);
    },
  });
}

const frame = (stream: string, text: string) => ({ stream, data: Buffer.from(text) });

describe('FrameWriter', () => {
  test('joins consecutive frames of one stream, keeps the order across streams', async () => {
    const log: string[] = [];
    const writer = new FrameWriter({ stdout: recorder(log, 'out'), stderr: recorder(log, 'err') });
    for (const f of [frame('stdout', 'a\n'), frame('stdout', 'b\n'), frame('stderr', 'x\n'), frame('stdout', 'c\n')]) await writer.write(f);
    await writer.end();
    assert.deepEqual(log, ['out:a\nb\n', 'err:x\n', 'out:c\n']);
  });

  test('a lone frame is written without waiting for end()', async () => {
    const log: string[] = [];
    const writer = new FrameWriter({ stdout: recorder(log, 'out'), stderr: recorder(log, 'err') });
    await writer.write(frame('stdout', 'prompt> '));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(log, ['out:prompt> ']);
    await writer.end();
  });

  test('large output is written in bounded batches and nothing is lost', async () => {
    const log: string[] = [];
    const writer = new FrameWriter({ stdout: recorder(log, 'out', { highWaterMark: 1024 }), stderr: recorder(log, 'err') });
    const line = 'x'.repeat(1000) + '\n';
    for (let i = 0; i < 300; i += 1) await writer.write(frame('stdout', line));
    await writer.end();
    const written = log.map((entry) => entry.slice(4)).join('');
    assert.equal(written.length, 300 * line.length);
    assert.ok(log.length > 1 && log.length < 300, `expected a few batches, got ${log.length}`);
  });

  test('a failing stream makes end() reject', async () => {
    const failing = new Writable({ write(_chunk, _encoding, callback) { callback(new Error('EPIPE')); } });
    failing.on('error', () => undefined);
    const writer = new FrameWriter({ stdout: failing, stderr: failing });
    await writer.write(frame('stdout', 'a'));
    await assert.rejects(writer.end(), /EPIPE/);
  });
});
