/**
 * Tar archives for `berth cp`: packing a local file or directory tree for `PUT /containers/{id}/archive`,
 * and extracting the tar that `GET /containers/{id}/archive` sends into a local path.
 *
 * Why the `tar-stream` package rather than our own reader/writer: tar has long-name (PAX and GNU) records,
 * sparse and device entries and checksum rules that a home-made codec gets subtly wrong; tar-stream is
 * pure JavaScript, streaming, small, and maintained. It is loaded only by `cp`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir, readlink, rm, symlink, link, chmod, utimes } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { extract as createExtract, pack as createPack, type Header } from 'tar-stream';

/** Bytes of file content an archive carried, for the "Successfully copied" line. */
export interface CopyTotals {
  bytes: number;
}

/**
 * Packs `source` (a file, a directory tree, or a symlink itself) as a tar whose top entry is `rootName`.
 * With `contentsOnly` (a source ending in `/.`), the directory's entries are at the top under `rootName`.
 * Returns the stream to upload; the walk runs while the stream is read.
 */
export function packPath(source: string, rootName: string, totals: CopyTotals): AsyncIterable<Uint8Array> {
  const pack = createPack();
  const addEntry = (header: Partial<Header> & { name: string }, body?: NodeJS.ReadableStream): Promise<void> => new Promise((resolveEntry, reject) => {
    const entry = pack.entry(header, (error) => (error ? reject(error) : resolveEntry()));
    if (body) body.on('error', reject).pipe(entry);
  });
  const add = async (path: string, name: string): Promise<void> => {
    const stat = await lstat(path);
    const base = { name, mode: stat.mode & 0o7777, mtime: stat.mtime, uid: 0, gid: 0 };
    if (stat.isDirectory()) {
      await addEntry({ ...base, type: 'directory' });
      for (const child of (await readdir(path)).sort()) await add(join(path, child), posix.join(name, child));
    } else if (stat.isSymbolicLink()) {
      await addEntry({ ...base, type: 'symlink', linkname: await readlink(path) });
    } else if (stat.isFile()) {
      await addEntry({ ...base, type: 'file', size: stat.size }, createReadStream(path));
      totals.bytes += stat.size;
    }
    // Sockets, FIFOs and devices are skipped: they cannot be copied as content.
  };
  add(source, rootName).then(() => pack.finalize(), (error: unknown) => pack.destroy(error as Error));
  return pack as unknown as AsyncIterable<Uint8Array>;
}

/**
 * Extracts a tar into the local filesystem. `target(name)` maps each entry's name (`passwd`, `dir/a`) to
 * a local path, or undefined to skip it. Entry names that climb out with `..`, and entries under a symlink
 * that this archive created (`link -> /etc`, then `link/passwd`), are refused: a container's files must not
 * write outside the destination.
 */
export async function extractTar(tar: AsyncIterable<Uint8Array>, target: (name: string) => string | undefined, totals: CopyTotals): Promise<void> {
  const extract = createExtract();
  const feeding = pipeline(Readable.from(tar), extract);
  const directories: Array<{ path: string; mode: number; mtime: Date | undefined }> = [];
  const symlinks = new Set<string>();
  try {
    for await (const entry of extract) {
      const { header } = entry;
      const name = header.name === '.' ? '' : header.name.replace(/^\.?\/+/, '').replace(/\/+$/, '');
      if (name.split('/').includes('..')) throw new Error(`refusing to extract "${header.name}": it leaves the destination`);
      const path = target(name);
      if (path === undefined) {
        entry.resume();
        continue;
      }
      for (let parent = dirname(path); parent !== dirname(parent); parent = dirname(parent)) {
        if (symlinks.has(parent)) throw new Error(`refusing to extract "${header.name}": it goes through the symlink ${parent}`);
      }
      const mode = (header.mode ?? 0o644) & 0o7777;
      switch (header.type) {
        case 'directory':
          await mkdir(path, { recursive: true, mode });
          directories.push({ path, mode, mtime: header.mtime });
          entry.resume();
          break;
        case 'symlink':
          await replace(path);
          await symlink(header.linkname ?? '', path);
          symlinks.add(path);
          entry.resume();
          break;
        case 'link': {
          const linked = target(String(header.linkname ?? '').replace(/^\.?\/+/, ''));
          await replace(path);
          if (linked) await link(linked, path);
          entry.resume();
          break;
        }
        case 'file':
        case 'contiguous-file':
        case undefined:
        case null:
          await replace(path);
          await pipeline(entry, createWriteStream(path, { mode }));
          await chmod(path, mode);
          if (header.mtime) await utimes(path, header.mtime, header.mtime);
          totals.bytes += header.size ?? 0;
          break;
        default:
          entry.resume();
      }
    }
    await feeding;
  } catch (error) {
    extract.destroy();
    await feeding.catch(() => undefined);
    throw error;
  }
  // Directory modes and times last: writing into them changed their times, and a read-only mode would stop us.
  for (const directory of directories.reverse()) {
    await chmod(directory.path, directory.mode);
    if (directory.mtime) await utimes(directory.path, directory.mtime, directory.mtime);
  }
}

async function replace(path: string): Promise<void> {
  const stat = await lstat(path).catch(() => undefined);
  if (stat && !stat.isDirectory()) await rm(path, { force: true });
}
