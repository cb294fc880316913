// Bundles the `berth` command into one CommonJS file, dist/bin/cli.js, started by dist/bin/berth.js (the
// package's `bin`: cli/bin.cjs, which keeps V8's compiled code of the bundle in a cache), so that a one-shot
// run reads and compiles one file instead of some eighty modules.
// Why one CommonJS file and not ES modules split into a chunk per command: on Node 20 each ES module file
// costs about a millisecond of loader work (resolution, an asynchronous read, linking), and an ES import of a
// built-in builds a facade that reads every export (`node:fs`'s `promises` getter alone loads the promise API,
// file streams and readline). The chunked ES build ran `berth ps -a` in 1.25x–1.30x a raw-socket script's
// time, this file in about 1.2x, and with the code cache about 1.1x (bench/README.md). V8 compiles function
// bodies on first call, so the commands that do not run cost only a pre-parse; their modules are evaluated
// when the command is chosen (esbuild turns the CLI's dynamic imports into lazy initialisers). tar-stream stays
// outside, loaded from node_modules when a build or a copy needs it.
// Usage: node scripts/bundle-cli.mjs   (run by `npm run build` and scripts/setup.sh)
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const outdir = new URL('../dist/bin/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
// The package is "type": "module"; this folder's files are CommonJS.
writeFileSync(`${outdir}package.json`, '{ "type": "commonjs" }\n');
const result = await build({
  entryPoints: [new URL('../cli/main.ts', import.meta.url).pathname],
  outfile: `${outdir}cli.js`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.18',
  external: ['tar-stream'],
  // `import()` of tar-stream and of built-ins (node:tls, node:child_process) becomes `require()`: bin.cjs compiles
  // the bundle with vm.Script, whose dynamic imports fail ("A dynamic import callback was not specified") when
  // the code comes from V8's cache on Node 20.
  supported: { 'dynamic-import': false },
  // `import.meta.url` (cli/version.ts finds the package.json from it) has no CommonJS form of its own.
  define: { 'import.meta.url': 'importMetaUrl' },
  inject: [new URL('lib/import-meta-url.mjs', import.meta.url).pathname],
  // No source maps, no minifying: stack traces stay readable.
  logLevel: 'warning',
  write: false,
});
// The bundle is compiled inside a function by bin.cjs, where a #! line (kept from cli/main.ts) is a syntax error.
const bundle = result.outputFiles[0].text.replace(/^#!.*\n/, '');
writeFileSync(`${outdir}cli.js`, bundle);

const launcher = readFileSync(new URL('../cli/bin.cjs', import.meta.url), 'utf8');
const hash = createHash('sha256').update(bundle).digest('hex').slice(0, 16);
const stamped = launcher.replace("const BUNDLE_HASH = 'unbundled';", `const BUNDLE_HASH = '${hash}';`);
if (stamped === launcher) throw new Error('cli/bin.cjs: the BUNDLE_HASH line to stamp is missing');
writeFileSync(`${outdir}berth.js`, stamped);
chmodSync(`${outdir}berth.js`, 0o755);
