import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BEGIN, END } from '../../src/git/hooks.js';
import { CLI, runCli } from '../helpers/cli.js';
import { git, gitRepo, writeTree } from '../helpers/tmp.js';
import { TOKEN } from './helpers.js';

const ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' };

/** `git commit` as a user runs it (hooks on); returns the exit code and stderr. */
function commit(dir: string, ...extra: string[]): { code: number; stderr: string } {
  const r = spawnSync('git', ['commit', '-q', '-m', 'msg', ...extra], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...ENV } });
  return { code: r.status ?? -1, stderr: r.stderr };
}

describe('leakhound hook install / uninstall', () => {
  it('writes .git/hooks/pre-commit, idempotently, and the hook blocks a staged secret', () => {
    const dir = gitRepo();
    const hook = join(dir, '.git', 'hooks', 'pre-commit');
    const first = runCli(['hook', 'install'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^leakhound: pre-commit hook installed in \.git\/hooks\/pre-commit/);
    const text = readFileSync(hook, 'utf8');
    expect(text).toBe(`#!/bin/sh\n${BEGIN}\nnode ${CLI} scan --staged || exit $?\nchained="$(dirname "$0")/pre-commit.pre-leakhound"\nif [ -x "$chained" ]; then exec "$chained" "$@"; fi\n${END}\n`);
    expect(statSync(hook).mode & 0o111).not.toBe(0);
    const again = runCli(['hook', 'install'], { cwd: dir });
    expect(again.stderr).toMatch(/already installed/);
    expect(readFileSync(hook, 'utf8')).toBe(text);

    writeTree(dir, { 'clean.txt': 'hello\n' });
    git(dir, 'add', '-A');
    expect(commit(dir).code).toBe(0);
    writeTree(dir, { 'leak.txt': `k = ${TOKEN}\n` });
    git(dir, 'add', '-A');
    const blocked = commit(dir);
    expect(blocked.code).not.toBe(0);
    expect(git(dir, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    expect(commit(dir, '--no-verify').code).toBe(0);

    expect(runCli(['hook', 'uninstall'], { cwd: dir }).code).toBe(0);
    expect(existsSync(hook)).toBe(false);
    expect(runCli(['hook', 'uninstall'], { cwd: dir }).stderr).toMatch(/nothing to remove/);
  });

  it('the hook sees what `git commit -a` and `git commit <file>` will record (a temporary index)', () => {
    const dir = gitRepo();
    writeTree(dir, { 'a.txt': 'a\n', 'b.txt': 'b\n' });
    git(dir, 'add', '-A');
    expect(commit(dir, '--no-verify').code).toBe(0);
    runCli(['hook', 'install'], { cwd: dir });
    writeTree(dir, { 'a.txt': `a\nk = ${TOKEN}\n` });
    expect(commit(dir, '-a').code).not.toBe(0);
    expect(commit(dir, '--', 'a.txt').code).not.toBe(0);
    writeTree(dir, { 'b.txt': 'b\nfine\n' });
    expect(commit(dir, '--', 'b.txt').code).toBe(0);
    expect(git(dir, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
  });

  it('chains an existing hook instead of overwriting it, and restores it on uninstall', () => {
    const dir = gitRepo();
    const hooks = join(dir, '.git', 'hooks');
    const mine = '#!/bin/sh\necho mine-ran > "$(git rev-parse --git-dir)/mine-ran"\n';
    writeFileSync(join(hooks, 'pre-commit'), mine, { mode: 0o755 });
    const r = runCli(['hook', 'install'], { cwd: dir });
    expect(r.stderr).toMatch(/existing hook now runs after it/);
    expect(readFileSync(join(hooks, 'pre-commit.pre-leakhound'), 'utf8')).toBe(mine);
    writeTree(dir, { 'a.txt': 'fine\n' });
    git(dir, 'add', '-A');
    expect(commit(dir).code).toBe(0);
    expect(existsSync(join(dir, '.git', 'mine-ran'))).toBe(true);
    runCli(['hook', 'uninstall'], { cwd: dir });
    expect(readFileSync(join(hooks, 'pre-commit'), 'utf8')).toBe(mine);
    expect(existsSync(join(hooks, 'pre-commit.pre-leakhound'))).toBe(false);
  });

  it('follows core.hooksPath for plain hooks', () => {
    const dir = gitRepo();
    git(dir, 'config', 'core.hooksPath', 'githooks');
    runCli(['hook', 'install'], { cwd: dir });
    expect(readFileSync(join(dir, 'githooks', 'pre-commit'), 'utf8')).toContain(BEGIN);
  });

  it('adds a block to .husky/pre-commit in a husky repo and removes only that block', () => {
    const dir = gitRepo();
    mkdirSync(join(dir, '.husky'));
    writeFileSync(join(dir, '.husky', 'pre-commit'), 'npm test\n');
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', '.bin', 'leakhound'), '');
    expect(runCli(['hook', 'install'], { cwd: dir }).stderr).toMatch(/installed in \.husky\/pre-commit/);
    expect(readFileSync(join(dir, '.husky', 'pre-commit'), 'utf8')).toBe(`npm test\n${BEGIN}\nnpx --no-install leakhound scan --staged || exit $?\n${END}\n`);
    runCli(['hook', 'install', '--command', 'pnpm exec leakhound'], { cwd: dir });
    expect(readFileSync(join(dir, '.husky', 'pre-commit'), 'utf8')).toBe(`npm test\n${BEGIN}\npnpm exec leakhound scan --staged || exit $?\n${END}\n`);
    expect(existsSync(join(dir, '.git', 'hooks', 'pre-commit'))).toBe(false);
    runCli(['hook', 'uninstall'], { cwd: dir });
    expect(readFileSync(join(dir, '.husky', 'pre-commit'), 'utf8')).toBe('npm test\n');
  });

  it('detects husky by core.hooksPath alone', () => {
    const dir = gitRepo();
    execFileSync('git', ['config', 'core.hooksPath', '.husky/_'], { cwd: dir });
    runCli(['hook', 'install'], { cwd: dir });
    expect(readFileSync(join(dir, '.husky', 'pre-commit'), 'utf8')).toContain('scan --staged');
  });

  it('is an error outside a repository', () => {
    const dir = join(gitRepo(), '..');
    const r = runCli(['hook', 'install'], { cwd: dir, env: { GIT_CEILING_DIRECTORIES: dir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^leakhound: not a git repository/);
  });
});
