/**
 * The benchmark suite: Berth, dockerode and a raw `node:net` client, side by side in one run, against a
 * fake engine (client overhead) and the real private dockerd. Run it with `npm run bench` (which builds and
 * starts the engine first) or `node dist/bench/run.js [--quick] [--only TEXT] [--repetitions N]`.
 *
 * Every measurement runs in a fresh worker process (clean CPU and peak-memory figures); repetitions of a
 * scenario rotate the contenders' order, so that noise on this shared machine hits all of them alike.
 * Results go to bench/results/latest.{md,json} and a dated copy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Docker } from '../src/index.js';
import type { ContenderName } from './contenders/contender.js';
import { measureImports, measureOneShot } from './processes.js';
import { JsonSink, RawClient, requestHead } from './raw-client.js';
import { markdown, summarize, type BenchResults, type Sample, type ScenarioSummary } from './report.js';
import { scenarios, type RunResult, type RunSpec, type Scenario } from './scenarios.js';

const CONTENDERS: ContenderName[] = ['raw', 'berth', 'dockerode'];
const here = fileURLToPath(new URL('.', import.meta.url));
const resultsDir = fileURLToPath(new URL('../../bench/results/', import.meta.url));

interface Options { quick: boolean; only: string | undefined; repetitions: number | undefined; dockerHost: string }

function parseOptions(argv: string[]): Options {
  const options: Options = {
    quick: false, only: undefined, repetitions: undefined,
    dockerHost: process.env.BERTH_BENCH_DOCKER_HOST ?? 'unix:///tmp/berth-engine/docker.sock',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') options.quick = true;
    else if (arg === '--only') options.only = argv[++i];
    else if (arg === '--repetitions') options.repetitions = Number(argv[++i]);
    else if (arg === '--docker-host') options.dockerHost = argv[++i]!;
    else throw new Error(`Unknown option ${arg}; use --quick, --only TEXT, --repetitions N, --docker-host URL`);
  }
  return options;
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

async function startFakeEngine(socket: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(here, 'fake-engine.js'), socket], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fake engine exited (${code})`)));
    child.stdout!.once('data', () => resolve());
  });
  return child;
}

async function engineCpu(client: RawClient): Promise<number> {
  const sink = new JsonSink();
  await client.request(requestHead('GET', '/_bench/cpu'), sink);
  return sink.json<{ cpuMicros: number }>().cpuMicros;
}

function runWorker(spec: RunSpec): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, 'worker.js'), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as RunResult);
      } catch {
        resolve({ error: `worker ended (${signal ?? code}) without a result: ${stderr.trim().slice(-300)}` });
      }
    });
  });
}

function rateText(scenario: Scenario, result: RunResult): string {
  if ('error' in result) return `error (${result.error})`;
  if ('unsupported' in result) return 'unsupported';
  const seconds = result.elapsedMs / 1000;
  if (scenario.unit === 'MiB/s') return `${(result.bytes / 1048576 / seconds).toFixed(1)} MiB/s, peak RSS ${(result.maxRssKiB / 1024).toFixed(0)} MiB`;
  if (scenario.unit === 'events/s') return `${(result.items / seconds).toFixed(0)} events/s`;
  return `${(result.ops / seconds).toFixed(1)} ops/s`;
}

async function runScenario(scenario: Scenario, repetitions: number, socket: string, engineClient: RawClient | undefined): Promise<ScenarioSummary> {
  const samples: Sample[] = [];
  for (let rep = 0; rep < repetitions; rep++) {
    for (let i = 0; i < CONTENDERS.length; i++) {
      const contender = CONTENDERS[(i + rep) % CONTENDERS.length]!;
      const { id, kind, concurrency, durationMs, warmupMs, minWarmupOps, args } = scenario;
      const before = engineClient ? await engineCpu(engineClient) : undefined;
      const result = await runWorker({ scenario: id, contender, socket, kind, concurrency, durationMs, warmupMs, minWarmupOps, args });
      const after = engineClient ? await engineCpu(engineClient) : undefined;
      // The worker's warm-up also used the engine; its share is small next to the timed part.
      samples.push({ contender, result, engineCpuMicros: before !== undefined && after !== undefined ? after - before : undefined });
      log(`${id} #${rep + 1} ${contender}: ${rateText(scenario, result)}`);
    }
  }
  return summarize(scenario, samples);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  const repetitions = options.repetitions ?? (options.quick ? 1 : 4);
  const runId = randomBytes(4).toString('hex');
  const notes = [
    'The machine is shared with other engineers\' test runs, so absolute numbers are noisy. Contenders run interleaved ' +
    '(round-robin repetitions in rotating order, each in a fresh process), so noise hits all alike: compare the ratios, ' +
    'not the absolute numbers, and compare runs only by their ratios.',
  ];
  const work = mkdtempSync(join(tmpdir(), 'berth-bench-'));
  const fakeSocket = join(work, 'fake.sock');
  const fake = await startFakeEngine(fakeSocket);
  const engineClient = new RawClient(fakeSocket);

  const dockerdSocket = options.dockerHost.replace(/^unix:\/\//, '');
  const docker = new Docker({ host: options.dockerHost });
  let dockerdUp = true;
  try { await docker.ping({ timeout: 3000 }); } catch (error) {
    dockerdUp = false;
    notes.push(`dockerd at ${options.dockerHost} did not answer (${(error as Error).message}): its scenarios were skipped.`);
  }
  const image = 'busybox:local';
  const labels = { 'berth.bench': runId };
  let dockerdContainer = '';
  const summaries: ScenarioSummary[] = [];
  let oneShot: BenchResults['oneShot'];
  let imports: BenchResults['imports'];
  try {
    if (dockerdUp) {
      const { Id } = await docker.containers.create({ Image: image, Cmd: ['sleep', '3600'], Labels: labels }, { name: `berth-bench-${runId}-target` });
      dockerdContainer = Id;
      await docker.containers.start(Id);
    }
    const wanted = (id: string) => !options.only || id.includes(options.only);
    for (const scenario of scenarios({ quick: options.quick, repetitions, runId, image, dockerdContainer })) {
      if (!wanted(scenario.id)) continue;
      if (scenario.engine === 'dockerd' && !dockerdUp) continue;
      const fakeEngine = scenario.engine === 'fake';
      summaries.push(await runScenario(scenario, repetitions, fakeEngine ? fakeSocket : dockerdSocket, fakeEngine ? engineClient : undefined));
    }
    if (dockerdUp && wanted('oneshot')) {
      log('one-shot ps -a …');
      oneShot = await measureOneShot(options.dockerHost, options.quick ? 3 : 10);
      if (!oneShot.wallMs['berth ps -a']) notes.push('The berth CLI (dist/bin/berth.js) is not in this build: the one-shot table has no berth row yet.');
    }
    if (wanted('import')) {
      log('import time …');
      imports = await measureImports(options.quick ? 3 : 10);
    }
  } finally {
    engineClient.close();
    fake.kill('SIGTERM');
    if (dockerdUp) {
      const leftovers = await docker.containers.list({ all: true, filters: { label: [`berth.bench=${runId}`] } });
      for (const container of leftovers) await docker.containers.remove(container.Id!, { force: true }).catch(() => undefined);
    }
    docker.close();
    rmSync(work, { recursive: true, force: true });
  }

  const results: BenchResults = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, os: `${platform()} ${release()}`, memoryGiB: Math.round(totalmem() / 2 ** 30) },
    settings: { quick: options.quick, repetitions },
    durationSeconds: (performance.now() - started) / 1000,
    scenarios: summaries,
    oneShot,
    imports,
    notes,
  };
  mkdirSync(resultsDir, { recursive: true });
  const stamp = results.date.slice(0, 19).replace(/:/g, '-');
  const suffix = options.quick ? '-quick' : '';
  const text = markdown(results);
  const json = JSON.stringify(results, null, 2) + '\n';
  // A partial run (--only) never replaces latest.*: those are the full tables the README links to.
  if (!options.only) {
    writeFileSync(join(resultsDir, `latest${suffix}.md`), text);
    writeFileSync(join(resultsDir, `latest${suffix}.json`), json);
  }
  writeFileSync(join(resultsDir, `${stamp}${suffix}${options.only ? '-partial' : ''}.md`), text);
  writeFileSync(join(resultsDir, `${stamp}${suffix}${options.only ? '-partial' : ''}.json`), json);
  process.stdout.write(text);
  log(`results written to ${resultsDir}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
