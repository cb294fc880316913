/**
 * Engine error statuses become typed errors that carry the engine's own message, the status, the method
 * and the path; redirects are errors, never followed.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  BadRequestError, ConflictError, Docker, DockerError, EngineError, ForbiddenError, NotFoundError, ServerError,
  UnauthorizedError, UnavailableError, isNotFound,
} from '../../src/index.js';
import { apiRequests, startFakeEngine, type FakeEngine } from '../helpers/fake-engine.js';

/** The next answer the fake engine gives, whatever the request. */
let answer = '';
let engine: FakeEngine;
let docker: Docker;

before(async () => {
  engine = await startFakeEngine((_request, socket) => socket.write(answer));
  docker = new Docker({ host: engine.host, apiVersion: '1.41' });
});
after(async () => {
  docker.close();
  await engine.close();
});
beforeEach(() => { engine.requests.length = 0; });

function errorAnswer(status: string, body: string, type = 'application/json'): string {
  return `HTTP/1.1 ${status}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

async function caught(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(() => undefined, (error: unknown) => error);
  assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
  assert.ok(error instanceof DockerError);
  return error;
}

describe('engine error statuses', () => {
  const cases: Array<[string, new (...args: never[]) => EngineError, string, string]> = [
    ['400 Bad Request', BadRequestError, 'BAD_REQUEST', 'invalid reference format'],
    ['401 Unauthorized', UnauthorizedError, 'UNAUTHORIZED', 'authentication required'],
    ['403 Forbidden', ForbiddenError, 'FORBIDDEN', 'bridge is a pre-defined network and cannot be removed'],
    ['404 Not Found', NotFoundError, 'NOT_FOUND', 'No such container: web'],
    ['409 Conflict', ConflictError, 'CONFLICT', 'You cannot remove a running container 4fa6e0f0. Stop the container before attempting removal or force remove'],
    ['500 Internal Server Error', ServerError, 'SERVER', 'error while creating mount source path: mkdir /x: read-only file system'],
    ['503 Service Unavailable', UnavailableError, 'UNAVAILABLE', 'This node is not a swarm manager.'],
  ];
  for (const [status, ErrorClass, code, message] of cases) {
    it(`${status} → ${ErrorClass.name} with the engine's message`, async () => {
      answer = errorAnswer(status, JSON.stringify({ message }));
      const error = await caught(docker.containers.remove('web', { force: true }));
      assert.ok(error instanceof ErrorClass, error.name);
      assert.equal(error.name, ErrorClass.name);
      assert.equal(error.code, code);
      assert.equal(error.message, message);
      assert.equal(error.status, Number(status.slice(0, 3)));
      assert.equal(error.method, 'DELETE');
      assert.equal(error.path, '/containers/web', 'path without the version prefix and query');
    });
  }

  it('isNotFound is a type guard for 404s only', async () => {
    answer = errorAnswer('404 Not Found', '{"message":"No such container: x"}');
    assert.equal(isNotFound(await caught(docker.containers.inspect('x'))), true);
    answer = errorAnswer('409 Conflict', '{"message":"busy"}');
    assert.equal(isNotFound(await caught(docker.containers.inspect('x'))), false);
  });

  it('a status without a class of its own is a plain EngineError', async () => {
    answer = errorAnswer('418 I\'m a teapot', '{"message":"short and stout"}');
    const error = await caught(docker.containers.inspect('x'));
    assert.equal(error.constructor, EngineError);
    assert.equal(error.status, 418);
    assert.equal(error.message, 'short and stout');
  });

  it('a non-JSON error body is the message as it came', async () => {
    answer = errorAnswer('500 Internal Server Error', 'driver failed programming external connectivity\n', 'text/plain; charset=utf-8');
    const error = await caught(docker.containers.inspect('x'));
    assert.ok(error instanceof ServerError);
    assert.equal(error.message, 'driver failed programming external connectivity');
  });

  it('an empty error body: the status line is the message', async () => {
    answer = 'HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n';
    const error = await caught(docker.containers.inspect('x'));
    assert.equal(error.message, '500 Internal Server Error');
  });

  it('a chunked error body is read whole', async () => {
    answer = 'HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n'
      + '8\r\n{"messag\r\n10\r\ne":"split body"}\r\n0\r\n\r\n';
    assert.equal((await caught(docker.containers.inspect('x'))).message, 'split body');
  });

  it('errors on streams reject the iteration with the same typed error', async () => {
    answer = errorAnswer('404 Not Found', '{"message":"No such container: gone"}');
    const iterate = async () => { for await (const _ of docker.containers.logs('gone', { stdout: true })) { /* nothing */ } };
    await assert.rejects(iterate(), (error: unknown) => error instanceof NotFoundError && error.message === 'No such container: gone' && error.path === '/containers/gone/logs');
  });

  it('the connection stays usable after an error answer', async () => {
    answer = errorAnswer('404 Not Found', '{"message":"nope"}');
    const connections = engine.connections();
    for (let i = 0; i < 5; i++) await caught(docker.containers.inspect('x'));
    assert.ok(engine.connections() - connections <= 1);
  });
});

describe('redirects', () => {
  it('a 301 is an error and is never followed', async () => {
    answer = `HTTP/1.1 301 Moved Permanently\r\nLocation: /v1.41/info\r\nContent-Length: 5\r\n\r\nmoved`;
    const error = await caught(docker.containers.inspect('abc'));
    assert.equal(error.status, 301);
    assert.match(error.message, /redirect/);
    assert.match(error.message, /\/v1\.41\/info/);
    assert.deepEqual(apiRequests(engine).map((request) => request.target), ['/v1.41/containers/abc/json']);
  });

  it('a 304 where none is expected is an error too', async () => {
    answer = 'HTTP/1.1 304 Not Modified\r\n\r\n';
    assert.equal((await caught(docker.containers.inspect('abc'))).status, 304);
  });
});
