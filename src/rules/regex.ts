import RE2 from 're2';
import { ENCODED_RUN_PATTERNS } from '../detect/decode.js';
import { syntaxCharacters, withoutCaptures } from './pattern-syntax.js';
import type { BufferMatch, RegexMatcher } from '../types.js';

/**
 * The only place that constructs RE2 objects. RE2 runs in linear time, so no rule or user pattern
 * can cause catastrophic backtracking; constructs RE2 lacks (lookaround, backreferences) throw here.
 */
export function compileRegex(pattern: string, flags: string): RegexMatcher {
  return new RE2(pattern, flags) as unknown as RegexMatcher;
}

/**
 * A regex compiled on first use. Built-in rules are validated when the package is built and
 * tested, so a scan compiles only the rules whose keywords occur in what it reads.
 */
export class LazyRegex implements RegexMatcher {
  private compiled: RegexMatcher | undefined;
  constructor(
    readonly source: string,
    private readonly flags: string,
  ) {}
  private get inner(): RegexMatcher {
    return (this.compiled ??= compileRegex(this.source, this.flags));
  }
  get lastIndex(): number {
    return this.inner.lastIndex;
  }
  set lastIndex(value: number) {
    this.inner.lastIndex = value;
  }
  exec(input: Buffer): ReturnType<RegexMatcher['exec']> {
    return this.inner.exec(input);
  }
  test(input: string): boolean {
    return this.inner.test(input);
  }
}

/**
 * One regex matching wherever any of `patterns` matches (an alternation of them without their
 * capture groups, global), for finding where matches are; null when RE2 refuses it (too large).
 */
export function compileJointFilter(patterns: readonly string[]): RegexMatcher | null {
  try {
    return compileRegex(patterns.map((p) => `(?:${withoutCaptures(p)})`).join('|'), 'g');
  } catch {
    return null;
  }
}

/** Flag-less (so stateless: no lastIndex) lazy regexes by pattern, shared by every rule that lists the pattern. */
const sharedStateless = new Map<string, LazyRegex>();

/**
 * The one lazy, flag-less regex for `pattern` (for `test`, which then keeps no state between
 * calls): rules that share an allowSecrets list share its compiled patterns, compiled once.
 */
export function sharedLazyRegex(pattern: string): LazyRegex {
  let regex = sharedStateless.get(pattern);
  if (!regex) sharedStateless.set(pattern, (regex = new LazyRegex(pattern, '')));
  return regex;
}

/** Number of capture groups and the index of the group named `secret` (or undefined). */
export function groupInfo(pattern: string): { groups: number; secretIndex: number | undefined } {
  // Count '(' that open a capturing group: not escaped, not inside a class, not '(?:' '(?i)' etc.,
  // but '(?P<name>' and '(?<name>' capture.
  let groups = 0;
  let secretIndex: number | undefined;
  for (const [c, i] of syntaxCharacters(pattern)) {
    if (c !== '(') continue;
    if (pattern[i + 1] !== '?') {
      groups++;
      continue;
    }
    const named = /^\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(pattern.slice(i + 1));
    if (named) {
      groups++;
      if (named[1] === 'secret') secretIndex = groups;
    }
  }
  return { groups, secretIndex };
}

/** The detector's finder of %-encoded runs (see detect/decode.ts; base64 runs are found without a regex). */
export function makeDecoders(): { percent: RegexMatcher } {
  return { percent: compileRegex(ENCODED_RUN_PATTERNS.percent, 'g') };
}
