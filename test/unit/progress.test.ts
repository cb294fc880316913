import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DockerError, ProgressOperation, StreamError, type ProgressMessage } from '../../src/index.js';

type Message = ProgressMessage<{ ID?: string }>;

/** A progress operation over fixed lines; `starts` counts how often the "request" was sent. */
function operation(lines: Message[]) {
  const counter = { starts: 0 };
  const op = new ProgressOperation<Message, string | undefined>(() => ({
    async *[Symbol.asyncIterator]() {
      counter.starts++;
      for (const line of lines) {
        await new Promise((resolve) => setImmediate(resolve));
        yield line;
      }
    },
  }), (() => {
    let id: string | undefined;
    return { add: (m: Message) => { if (m.aux?.ID) id = m.aux.ID; }, result: () => id };
  })());
  return { op, counter };
}

test('awaiting alone sends once and resolves with the result', async () => {
  const { op, counter } = operation([{ stream: 'a' }, { aux: { ID: 'sha256:1' } }]);
  assert.equal(counter.starts, 0, 'nothing is sent before it is awaited or iterated');
  assert.equal(await op, 'sha256:1');
  assert.equal(await op, 'sha256:1');
  assert.equal(counter.starts, 1);
});

test('iterating then awaiting sends once, yields every line and resolves with the result', async () => {
  const { op, counter } = operation([{ status: 'one' }, { status: 'two' }, { aux: { ID: 'sha256:2' } }]);
  const seen: Message[] = [];
  for await (const message of op) seen.push(message);
  assert.deepEqual(seen.map((m) => m.status ?? m.aux?.ID), ['one', 'two', 'sha256:2']);
  assert.equal(await op, 'sha256:2');
  assert.equal(counter.starts, 1);
});

test('awaiting while iterating resolves when the iteration ends, without a second request', async () => {
  const { op, counter } = operation([{ status: 'one' }, { aux: { ID: 'sha256:3' } }]);
  const iterator = op[Symbol.asyncIterator]();
  await iterator.next();
  const result = op.then((value) => value);
  while (!(await iterator.next()).done) { /* drain */ }
  assert.equal(await result, 'sha256:3');
  assert.equal(counter.starts, 1);
});

test('an error line with HTTP 200 rejects the await with a StreamError carrying the engine message', async () => {
  const { op } = operation([{ stream: 'Step 1/2' }, { errorDetail: { code: 1, message: "The command '/bin/sh -c exit 1' returned a non-zero code: 1" }, error: 'short' }]);
  await assert.rejects(async () => { await op; }, (error: unknown) => {
    assert.ok(error instanceof StreamError);
    assert.equal(error.message, "The command '/bin/sh -c exit 1' returned a non-zero code: 1");
    assert.equal(error.detailCode, 1);
    return true;
  });
});

test('an error line ends the iteration with a StreamError, and the await rejects with the same error', async () => {
  const { op } = operation([{ status: 'Pulling' }, { error: 'manifest unknown' }]);
  const seen: string[] = [];
  let thrown: unknown;
  try {
    for await (const message of op) seen.push(message.status!);
  } catch (error) {
    thrown = error;
  }
  assert.deepEqual(seen, ['Pulling']);
  assert.ok(thrown instanceof StreamError);
  await assert.rejects(async () => { await op; }, (error) => error === thrown);
});

test('leaving the loop early makes the await reject: the result is unknown', async () => {
  const { op } = operation([{ status: 'one' }, { status: 'two' }]);
  for await (const message of op) { void message; break; }
  await assert.rejects(async () => { await op; }, (error: unknown) => error instanceof DockerError && error.code === 'PROGRESS_INCOMPLETE');
});

test('iterating after awaiting started is refused with a clear error', async () => {
  const { op } = operation([{ status: 'one' }]);
  const done = op.then((value) => value);
  await assert.rejects(async () => { for await (const message of op) void message; }, /already being awaited/);
  await done;
});

test('a failed operation nobody awaits does not become an unhandled rejection', async () => {
  const { op } = operation([{ error: 'boom' }]);
  await assert.rejects(async () => { for await (const message of op) void message; }, StreamError);
  // If the internal promise were rejected without a handler, node --test would report it here.
  await new Promise((resolve) => setTimeout(resolve, 20));
});
