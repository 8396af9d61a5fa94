/**
 * Milliseconds from an arbitrary start, monotonic, with sub-millisecond precision. Used instead of
 * `performance.now()`, whose first use loads perf_hooks (about 1 ms of the pre-commit hook's start-up).
 */
export function nowMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
