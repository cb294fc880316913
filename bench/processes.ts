/**
 * Whole-process measurements: a one-shot `ps -a` (what a CLI user waits for) and the import time of each
 * package, each in a fresh process, repetitions interleaved in rotating order.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

/** One way to do the job, as a command line. */
export interface ProcessContender {
  name: string;
  command: string;
  args: string[];
  /** Set on top of the run's environment. */
  env?: NodeJS.ProcessEnv;
}

/** Wall times (ms) of each contender's runs, and the in-process import times where reported. */
export interface ProcessResults {
  wallMs: Record<string, number[]>;
  importMs: Record<string, number[]>;
  errors: Record<string, string>;
}

const distBench = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function run(contender: ProcessContender, env: NodeJS.ProcessEnv): Promise<{ wallMs: number; stdout: string; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(contender.command, contender.args, { env: { ...env, ...contender.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ wallMs: performance.now() - start, stdout, code, stderr }));
  });
}

async function measure(contenders: ProcessContender[], repetitions: number, env: NodeJS.ProcessEnv): Promise<ProcessResults> {
  const results: ProcessResults = { wallMs: {}, importMs: {}, errors: {} };
  for (const contender of contenders) { results.wallMs[contender.name] = []; results.importMs[contender.name] = []; }
  // One untimed round first: the page cache holds every file afterwards, for all alike.
  for (const contender of contenders) await run(contender, env);
  for (let rep = 0; rep < repetitions; rep++) {
    for (let i = 0; i < contenders.length; i++) {
      const contender = contenders[(i + rep) % contenders.length]!;
      if (results.errors[contender.name]) continue;
      const { wallMs, stdout, code, stderr } = await run(contender, env);
      if (code !== 0) {
        results.errors[contender.name] = `exit ${code}: ${stderr.trim().slice(0, 200)}`;
        continue;
      }
      results.wallMs[contender.name]!.push(wallMs);
      const imported = /^import-ms (\S+)/m.exec(stdout);
      if (imported) results.importMs[contender.name]!.push(Number(imported[1]));
    }
  }
  return results;
}

/** `ps -a` as a whole process: berth (when the CLI is built), the docker CLI, a raw-socket script, a dockerode script. */
export async function measureOneShot(dockerHost: string, repetitions: number): Promise<ProcessResults> {
  const contenders: ProcessContender[] = [];
  const cli = `${repoRoot}dist/bin/berth.js`;
  if (existsSync(cli)) {
    // The target's row runs as a user's every run after the first: with the compiled code cached (the untimed
    // round fills the cache). The second row is every run with compiling from source, as on a first run.
    contenders.push({ name: 'berth ps -a', command: process.execPath, args: [cli, 'ps', '-a'] });
    contenders.push({ name: 'berth ps -a, no compile cache', command: process.execPath, args: [cli, 'ps', '-a'], env: { NODE_DISABLE_COMPILE_CACHE: '1' } });
  }
  contenders.push({ name: 'raw script', command: process.execPath, args: [`${distBench}oneshot/raw-ps.js`] });
  contenders.push({ name: 'dockerode script', command: process.execPath, args: [`${distBench}oneshot/dockerode-ps.js`] });
  if (existsSync('/usr/local/bin/docker')) contenders.push({ name: 'docker ps -a', command: '/usr/local/bin/docker', args: ['ps', '-a'] });
  return measure(contenders, repetitions, { ...process.env, DOCKER_HOST: dockerHost });
}

/** Import time of each package in a fresh process; `node (nothing)` is the start-up floor. */
export async function measureImports(repetitions: number): Promise<ProcessResults> {
  const timed = (load: string) =>
    `const { performance } = await import('node:perf_hooks'); const t = performance.now(); ${load}; ` +
    `process.stdout.write('import-ms ' + (performance.now() - t).toFixed(2) + '\\n');`;
  const berth = `await import(${JSON.stringify(`${repoRoot}dist/src/index.js`)})`;
  const dockerode = `(await import('node:module')).createRequire(${JSON.stringify(`${repoRoot}bench/package.json`)})('dockerode')`;
  const node = (code: string) => [ '--input-type=module', '-e', code ];
  return measure([
    { name: 'berth', command: process.execPath, args: node(timed(berth)) },
    { name: 'dockerode', command: process.execPath, args: node(timed(dockerode)) },
    { name: 'node (nothing)', command: process.execPath, args: node(timed('0')) },
  ], repetitions, process.env);
}
