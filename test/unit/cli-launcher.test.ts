/**
 * The launcher the package ships as `berth` (cli/bin.cjs, copied to dist/bin/berth.js): it keeps V8's compiled
 * code of the bundled command in a cache (Node >= 22.1: the runtime's own compile cache; Node 20: the
 * launcher's), and a cache it cannot read, use or write never changes what a command prints or returns.
 * No engine: `--version` and `--help` never connect.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import nodeModule from 'node:module';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

/** Who keeps the cache on this runtime: Node itself, the launcher (Node 20), or nobody (Bun). */
const keeper = process.versions.bun !== undefined ? 'nobody'
  : typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function' ? 'node' : 'launcher';
const LAUNCHER_CACHE = /^cli-[0-9a-f]{16}-v[\d.]+-\w+\.v8cache$/;

const run = (args: string[], env: Record<string, string>) => runCli(args, { noHost: true, env: { DOCKER_HOST: 'unix:///nonexistent/berth-launcher.sock', ...env } });
const scratch = () => mkdtempSync(join(tmpdir(), 'berth-launcher-'));
const filesUnder = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());

describe('berth launcher: the compiled-code cache', () => {
  it('a run leaves the compiled command in NODE_COMPILE_CACHE, and the next run prints the same from it', { skip: keeper === 'nobody' && 'Bun keeps no compile cache' }, async () => {
    const dir = scratch();
    try {
      const first = await run(['--help'], { NODE_COMPILE_CACHE: dir });
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /\nUsage: {2}berth \[OPTIONS\] COMMAND\n/);
      const cached = filesUnder(dir);
      assert.ok(cached.length > 0, `a cache under ${dir}`);
      if (keeper === 'launcher') {
        assert.equal(cached.length, 1);
        assert.match(cached[0]!.name, LAUNCHER_CACHE);
      }
      const second = await run(['--help'], { NODE_COMPILE_CACHE: dir });
      assert.deepEqual([second.code, second.stdout, second.stderr], [0, first.stdout, '']);
      if (keeper === 'launcher') {
        // V8 took the cache: a rejected one would have been written anew (a new file, renamed into place).
        const path = join(dir, cached[0]!.name);
        const inode = statSync(path).ino;
        await run(['--version'], { NODE_COMPILE_CACHE: dir });
        assert.equal(statSync(path).ino, inode);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("without NODE_COMPILE_CACHE, the launcher's cache goes to the user's cache directory ($XDG_CACHE_HOME/berth), private to the user", { skip: keeper !== 'launcher' && `${keeper === 'node' ? 'Node' : 'Bun'} chooses its own place` }, async () => {
    const home = scratch();
    try {
      const result = await run(['--version'], { XDG_CACHE_HOME: home, NODE_COMPILE_CACHE: '' });
      assert.equal(result.code, 0, result.stderr);
      const [file, ...others] = readdirSync(join(home, 'berth'));
      assert.equal(others.length, 0);
      assert.match(file!, LAUNCHER_CACHE);
      assert.equal(statSync(join(home, 'berth')).mode & 0o777, 0o700);
      assert.equal(statSync(join(home, 'berth', file!)).mode & 0o777, 0o600);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('a cache file V8 cannot use is replaced, and the command runs as without one', { skip: keeper !== 'launcher' && 'only the launcher writes this file' }, async () => {
    const dir = scratch();
    try {
      const clean = await run(['ps', '--help'], { NODE_COMPILE_CACHE: dir });
      const [cached] = filesUnder(dir);
      const path = join(dir, cached!.name);
      const garbage = Buffer.alloc(4096, 0x5a);
      writeFileSync(path, garbage);
      const result = await run(['ps', '--help'], { NODE_COMPILE_CACHE: dir });
      assert.deepEqual([result.code, result.stdout, result.stderr], [0, clean.stdout, '']);
      assert.notDeepEqual(readdirSync(dir).map((name) => statSync(join(dir, name)).size), [garbage.length]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps its four newest cache files (other builds' too) and nothing else of its own, and leaves other files alone", { skip: keeper !== 'launcher' && 'only the launcher writes these files' }, async () => {
    const dir = scratch();
    try {
      const old = ['1', '2', '3', '4', '5'].map((digit, age) => {
        const name = `cli-${digit.repeat(16)}-v20.0.0-x64.v8cache`;
        writeFileSync(join(dir, name), 'an older build');
        const when = new Date(Date.UTC(2026, 0, 10 - age));
        utimesSync(join(dir, name), when, when);
        return name;
      });
      writeFileSync(join(dir, 'notes.txt'), 'not a cache');
      const result = await run(['--version'], { NODE_COMPILE_CACHE: dir });
      assert.equal(result.code, 0, result.stderr);
      const left = readdirSync(dir).sort();
      const fresh = left.filter((name) => !old.includes(name) && name !== 'notes.txt');
      assert.equal(fresh.length, 1);
      assert.match(fresh[0]!, LAUNCHER_CACHE);
      assert.deepEqual(left, [...old.slice(0, 3), fresh[0]!, 'notes.txt'].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a cache directory that cannot be made changes nothing: same output, nothing on stderr, exit 0', async () => {
    const dir = scratch();
    try {
      const blocker = join(dir, 'a-file');
      writeFileSync(blocker, 'not a directory');
      const plain = await run(['--help'], { NODE_DISABLE_COMPILE_CACHE: '1' });
      const result = await run(['--help'], { NODE_COMPILE_CACHE: join(blocker, 'cache'), XDG_CACHE_HOME: join(blocker, 'xdg') });
      assert.deepEqual([result.code, result.stdout, result.stderr], [0, plain.stdout, '']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('NODE_DISABLE_COMPILE_CACHE=1 keeps no cache', { skip: keeper === 'nobody' && 'Bun keeps no compile cache' }, async () => {
    const dir = scratch();
    const home = join(dir, 'xdg');
    mkdirSync(home);
    try {
      const result = await run(['--version'], { NODE_COMPILE_CACHE: join(dir, 'cache'), XDG_CACHE_HOME: home, NODE_DISABLE_COMPILE_CACHE: '1' });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^berth version \S+\n$/);
      assert.deepEqual(filesUnder(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
