/** The CLI's error lines and exit codes, as the docker CLI prints them. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../../cli/args.js';
import { CliError, errorMessage, exitCodeFor, isNotFoundError } from '../../cli/errors.js';
import { ConnectionError, InvalidArgumentError, NotFoundError, ConflictError } from '../../src/index.js';

describe('errorMessage and exitCodeFor', () => {
  test('engine errors are "Error response from daemon: <message>", exit 1', () => {
    const error = new NotFoundError({ status: 404, method: 'DELETE', path: '/containers/x', message: 'No such container: x' });
    assert.equal(errorMessage(error), 'Error response from daemon: No such container: x');
    assert.equal(exitCodeFor(error), 1);
    assert.equal(isNotFoundError(error), true);
    assert.equal(isNotFoundError(new ConflictError({ status: 409, method: 'POST', path: '/x', message: 'busy' })), false);
  });

  test('connection errors keep their own message and hint', () => {
    const error = new ConnectionError('unix:///x.sock', 'no such socket', 'Is the docker daemon running?');
    assert.equal(errorMessage(error), 'Cannot connect to the Docker daemon at unix:///x.sock: no such socket. Is the docker daemon running?');
    assert.equal(exitCodeFor(error), 1);
  });

  test('usage and CLI errors carry their exit codes; Berth\'s argument errors print as they are', () => {
    assert.equal(exitCodeFor(new UsageError('unknown flag: --x')), 125);
    assert.equal(exitCodeFor(new CliError('berth: failed', 127)), 127);
    assert.equal(errorMessage(new InvalidArgumentError('Invalid signal "X"')), 'Invalid signal "X"');
    assert.equal(errorMessage(new TypeError('boom')), 'Error: boom');
  });
});
