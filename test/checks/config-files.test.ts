import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditConfigFiles, NOT_A_REPO_WARNING, type HygieneReport } from '../../src/checks/config-files.js';
import { emptyStats } from '../../src/sources/stats.js';
import type { Finding } from '../../src/types.js';
import { commitAll, git, gitRepo, tempDir, writeTree } from '../helpers/tmp.js';

// The check and the oracle must see the same git configuration: none but the temp repo's own.
process.env['GIT_CONFIG_GLOBAL'] = '/dev/null';
process.env['GIT_CONFIG_NOSYSTEM'] = '1';

/** The oracle: git check-ignore asked about one path at a time. */
function gitSaysIgnored(repo: string, path: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '--no-index', '-q', '--', path], { cwd: repo, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function allFiles(repo: string): string[] {
  return git(repo, 'ls-files', '-z', '--cached', '--others').split('\0').filter((s) => s !== '');
}

async function audit(root: string, findings: Finding[] = []): Promise<HygieneReport> {
  return auditConfigFiles({ root, findings, stats: emptyStats() });
}

/** file -> sorted rule ids */
function problems(report: HygieneReport): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of report.findings) (out[f.file] ??= []).push(f.ruleId);
  for (const k of Object.keys(out)) out[k]!.sort();
  return out;
}

const VALUE = 'SECRET=not-a-real-value\n';

