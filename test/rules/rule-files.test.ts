import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { checkRuleExamples } from '../../src/rules/check.js';
import { BUILTIN_RULES_DIR, loadRules } from '../../src/rules/load.js';
import { tempDir } from '../helpers/tmp.js';

describe('built-in rules', () => {
  const { rules, files } = loadRules([BUILTIN_RULES_DIR]);

  it('load without problems and have unique ids', () => {
    expect(rules.length).toBeGreaterThan(0);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('every example matches its rule and no negative example does', () => {
    expect(checkRuleExamples(rules, '2026-01-01')).toEqual([]);
  });

  it('every rule has at least 2 examples, 2 negative examples, a reference and keywords (or is anchored at the start of the file)', () => {
    // A rule without keywords runs on every file: allowed only for whole-file shapes anchored with \A,
    // which fail at the first byte of any other file.
    const thin = rules
      .filter((r) => r.spec.examples.length < 2 || r.spec.negativeExamples.length < 2 || r.spec.references.length < 1 || (r.keywords.length < 1 && !r.spec.pattern.startsWith('\\A')))
      .map((r) => r.id);
    expect(thin).toEqual([]);
  });

  it('every rule id starts with its provider id', () => {
    expect(rules.filter((r) => !r.id.startsWith(`${r.provider.id}-`) && r.id !== r.provider.id).map((r) => r.id)).toEqual([]);
  });

  it('every provider has a playbook with an https revoke URL', () => {
    for (const { file } of files) expect(file.provider.remediation.revokeUrl).toMatch(/^https:\/\//);
  });
});

describe('rule loading reports every problem at once', () => {
  function dirWith(files: Record<string, string>): string {
    const dir = join(tempDir(), 'rules');
    mkdirSync(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }
  const provider = `provider:
  id: acme
  name: Acme
  category: cloud
  remediation: { revokeUrl: https://acme.example/keys, revoke: Delete it., regenerate: Make one. }
`;

  it('prefixes each problem with file and rule id', () => {
    const dir = dirWith({
      'acme.yml': `${provider}rules:
  - id: acme-lookaround
    name: Lookaround
    pattern: 'acme_(?=[a-z]{8})([a-z]+)'
    keywords: [acme_]
    references: [https://acme.example]
    examples: [acme_abcdefgh]
    negativeExamples: [nope]
  - id: acme-two-groups
    name: Two groups
    pattern: '(acme)_([a-z]{8})'
    keywords: [acme]
    references: [https://acme.example]
    examples: [acme_abcdefgh]
    negativeExamples: [nope]
  - id: acme-missing
    name: Missing bits
    pattern: 'acme_([a-z]{8})'
    keywords: [Acme]
    unknownKey: 1
  - id: acme-exact-case
    name: Upper-case keywords are fine when they are case-sensitive
    pattern: 'ACME_([a-z]{8})'
    keywords: [ACME_]
    caseSensitiveKeywords: true
    references: [https://acme.example]
    examples: [ACME_abcdefgh]
    negativeExamples: [nope]
  - id: acme-required-upper
    name: Required keywords are lower-case like keywords
    pattern: 'acme_([a-z]{8})'
    keywords: [acme_]
    requiredKeywords: [Password]
    references: [https://acme.example]
    examples: [acme_abcdefgh]
    negativeExamples: [nope]
  - id: acme-multi-line-keyword
    name: A keyword across lines
    pattern: 'acme_([a-z]{8})'
    keywords: ["acme\\n_"]
    references: [https://acme.example]
    examples: [acme_abcdefgh]
    negativeExamples: [nope]
  - id: acme-bad-flag
    name: A flag that is not a boolean
    pattern: 'ACME_([a-z]{8})'
    keywords: [acme_]
    caseSensitiveKeywords: 'yes'
    references: [https://acme.example]
    examples: [ACME_abcdefgh]
    negativeExamples: [nope]
`,
      'other.yml': 'provider: [oops\n',
    });
    let error: unknown;
    try {
      loadRules([dir]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.some((p) => /acme\.yml: rule acme-missing: unknown key `unknownKey`/.test(p))).toBe(true);
    expect(problems.some((p) => /acme\.yml: rule acme-missing: `references` must be a list of strings/.test(p))).toBe(true);
    expect(problems.some((p) => /acme\.yml: rule acme-missing: `keywords` must be non-empty lower-case strings/.test(p))).toBe(true);
    expect(problems.some((p) => p.includes('acme-exact-case'))).toBe(false);
    expect(problems.some((p) => /acme\.yml: rule acme-required-upper: `requiredKeywords` must be non-empty lower-case strings/.test(p))).toBe(true);
    expect(problems.some((p) => /acme\.yml: rule acme-multi-line-keyword: `keywords` must not hold a line break/.test(p))).toBe(true);
    expect(problems.some((p) => /acme\.yml: rule acme-bad-flag: `caseSensitiveKeywords` must be true or false/.test(p))).toBe(true);
    expect(problems.some((p) => /other\.yml: not valid YAML/.test(p))).toBe(true);
  });

  it('rejects lookaround and backreferences with a clear message (RE2 only)', () => {
    const rule = (id: string, pattern: string): string => `  - id: ${id}
    name: R
    pattern: '${pattern}'
    keywords: [acme]
    references: [https://acme.example]
    examples: [acme_abcdefgh]
    negativeExamples: [nope]
`;
    const dir = dirWith({ 'acme.yml': `${provider}rules:\n${rule('acme-look', 'acme_(?=x)([a-z]+)')}${rule('acme-backref', '(acme)_\\1')}${rule('acme-groups', '(acme)_([a-z]{8})')}` });
    let error: unknown;
    try {
      loadRules([dir]);
    } catch (err) {
      error = err;
    }
    const problems = (error as ConfigError).problems;
    expect(problems.find((p) => p.includes('rule acme-look:'))).toMatch(/not valid RE2 syntax \(lookaround and backreferences are not supported\)/);
    expect(problems.find((p) => p.includes('rule acme-backref:'))).toMatch(/not valid RE2 syntax/);
    expect(problems.find((p) => p.includes('rule acme-groups:'))).toMatch(/2 capture groups/);
  });

  it('requires the provider id to equal the file name', () => {
    const dir = dirWith({
      'wrong.yml': `${provider}rules:
  - id: acme-key
    name: Key
    pattern: 'acme_([a-z]{8})'
    keywords: [acme_]
    references: [https://acme.example]
    examples: [acme_abcdefgh]
    negativeExamples: [nope]
`,
    });
    expect(() => loadRules([dir])).toThrow(/provider id `acme` must equal the file name `wrong`/);
  });
});
