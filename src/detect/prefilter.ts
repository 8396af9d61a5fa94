import type { PatternSet } from '../rules/regex.js';

/**
 * Keyword prefilter: one pass over the bytes tells which keywords occur (case-insensitively), and
 * so which rules can possibly match. Rules without keywords always run.
 */
export class KeywordPrefilter<T> {
  private readonly keywords: string[];
  private readonly owners: T[][];
  private readonly always: T[];

  constructor(
    items: readonly T[],
    keywordsOf: (item: T) => readonly string[],
    private readonly set: (patterns: string[]) => PatternSet,
  ) {
    const index = new Map<string, T[]>();
    const always: T[] = [];
    for (const item of items) {
      const kws = keywordsOf(item);
      if (kws.length === 0) always.push(item);
      for (const kw of kws) {
        const list = index.get(kw);
        if (list) list.push(item);
        else index.set(kw, [item]);
      }
    }
    this.keywords = [...index.keys()];
    this.owners = this.keywords.map((k) => index.get(k)!);
    this.always = always;
    this.matcher = this.keywords.length > 0 ? this.set(this.keywords.map(escapeRegex)) : undefined;
  }

  private readonly matcher: PatternSet | undefined;

  /** Items whose keywords occur in `content`, plus those without keywords, without duplicates, in input order of first keyword hit. */
  candidates(content: Buffer): T[] {
    const out = new Set<T>(this.always);
    if (this.matcher) {
      for (const i of this.matcher.match(content)) for (const owner of this.owners[i]!) out.add(owner);
    }
    return [...out];
  }
}

export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
