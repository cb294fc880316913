/**
 * `create` and `run`. An attached `run` attaches to the container before starting it, writes its stdout
 * and stderr to ours, then waits for its exit code and exits with it; `-i` adds stdin and `-t` a TTY
 * (see interactive.ts).
 */
import { readFileSync } from 'node:fs';
import type { PullPolicy } from '../../src/index.js';
import { type FlagSpec, type ParsedArgs } from '../args.js';
import { writeLine, type CliContext, type Command } from '../command.js';
import { CliError, errorMessage, isNotFoundError } from '../errors.js';
import { follow } from './image-transfer.js';
import { sigProxy, startAttached } from './interactive.js';
import { buildCreateRequest, CREATE_FLAGS, type CreateRequest } from './run-options.js';

const RUN_FLAGS: FlagSpec[] = [
  { name: 'detach', short: 'd', type: 'boolean', description: 'Run container in background and print container ID' },
  { name: 'sig-proxy', type: 'boolean', description: 'Proxy received signals to the process', defaultText: 'true' },
  ...CREATE_FLAGS,
];

/** `berth create [OPTIONS] IMAGE [COMMAND] [ARG...]`: prints the new container's ID. */
export const create: Command = {
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Create a new container',
  flags: CREATE_FLAGS,
  interspersed: false,
  minArgs: 1,
  async run(context, args) {
    const pull = pullPolicy(context, args);
    const request = withEnvFiles(buildCreateRequest(args, context.env, { attach: false, autoRemove: args.bool('rm') }), args);
    const id = await createContainer(context, request, pull);
    await writeLine(context.stdout, id);
    return 0;
  },
};

/** `berth run [OPTIONS] IMAGE [COMMAND] [ARG...]`. */
export const run: Command = {
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Create and run a new container from an image',
  flags: RUN_FLAGS,
  interspersed: false,
  minArgs: 1,
  async run(context, args) {
    try {
      return await runContainer(context, args);
    } catch (error) {
      if (error instanceof CliError) throw error;
      // The Docker CLI's words for a failed `run`, and its exit codes: 125 for a failure of run itself,
      // 126 when the command cannot be invoked, 127 when it is not found.
      const message = errorMessage(error);
      throw new CliError(`berth: ${message}\n\nRun '${context.commandPath} --help' for more information`, runFailureCode(message));
    }
  },
};

async function runContainer(context: CliContext, args: ParsedArgs): Promise<number> {
  const pull = pullPolicy(context, args);
  const detach = args.bool('detach');
  const remove = args.bool('rm');
  // Attached, `--rm` is done here after the exit code is read rather than by the engine (AutoRemove): the
  // engine would remove the container as soon as it exits, possibly before the logs were read.
  const request = withTerminalSize(context, withEnvFiles(buildCreateRequest(args, context.env, { attach: !detach, autoRemove: remove && detach }), args));
  const docker = context.docker();
  const id = await createContainer(context, request, pull);
  if (detach) {
    await docker.containers.start(id);
    await writeLine(context.stdout, id);
    return 0;
  }
  // Attached before the start (as the docker CLI does), so no output is lost however fast the container
  // exits; stdin and a TTY only when asked. After a detach (ctrl-p ctrl-q) the container runs on.
  let detached = false;
  try {
    const result = await startAttached(context, id, { stdin: args.bool('interactive'), signals: sigProxy(args) });
    detached = result.detached;
    return result.exitCode;
  } finally {
    if (remove && !detached) await docker.containers.remove(id, { force: true, v: true }).catch(() => undefined);
  }
}

function runFailureCode(message: string): number {
  if (/executable file not found|no such file or directory/i.test(message)) return 127;
  if (/permission denied/i.test(message)) return 126;
  return 125;
}

/**
 * Creates the container, pulling the image as `--pull` says (the Docker CLI's ways): `missing` (default)
 * tries the create first and pulls only when the engine has no such image; `always` pulls first; `never`
 * lets the engine's "No such image" through. The pull's progress goes to stderr.
 */
async function createContainer(context: CliContext, request: CreateRequest, pull: PullPolicy): Promise<string> {
  const docker = context.docker();
  const query = { name: request.name, platform: request.platform };
  const image = request.body.Image ?? '';
  if (pull === 'always') await pullImage(context, image, request.platform);
  let created;
  try {
    created = await docker.containers.create(request.body, query);
  } catch (error) {
    if (pull !== 'missing' || !isNotFoundError(error) || !/no such image/i.test((error as Error).message)) throw error;
    await writeLine(context.stderr, `Unable to find image '${withDefaultTag(image)}' locally`);
    await pullImage(context, image, request.platform);
    created = await docker.containers.create(request.body, query);
  }
  for (const warning of created.Warnings ?? []) await writeLine(context.stderr, `WARNING: ${warning}`);
  return created.Id;
}

/** The `--pull` value, checked before anything is sent (the Docker CLI's words when it is wrong). */
function pullPolicy(context: CliContext, args: ParsedArgs): PullPolicy {
  const value = args.string('pull') ?? 'missing';
  if (value === 'missing' || value === 'always' || value === 'never') return value;
  throw new CliError(`berth: invalid pull option: '${value}': must be one of "always", "missing" or "never"\n\nRun '${context.commandPath} --help' for more information`, 125);
}

function withDefaultTag(image: string): string {
  if (image.includes('@')) return image;
  const lastSlash = image.lastIndexOf('/');
  return image.slice(lastSlash + 1).includes(':') ? image : `${image}:latest`;
}

/** Pulls an image with `docker.images.pull`, its progress on stderr as `berth pull` shows it on stdout. */
async function pullImage(context: CliContext, image: string, platform: string | undefined): Promise<void> {
  await follow(context, context.docker().images.pull(image, { platform }), false, context.stderr);
}

/** Adds the variables of `--env-file` files (lines `NAME=value` or `NAME`; `#` comments) before `-e` ones. */
function withEnvFiles(request: CreateRequest, args: ParsedArgs): CreateRequest {
  const files = args.list('env-file');
  if (!files.length) return request;
  const fromFiles: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new CliError(`berth: open ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}`, 125);
    }
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trimStart();
      if (!line || line.startsWith('#')) continue;
      if (line.includes('=')) fromFiles.push(line);
      else if (process.env[line] !== undefined) fromFiles.push(`${line}=${process.env[line]}`);
    }
  }
  return { ...request, body: { ...request.body, Env: [...fromFiles, ...(request.body.Env ?? [])] } };
}

/**
 * With `-t` on a terminal, the container's TTY starts at our terminal's size (`HostConfig.ConsoleSize`), so
 * a command that asks at once (`stty size`) sees it; later changes are sent by the attached session.
 */
function withTerminalSize(context: CliContext, request: CreateRequest): CreateRequest {
  if (!request.body.Tty || !context.stdout.isTTY) return request;
  const [columns, rows] = context.stdout.getWindowSize();
  if (!(columns > 0 && rows > 0)) return request;
  return { ...request, body: { ...request.body, HostConfig: { ...request.body.HostConfig, ConsoleSize: [rows, columns] } } };
}
