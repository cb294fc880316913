#!/usr/bin/env node
// The `berth` command as the package ships it (dist/bin/berth.js): this file, then the bundled command,
// dist/bin/cli.js (scripts/bundle-cli.mjs). It exists so that a one-shot run need not compile half a megabyte
// of JavaScript each time: V8 can keep its compiled code in a cache on disk.
// - Node >= 22.1 does that itself: `module.enableCompileCache()` (the default directory os.tmpdir()/
//   node-compile-cache, or NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off), as tsc does.
// - Node 20 has no such call, so this file does what it does for the one file that matters: compile the
//   bundle with `vm.Script` and V8's cached data, kept in the user's cache directory. Compiling cli.js is
//   the largest single cost of `berth ps -a` on Node 20 (7–8 ms); with the cache the run takes 1.1x a
//   raw-socket script's time instead of 1.2x (bench/README.md). The npm package
//   v8-compile-cache does this too, but caches code before it runs (so not the functions a command calls),
//   hashes every source on every start, and keeps its cache in the shared temporary directory.
// - Bun compiles fast on its own and is left alone.
// Any trouble with the cache (unwritable home, a file V8 rejects) means compiling as usual, never a failure.
'use strict';
const nodeModule = require('node:module');
const path = require('node:path');

/** The bundle's content hash, written here by scripts/bundle-cli.mjs: a cache is valid for these bytes only. */
const BUNDLE_HASH = 'unbundled';
const bundle = path.join(__dirname, 'cli.js');

if (typeof nodeModule.enableCompileCache === 'function') {
  nodeModule.enableCompileCache();
  require(bundle);
} else if (process.versions.bun !== undefined || process.env.NODE_DISABLE_COMPILE_CACHE) {
  require(bundle);
} else {
  runWithCodeCache();
}

/** Runs the bundle as CommonJS would, compiled with V8's cached data when there is some for these bytes. */
function runWithCodeCache() {
  const fs = require('node:fs');
  const vm = require('node:vm');
  const cacheFile = codeCacheFile();
  let cachedData;
  try {
    if (cacheFile) cachedData = fs.readFileSync(cacheFile);
  } catch {
    // No cache yet: compile, and write one when the command is done.
  }
  const script = new vm.Script(nodeModule.wrap(fs.readFileSync(bundle, 'utf8')), {
    filename: bundle,
    cachedData,
  });
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    // At exit, not now: the cache then holds the functions this run compiled as well as the top level.
    process.once('exit', () => writeCodeCache(fs, cacheFile, script));
  }
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, nodeModule.createRequire(bundle), module, bundle, __dirname);
}

/**
 * Where this bundle's cache lives: NODE_COMPILE_CACHE (the directory Node >= 22 would use), else the user's
 * own cache directory ($XDG_CACHE_HOME or ~/.cache), never a directory other users can write to.
 */
function codeCacheFile() {
  const os = require('node:os');
  let directory = process.env.NODE_COMPILE_CACHE;
  if (!directory) {
    const home = os.homedir();
    if (!home) return undefined;
    directory = path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'berth');
  }
  return path.join(directory, `cli-${BUNDLE_HASH}-${process.version}-${process.arch}.v8cache`);
}

function writeCodeCache(fs, cacheFile, script) {
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
    // Written aside and renamed: commands that start at the same moment never read half a file.
    const partial = `${cacheFile}.${process.pid}`;
    try {
      fs.writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(partial, cacheFile);
    } finally {
      fs.rmSync(partial, { force: true });
    }
    pruneCodeCaches(fs, path.dirname(cacheFile));
  } catch {
    // A cache is an optimisation: without one, the next run compiles as this one did.
  }
}

/**
 * Keeps the newest few cache files of the launcher in the directory: each build of Berth (and each Node
 * version) has its own, and a developer who rebuilds often would otherwise collect one per build. A few, not
 * one: two installed versions used in turn keep their caches.
 */
function pruneCodeCaches(fs, directory) {
  const kept = 4;
  const caches = fs.readdirSync(directory)
    .filter((name) => /^cli-[0-9a-f]+-.+\.v8cache$/.test(name))
    .map((name) => ({ name, mtime: fs.statSync(path.join(directory, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { name } of caches.slice(kept)) fs.rmSync(path.join(directory, name), { force: true });
}
