/**
 * How far Berth's logs are from the limit of its own API, beside how far they are from the raw client:
 * `node dist/bench/probes/frame-limit.js [ROUNDS]` (default 8). Starts the fake engine on a private socket and
 * reads the two logs fixtures with three contenders in fresh worker processes, rounds interleaved in rotating
 * order: raw (counts bytes per stream, makes nothing), raw-frames (the raw client plus exactly what a
 * `for await` over `{ stream, data }` frames requires: bench/contenders/raw-frames.ts) and berth. Prints the
 * medians of wall time and CPU, and the throughput ratios. Not part of `npm run bench`: a probe, for the
 * explanation in bench/README.md of the small-frame target.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContenderName } from '../contenders/contender.js';
import type { RunSpec } from '../scenarios.js';

const here = fileURLToPath(new URL('..', import.meta.url));
const rounds = Number(process.argv[2] ?? 8);
const contenders: ContenderName[] = ['raw', 'raw-frames', 'berth'];
const fixtures = [
  { name: '64 MiB in 128-byte frames', id: 'logs-128-64', warmId: 'logs-128-8' },
  { name: '512 MiB in 16 KiB frames', id: 'logs-16384-512', warmId: 'logs-16384-64' },
];

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args[0]} exited ${code}`))));
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

const dir = mkdtempSync(join(tmpdir(), 'berth-frame-limit-'));
const socket = join(dir, 'engine.sock');
const engine = spawn(process.execPath, [join(here, 'fake-engine.js'), socket], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  await new Promise<void>((resolve, reject) => { engine.once('error', reject); engine.stdout!.once('data', () => resolve()); });
  for (const fixture of fixtures) {
    const wall: Record<string, number[]> = {};
    const cpu: Record<string, number[]> = {};
    const counts = new Set<string>();
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < contenders.length; i++) {
        const contender = contenders[(i + round) % contenders.length]!;
        const spec: RunSpec = {
          scenario: `probe-${fixture.id}`, contender, socket, kind: 'logs', concurrency: 1, durationMs: 0, warmupMs: 0,
          minWarmupOps: 1, args: { id: fixture.id, warmId: fixture.warmId },
        };
        const result = JSON.parse((await run(process.execPath, [join(here, 'worker.js'), JSON.stringify(spec)])).trim().split('\n').pop()!) as
          { elapsedMs: number; cpuMicros: number; counts: unknown };
        (wall[contender] ??= []).push(result.elapsedMs);
        (cpu[contender] ??= []).push(result.cpuMicros / 1000);
        counts.add(JSON.stringify(result.counts));
      }
    }
    if (counts.size !== 1) throw new Error(`the contenders counted different bytes: ${[...counts].join(' ')}`);
    console.log(`\nlogs, ${fixture.name} (${rounds} rounds; medians)`);
    console.log('| contender | wall ms | CPU ms | throughput vs raw | vs raw-frames |');
    console.log('|---|---:|---:|---:|---:|');
    for (const contender of contenders) {
      const w = median(wall[contender]!);
      console.log(`| ${contender} | ${w.toFixed(0)} | ${median(cpu[contender]!).toFixed(0)} | ${(median(wall.raw!) / w).toFixed(2)}x | ${(median(wall['raw-frames']!) / w).toFixed(2)}x |`);
    }
  }
} finally {
  engine.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
