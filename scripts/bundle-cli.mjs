// Bundles the `berth` command into dist/bin/ (the package's `bin`), so that a one-shot run loads a few files
// instead of some eighty modules: Node resolves, reads and compiles each ES module on its own, and that, not
// the work the command does, was most of a `berth ps` run (see bench/README.md). Commands stay in chunks of
// their own, loaded when they run (code splitting keeps the CLI's dynamic imports lazy). tar-stream stays
// outside, loaded from node_modules like any dependency, when a build or a copy needs it.
// Usage: node scripts/bundle-cli.mjs   (run by `npm run build` and scripts/setup.sh)
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = new URL('../dist/bin/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { berth: new URL('../cli/main.ts', import.meta.url).pathname },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  external: ['tar-stream'],
  chunkNames: 'chunks/[name]-[hash]',
  // The bundle keeps the source's #! line; no source maps, no minifying: stack traces stay readable.
  logLevel: 'warning',
});
