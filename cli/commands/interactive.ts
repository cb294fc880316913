/**
 * The commands that connect our terminal to a process: `exec`, `attach`, and the attached forms of `run`
 * (`-i`, `-t`) and `start` (`-a`, `-i`). All go through {@link pumpSession}.
 */
import type { Docker } from '../../src/index.js';
import type { ParsedArgs } from '../args.js';
import type { CliContext, Command } from '../command.js';
import { CliError } from '../errors.js';
import { pumpSession } from '../interactive.js';
import { parseEnv } from './run-options.js';

/**
 * The detach keys, named explicitly: dockerd defaults to them, Podman's compatible API does not detach
 * without being told. Only these are supported (our input is watched for them to tell a detach from an exit).
 */
const DETACH_KEYS = 'ctrl-p,ctrl-q';

/** `berth exec [OPTIONS] CONTAINER COMMAND [ARG...]`: exits with the command's exit code. */
export const exec: Command = {
  usage: '[OPTIONS] CONTAINER COMMAND [ARG...]',
  description: 'Execute a command in a running container',
  flags: [
    { name: 'detach', short: 'd', type: 'boolean', description: 'Detached mode: run command in the background' },
    { name: 'env', short: 'e', type: 'list', description: 'Set environment variables' },
    { name: 'interactive', short: 'i', type: 'boolean', description: 'Keep STDIN open even if not attached' },
    { name: 'privileged', type: 'boolean', description: 'Give extended privileges to the command' },
    { name: 'tty', short: 't', type: 'boolean', description: 'Allocate a pseudo-TTY' },
    { name: 'user', short: 'u', type: 'string', description: 'Username or UID (format: "<name|uid>[:<group|gid>]")' },
    { name: 'workdir', short: 'w', type: 'string', description: 'Working directory inside the container' },
  ],
  interspersed: false,
  minArgs: 2,
  async run(context, args) {
    const [container, ...cmd] = args.positionals as [string, ...string[]];
    const docker = context.docker();
    const detach = args.bool('detach');
    const tty = args.bool('tty');
    const interactive = args.bool('interactive');
    const { Id } = await docker.exec.create(container, {
      Cmd: cmd,
      AttachStdin: interactive && !detach,
      AttachStdout: !detach,
      AttachStderr: !detach,
      Tty: tty,
      Env: parseEnv(args.list('env'), context.env),
      User: args.string('user'),
      WorkingDir: args.string('workdir'),
      Privileged: args.bool('privileged') || undefined,
    });
    if (detach) {
      await docker.exec.startDetached(Id, { Tty: tty });
      return 0;
    }
    const session = await docker.exec.start(Id, { Tty: tty });
    const { detached } = await pumpSession(context, session, { stdin: interactive, tty });
    if (detached) return 0;
    return docker.exec.exitCode(Id);
  },
};

/** `berth attach [OPTIONS] CONTAINER`: exits with the container's exit code (0 after a detach). */
export const attach: Command = {
  usage: '[OPTIONS] CONTAINER',
  description: 'Attach local standard input, output, and error streams to a running container',
  flags: [
    { name: 'no-stdin', type: 'boolean', description: 'Do not attach STDIN' },
    { name: 'sig-proxy', type: 'boolean', description: 'Proxy all received signals to the process', defaultText: 'true' },
  ],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const id = args.positionals[0]!;
    const docker = context.docker();
    const info = await docker.containers.inspect(id);
    if (!info.State?.Running) throw new CliError('You cannot attach to a stopped container, start it first', 1);
    if (info.State?.Paused) throw new CliError('You cannot attach to a paused container, unpause it first', 1);
    const tty = info.Config?.Tty === true;
    const stdin = info.Config?.OpenStdin === true && !args.bool('no-stdin');
    const session = await docker.containers.attach(id, { stream: true, stdin, stdout: true, stderr: true, detachKeys: DETACH_KEYS });
    const stopProxy = tty || !sigProxy(args) ? () => undefined : proxySignals(docker, id);
    try {
      const { detached } = await pumpSession(context, session, { stdin, tty });
      if (detached) return 0;
      return (await docker.containers.wait(id)).StatusCode;
    } finally {
      stopProxy();
    }
  },
};

/**
 * `start -a`/`-i` and `run -i`/`-t`: attaches to a created container, starts it, connects the terminal,
 * and resolves with its exit code, or with `detached: true` after ctrl-p ctrl-q.
 */
export async function startAttached(
  context: CliContext, id: string, options: { stdin: boolean; signals: boolean },
): Promise<{ exitCode: number; detached: boolean }> {
  const docker = context.docker();
  const info = await docker.containers.inspect(id);
  const tty = info.Config?.Tty === true;
  const stdin = options.stdin && info.Config?.OpenStdin === true;
  // Attached before the start, so that no output is missed and stdin is there from the first read.
  const session = await docker.containers.attach(id, { stream: true, stdin, stdout: true, stderr: true, detachKeys: DETACH_KEYS });
  try {
    await docker.containers.start(id);
  } catch (error) {
    session.close();
    throw error;
  }
  // With a TTY, ctrl-c is a byte for the container's terminal; without one, our signals are forwarded.
  const stopProxy = tty || !options.signals ? () => undefined : proxySignals(docker, id);
  try {
    const { detached } = await pumpSession(context, session, { stdin, tty });
    if (detached) return { exitCode: 0, detached: true };
    const { StatusCode, Error: waitError } = await docker.containers.wait(id);
    if (waitError?.Message) throw new CliError(waitError.Message, 125);
    return { exitCode: StatusCode, detached: false };
  } finally {
    stopProxy();
  }
}

/** `--sig-proxy` (default true). */
export function sigProxy(args: ParsedArgs): boolean {
  return !args.has('sig-proxy') || args.bool('sig-proxy');
}

/** Forwards SIGINT, SIGTERM and SIGHUP to the container while attached (the Docker CLI's `--sig-proxy`). */
function proxySignals(docker: Docker, id: string): () => void {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const handlers = signals.map((signal) => {
    const handler = () => { docker.containers.kill(id, { signal }).catch(() => undefined); };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => { for (const [signal, handler] of handlers) process.off(signal, handler); };
}