describe('ignore status agrees with git check-ignore', () => {
  let repo: string;
  let report: HygieneReport;
  beforeAll(async () => {
    repo = gitRepo();
    const globalExcludes = join(tempDir(), 'global-ignore');
    writeFileSync(globalExcludes, '*.tfstate\n');
    git(repo, 'config', 'core.excludesFile', globalExcludes);
    writeTree(repo, {
      '.gitignore': '.env*\n!.env.example\n!.env.keep\n*.pem\nsecrets/\n/deploy/**/id_rsa\n',
      '.git/info/exclude': 'terraform.tfvars\n',
      '.env': VALUE,
      '.env.keep': VALUE, // negated at the root: not ignored
      '.env.example': 'SECRET=\n', // a template: never secret-bearing
      'api/.gitignore': '!.env\n', // a deeper level re-includes .env
      'api/.env': VALUE,
      'api/.env.production': VALUE,
      'web/.gitignore': '/config/.npmrc\n',
      'web/config/.npmrc': '//registry.npmjs.org/:_authToken=npm_notreal\n',
      'web/.npmrc': '//registry.npmjs.org/:_authToken=npm_notreal\n',
      'keys/server.pem': '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n',
      'keys/.gitignore': '!server.pem\n',
      'keys/client.pem': '-----BEGIN EC PRIVATE KEY-----\nMIIB\n-----END EC PRIVATE KEY-----\n',
      'secrets/id_ed25519': 'k',
      'secrets/nested/.aws/credentials': 'k',
      'deploy/prod/id_rsa': 'k',
      'deploy/id_rsa': 'k',
      'id_rsa': 'k',
      'my keys/id_ecdsa': 'k',
      'ünï/.env': VALUE,
      'infra/terraform.tfvars': 'a = "b"\n',
      'infra/terraform.tfstate': '{}',
      'infra/prod.tfstate.backup': '{}',
      'README.md': 'hello\n',
    });
    report = await audit(repo);
  });

  it('checks every secret-bearing file and agrees with the oracle on each', () => {
    const files = report.files.map((s) => s.file).sort();
    expect(files).toEqual(
      [
        '.env',
        '.env.keep',
        'api/.env',
        'api/.env.production',
        'deploy/id_rsa',
        'deploy/prod/id_rsa',
        'id_rsa',
        'infra/prod.tfstate.backup',
        'infra/terraform.tfstate',
        'infra/terraform.tfvars',
        'keys/client.pem',
        'keys/server.pem',
        'my keys/id_ecdsa',
        'secrets/id_ed25519',
        'secrets/nested/.aws/credentials',
        'web/.npmrc',
        'web/config/.npmrc',
        'ünï/.env',
      ].sort(),
    );
    for (const s of report.files) expect({ file: s.file, ignored: s.ignored }).toEqual({ file: s.file, ignored: gitSaysIgnored(repo, s.file) });
  });

  it('agrees with the oracle on every file of the repo', () => {
    const byFile = new Map(report.files.map((s) => [s.file, s.ignored]));
    let compared = 0;
    for (const f of allFiles(repo)) {
      const ours = byFile.get(f);
      if (ours === undefined) continue;
      expect(ours, f).toBe(gitSaysIgnored(repo, f));
      compared++;
    }
    expect(compared).toBe(report.files.length);
  });

  it('reports exactly the un-ignored files, each with the narrowest line', () => {
    const notIgnored = report.findings.filter((f) => f.ruleId === 'config-file-not-ignored').map((f) => [f.file, f.advice?.[0]]);
    expect(notIgnored).toEqual([
      ['.env.keep', 'dotenv file (dotenv) is not git-ignored: add the line `/.env.keep` to .gitignore (or run `leakhound fix-ignore`)'],
      ['api/.env', 'dotenv file (dotenv) is not git-ignored: add the line `/.env` to api/.gitignore (or run `leakhound fix-ignore`)'],
      // `/deploy/**/id_rsa` also covers deploy/id_rsa (`**/` matches no directory too).
      ['id_rsa', 'SSH private key (ssh-private-key) is not git-ignored: add the line `/id_rsa` to .gitignore (or run `leakhound fix-ignore`)'],
      // core.excludesFile has `*.tfstate`, which does not cover the backup.
      ['infra/prod.tfstate.backup', 'Terraform variables or state (terraform-vars) is not git-ignored: add the line `infra/prod.tfstate.backup` to .gitignore (or run `leakhound fix-ignore`)'],
      ['keys/server.pem', 'PEM file holding a private key (pem-private-key) is not git-ignored: add the line `/server.pem` to keys/.gitignore (or run `leakhound fix-ignore`)'],
      ['my keys/id_ecdsa', 'SSH private key (ssh-private-key) is not git-ignored: add the line `my keys/id_ecdsa` to .gitignore (or run `leakhound fix-ignore`)'],
      ['web/.npmrc', 'npm config with an auth token (npmrc) is not git-ignored: add the line `/.npmrc` to web/.gitignore (or run `leakhound fix-ignore`)'],
    ]);
  });

  it('gives hygiene findings line 1, no secret, and stable fingerprints', async () => {
    for (const f of report.findings) {
      expect(f).toMatchObject({ providerId: 'hygiene', line: 1, column: 1, secret: '', lineText: '' });
      expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    }
    const again = await audit(repo);
    expect(again.findings.map((f) => f.fingerprint)).toEqual(report.findings.map((f) => f.fingerprint));
  });

  it('scans a subdirectory with paths relative to it', async () => {
    const sub = await audit(join(repo, 'api'));
    expect(problems(sub)).toEqual({ '.env': ['config-file-not-ignored'] });
    expect(sub.findings[0]?.advice?.[0]).toContain('to .gitignore');
  });
});

describe('scan roots', () => {
  it('checks a single file given as the root, named as the worktree source names it', async () => {
    const repo = gitRepo();
    writeTree(repo, { 'app/.env': VALUE, 'app/id_rsa': 'k' });
    expect(problems(await audit(join(repo, 'app', '.env')))).toEqual({ '.env': ['config-file-not-ignored'] });
  });
});

