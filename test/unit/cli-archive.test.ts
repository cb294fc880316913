/** cp's tar packing and extraction, on local files only. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pack } from 'tar-stream';
import { extractTar, packPath } from '../../cli/archive.js';

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'berth-archive-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function* once(bytes: Buffer): AsyncGenerator<Uint8Array> {
  yield bytes;
}

describe('packPath and extractTar', () => {
  test('a tree survives the round trip under a new root name, with modes and symlinks', async () => {
    const source = join(dir, 'tree');
    await mkdir(join(source, 'sub'), { recursive: true });
    await writeFile(join(source, 'a.sh'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(join(source, 'sub', 'b.txt'), 'B');
    await symlink('a.sh', join(source, 'link'));
    const totals = { bytes: 0 };
    const tar = await collect(packPath(source, 'renamed', totals));
    assert.equal(totals.bytes, 11);

    const target = join(dir, 'out');
    await extractTar(once(tar), (name) => {
      const [first, ...rest] = name.split('/');
      return first === 'renamed' ? join(target, ...rest) : undefined;
    }, { bytes: 0 });
    assert.equal(await readFile(join(target, 'sub', 'b.txt'), 'utf8'), 'B');
    assert.equal((await stat(join(target, 'a.sh'))).mode & 0o777, 0o755);
    assert.equal(await readlink(join(target, 'link')), 'a.sh');
  });

  test('entries that climb out with .. or through a symlink of the archive are refused', async () => {
    const outside = join(dir, 'outside');
    await mkdir(outside);
    const archive = pack();
    archive.entry({ name: 'x', type: 'directory' });
    archive.entry({ name: 'x/link', type: 'symlink', linkname: outside });
    archive.entry({ name: 'x/link/evil.txt' }, 'gotcha');
    archive.finalize();
    const target = join(dir, 'victim');
    await assert.rejects(
      extractTar(once(await collect(archive as AsyncIterable<Uint8Array>)), (name) => join(target, name), { bytes: 0 }),
      /through the symlink/,
    );
    await assert.rejects(stat(join(outside, 'evil.txt')));

    const climbing = pack();
    climbing.entry({ name: '../escape.txt' }, 'no');
    climbing.finalize();
    await assert.rejects(extractTar(once(await collect(climbing as AsyncIterable<Uint8Array>)), (name) => join(target, name), { bytes: 0 }), /leaves the destination/);
  });
});
