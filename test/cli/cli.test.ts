import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE } from '../helpers/fake.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeTree } from '../helpers/tmp.js';

function leakyTree(): string {
  const root = tempDir();
  writeTree(root, {
    'src/app.js': `const a = 1;\nconst token = "${FAKE.githubPat}";\n`,
    'README.md': 'nothing to see\n',
  });
  return root;
}

describe('leakhound scan exit codes', () => {
  it('0 on a clean tree, with a summary line on stderr', () => {
    const root = tempDir();
    writeTree(root, { 'a.js': 'console.log(1)\n' });
    const r = runCli(['scan', root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('No leaks found.\n');
    expect(r.stderr).toMatch(/^leakhound: warning: not a git repository: cannot tell which config files are git-ignored; the config-file check was skipped\nleakhound: scanned 1 file \(0\.00 MB\) in \d+ ms; 0 findings\n$/);
  });

  it('1 on findings; JSON has the documented fields with paths relative to the root', () => {
    const r = runCli(['scan', leakyTree(), '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { schemaVersion: number; findings: Record<string, unknown>[] };
    expect(report.schemaVersion).toBe(1);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      file: 'src/app.js',
      line: 2,
      endLine: 2,
      column: 16,
      ruleId: 'github-pat-classic',
      provider: 'github',
      secret: 'ghp_********',
      secretMasked: true,
    });
    expect(report.findings[0]!['fingerprint']).toMatch(/^[0-9a-f]{32}$/);
    expect(report.findings[0]!['remediation']).toMatchObject({ revokeUrl: 'https://github.com/settings/tokens' });
    expect(r.stdout).not.toContain(FAKE.githubPat);
  });

  it('--show-secrets prints the secret; it never reaches stderr', () => {
    const r = runCli(['scan', leakyTree(), '--show-secrets']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(FAKE.githubPat);
    expect(r.stderr).not.toContain(FAKE.githubPat);
  });

  it('a look-alike with a bad checksum is not reported', () => {
    const root = tempDir();
    writeTree(root, { 'a.js': `x = "${FAKE.githubLookAlike}"\n` });
    expect(runCli(['scan', root]).code).toBe(0);
  });

  it('--output writes the report to a file and nothing to stdout', () => {
    const out = join(tempDir(), 'report.sarif');
    const r = runCli(['scan', leakyTree(), '--format', 'sarif', '--output', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect((JSON.parse(readFileSync(out, 'utf8')) as { version: string }).version).toBe('2.1.0');
  });

  it('2 with one clear line for a missing path, a bad flag value, an unknown flag, a bad config, a bad rule dir', () => {
    const root = leakyTree();
    const badConfig = join(tempDir(), 'bad.yml');
    writeFileSync(badConfig, 'allowPaths: 3\nnope: 1\n');
    const badRules = tempDir();
    writeFileSync(join(badRules, 'acme.yml'), 'provider: {}\n');
    const cases: [string[], RegExp][] = [
      [['scan', join(root, 'missing')], /^leakhound: path not found or not readable: .*missing\n$/],
      [['scan', root, '--format', 'xml'], /^leakhound: Invalid values:.*\(see leakhound --help\)\n$/],
      [['scan', root, '--frobnicate'], /^leakhound: Unknown argument: frobnicate \(see leakhound --help\)\n$/],
      [['scan', root, '--max-file-size', 'big'], /^leakhound: --max-file-size: expected a size such as 1048576, 500k or 10m, got "big"\n$/],
      [['scan', root, '--config', badConfig], /^leakhound: invalid config \(2 problems\):\n {2}.*bad\.yml: unknown key `nope`.*\n {2}.*bad\.yml: `allowPaths` must be a list of strings\n$/],
      [['scan', root, '--rules', badRules], /^leakhound: invalid rules \(\d+ problems?\):\n(?: {2}.*acme\.yml: .*\n)+$/],
      [['explain', 'no-such-rule'], /^leakhound: unknown rule id "no-such-rule"/],
      [[], /^leakhound: name a command/],
    ];
    for (const [args, stderr] of cases) {
      const r = runCli(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(stderr);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('scans standard input with --stdin', () => {
    const r = runCli(['scan', '--stdin', '--format', 'json'], { input: `token=${FAKE.githubPat}\n` });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { findings: { file: string; line: number }[] }).findings.map((f) => [f.file, f.line])).toEqual([['<stdin>', 1]]);
  });

  it('honours a .leakhound.yml found above the scanned path', () => {
    const root = tempDir();
    writeTree(root, { '.leakhound.yml': 'allowPaths: ["fixtures/"]\n', 'fixtures/a.js': `t="${FAKE.githubPat}"\n`, 'src/b.js': `t="${FAKE.githubPat2}"\n` });
    const r = runCli(['scan', root, '--format', 'json']);
    expect((JSON.parse(r.stdout) as { findings: { file: string }[] }).findings.map((f) => f.file)).toEqual(['src/b.js']);
    const disabled = join(tempDir(), 'c.yml');
    writeFileSync(disabled, 'rules:\n  disable: [github-pat-classic]\n');
    expect(runCli(['scan', root, '--config', disabled]).code).toBe(0);
  });
});

describe('other commands', () => {
  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('explain prints the provider playbook', () => {
    const r = runCli(['explain', 'github-pat-classic']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Revoke:');
    expect(r.stdout).toContain('https://github.com/settings/tokens');
    expect(r.stdout).toContain('does not un-leak it');
  });

  it('rules list counts rules and providers; rules check passes on the built-in rules', () => {
    const list = runCli(['rules', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/\n\d+ rules, \d+ providers\n$/);
    const check = runCli(['rules', 'check']);
    expect(check.stderr).toBe('');
    expect(check.stdout).toMatch(/ 0 failures\n$/);
    expect(check.code).toBe(0);
  });

  it('rules check fails (exit 1) on a rule whose example does not match', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'acme.yml'),
      `provider:
  id: acme
  name: Acme
  category: cloud
  remediation: { revokeUrl: https://acme.example/keys, revoke: Delete it., regenerate: Make one. }
rules:
  - id: acme-key
    name: Acme key
    pattern: '\\b(acme_[a-z]{8})\\b'
    keywords: [acme_]
    references: [https://acme.example]
    examples: ['acme_abcdefgh', 'acme_TOOSHORT']
    negativeExamples: ['acme_', 'acme_qwertyui']
`,
    );
    const r = runCli(['rules', 'check', '--rules', dir, '--only']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rule acme-key: example not matched: "acme_TOOSHORT"');
    expect(r.stderr).toContain('rule acme-key: negative example matched: "acme_qwertyui"');
  });
});
