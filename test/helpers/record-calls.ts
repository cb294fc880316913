/**
 * Records which Engine API operations each test calls, for docs/compatibility.md.
 *
 * `scripts/test.sh` preloads this module into every node process of a test run (`NODE_OPTIONS=--import`) and
 * names a file in `BERTH_TEST_CALLS_FILE`. In a test file's process it notes the running test's name
 * (a `beforeEach` hook on the file's root) and passes it to child processes through the environment; in a
 * `berth` CLI process started by a test it notes the CLI command too. Every `ApiClient` call then appends
 * one JSON line: `{ engine, file, test, cli?, operation, ok, code?, status? }` (the error's `code`, e.g.
 * `UNSUPPORTED`, and HTTP `status`). Nothing is recorded when the variable is
 * unset, so the module is inert outside test runs.
 *
 * It listens on the library's public `node:diagnostics_channel` channel ({@link CALL_CHANNEL}) rather than
 * wrapping a class: the bundled `berth` command (dist/bin/berth.js) carries its own copy of the library, and a
 * channel is shared by every copy in a process.
 */
import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CALL_CHANNEL, type CallEvent } from '../../src/api/call-channel.js';

const callsFile = process.env.BERTH_TEST_CALLS_FILE;
const engine = process.env.BERTH_TEST_ENGINE || 'docker';
const script = process.argv[1] ?? '';
const isTestFile = process.env.NODE_TEST_CONTEXT !== undefined && script.endsWith('.test.js');
/** The bundled command the package ships, or the unbundled entry of the build. */
const isCli = (basename(script) === 'berth.js' && script.includes('/bin/')) || (basename(script) === 'main.js' && script.includes('/cli/'));

/** The CLI's global options that take a value as the next argument (`berth -H unix://… ps`). */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['-H', '--host', '-c', '--context', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey']);

/**
 * `berth -H unix://… image ls --all x` → `image ls`: after the global options, the words before the first
 * flag, at most two (never a value, so nothing secret is written down).
 */
export function cliCommand(args: readonly string[]): string {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) i += GLOBAL_OPTIONS_WITH_VALUE.has(args[i]!) ? 2 : 1;
  const words: string[] = [];
  for (const arg of args.slice(i)) {
    if (!/^[a-z][a-z-]*$/.test(arg) || words.length === 2) break;
    words.push(arg);
  }
  return words.join(' ');
}

if (callsFile) {
  if (isTestFile) {
    const { beforeEach, afterEach } = await import('node:test');
    process.env.BERTH_TEST_FILE = script;
    beforeEach((t) => {
      process.env.BERTH_TEST_NAME = t.name;
    });
    afterEach(() => {
      delete process.env.BERTH_TEST_NAME;
    });
  }
  const cli = isCli ? cliCommand(process.argv.slice(2)) : undefined;

  const record = (operation: string, ok: boolean, error?: unknown): void => {
    const test = process.env.BERTH_TEST_NAME;
    const file = process.env.BERTH_TEST_FILE;
    if (!test || !file) return; // a before/after hook, or not under a test at all
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    const status = error instanceof Error && 'status' in error && typeof error.status === 'number' ? error.status : undefined;
    const line = JSON.stringify({ engine, file, test, cli, operation, ok, code, status });
    try {
      appendFileSync(callsFile, `${line}\n`);
    } catch {
      // Recording is best effort: it must never change a test's outcome.
    }
  };

  subscribe(CALL_CHANNEL, (message) => {
    const { operation, ok, error } = message as CallEvent;
    record(operation, ok, error);
  });
}
