/**
 * `berth cp` (both ways, through the archive endpoints) and `berth export`. Path rules follow the Docker
 * CLI: `SRC` ending in `/.` copies a directory's contents; an existing destination directory receives the
 * source under its own name; a destination that does not exist is created with the name given.
 */
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, realpath } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Docker } from '../../src/index.js';
import { write, writeLine, type CliContext, type Command } from '../command.js';
import { CliError, isNotFoundError } from '../errors.js';
import { humanSize } from '../format.js';

/** Go's `os.ModeDir` bit in the engine's path stat. */
const MODE_DIR = 2 ** 31;

function isDirectoryMode(mode: number | undefined): boolean {
  return mode !== undefined && Math.floor(mode / MODE_DIR) % 2 === 1;
}

/** Splits `CONTAINER:PATH` as the Docker CLI does: an absolute path or one starting with `.` is local. */
export function splitCopyArgument(arg: string): { container?: string; path: string } {
  if (arg.startsWith('/')) return { path: arg };
  const colon = arg.indexOf(':');
  if (colon < 0 || arg.startsWith('.')) return { path: arg };
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

/** `berth cp CONTAINER:SRC DEST|-` and `berth cp SRC|- CONTAINER:DEST` */
export const cp: Command = {
  usage: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  description: 'Copy files/folders between a container and the local filesystem',
  flags: [
    { name: 'archive', short: 'a', type: 'boolean', description: 'Archive mode (copy all uid/gid information)' },
    { name: 'follow-link', short: 'L', type: 'boolean', description: 'Always follow symbol link in SRC_PATH' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Suppress progress output during copy' },
  ],
  minArgs: 2,
  maxArgs: 2,
  async run(context, args) {
    const source = splitCopyArgument(args.positionals[0]!);
    const destination = splitCopyArgument(args.positionals[1]!);
    if (source.container !== undefined && destination.container !== undefined) throw new CliError('copying between containers is not supported');
    if (source.container === undefined && destination.container === undefined) throw new CliError('must specify at least one container source');
    if (source.container === '' || destination.container === '') throw new CliError('Error: container name cannot be empty');
    const docker = context.docker();
    const totals = { bytes: 0 };
    let shown: string;
    if (source.container !== undefined) {
      await copyFromContainer(context, docker, source.container, containerPath(source.path), destination.path, totals);
      shown = destination.path;
    } else {
      await copyToContainer(context, docker, source.path, destination.container!, containerPath(destination.path), args.bool('archive'), args.bool('follow-link'), totals);
      shown = args.positionals[1]!;
    }
    if (context.stderr.isTTY && !args.bool('quiet') && shown !== '-') {
      await writeLine(context.stderr, `Successfully copied ${humanSize(totals.bytes)} to ${shown}`);
    }
    return 0;
  },
};

function containerPath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

async function copyFromContainer(context: CliContext, docker: Docker, container: string, source: string, destination: string, totals: { bytes: number }): Promise<void> {
  const { tar, stat } = await docker.containers.getArchive(container, { path: source });
  if (destination === '-') {
    for await (const chunk of tar) await write(context.stdout, chunk);
    return;
  }
  const { extractTar } = await import('../archive.js');
  const rootName = stat?.name ?? posix.basename(source);
  const sourceIsDirectory = isDirectoryMode(stat?.mode);
  const contentsOnly = sourceIsDirectory && /\/\.$/.test(source);
  const existing = await lstat(destination).catch(() => undefined);
  let base: string;
  if (contentsOnly) {
    base = destination;
    await mkdir(destination, { recursive: true });
  } else if (existing?.isDirectory()) {
    base = join(destination, rootName);
  } else {
    if (existing && sourceIsDirectory) throw new CliError(`Error: cannot copy directory to a file: ${destination}`);
    if (/\/$/.test(destination)) throw new CliError(`Error: invalid output path: directory ${destination} does not exist`);
    const parent = await lstat(dirname(destination)).catch(() => undefined);
    if (!parent?.isDirectory()) throw new CliError(`Error: invalid output path: directory ${dirname(destination)} does not exist`);
    base = destination;
  }
  // Entries are named from the source's base name (`passwd`, `tmp/x`); that first part becomes `base`.
  await extractTar(tar, (name) => {
    // dockerd names a `dir/.` source's entries `./a`, `./b` (root name "."), which arrive here as `a`, `b`.
    if (rootName === '.') return name === '' ? base : join(base, name);
    const [first, ...rest] = name.split('/');
    if (first !== rootName) return undefined;
    return rest.length ? join(base, ...rest) : base;
  }, totals);
}

async function copyToContainer(
  context: CliContext, docker: Docker, source: string, container: string, destination: string,
  copyOwnership: boolean, followLink: boolean, totals: { bytes: number },
): Promise<void> {
  const query = { path: destination, noOverwriteDirNonDir: 'true', copyUIDGID: copyOwnership ? 'true' : undefined };
  if (source === '-') {
    await docker.containers.putArchive(container, Readable.from(context.stdin) as AsyncIterable<Uint8Array>, query);
    return;
  }
  let local = source;
  const sourceStat = await lstat(source).catch(() => undefined);
  if (!sourceStat) throw new CliError(`lstat ${source}: no such file or directory`);
  if (followLink && sourceStat.isSymbolicLink()) local = await realpath(source);
  const sourceIsDirectory = (await lstat(local)).isDirectory();
  const contentsOnly = sourceIsDirectory && /\/\.$/.test(source);

  let target: { stat?: { mode: number } } = {};
  try {
    target = { stat: await docker.containers.archiveInfo(container, { path: destination }) };
  } catch (error) {
    if (!isNotFoundError(error) || /no such container/i.test((error as Error).message)) throw error;
  }
  let directory: string;
  let rootName: string;
  if (target.stat && isDirectoryMode(target.stat.mode)) {
    directory = destination;
    rootName = contentsOnly ? '.' : basename(local);
  } else {
    if (target.stat && sourceIsDirectory) throw new CliError(`Error: cannot copy a directory to a file: ${destination}`);
    directory = posix.dirname(destination);
    rootName = posix.basename(destination);
  }
  const { packPath } = await import('../archive.js');
  await docker.containers.putArchive(container, packPath(local, rootName, totals), { ...query, path: directory });
}

/** `berth export [-o FILE] CONTAINER` */
export const exportCommand: Command = {
  usage: '[OPTIONS] CONTAINER',
  description: 'Export a container\'s filesystem as a tar archive',
  flags: [{ name: 'output', short: 'o', type: 'string', description: 'Write to a file, instead of STDOUT' }],
  minArgs: 1,
  maxArgs: 1,
  async run(context, args) {
    const output = args.string('output');
    if (output === undefined && context.stdout.isTTY) {
      throw new CliError('Cowardly refusing to save to a terminal. Use the -o flag or redirect');
    }
    const tar = context.docker().containers.export(args.positionals[0]!);
    if (output === undefined) {
      for await (const chunk of tar) await write(context.stdout, chunk);
      return 0;
    }
    // Nothing is written to the file until the engine has answered, so a missing container leaves no file.
    const iterator = tar[Symbol.asyncIterator]();
    const first = await iterator.next();
    const rest = { [Symbol.asyncIterator]: () => iterator };
    await pipeline(Readable.from((async function* () {
      if (!first.done) yield first.value;
      yield* rest;
    })()), createWriteStream(output));
    return 0;
  },
};
