import { randomInt } from 'node:crypto';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { commitAll, git, gitRepo, tempDir, writeTree } from '../helpers/tmp.js';

/** A Stripe-shaped fake key built at runtime, so this file holds no literal secret. */
function fakeStripeKey(): string {
  const base62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = 'sk_live_';
  for (let i = 0; i < 24; i++) s += base62[randomInt(base62.length)];
  return s;
}

interface JsonReport {
  findings: { ruleId: string; provider: string; file: string; line: number; secret: string; advice?: string[]; remediation: { provider: string } | null }[];
}

function hygiene(stdout: string): [string, string][] {
  const report = JSON.parse(stdout) as JsonReport;
  return report.findings.filter((f) => f.provider === 'hygiene').map((f) => [f.file, f.ruleId]);
}

describe('leakhound scan: config-file hygiene, end to end', () => {
  it('reports an un-ignored .env; after fix-ignore and git rm --cached, nothing from hygiene', () => {
    const repo = gitRepo();
    writeTree(repo, { 'README.md': '# app\n' });
    commitAll(repo, 'init');
    writeTree(repo, { '.env': `STRIPE_SECRET_KEY=${fakeStripeKey()}\n` });
    git(repo, 'add', '.env');

    const before = runCli(['scan', '--format', 'json', '.'], { cwd: repo });
    expect(before.code).toBe(1);
    expect(hygiene(before.stdout)).toEqual([
      ['.env', 'config-file-not-ignored'],
      ['.env', 'config-file-tracked'],
    ]);
    const f = (JSON.parse(before.stdout) as JsonReport).findings.find((x) => x.ruleId === 'config-file-not-ignored')!;
    expect(f).toMatchObject({ line: 1, secret: '', remediation: { provider: 'Config file hygiene' } });
    expect(f.advice?.[0]).toContain('add the line `/.env` to .gitignore');

    const fix = runCli(['fix-ignore'], { cwd: repo });
    expect(fix.stdout).toContain('Appended to .gitignore:\n  /.env\n');
    expect(fix.stdout).toContain('git rm --cached -- .env');
    expect(fix.code).toBe(1); // the git rm --cached is left to the user
    expect(readFileSync(join(repo, '.gitignore'), 'utf8')).toBe('/.env\n');
    expect(readFileSync(join(repo, '.env'), 'utf8')).toMatch(/^STRIPE_SECRET_KEY=sk_live_/); // never deletes

    git(repo, 'rm', '-q', '--cached', '--', '.env');
    const after = runCli(['scan', '--format', 'json', '.'], { cwd: repo });
    expect(hygiene(after.stdout)).toEqual([]);
    expect(after.code).toBe(0);
    expect(runCli(['fix-ignore'], { cwd: repo })).toMatchObject({ code: 0, stdout: 'Nothing to fix: every config file that holds secrets is git-ignored and untracked.\n' });
  });

  it('prints hygiene findings in text without a masked secret, with the fix and the provider advice', () => {
    const repo = gitRepo();
    writeTree(repo, { id_rsa: 'not really a key\n' });
    const r = runCli(['scan', '.'], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('****');
    expect(r.stdout).toContain('1:1  high  config-file-not-ignored  Config file that holds secrets is not git-ignored\n');
    expect(r.stdout).toContain('    fix: SSH private key (ssh-private-key) is not git-ignored: add the line `/id_rsa` to .gitignore');
    expect(r.stdout).toContain('\nConfig file hygiene\n');
    const sarif = JSON.parse(runCli(['scan', '--format', 'sarif', '.'], { cwd: repo }).stdout) as { runs: { results: { message: { text: string } }[]; tool: { driver: { rules: { id: string; help?: unknown }[] } } }[] };
    expect(sarif.runs[0]!.results[0]!.message.text).toMatch(/^Config file that holds secrets is not git-ignored: id_rsa \(/);
    expect(sarif.runs[0]!.tool.driver.rules[0]).toMatchObject({ id: 'config-file-not-ignored', help: expect.anything() });
  });

  it('--no-hygiene turns the check off', () => {
    const repo = gitRepo();
    writeTree(repo, { id_rsa: 'not really a key\n' });
    expect(runCli(['scan', '--no-hygiene', '.'], { cwd: repo }).code).toBe(0);
  });

  it('blocks a staged commit that adds a secret-bearing file no rule matched', () => {
    const repo = gitRepo();
    writeTree(repo, { 'README.md': 'x\n' });
    commitAll(repo, 'init');
    writeTree(repo, { id_ed25519: 'opaque\n', 'notes.txt': 'hello\n' });
    git(repo, 'add', 'id_ed25519', 'notes.txt');
    const r = runCli(['scan', '--staged', '--format', 'json', '.'], { cwd: repo });
    expect(r.code).toBe(1);
    expect(hygiene(r.stdout)).toEqual([
      ['id_ed25519', 'config-file-not-ignored'],
      ['id_ed25519', 'config-file-tracked'],
    ]);
    git(repo, 'rm', '-q', '--cached', 'id_ed25519');
    expect(runCli(['scan', '--staged', '.'], { cwd: repo }).code).toBe(0);
  });

  it('a pre-commit hook running scan --staged blocks the commit of a new .env; once ignored, commits pass', () => {
    const repo = gitRepo();
    writeTree(repo, {
      'README.md': 'x\n',
      '.git/hooks/pre-commit': `#!/bin/sh\n"${process.execPath}" "${CLI}" scan --staged -q || exit $?\n`,
    });
    chmodSync(join(repo, '.git/hooks/pre-commit'), 0o755);
    commitAll(repo, 'init');
    writeTree(repo, { '.env': `STRIPE_SECRET_KEY=${fakeStripeKey()}\n` });
    git(repo, 'add', '.env');
    expect(() => commitAll(repo, 'add env')).toThrow();
    expect(git(repo, 'log', '--format=%s')).toBe('init\n');
    git(repo, 'rm', '-q', '--cached', '.env');
    expect(runCli(['fix-ignore'], { cwd: repo }).code).toBe(0);
    commitAll(repo, 'ignore env');
    expect(git(repo, 'log', '--format=%s')).toBe('ignore env\ninit\n');
    expect(git(repo, 'ls-files')).toBe('.gitignore\nREADME.md\n');
  });

  it('outside a git repository: one note, no failure', () => {
    const dir = tempDir();
    writeTree(dir, { '.env': 'A=b\n' });
    const r = runCli(['scan', '.'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr.match(/cannot tell which config files are git-ignored/g)).toHaveLength(1);
    expect(runCli(['check-ignore', '.'], { cwd: dir }).code).toBe(2);
  });
});

describe('leakhound explain', () => {
  it('explains the hygiene rules', () => {
    const r = runCli(['explain', 'config-file-in-history']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^config-file-in-history: Config file that holds secrets is in git history \(Config file hygiene\)\n\nA commit on some ref/);
  });
});

describe('leakhound check-ignore', () => {
  it('reports only hygiene problems', () => {
    const repo = gitRepo();
    writeTree(repo, { '.gitignore': '.env*\n', '.env': 'A=b\n', 'config/.env.production': 'A=b\n', 'keys/x.pem': '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n' });
    const r = runCli(['check-ignore', '--format', 'json'], { cwd: repo });
    expect(r.code).toBe(1);
    expect(hygiene(r.stdout)).toEqual([['keys/x.pem', 'config-file-not-ignored']]);
    expect(r.stderr).toContain('leakhound: 3 config files holding secrets; 1 hygiene problem');
  });
});

describe('leakhound fix-ignore', () => {
  it('keeps CRLF line endings and adds the missing final newline first', () => {
    const repo = gitRepo();
    writeTree(repo, { '.gitignore': 'node_modules/\r\n*.log', '.env': 'A=b\n', 'config/.env.production': 'A=b\n' });
    const r = runCli(['fix-ignore'], { cwd: repo });
    expect(r.code).toBe(0);
    expect(readFileSync(join(repo, '.gitignore'), 'utf8')).toBe('node_modules/\r\n*.log\r\n/.env\r\nconfig/.env.production\r\n');
    expect(git(repo, 'check-ignore', '--no-index', '.env', 'config/.env.production')).toBe('.env\nconfig/.env.production\n');
  });

  it('appends to the deepest existing .gitignore, after a negation, never reordering', () => {
    const repo = gitRepo();
    writeTree(repo, { '.gitignore': '# top\n', 'api/.gitignore': '*.log\n!.env\n', 'api/.env': 'A=b\n', 'api/deep/id_rsa': 'k' });
    const dry = runCli(['fix-ignore', '--dry-run'], { cwd: repo });
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('Would append to api/.gitignore:\n  /.env\n  deep/id_rsa\n');
    expect(readFileSync(join(repo, 'api/.gitignore'), 'utf8')).toBe('*.log\n!.env\n');
    expect(runCli(['fix-ignore'], { cwd: repo }).code).toBe(0);
    expect(readFileSync(join(repo, 'api/.gitignore'), 'utf8')).toBe('*.log\n!.env\n/.env\ndeep/id_rsa\n');
    expect(readFileSync(join(repo, '.gitignore'), 'utf8')).toBe('# top\n');
    expect(runCli(['check-ignore'], { cwd: repo }).code).toBe(0);
  });

  it('creates a .gitignore when none exists and escapes special characters', () => {
    const repo = gitRepo();
    writeTree(repo, { '[x]/id_rsa': 'k', '#a b/id_rsa': 'k', '!c/x?.pem': '-----BEGIN PRIVATE KEY-----\n' });
    expect(runCli(['fix-ignore'], { cwd: repo }).code).toBe(0);
    expect(readFileSync(join(repo, '.gitignore'), 'utf8')).toBe('\\!c/x\\?.pem\n\\#a b/id_rsa\n\\[x\\]/id_rsa\n');
    expect(git(repo, 'check-ignore', '--no-index', '--', '[x]/id_rsa', '#a b/id_rsa', '!c/x?.pem')).toBe('[x]/id_rsa\n#a b/id_rsa\n!c/x?.pem\n');
  });
});
