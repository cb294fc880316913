import { createReadStream, type Dirent } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { DockerError } from '../errors.js';
import { parseDockerignore } from './dockerignore.js';
import { contextDockerfile } from './dockerfile-path.js';
import { PatternMatcher, type MatchInfo } from './pattern-matcher.js';
import type { Pack } from 'tar-stream';

/** How a build context is taken from a directory. */
export interface DirectoryContextOptions {
  /** The Dockerfile's path inside the context (default `Dockerfile`); it is always sent, even if ignored. */
  dockerfile?: string | undefined;
}

/** One file, directory or symlink of the context, as it goes into the tar. */
export interface ContextEntry {
  /** The path inside the context, `/`-separated (no trailing slash). */
  name: string;
  type: 'file' | 'directory' | 'symlink';
  /** Permission bits (and setuid/setgid/sticky). */
  mode: number;
  size: number;
  mtime: Date;
  linkname?: string;
  /** The file's path on disk. */
  source: string;
}

/**
 * The ignore patterns that apply to a build, as `docker build` chooses them: `<dockerfile>.dockerignore`
 * next to the Dockerfile when it exists, else `.dockerignore` at the root; then exceptions that keep the
 * Dockerfile and `.dockerignore` in the context (the engine needs them even when the file lists them).
 */
export async function contextIgnorePatterns(directory: string, dockerfile: string): Promise<string[]> {
  let patterns: string[] = [];
  for (const candidate of [`${dockerfile}.dockerignore`, '.dockerignore']) {
    try {
      patterns = parseDockerignore(await readFile(join(directory, candidate), 'utf8'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw contextError(candidate, error);
    }
  }
  const matcher = new PatternMatcher(patterns);
  if (matcher.matches('.dockerignore')) patterns.push('!.dockerignore');
  if (matcher.matches(dockerfile)) patterns.push('!' + dockerfile);
  return patterns;
}

/**
 * Walks a context directory in the order the Docker CLI does (names sorted, parents first), leaving out what
 * `.dockerignore` excludes. An excluded directory is not entered, unless an exception (`!dir/keep`) may
 * re-include something inside it.
 */
export async function* walkContext(directory: string, options: DirectoryContextOptions = {}): AsyncGenerator<ContextEntry> {
  const dockerfile = contextDockerfile(options.dockerfile);
  const matcher = new PatternMatcher(await contextIgnorePatterns(directory, dockerfile));
  yield* walkDirectory(directory, '', undefined, matcher);
}

async function* walkDirectory(root: string, relative: string, parentInfo: MatchInfo | undefined, matcher: PatternMatcher): AsyncGenerator<ContextEntry> {
  const absolute = relative ? join(root, relative) : root;
  let names: Dirent[];
  try {
    names = await readdir(absolute, { withFileTypes: true });
  } catch (error) {
    throw contextError(relative || '.', error);
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const dirent of names) {
    const name = relative ? `${relative}/${dirent.name}` : dirent.name;
    const { matched, info } = matcher.matchesUsingParentResults(name, parentInfo);
    const isDirectory = dirent.isDirectory();
    if (matched) {
      if (isDirectory && mayReinclude(matcher, name)) yield* walkDirectory(root, name, info, matcher);
      continue;
    }
    const source = join(root, name);
    let stat;
    try {
      stat = await lstat(source);
    } catch (error) {
      throw contextError(name, error);
    }
    const base = { name, mode: stat.mode & 0o7777, mtime: stat.mtime, source };
    if (stat.isDirectory()) {
      yield { ...base, type: 'directory', size: 0 };
      yield* walkDirectory(root, name, info, matcher);
    } else if (stat.isSymbolicLink()) {
      yield { ...base, type: 'symlink', size: 0, linkname: await readlink(source) };
    } else if (stat.isFile()) {
      yield { ...base, type: 'file', size: stat.size };
    }
    // Sockets, FIFOs and devices are left out, as the Docker CLI leaves out sockets.
  }
}

/** The Docker CLI's test: walk into an excluded directory only if an exception pattern starts with it. */
function mayReinclude(matcher: PatternMatcher, directory: string): boolean {
  if (!matcher.hasExclusions) return false;
  const prefix = directory + '/';
  return matcher.patterns.some((pattern) => pattern.exclusion && (pattern.pattern + '/').startsWith(prefix));
}

/**
 * A directory as a build context: a tar stream produced while it is sent (files are read one at a time,
 * never the whole context in memory). Owners are set to 0:0 as the Docker CLI does; modes, times and
 * symlinks are kept.
 */
export function directoryContext(directory: string, options: DirectoryContextOptions = {}): AsyncIterable<Uint8Array> {
  // Checked now, so that a bad Dockerfile path fails before any request.
  contextDockerfile(options.dockerfile);
  return {
    [Symbol.asyncIterator]: () => tarEntries(walkContext(directory, options))[Symbol.asyncIterator](),
  };
}

async function* tarEntries(entries: AsyncIterable<ContextEntry>): AsyncGenerator<Uint8Array> {
  // Loaded when a context is packed, not when the library is: tar-stream and its dependencies are the
  // largest thing Berth imports, and only builds need them.
  const { pack: createPack } = await import('tar-stream');
  const pack = createPack();
  let failure: unknown;
  const producer = (async () => {
    for await (const entry of entries) await addEntry(pack, entry);
    pack.finalize();
  })().catch((error: unknown) => {
    failure = error;
    pack.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  try {
    for await (const chunk of pack as AsyncIterable<Uint8Array>) yield chunk;
  } catch (error) {
    throw failure ?? error;
  } finally {
    pack.destroy();
    await producer;
  }
  if (failure !== undefined) throw failure;
}

async function addEntry(pack: Pack, entry: ContextEntry): Promise<void> {
  const header = { name: entry.name, mode: entry.mode, mtime: entry.mtime, uid: 0, gid: 0, uname: '', gname: '' };
  if (entry.type === 'directory') {
    await entryDone((callback) => pack.entry({ ...header, name: entry.name + '/', type: 'directory' }, callback));
  } else if (entry.type === 'symlink') {
    await entryDone((callback) => pack.entry({ ...header, type: 'symlink', linkname: entry.linkname }, callback));
  } else {
    let sink!: ReturnType<Pack['entry']>;
    const done = entryDone((callback) => { sink = pack.entry({ ...header, type: 'file', size: entry.size }, callback); });
    try {
      for await (const chunk of createReadStream(entry.source) as AsyncIterable<Buffer>) {
        if (!sink.write(chunk)) await once(sink as unknown as NodeJS.EventEmitter, 'drain');
      }
    } catch (error) {
      sink.destroy();
      throw contextError(entry.name, error);
    }
    sink.end(undefined); // streamx types want the (optional) last chunk argument
    await done;
  }
}

function entryDone(start: (callback: (error?: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => start((error) => (error ? reject(error) : resolve())));
}

function contextError(path: string, error: unknown): DockerError {
  const code = (error as NodeJS.ErrnoException)?.code;
  return new DockerError(`Cannot read ${path} in the build context: ${code ?? (error as Error)?.message ?? error}`, 'BUILD_CONTEXT');
}
