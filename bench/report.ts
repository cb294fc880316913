/** Turns measurements into the results: a summary per scenario (medians, ratios, targets) as JSON and Markdown. */
import type { ContenderName } from './contenders/contender.js';
import type { ProcessResults } from './processes.js';
import type { Measurement, RunResult, Scenario } from './scenarios.js';

/** One contender in one scenario, over all its repetitions. */
export interface ContenderSummary {
  /** Median throughput in the scenario's unit. */
  rate: number | null;
  rates: number[];
  /** Median CPU time per operation, in microseconds. */
  cpuPerOpMicros: number | null;
  /** Median peak RSS of the worker process, MiB. */
  peakRssMiB: number | null;
  /** Median CPU use of the fake engine while this contender ran (100 = one core busy): a saturated target shows here. */
  engineCpuPercent: number | null;
  note?: string;
}

/** One scenario's results. */
export interface ScenarioSummary {
  id: string;
  title: string;
  engine: string;
  unit: string;
  contenders: Partial<Record<ContenderName, ContenderSummary>>;
  berthToRaw: number | null;
  berthToDockerode: number | null;
  berthRssToRaw: number | null;
  /** Berth's CPU time per operation over raw's (lower is better): steadier than throughput on a busy machine. */
  berthCpuToRaw: number | null;
  target: Scenario['target'] | undefined;
  /** Whether each stated target holds; null when there is no target or no measurement. */
  targetMet: boolean | null;
  problems: string[];
}

/** A measurement of one repetition, as the orchestrator records it. */
export interface Sample {
  contender: ContenderName;
  result: RunResult;
  engineCpuMicros?: number | undefined;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function rateOf(scenario: Scenario, m: Measurement): number {
  const seconds = m.elapsedMs / 1000;
  if (scenario.unit === 'MiB/s') return m.bytes / 1048576 / seconds;
  if (scenario.unit === 'events/s') return m.items / seconds;
  return m.ops / seconds;
}

function isMeasurement(result: RunResult): result is Measurement {
  return 'ops' in result;
}

export function summarize(scenario: Scenario, samples: Sample[]): ScenarioSummary {
  const contenders: Partial<Record<ContenderName, ContenderSummary>> = {};
  const problems: string[] = [];
  for (const name of ['raw', 'berth', 'dockerode'] as const) {
    const mine = samples.filter((s) => s.contender === name);
    if (mine.length === 0) continue;
    const measured = mine.map((s) => s.result).filter(isMeasurement);
    const failed = mine.map((s) => s.result).find((r) => !isMeasurement(r));
    let note: string | undefined;
    if (failed && 'error' in failed) { note = `error: ${failed.error}`; problems.push(`${name}: ${failed.error}`); }
    if (failed && 'unsupported' in failed) note = 'not supported by this build';
    for (const m of measured) {
      const expect = scenario.expect;
      if (expect?.counts && (m.counts?.stdout !== expect.counts.stdout * m.ops || m.counts?.stderr !== expect.counts.stderr * m.ops)) {
        problems.push(`${name} read stdout ${m.counts?.stdout} / stderr ${m.counts?.stderr} bytes, expected ${expect.counts.stdout * m.ops} / ${expect.counts.stderr * m.ops}`);
      }
      if (expect?.itemsPerOp !== undefined && m.items !== expect.itemsPerOp * m.ops) {
        problems.push(`${name} parsed ${m.items} items in ${m.ops} operations, expected ${expect.itemsPerOp} each`);
      }
    }
    const engineCpu = mine.flatMap((s) => (s.engineCpuMicros !== undefined && isMeasurement(s.result) ? [(100 * s.engineCpuMicros) / (s.result.elapsedMs * 1000)] : []));
    contenders[name] = {
      rate: median(measured.map((m) => rateOf(scenario, m))),
      rates: measured.map((m) => Number(rateOf(scenario, m).toPrecision(5))),
      cpuPerOpMicros: median(measured.map((m) => m.cpuMicros / m.ops)),
      peakRssMiB: median(measured.map((m) => m.maxRssKiB / 1024)),
      engineCpuPercent: median(engineCpu),
      ...(note ? { note } : {}),
    };
  }
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? a / b : null);
  const berthToRaw = ratio(contenders.berth?.rate, contenders.raw?.rate);
  const berthRssToRaw = ratio(contenders.berth?.peakRssMiB, contenders.raw?.peakRssMiB);
  let targetMet: boolean | null = null;
  const target = scenario.target;
  if (target && berthToRaw !== null) {
    targetMet = (target.minRatioToRaw === undefined || berthToRaw >= target.minRatioToRaw) &&
      (target.maxRssRatioToRaw === undefined || (berthRssToRaw !== null && berthRssToRaw <= target.maxRssRatioToRaw));
  }
  return {
    id: scenario.id, title: scenario.title, engine: scenario.engine, unit: scenario.unit, contenders,
    berthToRaw, berthToDockerode: ratio(contenders.berth?.rate, contenders.dockerode?.rate), berthRssToRaw,
    berthCpuToRaw: ratio(contenders.berth?.cpuPerOpMicros, contenders.raw?.cpuPerOpMicros),
    target, targetMet, problems,
  };
}

