import { Detector } from '../../src/detect/detector.js';
import { compileRule } from '../../src/rules/compile.js';
import type { CompiledRule, Finding, ProviderSpec, RuleSpec } from '../../src/types.js';

export const TEST_PROVIDER: ProviderSpec = {
  id: 'acme',
  name: 'Acme',
  category: 'cloud',
  remediation: { revokeUrl: 'https://acme.example/keys', revoke: 'Delete the key in the Acme console.', regenerate: 'Create a new scoped key.' },
};

export const GENERIC_PROVIDER: ProviderSpec = { ...TEST_PROVIDER, id: 'generic', name: 'Generic', category: 'generic' };

/** A compiled rule from a few fields (the rest filled in). */
export function rule(fields: Partial<RuleSpec> & Pick<RuleSpec, 'id' | 'pattern'>, provider: ProviderSpec = TEST_PROVIDER): CompiledRule {
  const spec: RuleSpec = { name: fields.id, keywords: [], references: ['https://acme.example'], examples: [], negativeExamples: [], ...fields };
  return compileRule(spec, provider, 'test');
}

/** Runs a detector over one text as file `path`. */
export function detectText(rules: CompiledRule[], text: string | Buffer, path = 'a.txt', today = '2026-06-01'): Finding[] {
  const d = new Detector(rules, { today });
  return d.detect({ origin: { kind: 'file', path }, content: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'), startLine: 1 });
}
