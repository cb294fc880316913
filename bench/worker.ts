/**
 * Runs one measurement of one contender in a fresh process, so that its CPU time and peak memory are its
 * own: `node dist/bench/worker.js '<RunSpec JSON>'` prints one JSON {@link RunResult} line.
 * Loads the contender, warms it up (JIT, connections, version negotiation), then times the scenario.
 */
import { performance } from 'node:perf_hooks';
import { loadContender, type Contender, type StreamCounts } from './contenders/contender.js';
import type { RunResult, RunSpec } from './scenarios.js';

const spec = JSON.parse(process.argv[2]!) as RunSpec;

async function operation(contender: Contender, warm: boolean, index: number): Promise<{ bytes: number; counts?: StreamCounts; items?: number }> {
  const { args } = spec;
  switch (spec.kind) {
    case 'ping': await contender.ping(); return { bytes: 0 };
    case 'list': return { bytes: 0, items: await contender.list(args.limit) };
    case 'inspect': await contender.inspect(args.id!); return { bytes: 0 };
    case 'logs': {
      const counts = await contender.logs(warm ? args.warmId! : args.id!);
      return { bytes: counts.stdout + counts.stderr, counts };
    }
    case 'events': return { bytes: 0, items: await contender.events(warm ? args.warmUntil! : args.until!) };
    case 'lifecycle': {
      const name = `${args.namePrefix}-${contender.name}-${process.pid}-${warm ? 'w' : ''}${index}`;
      await contender.lifecycle(args.image!, name, args.labels!);
      return { bytes: 0 };
    }
    case 'exec': {
      if (!contender.exec) throw new Error(`${contender.name} has no exec`);
      const exitCode = await contender.exec(args.id!);
      if (exitCode !== 0) throw new Error(`exec exited with ${exitCode}`);
      return { bytes: 0 };
    }
  }
}

async function main(): Promise<RunResult> {
  const loadStart = performance.now();
  const contender = await loadContender(spec.contender, spec.socket);
  const loadMs = performance.now() - loadStart;
  if (spec.kind === 'exec' && !contender.exec) return { unsupported: 'no exec in this build' };

  // Warm-up: by time for short operations, by count for long ones.
  const warmDeadline = performance.now() + spec.warmupMs;
  let warmOps = 0;
  do {
    await operation(contender, true, warmOps++);
  } while (performance.now() < warmDeadline || warmOps < spec.minWarmupOps);

  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const deadline = start + spec.durationMs;
  let ops = 0;
  let bytes = 0;
  let items = 0;
  let counts: StreamCounts | undefined;
  const lane = async () => {
    do {
      const result = await operation(contender, false, ops++);
      bytes += result.bytes;
      items += result.items ?? 0;
      if (result.counts) counts = { stdout: (counts?.stdout ?? 0) + result.counts.stdout, stderr: (counts?.stderr ?? 0) + result.counts.stderr };
    } while (performance.now() < deadline);
  };
  await Promise.all(Array.from({ length: spec.concurrency }, lane));
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  contender.close();
  return {
    ops,
    bytes,
    items,
    counts,
    elapsedMs,
    cpuMicros: cpu.user + cpu.system,
    maxRssKiB: process.resourceUsage().maxRSS,
    loadMs,
  };
}

main().then(
  (result) => { process.stdout.write(JSON.stringify(result) + '\n'); process.exit(0); },
  (error: unknown) => {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (/has no docker\.system\.events|has no exec/.test(message)) process.stdout.write(JSON.stringify({ unsupported: message }) + '\n');
    else process.stdout.write(JSON.stringify({ error: message }) + '\n');
    process.exit(0);
  },
);
