// Writes docs/compatibility.md from the results of one test run on both engines (scripts/test.sh calls it):
//   node scripts/compatibility.mjs RESULTS_DIR [OUT.md]
// RESULTS_DIR holds, per engine (docker, podman):
//   ENGINE.jsonl        one line per test (scripts/results-reporter.mjs): file, path, status, reason, error
//   ENGINE-calls.jsonl  one line per API call a test made (test/helpers/record-calls.js): file, test, operation, cli
//   ENGINE-host         the endpoint the run used (to name the engine's version in the page)
// Without OUT.md it prints the summary only. The tables list every operation of the generated operations table
// and every command of the CLI's command table, with how the tests that used them fared on each engine.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const ENGINES = [
  { key: 'docker', title: 'dockerd' },
  { key: 'podman', title: 'Podman' },
];
const DIFFERS = 'podman differs:';
const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const [resultsDir, outFile] = process.argv.slice(2);
if (!resultsDir) {
  console.error('usage: node scripts/compatibility.mjs RESULTS_DIR [OUT.md]');
  process.exit(2);
}

const readLines = (file) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
const isIntegration = (file) => (file ?? '').includes('/integration/');
const testKey = (file, name) => `${file}\0${name}`;
const shortFile = (file) => relative(join(root, 'dist'), file).replace(/\.js$/, '.ts');

// ---- read the runs

const runs = {};
for (const { key } of ENGINES) {
  const tests = readLines(join(resultsDir, `${key}.jsonl`));
  const calls = readLines(join(resultsDir, `${key}-calls.jsonl`));
  const hostFile = join(resultsDir, `${key}-host`);
  const host = existsSync(hostFile) ? readFileSync(hostFile, 'utf8').trim() : undefined;
  // What each test called: operations, and the CLI commands it ran.
  const used = new Map();
  // Operations the engine answered with "no such route" (UnsupportedOperationError) in any test.
  // A 404 for the route means the operation is missing; other UNSUPPORTED answers concern one of its options.
  const unsupported = new Set(calls.filter((call) => call.code === 'UNSUPPORTED' && call.status === 404).map((call) => call.operation));
  const unsupportedOption = new Set(calls.filter((call) => call.code === 'UNSUPPORTED' && call.status !== 404).map((call) => call.operation));
  for (const call of calls) {
    const k = testKey(call.file, call.test);
    if (!used.has(k)) used.set(k, { operations: new Set(), cli: new Set() });
    used.get(k).operations.add(call.operation);
    if (call.cli !== undefined) used.get(k).cli.add(call.cli);
  }
  runs[key] = { tests, used, host, unsupported, unsupportedOption };
}

function counts(tests) {
  const c = { total: tests.length, pass: 0, fail: 0, differsPass: 0, differsFail: 0, todo: 0, skip: 0, differsSkip: 0 };
  for (const t of tests) {
    const differs = (t.reason ?? '').startsWith(DIFFERS);
    if (t.status === 'pass') c.pass++;
    else if (t.status === 'fail') c.fail++;
    else if (t.status === 'skip') differs ? c.differsSkip++ : c.skip++;
    else if (differs) t.status === 'todo-pass' ? c.differsPass++ : c.differsFail++;
    else c.todo++;
  }
  return c;
}

// ---- summary (always printed)

const summaryRows = [
  ['tests run', (c) => c.total],
  ['passed', (c) => c.pass],
  ['failed', (c) => c.fail],
  ['known differences (marked, failing)', (c) => c.differsFail],
  ['known differences (marked, but passing now)', (c) => c.differsPass],
  ['known differences (marked, not run)', (c) => c.differsSkip],
  ['other TODO', (c) => c.todo],
  ['skipped', (c) => c.skip],
];
const integrationCounts = Object.fromEntries(
  ENGINES.map(({ key }) => [key, counts(runs[key].tests.filter((t) => isIntegration(t.file)))]),
);
console.log('Integration tests by engine:');
for (const [label, get] of summaryRows) {
  console.log(`  ${label.padEnd(44)} ${ENGINES.map(({ key, title }) => `${title} ${get(integrationCounts[key])}`).join('   ')}`);
}
for (const { key, title } of ENGINES) {
  for (const t of runs[key].tests) {
    if ((t.reason ?? '').startsWith(DIFFERS)) console.log(`  ${title}: ${t.path.join(' > ')}: ${t.reason.slice(DIFFERS.length).trim()}`);
  }
}
if (!outFile) process.exit(0);

