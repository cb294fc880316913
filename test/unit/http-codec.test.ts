/**
 * The response parser on byte fixtures split at every boundary, checked against Node's own HTTP parser on
 * the same bytes; and the request head encoder, byte for byte.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ProtocolError } from '../../src/errors.js';
import { encodeChunk, encodeRequestHead, LAST_CHUNK, ResponseParser, type ResponseHead } from '../../src/transport/http-codec.js';
import { everySplit } from '../helpers/splits.js';

interface Parsed {
  head: ResponseHead | undefined;
  body: Buffer;
  /** Bytes after the end of the response (the start of an upgraded stream). */
  rest: Buffer;
  ended: boolean;
}

/** Feeds `chunks` to a parser as a connection does: bytes after the end are the caller's. */
function parse(chunks: Buffer[], method = 'GET', closeAtEnd = true): Parsed {
  const result: Parsed = { head: undefined, body: Buffer.alloc(0), rest: Buffer.alloc(0), ended: false };
  const bodies: Buffer[] = [];
  const rests: Buffer[] = [];
  const parser = new ResponseParser({
    onHead: (head) => { assert.equal(result.head, undefined, 'onHead reported twice'); result.head = head; },
    onBody: (chunk) => { assert.ok(!result.ended, 'body after the end'); bodies.push(Buffer.from(chunk)); },
    onEnd: (rest) => { assert.ok(!result.ended, 'onEnd reported twice'); result.ended = true; rests.push(Buffer.from(rest)); },
  }, method);
  for (const chunk of chunks) {
    if (parser.done) rests.push(chunk);
    else parser.push(chunk);
  }
  if (closeAtEnd) parser.finish();
  result.body = Buffer.concat(bodies);
  result.rest = Buffer.concat(rests);
  return result;
}

interface Fixture {
  name: string;
  bytes: string;
  method?: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  keepAlive: boolean;
  rest?: string;
}

const json = '{"Id":"4fa6e0f0c678","Warnings":[]}';
const fixtures: Fixture[] = [
  {
    name: 'Content-Length',
    bytes: `HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Dup: a\r\nX-Dup: b\r\nContent-Length: ${json.length}\r\n\r\n${json}`,
    status: 201, headers: { 'content-type': 'application/json', 'x-dup': 'a, b', 'content-length': String(json.length) }, body: json, keepAlive: true,
  },
  {
    name: 'chunked, with chunk extensions and trailers',
    bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n',
    status: 200, headers: { 'transfer-encoding': 'chunked' }, body: 'hello, world', keepAlive: true,
  },
  {
    name: 'chunked, upper-case hex sizes and an empty reason phrase',
    bytes: `HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n1A\r\n${'x'.repeat(26)}\r\n0\r\n\r\n`,
    status: 200, headers: { 'transfer-encoding': 'chunked' }, body: 'x'.repeat(26), keepAlive: true,
  },
  {
    name: 'close-delimited',
    bytes: 'HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\nuntil the engine closes',
    status: 200, headers: { 'content-type': 'application/vnd.docker.raw-stream' }, body: 'until the engine closes', keepAlive: false,
  },
  {
    name: 'Connection: close with a length',
    bytes: 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok',
    status: 200, headers: { connection: 'close', 'content-length': '2' }, body: 'ok', keepAlive: false,
  },
  {
    name: 'HTTP/1.0 without keep-alive',
    bytes: 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok',
    status: 200, headers: { 'content-length': '2' }, body: 'ok', keepAlive: false,
  },
  {
    name: 'HEAD: a length but no body',
    method: 'HEAD',
    bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nX-Docker-Container-Path-Stat: e30=\r\n\r\n',
    status: 200, headers: { 'content-length': '1234', 'x-docker-container-path-stat': 'e30=' }, body: '', keepAlive: true,
  },
  {
    name: '204 No Content',
    bytes: 'HTTP/1.1 204 No Content\r\nServer: Docker/20.10.24 (linux)\r\n\r\n',
    status: 204, headers: { server: 'Docker/20.10.24 (linux)' }, body: '', keepAlive: true,
  },
  {
    name: '304 Not Modified',
    bytes: 'HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n',
    status: 304, headers: { 'content-length': '99' }, body: '', keepAlive: true,
  },
  {
    name: '100 Continue is skipped',
    bytes: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    status: 200, headers: { 'content-length': '2' }, body: 'ok', keepAlive: true,
  },
  {
    name: '101 with the upgraded stream right behind the head',
    method: 'POST',
    bytes: 'HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n\x01\x00\x00\x00\x00\x00\x00\x03hi\n',
    status: 101, headers: { 'content-type': 'application/vnd.docker.raw-stream', connection: 'Upgrade', upgrade: 'tcp' }, body: '', keepAlive: false,
    rest: '\x01\x00\x00\x00\x00\x00\x00\x03hi\n',
  },
];

