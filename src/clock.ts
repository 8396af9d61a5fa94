/**
 * Milliseconds from an arbitrary start, monotonic, with sub-millisecond precision. Used instead of
 * `performance.now()`, whose first use loads perf_hooks (about 1 ms of the pre-commit hook's start-up).
 */
export function nowMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}

/**
 * The UTC calendar date of `ms` (milliseconds since 1970-01-01T00:00Z) as YYYY-MM-DD, by arithmetic
 * (H. Hinnant's civil-from-days), for years 0 to 9999: the first `new Date()` of a process costs
 * about a millisecond and a half (time zone set-up), a tenth of a pre-commit scan's own time.
 */
export function isoDateOf(ms: number): string {
  const days = Math.floor(ms / 86_400_000) + 719_468; // days since 0000-03-01
  const era = Math.floor(days / 146_097);
  const dayOfEra = days - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
