/**
 * Milliseconds on a monotonic clock (the process's uptime), for deadlines and idle times.
 *
 * Not `performance.now()`: the first touch of the `performance` global loads Node's whole perf_hooks
 * machinery (eight internal modules, about 1 ms), which a one-shot `berth ps` would pay for one deadline.
 * `process.uptime()` reads the same high-resolution clock (libuv's `uv_hrtime`) and costs ~30 ns more a call.
 */
export function monotonicMs(): number {
  return process.uptime() * 1000;
}