describe('ResponseParser on fixtures split at every boundary', () => {
  for (const fixture of fixtures) {
    it(fixture.name, () => {
      for (const { label, chunks } of everySplit(Buffer.from(fixture.bytes, 'latin1'))) {
        const parsed = parse(chunks, fixture.method);
        assert.ok(parsed.head, `${label}: head`);
        assert.equal(parsed.head.status, fixture.status, label);
        assert.deepEqual(Object.fromEntries(parsed.head.headers), fixture.headers, label);
        assert.equal(parsed.body.toString('latin1'), fixture.body, label);
        assert.ok(parsed.ended, `${label}: end reported`);
        assert.equal(parsed.rest.toString('latin1'), fixture.rest ?? '', `${label}: rest`);
        if (fixture.status !== 101) assert.equal(parsed.head.keepAlive, fixture.keepAlive, `${label}: keepAlive`);
      }
    });
  }

  it('a keep-alive response ends without waiting for the connection to close', () => {
    const parsed = parse([Buffer.from(fixtures[1]!.bytes, 'latin1')], 'GET', false);
    assert.ok(parsed.ended);
  });

  it('a close-delimited body is not complete until the connection closes', () => {
    const parsed = parse([Buffer.from(fixtures[3]!.bytes, 'latin1')], 'GET', false);
    assert.equal(parsed.ended, false);
  });

  it('a large Content-Length body arrives intact', () => {
    const body = Buffer.alloc(3 * 1024 * 1024 + 7, 'abcdefghij');
    const bytes = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 65_521) chunks.push(bytes.subarray(at, at + 65_521));
    assert.ok(parse(chunks).body.equals(body));
  });
});

