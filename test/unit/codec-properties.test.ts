/**
 * Property-based tests (fast-check) of the three decoders every answer goes through: the HTTP/1.1 response
 * parser, the multiplexed-frame decoder and the JSON-lines decoder.
 * - Random valid input, cut into random pieces, decodes to the same result as in one piece.
 * - Random invalid bytes end in a result or a typed error (ProtocolError, or StreamError for a stream-3 frame),
 *   never another exception, and the decoders never wait for input that will not come.
 * - Differential: for random valid responses, our parser and Node's own (llhttp, through node:http on a real
 *   socket) agree on status, headers and body.
 * Run counts are modest so the file takes about a second.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DockerError, ProtocolError, StreamError } from '../../src/errors.js';
import { ResponseParser, type ResponseHead } from '../../src/transport/http-codec.js';
import { demultiplex } from '../../src/stream/demultiplex.js';
import { jsonLines } from '../../src/stream/json-lines.js';
import { chunksOf } from '../helpers/splits.js';

const RUNS = 200;

/** `bytes` cut at the given positions (any numbers; taken modulo the length, deduplicated). */
function cut(bytes: Buffer, cuts: number[]): Buffer[] {
  if (bytes.length === 0) return [bytes];
  const points = [...new Set(cuts.map((c) => c % bytes.length))].filter((c) => c > 0).sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const point of points) { pieces.push(bytes.subarray(from, point)); from = point; }
  pieces.push(bytes.subarray(from));
  return pieces;
}

// ---------------------------------------------------------------------------------------------
// HTTP responses

interface Response {
  status: number;
  reason: string;
  headers: [string, string][];
  body: Buffer;
  framing: 'length' | 'chunked' | 'close';
  /** Sizes of the chunks a chunked body is sent in (the rest in one last chunk). */
  chunkSizes: number[];
}

const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/);
const headerValue = fc.stringMatching(/^[!-~]([ -~]{0,30}[!-~])?$/);
const framingHeaders = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer']);

const responseArbitrary: fc.Arbitrary<Response> = fc.record({
  // No 1xx, 204 or 304: those have no body, which the framing cases below do not model.
  status: fc.oneof(fc.integer({ min: 200, max: 203 }), fc.integer({ min: 205, max: 303 }), fc.integer({ min: 305, max: 599 })),
  reason: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}$/),
  headers: fc.uniqueArray(fc.tuple(token, headerValue), { maxLength: 8, selector: ([name]) => name.toLowerCase() })
    .map((list) => list.filter(([name]) => !framingHeaders.has(name.toLowerCase()))),
  body: fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes)),
  framing: fc.constantFrom('length', 'chunked', 'close') as fc.Arbitrary<Response['framing']>,
  chunkSizes: fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 6 }),
});

function encodeResponse(response: Response): Buffer {
  let head = `HTTP/1.1 ${response.status} ${response.reason}\r\n`;
  for (const [name, value] of response.headers) head += `${name}: ${value}\r\n`;
  const { body } = response;
  if (response.framing === 'length') return Buffer.concat([Buffer.from(`${head}Content-Length: ${body.length}\r\n\r\n`, 'latin1'), body]);
  if (response.framing === 'close') return Buffer.concat([Buffer.from(`${head}Connection: close\r\n\r\n`, 'latin1'), body]);
  const parts: Buffer[] = [Buffer.from(`${head}Transfer-Encoding: chunked\r\n\r\n`, 'latin1')];
  let offset = 0;
  for (const size of [...response.chunkSizes, body.length]) {
    const piece = body.subarray(offset, offset + size);
    if (piece.length === 0) break;
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
    offset += piece.length;
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

interface Parsed { head: ResponseHead | undefined; body: Buffer; ended: boolean }

/** Feeds `pieces` to a parser, then the end of the stream; throws what the parser throws. */
function parse(pieces: Buffer[]): Parsed {
  const result: Parsed = { head: undefined, body: Buffer.alloc(0), ended: false };
  const body: Buffer[] = [];
  const parser = new ResponseParser({
    onHead: (head) => { result.head = head; },
    onBody: (piece) => body.push(Buffer.from(piece)),
    onEnd: () => { result.ended = true; },
  }, 'GET');
  for (const piece of pieces) {
    if (parser.done) break;
    parser.push(piece);
  }
  if (!parser.done) parser.finish();
  result.body = Buffer.concat(body);
  return result;
}

describe('HTTP response parser (property-based)', () => {
  it('a valid response cut at random points parses the same as whole', () => {
    fc.assert(fc.property(responseArbitrary, fc.array(fc.nat(), { maxLength: 12 }), (response, cuts) => {
      const bytes = encodeResponse(response);
      const whole = parse([bytes]);
      const pieces = parse(cut(bytes, cuts));
      assert.ok(whole.ended && pieces.ended);
      assert.equal(whole.head!.status, response.status);
      assert.equal(whole.head!.statusText, response.reason);
      for (const [name, value] of response.headers) assert.equal(whole.head!.headers.get(name.toLowerCase()), value);
      assert.deepEqual(whole.body, response.body);
      assert.deepEqual(pieces.head, whole.head);
      assert.deepEqual(pieces.body, whole.body);
    }), { numRuns: RUNS });
  });

  it('random bytes (alone, or after a valid head) end in a result or a ProtocolError, never anything else', () => {
    const prefixes = ['', 'HTTP/1.1 200 OK\r\n', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n'];
    fc.assert(fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 8 }), (prefix, noise, cuts) => {
      const bytes = Buffer.concat([Buffer.from(prefix, 'latin1'), noise]);
      try {
        const result = parse(cut(bytes, cuts));
        assert.ok(result.ended, 'a parse that did not throw reached the end');
      } catch (error) {
        assert.ok(error instanceof ProtocolError, `not a ProtocolError: ${String(error)}`);
      }
    }), { numRuns: RUNS });
  });

  it('random mutations of a valid response end in a result or a ProtocolError', () => {
    fc.assert(fc.property(responseArbitrary, fc.nat(), fc.integer({ min: 0, max: 255 }), (response, at, byte) => {
      const bytes = Buffer.from(encodeResponse(response));
      bytes[at % bytes.length] = byte;
      try {
        parse([bytes]);
      } catch (error) {
        assert.ok(error instanceof ProtocolError, `not a ProtocolError: ${String(error)}`);
      }
    }), { numRuns: RUNS });
  });
});

