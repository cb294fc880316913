/**
 * Runs the built `berth` CLI as a child process against the test engine, as a user would, and captures
 * stdout and stderr apart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testHost } from './engine.js';

/** The bundled command the package ships as its `bin` (dist/bin/berth.js, next to this file's dist/test/helpers). */
export const CLI_PATH = fileURLToPath(new URL('../../bin/berth.js', import.meta.url));

/** What a CLI run printed and how it ended. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout as bytes (for tar output). */
  stdoutBytes: Buffer;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Written to the child's stdin, which is then closed. Without it stdin is closed at once. */
  input?: string | Buffer;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Kill the child after this many milliseconds (default 60 000). */
  timeout?: number;
  /** Leave out `-H <test host>` (to test `-H` itself or the environment). */
  noHost?: boolean;
  cwd?: string;
  /** Called with the stdout so far whenever more arrives (to signal the child once it is ready). */
  onStdout?: (stdout: string, child: ChildProcess) => void;
}

/** Runs `berth -H <test host> ...args` and resolves when it exits. */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  const fullArgs = options.noHost ? [CLI_PATH, ...args] : [CLI_PATH, '-H', testHost(), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, fullArgs, {
      env: { ...process.env, ...options.env },
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      options.onStdout?.(Buffer.concat(out).toString('utf8'), child);
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? 60_000);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, signal, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
  });
}