/** The whole run, as written to bench/results/*.json. */
export interface BenchResults {
  date: string;
  node: string;
  machine: { cpu: string; cores: number; os: string; memoryGiB: number };
  settings: { quick: boolean; repetitions: number };
  durationSeconds: number;
  scenarios: ScenarioSummary[];
  oneShot?: ProcessResults | undefined;
  imports?: ProcessResults | undefined;
  notes: string[];
}

function number(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined) return 'n/a';
  if (value >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(digits)).toString();
}

function times(value: number | null | undefined): string {
  return value === null || value === undefined ? 'n/a' : `${value.toFixed(2)}x`;
}

function cpu(micros: number | null): string {
  if (micros === null) return 'n/a';
  if (micros >= 10_000) return `${(micros / 1000).toFixed(0)} ms`;
  if (micros >= 1000) return `${(micros / 1000).toFixed(2)} ms`;
  return `${micros.toFixed(1)} µs`;
}

function targetText(summary: ScenarioSummary): string {
  const t = summary.target;
  if (!t) return '';
  const parts = [];
  if (t.minRatioToRaw !== undefined) parts.push(`throughput ≥ ${t.minRatioToRaw}x raw (measured ${times(summary.berthToRaw)})`);
  if (t.maxRssRatioToRaw !== undefined) parts.push(`peak RSS ≤ ${t.maxRssRatioToRaw}x raw (measured ${times(summary.berthRssToRaw)})`);
  const verdict = summary.targetMet === null ? 'not measured' : summary.targetMet ? '**met**' : '**not met**';
  return `Target: ${parts.join('; ')}: ${verdict}.`;
}

function processTable(results: ProcessResults, reference: string, versus: string, column: 'wallMs' | 'importMs'): string[] {
  const lines = [`| contender | median ms | min ms | vs ${reference} | vs ${versus} |`, '|---|---:|---:|---:|---:|'];
  const med = (name: string) => median(results[column][name] ?? []);
  for (const name of Object.keys(results.wallMs)) {
    const values = results[column][name] ?? [];
    if (results.errors[name]) { lines.push(`| ${name} | failed: ${results.errors[name]} | | | |`); continue; }
    if (values.length === 0) continue;
    const m = med(name);
    lines.push(`| ${name} | ${number(m)} | ${number(Math.min(...values))} | ${times(ratioOrNull(m, med(reference)))} | ${times(ratioOrNull(m, med(versus)))} |`);
  }
  return lines;
}

function ratioOrNull(a: number | null, b: number | null): number | null {
  return a !== null && b ? a / b : null;
}

export function oneShotVerdict(results: ProcessResults): { toRaw: number | null; toDockerode: number | null; met: boolean | null } {
  const berth = median(results.wallMs['berth ps -a'] ?? []);
  const toRaw = ratioOrNull(berth, median(results.wallMs['raw script'] ?? []));
  const toDockerode = ratioOrNull(berth, median(results.wallMs['dockerode script'] ?? []));
  return { toRaw, toDockerode, met: toRaw === null || toDockerode === null ? null : toRaw <= 1.2 && toDockerode < 0.5 };
}

