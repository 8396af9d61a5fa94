/**
 * Core data shapes shared by every stage of the pipeline:
 * source -> Fragment -> detector -> Finding -> filter -> reporter -> cli.
 */

/** Where a fragment of text came from. Paths are relative to the scanned root, `/`-separated. */
export type Origin =
  | { kind: 'file'; path: string }
  | { kind: 'staged'; path: string }
  | {
      kind: 'commit';
      /** Full 40-hex commit id. */
      sha: string;
      /** Path of the file at that commit. */
      path: string;
      author: string;
      email: string;
      /** ISO-8601 author date. */
      date: string;
    }
  | { kind: 'stdin'; path: string };

/** A run of text to scan plus where it is. */
export interface Fragment {
  origin: Origin;
  /** Raw bytes (UTF-8 expected, not required). */
  content: Buffer;
  /** Line number (1-based) that the first line of `content` has in the real file. */
  startLine: number;
  /**
   * Column (1-based, in characters) that the first byte of `content` has on its line in the real
   * file; 1 when omitted. More than 1 only for a chunk of a huge file that starts mid-line.
   */
  startColumn?: number;
  /**
   * Byte span [from, to) of `content` this fragment answers for: a finding whose secret starts
   * outside it belongs to an overlapping neighbour (chunks of a huge file). Omitted: all of it.
   */
  owns?: readonly [number, number];
}

/** Severity of a finding, as SARIF levels map them: critical/high -> error, medium -> warning, low -> note. */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

export type PlaceholderLevel = 'basic' | 'strict';

/** Offline revoke-and-regenerate advice for one provider, as written in `rules/<provider>.yml`. */
export interface Remediation {
  /** Where to revoke the leaked credential (a URL). */
  revokeUrl: string;
  /** How to revoke it, in one or more sentences. */
  revoke: string;
  /** How to make a new credential. */
  regenerate: string;
  /** API or CLI commands that revoke or rotate, where the provider has them. */
  commands?: string[];
  /** What the credential can reach: the blast radius. */
  reach?: string;
  /** Where to look for use of the leaked credential. */
  auditLog?: string;
  /** Provider documentation about credential management. */
  docs?: string[];
}

/** A provider as declared at the top of a rule file. */
export interface ProviderSpec {
  /** Stable id, e.g. `github`; equals the rule file's base name. */
  id: string;
  /** Display name, e.g. `GitHub`. */
  name: string;
  /** Category for grouping, e.g. `source-host`, `cloud`, `payment`, `generic`. */
  category: string;
  remediation: Remediation;
}

/** A rule as written in YAML (the file shape). */
export interface RuleSpec {
  /** Globally unique, kebab-case, prefixed by the provider id (e.g. `github-pat-classic`). */
  id: string;
  /**
   * The secret's capture group, worked out at build time for the bundled built-in rules
   * (scripts/bundle-rules.mjs); never in a rule file (the validator rejects unknown keys).
   */
  bundledSecretGroup?: number;
  name: string;
  /** RE2 syntax; capture group 1 (or the group named `secret`) is the secret. */
  pattern: string;
  /**
   * Substrings one of which must occur for the rule to run: lower-case, found in any case; or,
   * with `caseSensitiveKeywords`, found only exactly as written.
   */
  keywords: string[];
  /**
   * Keywords match only in the case written (`AC`, not `ac` in `react`): for patterns that are
   * case-sensitive themselves, whose every match holds a keyword as written. Default false.
   */
  caseSensitiveKeywords?: boolean;
  /**
   * Words that must all occur too (besides one of `keywords`) for the rule to run: for patterns
   * whose every match holds a common word (`password`) beside a rarer one (`machine`). Written
   * like `keywords`. Default none.
   */
  requiredKeywords?: string[];
  /** Minimum Shannon entropy (bits per character) of the secret. */
  minEntropy?: number;
  severity?: Severity;
  /** Name of a built-in validator that rejects look-alikes (e.g. a checksum). */
  validate?: string;
  /** RE2 patterns: a secret matching any of them is not reported. */
  allowSecrets?: string[];
  /**
   * How hard to look for placeholders: `basic` (default: template syntax, documented example keys,
   * one repeated character) or `strict` (also words like example, changeme, your_key, redacted:
   * for generic rules, whose values have no provider format to vouch for them).
   */
  placeholders?: PlaceholderLevel;
  references: string[];
  /** Texts the rule must match (each must yield at least one finding). */
  examples: string[];
  /** Texts the rule must not match. */
  negativeExamples: string[];
  description?: string;
  /**
   * A partner the secret is useless without (an account id beside its auth token, a client id
   * beside its secret). When it is within `withinLines` lines of the secret, the finding names it;
   * with `required`, the secret is reported only when its partner is there.
   */
  partner?: PartnerSpec;
  /**
   * Where the pattern must run. `line`: on inputs over 4 KiB only over the lines holding the
   * rule's keywords, gathered into one buffer (the default when the pattern cannot match across a
   * line, see src/rules/line-local.ts); `window` (the default otherwise): on inputs over 4 KiB only
   * over its keyword lines and the two lines either side of each (fewer when a match spans fewer,
   * src/rules/newline-span.ts), gathered, or else on files over 32 KiB around the keyword hits
   * (two lines and at most 2 KiB either side); `file`: over the
   * whole file, for patterns whose match can be far from a keyword or longer than a window
   * (multi-line keys), or that RE2 runs fast over any text (every match starts with one literal
   * byte, found by memchr). `leakhound rules check` proves each gives the whole-file result on every example.
   */
  scope?: 'window' | 'file' | 'line';
}

