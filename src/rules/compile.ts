import { isLineLocal } from './line-local.js';
import type { CompiledRule, ProviderSpec, RegexMatcher, RuleSpec } from '../types.js';
import { compileRegex, groupInfo, LazyRegex, sharedLazyRegex } from './regex.js';
import { VALIDATORS } from './validators.js';

/**
 * Compiles one rule spec. Throws an Error whose message names the problem (the caller prefixes the
 * file and rule id). Patterns run over UTF-8 Buffers with RE2, globally.
 */
export function compileRule(spec: RuleSpec, provider: ProviderSpec, source: string, options: { lazy?: boolean } = {}): CompiledRule {
  let regex: RegexMatcher;
  try {
    regex = options.lazy ? new LazyRegex(spec.pattern, 'gd') : compileRegex(spec.pattern, 'gd');
  } catch (err) {
    throw new Error(`pattern is not valid RE2 syntax (lookaround and backreferences are not supported): ${errorText(err)}`);
  }
  const secretGroup = spec.bundledSecretGroup ?? secretGroupOf(spec.pattern);
  const make = (pattern: string, flags: string): RegexMatcher => (options.lazy ? new LazyRegex(pattern, flags) : compileRegex(pattern, flags));
  const allowSecrets = (spec.allowSecrets ?? []).map((p, i) => {
    try {
      // Flag-less, so stateless: rules listing the same pattern share one compiled regex.
      return options.lazy ? sharedLazyRegex(p) : compileRegex(p, '');
    } catch (err) {
      throw new Error(`allowSecrets[${i}] is not valid RE2 syntax: ${errorText(err)}`);
    }
  });
  let partner: CompiledRule['partner'];
  if (spec.partner) {
    try {
      partner = { name: spec.partner.name, regex: make(spec.partner.pattern, 'g'), withinLines: spec.partner.withinLines, required: spec.partner.required ?? false };
    } catch (err) {
      throw new Error(`partner.pattern is not valid RE2 syntax: ${errorText(err)}`);
    }
  }
  return {
    id: spec.id,
    name: spec.name,
    provider,
    spec,
    keywords: spec.caseSensitiveKeywords ? [...spec.keywords] : spec.keywords.map((k) => k.toLowerCase()),
    caseSensitiveKeywords: spec.caseSensitiveKeywords ?? false,
    requiredKeywords: (spec.requiredKeywords ?? []).map((k) => (spec.caseSensitiveKeywords ? k : k.toLowerCase())),
    regex,
    secretGroup,
    minEntropy: spec.minEntropy,
    severity: spec.severity ?? 'high',
    allowSecrets,
    placeholders: spec.placeholders ?? 'basic',
    validate: spec.validate === undefined ? undefined : VALIDATORS[spec.validate],
    partner,
    scope: spec.scope ?? (isLineLocal(spec.pattern) ? 'line' : 'window'),
    source,
  };
}

/** The pattern's secret group: its only capture group, or the one named `secret`. Throws when there is none, or several and none is named. */
export function secretGroupOf(pattern: string): number {
  const { groups, secretIndex } = groupInfo(pattern);
  if (groups === 0) throw new Error('pattern needs a capture group for the secret');
  if (groups > 1 && secretIndex === undefined) {
    throw new Error(`pattern has ${groups} capture groups: name the secret's group \`(?P<secret>…)\` or make the others non-capturing \`(?:…)\``);
  }
  return secretIndex ?? 1;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