describe('tracked and committed files', () => {
  it('reports a tracked-but-ignored file as tracked and in history, not as un-ignored', async () => {
    const repo = gitRepo();
    writeTree(repo, { '.env': VALUE, 'README.md': 'x\n' });
    const sha = commitAll(repo, 'oops');
    writeTree(repo, { '.gitignore': '.env\n' });
    commitAll(repo, 'ignore it');
    expect(gitSaysIgnored(repo, '.env')).toBe(true);
    const report = await audit(repo);
    expect(problems(report)).toEqual({ '.env': ['config-file-in-history', 'config-file-tracked'] });
    const tracked = report.findings.find((f) => f.ruleId === 'config-file-tracked')!;
    expect(tracked.advice?.[0]).toBe('dotenv file (dotenv) is tracked by git: stop tracking it with `git rm --cached -- .env` and commit (the file stays on disk)');
    const hist = report.findings.find((f) => f.ruleId === 'config-file-in-history')!;
    expect(hist.severity).toBe('critical');
    expect(hist.advice?.[0]).toContain(`in 1 commit (first ${sha.slice(0, 12)})`);

    // After git rm --cached the file is ignored and untracked: the tree check has nothing left to
    // fix (its secrets stay leaked, and `scan --history` reports each of them with revoke advice).
    git(repo, 'rm', '-q', '--cached', '--', '.env');
    commitAll(repo, 'untrack');
    expect(problems(await audit(repo))).toEqual({});
  });

  it('finds files in the history of any ref, and ignores what only names variables', async () => {
    const repo = gitRepo();
    writeTree(repo, { 'README.md': 'x\n', '.gitignore': 'node_modules/\n' });
    commitAll(repo, 'init');
    git(repo, 'checkout', '-q', '-b', 'side');
    writeTree(repo, { '.env': VALUE });
    git(repo, 'add', '-f', '.env');
    commitAll(repo, 'on a side branch');
    git(repo, 'rm', '-q', '--cached', '.env');
    commitAll(repo, 'untrack');
    git(repo, 'checkout', '-q', 'main');
    writeTree(repo, { '.env': VALUE }); // the same file, present but untracked on main
    // Not ignored on main, and committed on another branch: both are reported.
    expect(problems(await audit(repo))).toEqual({ '.env': ['config-file-in-history', 'config-file-not-ignored'] });
    writeTree(repo, { '.env': 'SECRET=\nOTHER=${SECRET}\n' });
    expect(problems(await audit(repo))).toEqual({});
  });

  it('flags config-named files only when the scan found a secret in them', async () => {
    const repo = gitRepo();
    writeTree(repo, { 'config/settings.yml': 'password: x\n' });
    expect(problems(await audit(repo))).toEqual({});
    const finding = { file: 'config/settings.yml' } as Finding;
    expect(problems(await audit(repo, [finding]))).toEqual({ 'config/settings.yml': ['config-file-not-ignored'] });
  });
});

describe('staged mode', () => {
  it('blocks a commit that adds a secret-bearing file, reading the index, not the disk', async () => {
    const repo = gitRepo();
    writeTree(repo, { 'README.md': 'x\n', '.gitignore': '*.key\n' });
    commitAll(repo, 'init');
    writeTree(repo, { '.env': VALUE, 'id_rsa': 'k', 'tls.key': 'k', 'untracked/.env': VALUE });
    git(repo, 'add', '.env', 'id_rsa');
    git(repo, 'add', '-f', 'tls.key');
    writeTree(repo, { '.env': 'SECRET=\n' }); // the working copy no longer has a value; the index does
    const report = await auditConfigFiles({ root: repo, findings: [], stats: emptyStats(), mode: 'staged' });
    expect(problems(report)).toEqual({
      '.env': ['config-file-not-ignored', 'config-file-tracked'],
      id_rsa: ['config-file-not-ignored', 'config-file-tracked'],
      'tls.key': ['config-file-tracked'],
    });
  });

  it('says nothing when nothing secret-bearing is staged', async () => {
    const repo = gitRepo();
    writeTree(repo, { '.env': VALUE, 'a.txt': 'x' });
    git(repo, 'add', 'a.txt');
    const report = await auditConfigFiles({ root: repo, findings: [], stats: emptyStats(), mode: 'staged' });
    expect(report.findings).toEqual([]);
  });
});

describe('outside a git repository', () => {
  it('adds one warning and skips', async () => {
    const dir = tempDir();
    writeTree(dir, { '.env': VALUE });
    const stats = emptyStats();
    const report = await auditConfigFiles({ root: dir, findings: [], stats });
    expect(report).toEqual({ repo: undefined, files: [], findings: [] });
    expect(stats.warnings).toEqual([NOT_A_REPO_WARNING]);
  });
});
