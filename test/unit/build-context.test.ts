import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import tarStream from 'tar-stream';
import { directoryContext, walkContext, InvalidArgumentError } from '../../src/index.js';

/** Makes a directory tree from `{ path: content }` (content `null` makes a directory). */
function tree(files: Record<string, string | null>): string {
  const root = mkdtempSync(join(tmpdir(), 'berth-ctx-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    if (content === null) mkdirSync(full, { recursive: true });
    else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  }
  return root;
}

async function names(root: string, dockerfile?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of walkContext(root, { dockerfile })) out.push(entry.name);
  return out;
}

test('files are walked sorted, parents first, and ignored paths are left out', async (t) => {
  const root = tree({ Dockerfile: 'FROM x', 'b.txt': 'b', 'a.txt': 'a', 'node_modules/m/index.js': 'x', 'src/main.ts': 'x', 'src/x.log': 'l', '.dockerignore': 'node_modules\n**/*.log\n' });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  assert.deepEqual(await names(root), ['.dockerignore', 'Dockerfile', 'a.txt', 'b.txt', 'src', 'src/main.ts']);
});

test('the Dockerfile and .dockerignore are sent even when .dockerignore lists them (or everything)', async (t) => {
  const root = tree({ Dockerfile: 'FROM x', 'keep.txt': 'k', 'build/Dockerfile.dev': 'FROM x', '.dockerignore': '*\n' });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  assert.deepEqual(await names(root), ['.dockerignore', 'Dockerfile']);
  assert.deepEqual(await names(root, 'build/Dockerfile.dev'), ['.dockerignore', 'build/Dockerfile.dev']);
});

test('an exception re-includes a file inside an excluded directory; the directory entry itself stays out', async (t) => {
  const root = tree({ Dockerfile: 'FROM x', 'dir/keep': 'k', 'dir/drop': 'd', 'dir/sub/deep': 'd', '.dockerignore': 'dir\n!dir/keep\n' });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  assert.deepEqual(await names(root), ['.dockerignore', 'Dockerfile', 'dir/keep']);
});

test('an exception that does not start with the directory does not re-include inside it (as in the CLI)', async (t) => {
  const root = tree({ Dockerfile: 'FROM x', 'dir/keep': 'k', '.dockerignore': 'dir\n!**/keep\n' });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  assert.deepEqual(await names(root), ['.dockerignore', 'Dockerfile']);
});

test('<dockerfile>.dockerignore takes the place of .dockerignore for that Dockerfile', async (t) => {
  const root = tree({ 'app.Dockerfile': 'FROM x', 'app.Dockerfile.dockerignore': 'secret\n', '.dockerignore': 'public\n', secret: 's', public: 'p' });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  assert.deepEqual(await names(root, 'app.Dockerfile'), ['.dockerignore', 'app.Dockerfile', 'app.Dockerfile.dockerignore', 'public']);
  assert.deepEqual(await names(root), ['.dockerignore', 'app.Dockerfile', 'app.Dockerfile.dockerignore', 'secret']);
});

test('the tar keeps modes, symlinks and directories, with owner 0:0', async (t) => {
  const root = tree({ Dockerfile: 'FROM x', 'bin/run.sh': '#!/bin/sh\necho hi\n', 'data/file': 'content' });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  chmodSync(join(root, 'bin/run.sh'), 0o754);
  symlinkSync('../data/file', join(root, 'bin/link'));
  const extract = tarStream.extract();
  const seen: Record<string, { type: string; mode: number; uid: number; linkname?: string | null; body: string }> = {};
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      seen[entry.header.name] = { type: entry.header.type!, mode: entry.header.mode!, uid: entry.header.uid!, linkname: entry.header.linkname, body: Buffer.concat(chunks).toString() };
    }
  })();
  for await (const chunk of directoryContext(root)) extract.write(chunk);
  extract.end(undefined);
  await done;
  assert.deepEqual(Object.keys(seen), ['Dockerfile', 'bin/', 'bin/link', 'bin/run.sh', 'data/', 'data/file']);
  assert.equal(seen['bin/run.sh']!.mode & 0o7777, 0o754);
  assert.equal(seen['bin/run.sh']!.body, '#!/bin/sh\necho hi\n');
  assert.equal(seen['bin/link']!.type, 'symlink');
  assert.equal(seen['bin/link']!.linkname, '../data/file');
  assert.equal(seen['bin/']!.type, 'directory');
  assert.ok(Object.values(seen).every((entry) => entry.uid === 0));
});

test('a context bigger than memory would allow is streamed: the tar is produced piece by piece', async (t) => {
  const root = tree({ Dockerfile: 'FROM x' });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, 'big.bin'), Buffer.alloc(8 * 1024 * 1024, 7));
  let chunks = 0;
  let largest = 0;
  let total = 0;
  for await (const chunk of directoryContext(root)) {
    chunks++;
    largest = Math.max(largest, chunk.length);
    total += chunk.length;
  }
  assert.ok(total > 8 * 1024 * 1024);
  assert.ok(chunks > 10 && largest <= 1024 * 1024, `expected many small chunks, got ${chunks} with the largest ${largest} bytes`);
});

test('bad input is rejected before anything is read or sent', async (t) => {
  assert.throws(() => directoryContext('/nonexistent', { dockerfile: '../Dockerfile' }), InvalidArgumentError);
  const root = tree({ Dockerfile: 'FROM x', '.dockerignore': 'a[\n' });
  t.after(() => rmSync(root, { recursive: true, force: true }));
  await assert.rejects(names(root), InvalidArgumentError);
  await assert.rejects(names('/nonexistent-berth-dir'), /Cannot read \. in the build context: ENOENT/);
});
