/** The scenarios of a bench run, what a worker is told to do, what it reports, and the targets. */
import type { ContenderName, StreamCounts } from './contenders/contender.js';

/** What one operation of a scenario is. */
export type Kind = 'ping' | 'list' | 'inspect' | 'logs' | 'events' | 'lifecycle' | 'exec';

/** Arguments of a scenario's operation. */
export interface ScenarioArgs {
  limit?: number;
  id?: string;
  /** A smaller log stream of the same frame size, for the warm-up. */
  warmId?: string;
  until?: number;
  warmUntil?: number;
  image?: string;
  namePrefix?: string;
  labels?: Record<string, string>;
}

/** One measurement: one contender, one scenario, in a fresh worker process. */
export interface RunSpec {
  scenario: string;
  contender: ContenderName;
  socket: string;
  kind: Kind;
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  minWarmupOps: number;
  args: ScenarioArgs;
}

/** What a worker measured. */
export interface Measurement {
  ops: number;
  bytes: number;
  items: number;
  counts?: StreamCounts | undefined;
  elapsedMs: number;
  cpuMicros: number;
  maxRssKiB: number;
  loadMs: number;
}

/** A worker's answer. */
export type RunResult = Measurement | { unsupported: string } | { error: string };

/** A target from issue 8, as a ratio of Berth to the raw limit. */
export interface Target {
  /** Berth's throughput over the limit's must be at least this. */
  minRatioToRaw?: number;
  /** Berth's peak RSS over the limit's must be at most this. */
  maxRssRatioToRaw?: number;
}

/** A scenario run by workers. */
export interface Scenario {
  id: string;
  title: string;
  engine: 'fake' | 'dockerd';
  kind: Kind;
  unit: 'ops/s' | 'MiB/s' | 'events/s';
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  minWarmupOps: number;
  args: ScenarioArgs;
  target?: Target;
  /** What every contender must have read (a check that they all did the same work). */
  expect?: { counts?: StreamCounts; itemsPerOp?: number };
}

/** Settings of a run: the default (≈ 8 minutes on 2 busy cores) or `--quick` (≈ 1 minute). */
export interface RunSettings {
  quick: boolean;
  repetitions: number;
  runId: string;
  image: string;
  /** A running container on dockerd for inspect and exec. */
  dockerdContainer: string;
}

function logCounts(frameBytes: number, mebibytes: number): StreamCounts {
  const frames = (mebibytes * 1024 * 1024) / frameBytes;
  const stderr = Math.floor(frames / 4) * frameBytes;
  return { stdout: frames * frameBytes - stderr, stderr };
}

/** The scenarios of a run, in the order they run. */
export function scenarios(settings: RunSettings): Scenario[] {
  const { quick } = settings;
  const duration = quick ? 400 : 1000;
  const warmup = quick ? 150 : 400;
  const timed = { durationMs: duration, warmupMs: warmup, minWarmupOps: 1 };
  const once = { durationMs: 0, warmupMs: 0, minWarmupOps: 1 };
  const bigLogs = quick ? 64 : 512;
  const smallLogs = quick ? 8 : 64;
  const events = quick ? 20_000 : 200_000;
  const list: Scenario[] = [];
  for (const concurrency of [1, 16, 64]) {
    list.push({
      id: `fake-ping-c${concurrency}`, title: `/_ping, concurrency ${concurrency} (fake engine)`, engine: 'fake', kind: 'ping',
      unit: 'ops/s', concurrency, ...timed, args: {}, target: { minRatioToRaw: concurrency === 1 ? 0.85 : 0.5 },
    });
  }
  for (const limit of [1, 100, 1000]) {
    list.push({
      id: `fake-list-${limit}`, title: `list containers, ${limit} entr${limit === 1 ? 'y' : 'ies'} (fake engine)`, engine: 'fake', kind: 'list',
      unit: 'ops/s', concurrency: 1, ...timed, args: { limit }, expect: { itemsPerOp: limit },
      ...(limit === 1000 ? { target: { minRatioToRaw: 0.95 } } : {}),
    });
  }
  list.push({ id: 'fake-inspect', title: 'inspect a container (fake engine)', engine: 'fake', kind: 'inspect', unit: 'ops/s', concurrency: 1, ...timed, args: { id: 'bench' } });
  list.push({
    id: 'fake-logs-16k', title: `logs: ${bigLogs} MiB in 16 KiB frames, demultiplexed (fake engine)`, engine: 'fake', kind: 'logs', unit: 'MiB/s',
    concurrency: 1, ...once, args: { id: `logs-16384-${bigLogs}`, warmId: `logs-16384-${quick ? 16 : 64}` },
    target: { minRatioToRaw: 0.9, maxRssRatioToRaw: 1.2 }, expect: { counts: logCounts(16384, bigLogs) },
  });
  list.push({
    id: 'fake-logs-128', title: `logs: ${smallLogs} MiB in 128-byte frames, demultiplexed (fake engine)`, engine: 'fake', kind: 'logs', unit: 'MiB/s',
    concurrency: 1, ...once, args: { id: `logs-128-${smallLogs}`, warmId: `logs-128-${quick ? 2 : 8}` },
    target: { minRatioToRaw: 0.8, maxRssRatioToRaw: 1.2 }, expect: { counts: logCounts(128, smallLogs) },
  });
  list.push({
    id: 'fake-events', title: `events: ${events} JSON lines (fake engine)`, engine: 'fake', kind: 'events', unit: 'events/s',
    concurrency: 1, ...once, args: { until: events, warmUntil: 5000 }, expect: { itemsPerOp: events },
  });
  for (const concurrency of [1, 16]) {
    list.push({ id: `dockerd-ping-c${concurrency}`, title: `/_ping, concurrency ${concurrency} (dockerd)`, engine: 'dockerd', kind: 'ping', unit: 'ops/s', concurrency, ...timed, args: {} });
  }
  list.push({ id: 'dockerd-list', title: 'list all containers (dockerd)', engine: 'dockerd', kind: 'list', unit: 'ops/s', concurrency: 1, ...timed, args: {} });
  list.push({ id: 'dockerd-inspect', title: 'inspect a container (dockerd)', engine: 'dockerd', kind: 'inspect', unit: 'ops/s', concurrency: 1, ...timed, args: { id: settings.dockerdContainer } });
  const labels = { 'berth.bench': settings.runId };
  list.push({
    id: 'dockerd-lifecycle', title: 'container lifecycle: create, start, wait, remove `true` (dockerd)', engine: 'dockerd', kind: 'lifecycle', unit: 'ops/s',
    concurrency: 1, durationMs: quick ? 600 : 3000, warmupMs: 0, minWarmupOps: 1,
    args: { image: settings.image, namePrefix: `berth-bench-${settings.runId}`, labels }, target: { minRatioToRaw: 0.95 },
  });
  list.push({
    id: 'dockerd-exec', title: 'exec round trip: `true` in a running container (dockerd)', engine: 'dockerd', kind: 'exec', unit: 'ops/s',
    concurrency: 1, durationMs: quick ? 500 : 2000, warmupMs: 0, minWarmupOps: 2, args: { id: settings.dockerdContainer },
  });
  return list;
}
