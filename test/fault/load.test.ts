/**
 * Load: 10,000 requests at concurrency 64, plus 1,000 streams left or aborted at random points, against a fake
 * engine. Afterwards the process has as many open file descriptors as before (none leaked: every socket closed or
 * back in the pool, and the pool closed), and the heap after a full garbage collection is within a few MB of where
 * it started. Runs in a child process with --expose-gc, so that the measurement sees only this work.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const CHILD = fileURLToPath(new URL('../helpers/load-child.js', import.meta.url));

describe('load', () => {
  it('10,000 requests at concurrency 64 and 1,000 randomly aborted streams: descriptors back to the start, heap flat', async (t) => {
    const child = spawn(process.execPath, ['--expose-gc', CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => { stdout += data; });
    child.stderr.on('data', (data) => { stderr += data; });
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise((resolve) => child.on('exit', (exitCode, signal) => resolve(exitCode ?? signal)));
    clearTimeout(killer);
    assert.equal(code, 0, `the load child failed (${code}):\n${stderr}\n${stdout}`);
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      ms: number; requests: number; streams: number; streamOutcomes: Record<string, number>;
      fdsBefore: number; fdsAfter: number; socketsBefore: number; socketsAfter: number;
      heapBefore: number; heapAfter: number; engineOpen: number; maxOpenDuringRun: number;
    };
    t.diagnostic(JSON.stringify(report));
    assert.equal(report.requests, 10_000);
    assert.equal(report.streams, 1_000);
    // Every way of ending a stream was exercised.
    for (const outcome of ['break', 'abort', 'end']) assert.ok((report.streamOutcomes[outcome] ?? 0) > 100, `${outcome}: ${report.streamOutcomes[outcome]}`);
    assert.ok(report.maxOpenDuringRun <= 64 + 16, `at most one connection per concurrent call (${report.maxOpenDuringRun})`);
    assert.equal(report.fdsAfter, report.fdsBefore, 'open file descriptors back to where they started');
    assert.equal(report.socketsAfter, report.socketsBefore, 'open sockets back to where they started');
    assert.equal(report.engineOpen, 0, 'the engine sees no connection left open');
    const growth = report.heapAfter - report.heapBefore;
    assert.ok(growth < 4 * 1024 * 1024, `heap grew by ${(growth / 1048576).toFixed(1)} MB`);
  });
});
