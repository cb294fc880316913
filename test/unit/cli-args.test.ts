/** The CLI's docker-style flag parser. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseArgs, UsageError, type FlagSpec } from '../../cli/args.js';

const FLAGS: FlagSpec[] = [
  { name: 'detach', short: 'd', type: 'boolean', description: '' },
  { name: 'interactive', short: 'i', type: 'boolean', description: '' },
  { name: 'tty', short: 't', type: 'boolean', description: '' },
  { name: 'name', type: 'string', description: '' },
  { name: 'env', short: 'e', type: 'list', description: '' },
  { name: 'workdir', short: 'w', type: 'string', description: '' },
];

describe('parseArgs', () => {
  test('grouped short switches, long flags with = or a separate value', () => {
    const args = parseArgs(['-it', '--name=web', '--workdir', '/srv', 'image'], FLAGS);
    assert.equal(args.bool('interactive'), true);
    assert.equal(args.bool('tty'), true);
    assert.equal(args.bool('detach'), false);
    assert.equal(args.string('name'), 'web');
    assert.equal(args.string('workdir'), '/srv');
    assert.deepEqual(args.positionals, ['image']);
  });

  test('a value glued to a short flag, or after it, or after a group of switches', () => {
    assert.equal(parseArgs(['-w/tmp'], FLAGS).string('workdir'), '/tmp');
    assert.equal(parseArgs(['-w', '/tmp'], FLAGS).string('workdir'), '/tmp');
    assert.equal(parseArgs(['-w=/tmp'], FLAGS).string('workdir'), '/tmp');
    const grouped = parseArgs(['-dte', 'A=1'], FLAGS);
    assert.equal(grouped.bool('detach'), true);
    assert.deepEqual(grouped.list('env'), ['A=1']);
  });

  test('repeatable flags keep every value in order; a string flag keeps the last', () => {
    const args = parseArgs(['-e', 'A=1', '--env=B=2', '--env', 'C=3', '--name', 'x', '--name', 'y'], FLAGS);
    assert.deepEqual(args.list('env'), ['A=1', 'B=2', 'C=3']);
    assert.equal(args.string('name'), 'y');
  });

  test('interspersed=false stops at the first positional, so the command keeps its own flags', () => {
    const args = parseArgs(['-d', 'busybox', 'echo', '-n', '--name', 'hi'], FLAGS, { interspersed: false });
    assert.equal(args.bool('detach'), true);
    assert.equal(args.has('name'), false);
    assert.deepEqual(args.positionals, ['busybox', 'echo', '-n', '--name', 'hi']);
  });

  test('flags may follow positionals by default, and -- ends the flags', () => {
    const args = parseArgs(['a', '-d', 'b', '--', '-t'], FLAGS);
    assert.equal(args.bool('detach'), true);
    assert.equal(args.bool('tty'), false);
    assert.deepEqual(args.positionals, ['a', 'b', '-t']);
  });

  test('a lone dash is a positional (stdin/stdout in cp)', () => {
    assert.deepEqual(parseArgs(['-', 'c:/tmp'], FLAGS).positionals, ['-', 'c:/tmp']);
  });

  test('boolean values: --detach=false, -d=true', () => {
    assert.equal(parseArgs(['--detach=false'], FLAGS).bool('detach'), false);
    assert.equal(parseArgs(['--detach=false'], FLAGS).has('detach'), true);
    assert.equal(parseArgs(['-d=true'], FLAGS).bool('detach'), true);
    assert.throws(() => parseArgs(['--detach=maybe'], FLAGS), /invalid argument "maybe" for "--detach" flag/);
  });

  test('errors name the flag as the Docker CLI does, with exit code 125', () => {
    const unknown = captureError(() => parseArgs(['--bogus'], FLAGS));
    assert.equal(unknown.message, 'unknown flag: --bogus');
    assert.equal(unknown.exitCode, 125);
    assert.equal(captureError(() => parseArgs(['-dx'], FLAGS)).message, "unknown shorthand flag: 'x' in -dx");
    assert.equal(captureError(() => parseArgs(['--name'], FLAGS)).message, 'flag needs an argument: --name');
    assert.equal(captureError(() => parseArgs(['-e'], FLAGS)).message, "flag needs an argument: 'e' in -e");
  });

  test('integer flags are checked', () => {
    const spec: FlagSpec[] = [{ name: 'time', short: 't', type: 'string', description: '' }];
    assert.equal(parseArgs(['-t', '5'], spec).integer('time'), 5);
    assert.equal(parseArgs([], spec).integer('time'), undefined);
    assert.throws(() => parseArgs(['-t', 'soon'], spec).integer('time'), /invalid argument "soon" for "--time" flag/);
  });
});

function captureError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof UsageError);
    return error;
  }
  assert.fail('expected a UsageError');
}
