import type { PatternSet } from '../rules/regex.js';
import type { CompiledRule, Finding, Fragment } from '../types.js';
import { markerInForce, parseAllowMarker } from './allow.js';
import { shannonEntropy } from './entropy.js';
import { fingerprint } from './fingerprint.js';
import { LineIndex } from './lines.js';
import { isPlaceholder } from './placeholder.js';
import { KeywordPrefilter } from './prefilter.js';

/**
 * What inline allow markers may do: `honour` (default) any marker in force; `require-reason`
 * only markers with a non-empty `reason="…"`; `ignore` none (for CI audits).
 */
export type AllowPolicy = 'honour' | 'require-reason' | 'ignore';

export interface DetectorOptions {
  /** Today's date as YYYY-MM-DD, for `until=` on allow markers. */
  today: string;
  /** Honour inline allow markers (default true). False is the same as `allowPolicy: 'ignore'`. */
  allowMarkers?: boolean;
  allowPolicy?: AllowPolicy;
}

/** A finding suppressed by an inline allow marker, kept so that reporters can list them if asked. */
export interface Suppressed {
  finding: Finding;
  reason: string | undefined;
}

/**
 * Pure detection: fragments and compiled rules in, findings out. No file system, no git.
 * Builds the keyword prefilter once; `detect` can be called for any number of fragments.
 */
export class Detector {
  private readonly prefilter: KeywordPrefilter<CompiledRule>;
  readonly suppressed: Suppressed[] = [];

  constructor(
    readonly rules: readonly CompiledRule[],
    makeSet: (patterns: string[]) => PatternSet,
    private readonly options: DetectorOptions,
  ) {
    this.prefilter = new KeywordPrefilter(rules, (r) => r.keywords, makeSet);
  }

  detect(fragment: Fragment): Finding[] {
    const content = fragment.content;
    const candidates = this.prefilter.candidates(content);
    if (candidates.length === 0) return [];
    const raw: { finding: Finding; start: number; end: number; generic: boolean }[] = [];
    let lines: LineIndex | undefined;
    for (const rule of candidates) {
      const regex = rule.regex;
      regex.lastIndex = 0;
      let m;
      while ((m = regex.exec(content)) !== null) {
        if (m[0] === undefined || m[0].length === 0) {
          regex.lastIndex = m.index + 1;
          continue;
        }
        const span = m.indices[rule.secretGroup];
        if (!span) continue;
        const [start, end] = span;
        if (end <= start) continue;
        const secret = content.toString('utf8', start, end);
        if (!this.accepts(rule, secret)) continue;
        lines ??= new LineIndex(content);
        const finding = this.makeFinding(rule, fragment, lines, start, end, secret);
        if (finding) raw.push({ finding, start, end, generic: rule.provider.category === 'generic' });
      }
    }
    return dropOverlaps(raw);
  }

  /** Secret-level filters: allowlist, placeholder, entropy, validator. */
  private accepts(rule: CompiledRule, secret: string): boolean {
    if (rule.allowSecrets.some((r) => r.test(secret))) return false;
    if (isPlaceholder(secret, rule.placeholders)) return false;
    if (rule.minEntropy !== undefined && shannonEntropy(secret) < rule.minEntropy) return false;
    if (rule.validate && !rule.validate(secret)) return false;
    return true;
  }

  private makeFinding(rule: CompiledRule, fragment: Fragment, lines: LineIndex, start: number, end: number, secret: string): Finding | undefined {
    const firstLine = lines.lineIndexOf(start);
    const lastLine = lines.lineIndexOf(Math.max(start, end - 1));
    const lineText = lines.lineText(firstLine);
    const path = fragment.origin.path;
    const finding: Finding = {
      ruleId: rule.id,
      ruleName: rule.name,
      providerId: rule.provider.id,
      providerName: rule.provider.name,
      severity: rule.severity,
      origin: fragment.origin,
      file: path,
      line: fragment.startLine + firstLine,
      endLine: fragment.startLine + lastLine,
      column: lines.columnOf(firstLine, start),
      endColumn: lines.columnOf(lastLine, end),
      secret,
      lineText,
      entropy: round2(shannonEntropy(secret)),
      fingerprint: fingerprint(rule.id, path, secret),
    };
    const policy = this.options.allowMarkers === false ? 'ignore' : (this.options.allowPolicy ?? 'honour');
    if (policy !== 'ignore') {
      const marker = allowMarkerFor(lines, firstLine, lineText);
      if (marker && markerInForce(marker, this.options.today)) {
        if (policy === 'honour' || (marker.reason !== undefined && marker.reason.trim() !== '')) {
          this.suppressed.push({ finding, reason: marker.reason });
          return undefined;
        }
        finding.advice = [...(finding.advice ?? []), 'An allow comment is on this line, but the policy requires reason="…" on it.'];
      } else if (marker) {
        finding.advice = [...(finding.advice ?? []), `The allow comment on this line expired on ${marker.until ?? ''}.`];
      }
    }
    return finding;
  }
}

function allowMarkerFor(lines: LineIndex, line: number, lineText: string): ReturnType<typeof parseAllowMarker> {
  const own = parseAllowMarker(lineText);
  if (own && own.scope === 'line') return own;
  if (line > 0) {
    const prev = parseAllowMarker(lines.lineText(line - 1));
    if (prev && prev.scope === 'next-line') return prev;
  }
  return undefined;
}

/**
 * Keeps one finding per secret: a generic rule's finding is dropped when a provider rule's finding
 * overlaps it, and of two findings on the same span the first rule's is kept. Sorted by position.
 */
function dropOverlaps(raw: { finding: Finding; start: number; end: number; generic: boolean }[]): Finding[] {
  if (raw.length <= 1) return raw.map((r) => r.finding);
  raw.sort((a, b) => a.start - b.start || Number(a.generic) - Number(b.generic) || b.end - a.end);
  const kept: typeof raw = [];
  for (const r of raw) {
    const clash = kept.find((k) => r.start < k.end && k.start < r.end && (r.generic || (k.start === r.start && k.end === r.end)));
    if (clash) continue;
    // A provider finding replaces generic ones it overlaps.
    if (!r.generic) {
      for (let i = kept.length - 1; i >= 0; i--) {
        const k = kept[i]!;
        if (k.generic && r.start < k.end && k.start < r.end) kept.splice(i, 1);
      }
    }
    kept.push(r);
  }
  return kept.map((k) => k.finding);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
