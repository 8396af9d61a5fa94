import type { CompiledRule, Finding, ProviderSpec } from '../types.js';

/** What every reporter is given besides the findings. */
export interface ReportContext {
  /** The rules the scan ran (for SARIF's rule table and advice lookup). */
  rules: readonly CompiledRule[];
  /** Print secrets in clear (default: masked). */
  showSecrets: boolean;
  /** Use ANSI colours (text only). */
  color: boolean;
  toolVersion: string;
  /** Extra providers that findings may name but no rule holds (hygiene checks). */
  extraProviders?: readonly ProviderSpec[];
}

export type Reporter = (findings: readonly Finding[], context: ReportContext) => string;

/** Provider data by id, from the rules and any extra providers. */
export function providersById(context: ReportContext): Map<string, ProviderSpec> {
  const map = new Map<string, ProviderSpec>();
  for (const r of context.rules) map.set(r.provider.id, r.provider);
  for (const p of context.extraProviders ?? []) map.set(p.id, p);
  return map;
}