// ---- what to list: every operation, every CLI command

const { operations } = await import(pathToFileURL(join(root, 'dist/src/generated/operations.js')).href);
let commandTable = [];
const commandsModule = join(root, 'dist/cli/commands/index.js');
if (existsSync(commandsModule)) commandTable = (await import(pathToFileURL(commandsModule).href)).commands ?? [];
/** The table row of a recorded `berth WORD [WORD]` call: the two words, else the first. */
function commandOf(words) {
  const [first] = words.split(' ');
  const entry = commandTable.find((e) => e.names.includes(words)) ?? commandTable.find((e) => e.names.includes(first));
  return entry ? entry.names[0] : words;
}

async function engineVersion(host) {
  if (!host) return undefined;
  try {
    const { Docker } = await import(pathToFileURL(join(root, 'dist/src/index.js')).href);
    const docker = new Docker({ host });
    try {
      const v = await docker.version({ timeout: 5000 });
      const component = v.Components?.find((c) => /engine/i.test(c.Name ?? ''));
      return `${component?.Name ?? 'Engine'} ${v.Version} (API ${v.ApiVersion})`;
    } finally {
      docker.close();
    }
  } catch {
    return undefined;
  }
}

// For each engine: operation → tests that called it; command → tests that ran it.
const byOperation = {};
const byCommand = {};
for (const { key } of ENGINES) {
  byOperation[key] = new Map();
  byCommand[key] = new Map();
  for (const t of runs[key].tests) {
    if (!isIntegration(t.file)) continue;
    const used = runs[key].used.get(testKey(t.file, t.name));
    if (!used) continue;
    for (const op of used.operations) {
      if (!byOperation[key].has(op)) byOperation[key].set(op, []);
      byOperation[key].get(op).push(t);
    }
    for (const words of used.cli) {
      const cmd = commandOf(words);
      if (!byCommand[key].has(cmd)) byCommand[key].set(cmd, []);
      byCommand[key].get(cmd).push(t);
    }
  }
}

/** One table cell: passed/run (✓ all, ✗ not all), plus the known differences apart. */
function cell(tests) {
  if (!tests || tests.length === 0) return '–';
  const c = counts(tests);
  const run = c.pass + c.fail;
  const differs = c.differsFail + c.differsPass + c.differsSkip;
  const parts = [];
  if (run > 0) parts.push(`${c.fail === 0 ? '✓' : '✗'} ${c.pass}/${run}`);
  if (differs > 0) parts.push(`≠ ${differs} known`);
  if (c.todo + c.skip > 0) parts.push(`${c.todo + c.skip} todo/skip`);
  return parts.join(', ');
}

// ---- the page

const versions = {};
for (const { key } of ENGINES) versions[key] = (await engineVersion(runs[key].host)) ?? 'version not recorded';
const out = [];
out.push('# Compatibility: dockerd and Podman');
out.push('');
out.push('Generated by `scripts/compatibility.mjs` from the last full test run (`npm test`), which runs the integration');
out.push('suite once against dockerd and once against Podman\'s Docker-compatible API. Do not edit by hand: run `npm test`.');
out.push('');
for (const { key, title } of ENGINES) out.push(`- ${title}: ${versions[key]}`);
out.push('');
out.push('## Summary (integration tests)');
out.push('');
out.push(`| | ${ENGINES.map((e) => e.title).join(' | ')} |`);
out.push(`|---|${ENGINES.map(() => '---:').join('|')}|`);
for (const [label, get] of summaryRows) out.push(`| ${label} | ${ENGINES.map(({ key }) => get(integrationCounts[key])).join(' | ')} |`);
out.push('');
out.push('A known difference is a test marked with `podmanDiffers()`/`onPodman()` (test/helpers/engine.ts) with the reason:');
out.push('it runs and is reported as TODO, so it is counted apart and never as a pass.');
out.push('');