// ---------------------------------------------------------------------------------------------
// Differential: our parser and node:http

/** Serves `bytes` raw on a fresh TCP socket and lets node:http parse them. */
async function parseWithNode(bytes: Buffer): Promise<{ status: number; reason: string; headers: Record<string, string>; body: Buffer }> {
  const server = createServer((socket) => {
    socket.once('data', () => socket.end(bytes));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, reason: res.statusMessage!, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  } finally {
    server.close();
  }
}

describe('HTTP response parser against node:http (differential)', () => {
  it('agrees on status, reason, headers and body of random valid responses', async () => {
    await fc.assert(fc.asyncProperty(responseArbitrary, async (response) => {
      const bytes = encodeResponse(response);
      const ours = parse([bytes]);
      const node = await parseWithNode(bytes);
      assert.equal(ours.head!.status, node.status);
      assert.equal(ours.head!.statusText, node.reason);
      for (const [name, value] of ours.head!.headers) {
        if (name === 'set-cookie') continue; // node gives an array
        assert.equal(value, node.headers[name], `header ${name}`);
      }
      assert.equal(ours.head!.headers.size, Object.keys(node.headers).length);
      assert.deepEqual(ours.body, node.body);
    }), { numRuns: 50 });
  });
});

// ---------------------------------------------------------------------------------------------
// Multiplexed frames

const frameArbitrary = fc.record({ stream: fc.constantFrom(0, 1, 2), data: fc.uint8Array({ minLength: 1, maxLength: 100 }) });

function encodeFrames(frames: { stream: number; data: Uint8Array }[]): Buffer {
  return Buffer.concat(frames.flatMap(({ stream, data }) => {
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(data.length, 4);
    return [header, Buffer.from(data)];
  }));
}

/** Frames with consecutive pieces of one stream joined (a payload may come in pieces). */
async function decodeFrames(pieces: Buffer[]): Promise<{ stream: string; data: string }[]> {
  const out: { stream: string; data: string }[] = [];
  for await (const frame of demultiplex(chunksOf(pieces))) {
    const hex = Buffer.from(frame.data).toString('hex');
    const last = out.at(-1);
    if (last && last.stream === frame.stream) last.data += hex;
    else out.push({ stream: frame.stream, data: hex });
  }
  return out;
}

describe('multiplexed-frame decoder (property-based)', () => {
  it('random frames cut at random points decode to the same streams and bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.array(frameArbitrary, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 12 }), async (frames, cuts) => {
      const bytes = encodeFrames(frames);
      const expected: { stream: string; data: string }[] = [];
      for (const { stream, data } of frames) {
        const name = ['stdin', 'stdout', 'stderr'][stream]!;
        const last = expected.at(-1);
        if (last && last.stream === name) last.data += Buffer.from(data).toString('hex');
        else expected.push({ stream: name, data: Buffer.from(data).toString('hex') });
      }
      assert.deepEqual(await decodeFrames(cut(bytes, cuts)), expected);
    }), { numRuns: RUNS });
  });

  it('random bytes end in frames, a ProtocolError or a StreamError (stream 3), never anything else', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 8 }), async (noise, cuts) => {
      try {
        await decodeFrames(cut(Buffer.from(noise), cuts));
      } catch (error) {
        assert.ok(error instanceof ProtocolError || error instanceof StreamError, `unexpected: ${String(error)}`);
      }
    }), { numRuns: RUNS });
  });
});

// ---------------------------------------------------------------------------------------------
// JSON lines

async function decodeLines(pieces: Buffer[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const value of jsonLines(chunksOf(pieces))) out.push(value);
  return out;
}

describe('JSON-lines decoder (property-based)', () => {
  it('random JSON values, one per line, cut at random points (inside UTF-8 sequences too), decode the same', async () => {
    const value = fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' });
    await fc.assert(fc.asyncProperty(fc.array(value, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 16 }), fc.boolean(), async (values, cuts, finalNewline) => {
      const text = values.map((v) => JSON.stringify(v)).join('\n') + (finalNewline ? '\n' : '');
      const expected = values.map((v) => JSON.parse(JSON.stringify(v)) as unknown);
      assert.deepEqual(await decodeLines(cut(Buffer.from(text, 'utf8'), cuts)), expected);
    }), { numRuns: RUNS });
  });

  it('random bytes end in values or a ProtocolError, never anything else', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 8 }), async (noise, cuts) => {
      try {
        await decodeLines(cut(Buffer.from(noise), cuts));
      } catch (error) {
        assert.ok(error instanceof ProtocolError, `unexpected: ${String(error)}`);
        assert.ok(error instanceof DockerError);
      }
    }), { numRuns: RUNS });
  });
});
