import ignore from 'ignore';
import { ConfigError } from './errors.js';
import { compileRegex } from './rules/regex.js';
import type { Finding } from './types.js';

/** Drops findings whose path or secret a config allowlist covers. */
export interface FindingFilter {
  keep(finding: Finding): boolean;
}

/**
 * Builds the allowlist filter. `allowPaths` are gitignore-style patterns; `allowSecrets` are exact
 * secrets or RE2 patterns written `/…/` (matched against the whole secret's text).
 */
export function makeFilter(allowPaths: readonly string[], allowSecrets: readonly string[], stopwords: readonly string[] = []): FindingFilter {
  const stops = stopwords.map((w) => w.toLowerCase()).filter((w) => w !== '');
  const paths = ignore().add([...allowPaths]);
  const exact = new Set<string>();
  const patterns = allowSecrets.flatMap((s) => {
    const m = /^\/(.*)\/$/.exec(s);
    if (!m) {
      exact.add(s);
      return [];
    }
    try {
      return [compileRegex(m[1]!, '')];
    } catch (err) {
      throw new ConfigError(`allowSecrets: ${s} is not a valid RE2 pattern: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  return {
    keep(f) {
      if (allowPaths.length > 0 && f.file !== '' && !f.file.startsWith('..') && paths.ignores(f.file)) return false;
      if (exact.has(f.secret)) return false;
      if (stops.length > 0 && f.secret !== '') {
        const lower = f.secret.toLowerCase();
        if (stops.some((w) => lower.includes(w))) return false;
      }
      return !patterns.some((p) => p.test(f.secret));
    },
  };
}