out.push('## What Berth does about Podman\'s differences');
out.push('');
out.push('Where Podman (4.3) answers differently and Berth can bridge it, it does (src/api/podman-compat.ts, applied when');
out.push('`/_ping` names Podman; `docker.ping()` tells which engine answers: `engine: \'docker\' | \'podman\'`):');
out.push('stats samples get `id`; `top` is split into columns; image IDs get their `sha256:` prefix and image names');
out.push('Docker\'s short form; `images.list({ digests })` works; an import keeps its tag; `commit` sends a body;');
out.push('`wait({ condition: \'removed\' })` keeps the exit code of a self-removing container; a container\'s `remove` event is');
out.push('`destroy` as on dockerd; 500s for state conflicts');
out.push('become `ConflictError` and a missing image ID `NotFoundError`. What Podman lacks raises');
out.push('`UnsupportedOperationError` naming the engine and the operation (e.g. `ContainerUpdate`, `BuildPrune`).');
out.push('');
out.push('## Known differences');
out.push('');
const differing = [];
for (const { key, title } of ENGINES) {
  for (const t of runs[key].tests) {
    if (!(t.reason ?? '').startsWith(DIFFERS)) continue;
    const outcome = { 'todo-fail': 'fails', 'todo-pass': 'passes: the mark can go', skip: 'not run' }[t.status] ?? t.status;
    differing.push(`| ${title} | ${shortFile(t.file)}: ${t.path.join(' › ')} | ${t.reason.slice(DIFFERS.length).trim()} | ${outcome} |`);
  }
}
if (differing.length === 0) out.push('None marked.');
else out.push('| engine | test | reason | outcome |', '|---|---|---|---|', ...differing);
out.push('');

const skipped = [];
for (const { key, title } of ENGINES) {
  for (const t of runs[key].tests) {
    if (t.status === 'skip' && isIntegration(t.file) && !(t.reason ?? '').startsWith(DIFFERS)) {
      skipped.push(`| ${title} | ${shortFile(t.file)}: ${t.path.join(' › ')} | ${t.reason ?? 'no reason given'} |`);
    }
  }
}
out.push('## Not run on an engine');
out.push('');
if (skipped.length === 0) out.push('None.');
else out.push('| engine | test or suite | reason |', '|---|---|---|', ...skipped);
out.push('');

const failing = [];
for (const { key, title } of ENGINES) {
  for (const t of runs[key].tests) {
    if (t.status === 'fail' && isIntegration(t.file)) failing.push(`| ${title} | ${shortFile(t.file)}: ${t.path.join(' › ')} | ${(t.error ?? '').replaceAll('|', '\\|')} |`);
  }
}
out.push('## Failures not marked');
out.push('');
if (failing.length === 0) out.push('None.');
else out.push('| engine | test | error |', '|---|---|---|', ...failing);
out.push('');

const legend = 'Each cell: `✓ passed/run` when every test that used it passed, `✗ passed/run` when some failed; `≠ N known`: tests marked as a known difference; `✗ not implemented`: the engine has no such route (Berth raises `UnsupportedOperationError`); `–`: no test used it.';
out.push('## Operations');
out.push('');
out.push(`Every operation of the Engine API spec, with the integration tests that called it (recorded during the run). ${legend}`);
out.push('');
out.push(`| operation | method and path | ${ENGINES.map((e) => e.title).join(' | ')} |`);
out.push(`|---|---|${ENGINES.map(() => '---').join('|')}|`);
for (const [id, op] of Object.entries(operations)) {
  const cells = ENGINES.map(({ key }) => {
    if (runs[key].unsupported.has(id)) return '✗ not implemented (404 for the route)';
    const base = cell(byOperation[key].get(id));
    return runs[key].unsupportedOption.has(id) ? `${base}; an option is not supported` : base;
  });
  out.push(`| ${id} | \`${op.method} ${op.path}\` | ${cells.join(' | ')} |`);
}
out.push('');

out.push('## CLI commands');
out.push('');
out.push(`Every \`berth\` command, with the integration tests that ran it. ${legend}`);
out.push('');
out.push(`| command | ${ENGINES.map((e) => e.title).join(' | ')} |`);
out.push(`|---|${ENGINES.map(() => '---').join('|')}|`);
const commandNames = [...new Set([...commandTable.map((e) => e.names[0]), ...ENGINES.flatMap(({ key }) => [...byCommand[key].keys()])])];
for (const name of commandNames) {
  out.push(`| \`berth ${name}\` | ${ENGINES.map(({ key }) => cell(byCommand[key].get(name))).join(' | ')} |`);
}
out.push('');
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, out.join('\n'));
console.log(`Wrote ${outFile}`);
