/**
 * The package as a user gets it: `npm pack`, installed from the tarball into a throwaway project, then used from
 * an ESM TypeScript file (type-checked with `tsc --noEmit`), from an ESM and a CommonJS file at run time, and
 * through `npx berth`, all against the test engine.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { testHost } from '../helpers/engine.js';

const run = promisify(execFile);
/** The repository: dist/test/package → ../../.. */
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
/** The machine's npm, run by the node on PATH (npm is a script for node, not for whatever runs this test). */
const NPM = 'npm';
const TIMEOUT = 300_000;

let project = '';
let packed: { filename: string; files: { path: string }[] };

before(async () => {
  project = await mkdtemp(join(tmpdir(), 'berth-consumer-'));
  // --ignore-scripts: the build is there already (scripts/setup.sh builds ESM and CommonJS); prepack would redo it.
  const { stdout } = await run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', project], { cwd: REPO, timeout: TIMEOUT });
  packed = (JSON.parse(stdout) as (typeof packed)[])[0];
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // The tarball's one dependency (tar-stream) is in npm's cache after the repository's own `npm ci`.
  await run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(project, packed.filename)], { cwd: project, timeout: TIMEOUT });
}, { timeout: TIMEOUT });

after(() => (project ? rm(project, { recursive: true, force: true }) : undefined));

describe('the packed package', { timeout: TIMEOUT }, () => {
  it('holds the ESM and CommonJS builds, their types and the CLI, and no tests, benchmarks or keys', () => {
    const paths = packed.files.map((file) => file.path);
    for (const needed of ['package.json', 'README.md', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/package.json', 'dist/bin/berth.js', 'dist/bin/cli.js', 'dist/bin/package.json']) {
      assert.ok(paths.includes(needed), `${needed} is in the package`);
    }
    const unwanted = paths.filter((path) => /^(test|bench|scripts|src|cli|examples|dist\/test|dist\/bench|dist\/test-results)\/|\.(pem|key|crt|tsbuildinfo)$|(^|\/)\.env|\.npmrc$/.test(path));
    assert.deepEqual(unwanted, []);
  });

  it('has one runtime dependency, tar-stream, and nothing with a native addon', async () => {
    const manifest = JSON.parse(await readFile(join(project, 'node_modules', 'berth', 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}), ['tar-stream']);
    const { stdout } = await run('find', ['node_modules', '-name', '*.node', '-o', '-name', 'binding.gyp'], { cwd: project });
    assert.equal(stdout, '');
  });

  it('type-checks an ESM TypeScript file against its .d.ts (and a wrong call is a type error)', async () => {
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true,
        types: ['node'], typeRoots: [join(REPO, 'node_modules', '@types')],
      },
      files: ['use.ts'],
    }));
    await writeFile(join(project, 'use.ts'), [
      "import { Docker, NotFoundError, type ContainerSummary } from 'berth';",
      'const docker = new Docker({ host: process.env.DOCKER_HOST });',
      'const list: ContainerSummary[] = await docker.containers.list({ all: true });',
      'const status: number = (await docker.containers.wait("x")).StatusCode;',
      'try { await docker.containers.inspect("nosuch"); } catch (error) { if (error instanceof NotFoundError) console.log(error.status); }',
      '// @ts-expect-error: an ID is a string; with untyped exports this line would be an unused directive',
      'await docker.containers.start(42);',
      'console.log(list.length, status);',
      '',
    ].join('\n'));
    const result = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project, timeout: TIMEOUT }).catch((error: { stdout: string }) => error);
    assert.equal(result.stdout, '');
  });

  it('imports from an ESM file and talks to the engine', async () => {
    await writeFile(join(project, 'use.mjs'), [
      "import { Docker } from 'berth';",
      'const version = await new Docker({ host: process.env.DOCKER_HOST }).version();',
      "console.log(import.meta.resolve('berth').endsWith('/node_modules/berth/dist/src/index.js'), typeof version.ApiVersion);",
    ].join('\n'));
    const { stdout } = await run(process.execPath, ['use.mjs'], { cwd: project, env: { ...process.env, DOCKER_HOST: testHost() } });
    assert.equal(stdout, 'true string\n');
  });

  it('requires from a CommonJS file: the CommonJS build, which any supported Node loads', async () => {
    await writeFile(join(project, 'use.cjs'), [
      "const { Docker, NotFoundError } = require('berth');",
      "console.log(require.resolve('berth').endsWith('/node_modules/berth/dist/cjs/index.js'));",
      'new Docker({ host: process.env.DOCKER_HOST }).containers.inspect("berth-consumer-nosuch")',
      '  .catch((error) => console.log(error instanceof NotFoundError, error.status));',
    ].join('\n'));
    const { stdout } = await run(process.execPath, ['use.cjs'], { cwd: project, env: { ...process.env, DOCKER_HOST: testHost() } });
    assert.equal(stdout, 'true\ntrue 404\n');
  });

  it('installs the berth command: npx berth version talks to the engine', async () => {
    const { stdout } = await run('npx', ['--no-install', 'berth', '-H', testHost(), 'version'], { cwd: project, timeout: TIMEOUT });
    assert.match(stdout, /^Client:\n Version: +\d+\.\d+\.\d+/);
    assert.match(stdout, /\nServer:\n Engine:\n  Version: +\S+/);
  });
});