describe('ResponseParser rejects malformed responses with a ProtocolError', () => {
  const malformed: Array<[string, string]> = [
    ['a bad status line', 'HTTP/1.1 OK 200\r\nContent-Length: 0\r\n\r\n'],
    ['not HTTP at all', 'SSH-2.0-OpenSSH_9.2\r\n\r\n'],
    ['a four-digit status', 'HTTP/1.1 2000 OK\r\n\r\n'],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nContent-Length 2\r\n\r\nok'],
    ['an invalid Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\nok'],
    ['a negative Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nok'],
    ['a chunk size that is not hex', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n'],
    ['an empty chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\nhello\r\n0\r\n\r\n'],
    ['chunk data longer than its size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n'],
  ];
  for (const [name, bytes] of malformed) {
    it(name, () => {
      for (const { label, chunks } of everySplit(Buffer.from(bytes, 'latin1'))) {
        assert.throws(() => parse(chunks), ProtocolError, label);
      }
    });
  }

  it('a head larger than 64 KiB', () => {
    const bytes = Buffer.from(`HTTP/1.1 200 OK\r\n${'X-Filler: yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n'.repeat(1400)}`, 'latin1');
    for (const size of [bytes.length, 4096, 16_384]) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
      assert.throws(() => parse(chunks, 'GET', false), /larger than 64 KiB/);
    }
  });

  it('a chunk size line that never ends', () => {
    const bytes = Buffer.from(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'0'.repeat(5000)}`, 'latin1');
    assert.throws(() => parse([bytes], 'GET', false), ProtocolError);
  });
});

describe('ResponseParser when the connection closes early', () => {
  const cut: Array<[string, string, RegExp]> = [
    ['inside the head', 'HTTP/1.1 200 OK\r\nContent-Len', /before the response head was complete/],
    ['inside a Content-Length body', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345', /middle of the response body/],
    ['inside a chunk', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel', /middle of the response body/],
    ['before the last chunk', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n', /middle of the response body/],
    ['inside the trailers', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1\r\n', /middle of the response body/],
  ];
  for (const [name, bytes, message] of cut) {
    it(name, () => {
      for (const { label, chunks } of everySplit(Buffer.from(bytes, 'latin1'))) {
        assert.throws(() => parse(chunks), (error: unknown) => error instanceof ProtocolError && message.test(error.message), label);
      }
    });
  }
});

describe("ResponseParser agrees with Node's own HTTP parser", () => {
  let dir: string;
  let server: Server;
  let socketPath: string;
  let nextAnswer = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-codec-'));
    socketPath = join(dir, 'fixture.sock');
    server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.end(Buffer.from(nextAnswer, 'latin1')));
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** What node:http makes of the fixture's bytes. */
  function nodeParse(fixture: Fixture): Promise<{ status: number; headers: IncomingHttpHeaders; body: string; rest: string }> {
    nextAnswer = fixture.bytes;
    return new Promise((resolve, reject) => {
      const request = httpRequest({ socketPath, method: fixture.method ?? 'GET', path: '/', agent: false });
      request.on('error', reject);
      request.on('upgrade', (response, socket, head) => {
        const pieces: Buffer[] = [head];
        socket.on('data', (chunk: Buffer) => pieces.push(chunk));
        socket.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: '', rest: Buffer.concat(pieces).toString('latin1') }));
      });
      request.on('response', (response) => {
        const pieces: Buffer[] = [];
        response.on('data', (chunk: Buffer) => pieces.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(pieces).toString('latin1'), rest: '' }));
        response.on('error', reject);
      });
      request.end();
    });
  }

  for (const fixture of fixtures) {
    it(fixture.name, async () => {
      const node = await nodeParse(fixture);
      const ours = parse([Buffer.from(fixture.bytes, 'latin1')], fixture.method);
      assert.equal(ours.head?.status, node.status);
      assert.deepEqual(Object.fromEntries(ours.head!.headers), { ...node.headers });
      assert.equal(ours.body.toString('latin1'), node.body);
      assert.equal(ours.rest.toString('latin1'), node.rest);
    });
  }
});

describe('encodeRequestHead', () => {
  it('writes the request line and headers byte for byte, leaving out undefined headers', () => {
    const head = encodeRequestHead({
      method: 'POST',
      target: '/v1.41/containers/create?name=web',
      headers: { Host: 'api.moby.localhost', 'Content-Type': 'application/json', 'Content-Length': 2, 'X-Skipped': undefined },
    });
    assert.equal(head.toString('latin1'),
      'POST /v1.41/containers/create?name=web HTTP/1.1\r\nHost: api.moby.localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n');
  });

  it('rejects CR/LF in a header value, so no second request can be smuggled in', () => {
    for (const value of ['a\r\nX-Evil: 1', 'a\nb', 'a\rb', 'a\0b']) {
      assert.throws(() => encodeRequestHead({ method: 'GET', target: '/_ping', headers: { 'X-Registry-Auth': value } }), ProtocolError);
    }
  });

  it('rejects CR/LF, spaces and a missing leading slash in the target', () => {
    for (const target of ['/_ping HTTP/1.1\r\nHost: x\r\n\r\nGET /info', '/a\nb', '/a b', 'http://x/_ping', '']) {
      assert.throws(() => encodeRequestHead({ method: 'GET', target, headers: {} }), ProtocolError, JSON.stringify(target));
    }
  });

  it('rejects invalid methods and header names', () => {
    assert.throws(() => encodeRequestHead({ method: 'GET /x', target: '/', headers: {} }), ProtocolError);
    assert.throws(() => encodeRequestHead({ method: 'GET', target: '/', headers: { 'X-A: b\r\nX-C': 'd' } }), ProtocolError);
    assert.throws(() => encodeRequestHead({ method: 'GET', target: '/', headers: { 'Bad Name': 'd' } }), ProtocolError);
  });

  it('frames chunks of a streamed body', () => {
    assert.equal(Buffer.concat(encodeChunk(Buffer.from('x'.repeat(26)))).toString('latin1'), `1a\r\n${'x'.repeat(26)}\r\n`);
    const view = new Uint8Array(Buffer.from('--hello--')).subarray(2, 7);
    assert.equal(Buffer.concat(encodeChunk(view)).toString('latin1'), '5\r\nhello\r\n');
    assert.equal(LAST_CHUNK.toString('latin1'), '0\r\n\r\n');
  });
});

describe('ResponseParser on generated responses (seeded fuzzing)', () => {
  /** A small deterministic generator (mulberry32), so a failure can be replayed from its seed. */
  function random(seed: number): () => number {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('500 random responses, each cut into random pieces, decode to what was encoded', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const next = random(seed);
      const int = (max: number) => Math.floor(next() * max);
      const body = Buffer.from(Array.from({ length: int(3000) }, () => int(256)));
      const headers: Record<string, string> = { 'x-seed': String(seed), 'content-type': 'application/octet-stream' };
      let framed: Buffer;
      if (next() < 0.5) {
        headers['transfer-encoding'] = 'chunked';
        const pieces: Buffer[] = [];
        for (let at = 0; at < body.length;) {
          const size = Math.min(1 + int(700), body.length - at);
          const extension = next() < 0.2 ? ';ext=1' : '';
          pieces.push(Buffer.from(`${size.toString(16)}${extension}\r\n`), body.subarray(at, at + size), Buffer.from('\r\n'));
          at += size;
        }
        pieces.push(Buffer.from(next() < 0.3 ? '0\r\nX-Trailer: t\r\n\r\n' : '0\r\n\r\n'));
        framed = Buffer.concat(pieces);
      } else {
        headers['content-length'] = String(body.length);
        framed = body;
      }
      const status = [200, 201, 400, 404, 409, 500][int(6)]!;
      const head = `HTTP/1.1 ${status} Reason\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n`;
      const bytes = Buffer.concat([Buffer.from(head, 'latin1'), framed]);
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length;) {
        const size = 1 + int(next() < 0.3 ? 8 : 2000);
        chunks.push(bytes.subarray(at, at + size));
        at += size;
      }
      const parsed = parse(chunks, 'GET', false);
      assert.ok(parsed.ended, `seed ${seed}: ended`);
      assert.equal(parsed.head?.status, status, `seed ${seed}`);
      assert.deepEqual(Object.fromEntries(parsed.head!.headers), headers, `seed ${seed}`);
      assert.ok(parsed.body.equals(body), `seed ${seed}: body`);
      assert.equal(parsed.rest.length, 0, `seed ${seed}: rest`);
    }
  });
});
