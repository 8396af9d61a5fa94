import { describe, expect, it } from 'vitest';
import { findingsFor, hygieneProvider, type ConfigFileStatus } from '../../src/checks/config-files.js';
import { builtinHygieneSpec } from '../../src/checks/spec.js';
import { REPORTERS } from '../../src/report/index.js';

const spec = builtinHygieneSpec();
const status: ConfigFileStatus = {
  file: 'config/.env.production',
  topPath: 'config/.env.production',
  kind: spec.files.find((k) => k.id === 'dotenv')!,
  ignored: false,
  tracked: true,
  commits: ['b'.repeat(40), 'a'.repeat(40)],
  fix: { gitignore: '.gitignore', line: 'config/.env.production' },
};
const findings = findingsFor(status, 'worktree', '', hygieneProvider());

describe('hygiene findings in every reporter', () => {
  it('are one per problem, each with its fix', () => {
    expect(findings.map((f) => [f.ruleId, f.severity, f.advice?.[0]])).toEqual([
      ['config-file-not-ignored', 'high', 'dotenv file (dotenv) is not git-ignored: add the line `config/.env.production` to .gitignore (or run `leakhound fix-ignore`)'],
      ['config-file-tracked', 'high', 'dotenv file (dotenv) is tracked by git: stop tracking it with `git rm --cached -- config/.env.production` and commit (the file stays on disk)'],
      [
        'config-file-in-history',
        'critical',
        'dotenv file (dotenv) is in 2 commits (first aaaaaaaaaaaa): revoke and regenerate every secret it holds or ever held; removing it or rewriting history does not un-leak it',
      ],
    ]);
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(3);
  });

  for (const [format, reporter] of Object.entries(REPORTERS)) {
    it(`${format}: names the file, shows no mask for the empty secret, and does not throw`, () => {
      const out = reporter(findings, { rules: [], showSecrets: false, color: false, toolVersion: '0.0.0', extraProviders: [hygieneProvider()] });
      expect(out).toContain('config/.env.production');
      expect(out).not.toContain('********');
      expect(out).toContain('config-file-in-history');
    });
  }

  it('json: carries the advice and the hygiene remediation', () => {
    const out = JSON.parse(REPORTERS.json(findings, { rules: [], showSecrets: false, color: false, toolVersion: '0.0.0', extraProviders: [hygieneProvider()] })) as {
      findings: { secret: string; advice: string[]; remediation: { provider: string } }[];
    };
    expect(out.findings[0]).toMatchObject({ secret: '', remediation: { provider: 'Config file hygiene' } });
    expect(out.findings[2]?.advice[1]).toBe('see the commits: git log --all --oneline -- config/.env.production');
  });
});