export interface PartnerSpec {
  /** What the partner is, e.g. `Account SID`. */
  name: string;
  /** RE2 pattern of the partner. */
  pattern: string;
  /** How many lines above or below the secret to look (0 = the same line). */
  withinLines: number;
  required?: boolean;
}

/** A whole rule file: one provider and its rules. */
export interface RuleFile {
  provider: ProviderSpec;
  rules: RuleSpec[];
}

/** A rule ready to run (the compiled shape). */
export interface CompiledRule {
  id: string;
  name: string;
  provider: ProviderSpec;
  spec: RuleSpec;
  /** Keywords, lower-cased unless `caseSensitiveKeywords`; empty means the rule always runs. */
  keywords: string[];
  /** Keywords match only as written (see RuleSpec.caseSensitiveKeywords). */
  caseSensitiveKeywords: boolean;
  /** Words that must all occur too (see RuleSpec.requiredKeywords), cased like `keywords`. */
  requiredKeywords: string[];
  /** Global RE2 matcher over Buffers. */
  regex: RegexMatcher;
  /** Index of the capture group that holds the secret (0 = whole match). */
  secretGroup: number;
  minEntropy: number | undefined;
  severity: Severity;
  allowSecrets: RegexMatcher[];
  placeholders: PlaceholderLevel;
  validate: ((secret: string) => boolean) | undefined;
  partner: { name: string; regex: RegexMatcher; withinLines: number; required: boolean } | undefined;
  scope: 'window' | 'file' | 'line';
  /** File the rule was loaded from. */
  source: string;
}

/** The part of RE2 the detector relies on; keeps `re2` imported only by `src/rules/`. */
export interface RegexMatcher {
  lastIndex: number;
  exec(input: Buffer): BufferMatch | null;
  test(input: string): boolean;
  readonly source: string;
}

/** A match over a Buffer: offsets are in bytes, groups are Buffers (undefined when a group did not take part). */
export interface BufferMatch {
  index: number;
  readonly length: number;
  [group: number]: Buffer | undefined;
  /** Byte offsets [start, end) of each group (undefined when a group did not take part). */
  indices: ([number, number] | undefined)[];
}

/** History attribution of a secret found in commits. */
export interface HistoryInfo {
  /** The commit that introduced the secret (oldest commit carrying it). */
  introducedBy: { sha: string; author: string; email: string; date: string };
  /** How many scanned commits carry (add) the secret. */
  commitCount: number;
  /** Whether the secret is still present in the file tree at HEAD. */
  presentAtHead: boolean;
}

/** One detected secret or hygiene problem. */
export interface Finding {
  ruleId: string;
  ruleName: string;
  providerId: string;
  providerName: string;
  severity: Severity;
  origin: Origin;
  /** Path relative to the scanned root, `/`-separated. */
  file: string;
  /** 1-based line of the secret's first character. */
  line: number;
  /** 1-based line of the secret's last character. */
  endLine: number;
  /** 1-based column (in characters) of the secret's first character. */
  column: number;
  /** 1-based column one past the secret's last character, on endLine. */
  endColumn: number;
  /** The secret in clear. Reporters mask it unless asked otherwise. */
  secret: string;
  /** The whole line(s) of the match, in clear; reporters mask the secret inside. */
  lineText: string;
  /** Shannon entropy of the secret, bits per character. */
  entropy: number;
  /** Content-bound id: sha256 of rule id, path and sha256(secret); independent of line numbers. */
  fingerprint: string;
  /** Set for history scans. */
  history?: HistoryInfo;
  /** Extra, finding-specific advice (e.g. hygiene fixes), shown before the provider's advice. */
  advice?: string[];
  /** The secret's partner, when the rule has one and it was found nearby (1-based line). */
  partner?: { name: string; line: number };
  /** Set when the secret was found inside encoded text; the location is the encoded text's. */
  encoding?: 'base64' | 'percent';
}
