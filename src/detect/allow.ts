/**
 * Inline allow markers, in any comment syntax: `leakhound:allow` on the finding's line, or
 * `leakhound:allow-next-line` on the line before. Both may carry `reason="…"` and
 * `until=YYYY-MM-DD` (after that date, inclusive of the next day, the marker no longer applies).
 */
export interface AllowMarker {
  /** `line` = applies to its own line; `next-line` = applies to the line after it. */
  scope: 'line' | 'next-line';
  reason: string | undefined;
  /** Last day (YYYY-MM-DD) on which the marker applies, or undefined for no expiry. */
  until: string | undefined;
}

const MARKER = /leakhound:allow(-next-line)?\b([^\n\r]*)/;

/** Parses the allow marker on a line of text, if any. */
export function parseAllowMarker(line: string): AllowMarker | undefined {
  const m = MARKER.exec(line);
  if (!m) return undefined;
  const rest = m[2] ?? '';
  const reason = /reason\s*=\s*"([^"]*)"/.exec(rest)?.[1] ?? /reason\s*=\s*'([^']*)'/.exec(rest)?.[1];
  const until = /until\s*=\s*(\d{4}-\d{2}-\d{2})\b/.exec(rest)?.[1];
  return { scope: m[1] ? 'next-line' : 'line', reason, until };
}

/** Whether a marker is still in force on `today` (YYYY-MM-DD). */
export function markerInForce(marker: AllowMarker, today: string): boolean {
  return marker.until === undefined || today <= marker.until;
}