export function markdown(results: BenchResults): string {
  const out: string[] = [];
  out.push(`# Berth benchmark results`, '');
  out.push(`- Date: ${results.date}`);
  out.push(`- Node ${results.node}; ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGiB} GiB; ${results.machine.os}`);
  out.push(`- ${results.settings.quick ? 'Quick run (`--quick`)' : 'Default run'}: ${results.settings.repetitions} repetition(s) per contender and scenario, interleaved in rotating order; ${Math.round(results.durationSeconds)} s in all`);
  out.push('');
  for (const note of results.notes) out.push(`> ${note}`, '>');
  if (results.notes.length) out.pop();
  out.push('', '## Targets (issue 8)', '', '| scenario | Berth vs raw | target | Berth vs dockerode | met | Berth CPU/op vs raw |', '|---|---:|---|---:|---|---:|');
  for (const s of results.scenarios) {
    if (!s.target) continue;
    const target = [s.target.minRatioToRaw !== undefined ? `≥ ${s.target.minRatioToRaw}x` : '', s.target.maxRssRatioToRaw !== undefined ? `RSS ≤ ${s.target.maxRssRatioToRaw}x (${times(s.berthRssToRaw)})` : ''].filter(Boolean).join(', ');
    out.push(`| ${s.title} | ${times(s.berthToRaw)} | ${target} | ${times(s.berthToDockerode)} | ${s.targetMet === null ? 'n/a' : s.targetMet ? 'yes' : 'no'} | ${times(s.berthCpuToRaw)} |`);
  }
  if (results.oneShot) {
    const v = oneShotVerdict(results.oneShot);
    out.push(`| one-shot \`berth ps -a\` (wall time) | ${times(v.toRaw)} of raw's time | ≤ 1.2x raw's time, < 0.5x dockerode's | ${times(v.toDockerode)} of dockerode's time | ${v.met === null ? 'n/a' : v.met ? 'yes' : 'no'} | |`);
  }
  out.push('');
  out.push('Ratios compare throughput (higher is better) unless they say time. "vs raw" is the contender\'s throughput over the raw',
    'keep-alive `node:net` client\'s (the practical limit); "vs dockerode" over dockerode\'s. CPU/op is user + system time of the',
    'client process per operation (a logs or events operation is the whole stream); peak RSS is the client process\'s maximum',
    'resident set (each run is its own process); engine CPU is the fake engine\'s CPU use during the run (near 100% means the',
    'fake engine, not the client, was the bottleneck). "CPU/op vs raw" is Berth\'s CPU time per operation over raw\'s (lower',
    'is better): when the machine is busy, each process gets a share of the cores, so throughput follows CPU per operation.', '');
  for (const s of results.scenarios) {
    out.push(`## ${s.title}`, '');
    const engineColumn = s.engine === 'fake';
    out.push(`| contender | ${s.unit} (median) | CPU/op | peak RSS MiB | vs raw | vs dockerode |${engineColumn ? ' engine CPU |' : ''} runs |`);
    out.push(`|---|---:|---:|---:|---:|---:|${engineColumn ? '---:|' : ''}---|`);
    const raw = s.contenders.raw?.rate;
    const dockerode = s.contenders.dockerode?.rate;
    for (const name of ['raw', 'berth', 'dockerode'] as const) {
      const c = s.contenders[name];
      if (!c) continue;
      if (c.rate === null) { out.push(`| ${name} | ${c.note ?? 'n/a'} | | | | |${engineColumn ? ' |' : ''} |`); continue; }
      out.push(`| ${name} | ${number(c.rate)} | ${cpu(c.cpuPerOpMicros)} | ${number(c.peakRssMiB)} | ${times(raw ? c.rate / raw : null)} | ${times(dockerode ? c.rate / dockerode : null)} |` +
        `${engineColumn ? ` ${c.engineCpuPercent === null ? 'n/a' : `${c.engineCpuPercent.toFixed(0)}%`} |` : ''} ${c.rates.map((r) => number(r)).join(', ')} |`);
    }
    out.push('');
    const target = targetText(s);
    if (target) out.push(target, '');
    for (const problem of s.problems) out.push(`- Problem: ${problem}`);
    if (s.problems.length) out.push('');
  }
  if (results.oneShot) {
    out.push('## One-shot `ps -a` against dockerd (a whole process, wall time; lower is better)', '');
    out.push(...processTable(results.oneShot, 'raw script', 'dockerode script', 'wallMs'), '');
    out.push('"vs" columns here are ratios of wall times (below 1 is faster).', '');
  }
  if (results.imports) {
    out.push('## Import time of the package (fresh process each; lower is better)', '');
    out.push(...processTable(results.imports, 'node (nothing)', 'dockerode', 'importMs'), '');
    out.push('Whole-process wall time (start, import, exit):', '');
    out.push(...processTable(results.imports, 'node (nothing)', 'dockerode', 'wallMs'), '');
  }
  return out.join('\n') + '\n';
}
