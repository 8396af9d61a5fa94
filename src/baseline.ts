import { ConfigError } from './errors.js';
import type { Finding } from './types.js';

/**
 * A baseline: findings accepted as they are, identified by their content-bound fingerprint. The
 * file holds no secret (a fingerprint is a hash over the rule, the path and a hash of the secret),
 * no timestamp, and one entry per line, sorted, so that it merges cleanly.
 */
export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  /** Path the finding was in, for people reading the file (matching uses the fingerprint only). */
  file: string;
  /** Why it is accepted (optional, kept across `baseline create` and `prune`). */
  reason?: string;
}

export interface Baseline {
  entries: BaselineEntry[];
}

const HEADER = '{"leakhoundBaseline":1,"entries":[';

/** Serialises a baseline: sorted by file, rule and fingerprint; one entry per line. */
export function formatBaseline(baseline: Baseline): string {
  const sorted = [...dedupe(baseline.entries)].sort(
    (a, b) => cmp(a.file, b.file) || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint),
  );
  const lines = sorted.map((e) => JSON.stringify(e.reason === undefined ? { fingerprint: e.fingerprint, ruleId: e.ruleId, file: e.file } : { fingerprint: e.fingerprint, ruleId: e.ruleId, file: e.file, reason: e.reason }));
  return `${HEADER}\n${lines.join(',\n')}${lines.length ? '\n' : ''}]}\n`;
}

/** Parses and validates a baseline file's text; every problem is reported at once. */
export function parseBaseline(text: string, where: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${where}: not a leakhound baseline (invalid JSON: ${err instanceof Error ? err.message : String(err)})`);
  }
  if (typeof data !== 'object' || data === null || (data as Record<string, unknown>)['leakhoundBaseline'] !== 1 || !Array.isArray((data as Record<string, unknown>)['entries'])) {
    throw new ConfigError(`${where}: not a leakhound baseline (expected {"leakhoundBaseline":1,"entries":[…]})`);
  }
  const problems: string[] = [];
  const entries: BaselineEntry[] = [];
  ((data as { entries: unknown[] }).entries).forEach((raw, i) => {
    const e = raw as Record<string, unknown>;
    if (typeof e !== 'object' || e === null || typeof e['fingerprint'] !== 'string' || !/^[0-9a-f]{32,64}$/.test(e['fingerprint']) || typeof e['ruleId'] !== 'string' || typeof e['file'] !== 'string' || (e['reason'] !== undefined && typeof e['reason'] !== 'string')) {
      problems.push(`${where}: entry ${i + 1}: needs fingerprint (hex), ruleId and file strings, and an optional reason string`);
      return;
    }
    entries.push({ fingerprint: e['fingerprint'], ruleId: e['ruleId'], file: e['file'], ...(typeof e['reason'] === 'string' ? { reason: e['reason'] } : {}) });
  });
  if (problems.length) throw new ConfigError(`invalid baseline (${problems.length} problem${problems.length === 1 ? '' : 's'}):`, problems);
  return { entries };
}

/** Builds a baseline from findings, keeping the reasons of entries already in `previous`. */
export function baselineFrom(findings: readonly Finding[], previous?: Baseline): Baseline {
  const reasons = new Map((previous?.entries ?? []).filter((e) => e.reason !== undefined).map((e) => [e.fingerprint, e.reason!]));
  return {
    entries: findings.map((f) => {
      const reason = reasons.get(f.fingerprint);
      return reason === undefined ? { fingerprint: f.fingerprint, ruleId: f.ruleId, file: f.file } : { fingerprint: f.fingerprint, ruleId: f.ruleId, file: f.file, reason };
    }),
  };
}

/** Splits findings into those the baseline hides and those it does not. */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): { kept: Finding[]; hidden: Finding[] } {
  const known = new Set(baseline.entries.map((e) => e.fingerprint));
  const kept: Finding[] = [];
  const hidden: Finding[] = [];
  for (const f of findings) (known.has(f.fingerprint) ? hidden : kept).push(f);
  return { kept, hidden };
}

/** Drops entries that match no current finding. */
export function pruneBaseline(baseline: Baseline, findings: readonly Finding[]): { baseline: Baseline; dropped: number } {
  const current = new Set(findings.map((f) => f.fingerprint));
  const entries = baseline.entries.filter((e) => current.has(e.fingerprint));
  return { baseline: { entries }, dropped: baseline.entries.length - entries.length };
}

function dedupe(entries: readonly BaselineEntry[]): BaselineEntry[] {
  const seen = new Map<string, BaselineEntry>();
  for (const e of entries) if (!seen.has(e.fingerprint) || (e.reason !== undefined && seen.get(e.fingerprint)!.reason === undefined)) seen.set(e.fingerprint, e);
  return [...seen.values()];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
