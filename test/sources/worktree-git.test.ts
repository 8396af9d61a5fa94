import { execFileSync } from 'node:child_process';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyStats, type SourceStats } from '../../src/sources/stats.js';
import { listFiles, worktreeFragments } from '../../src/sources/worktree.js';
import { FAKE } from '../helpers/fake.js';
import { git, gitRepo, tempDir, writeTree } from '../helpers/tmp.js';

/** The environment git children of the source see during a test (restored after each). */
const saved = { global: process.env['GIT_CONFIG_GLOBAL'], nosystem: process.env['GIT_CONFIG_NOSYSTEM'], path: process.env['PATH'] };
function useGlobalConfig(file: string): void {
  process.env['GIT_CONFIG_GLOBAL'] = file;
  process.env['GIT_CONFIG_NOSYSTEM'] = '1';
}
afterEach(() => {
  for (const [k, v] of [['GIT_CONFIG_GLOBAL', saved.global], ['GIT_CONFIG_NOSYSTEM', saved.nosystem], ['PATH', saved.path]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function list(root: string, stats: SourceStats = emptyStats()): Promise<string[]> {
  const out: string[] = [];
  for await (const f of listFiles(root, stats)) out.push(f.rel);
  return out.sort();
}

/** git's own view (the oracle): tracked plus untracked-not-ignored files, relative to `dir`. */
function gitView(dir: string, globalConfig = '/dev/null'): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: globalConfig },
  });
  return out.split('\0').filter((p) => p !== '').sort();
}

function isIgnored(dir: string, path: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '-q', '--no-index', '--', path], { cwd: dir, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
    return true;
  } catch {
    return false;
  }
}

describe('worktree listing inside a git work tree', () => {
  it('scans a tracked file that .gitignore matches (a committed .env later ignored)', async () => {
    useGlobalConfig('/dev/null');
    const root = gitRepo();
    writeTree(root, { '.env': `GITHUB_TOKEN=${FAKE.githubPat}\n`, 'app.js': 'x\n', 'local.env': 'untracked and ignored\n' });
    git(root, 'add', '.env', 'app.js');
    git(root, 'commit', '-q', '-m', 'init');
    writeFileSync(join(root, '.gitignore'), '*.env\n.env\n');
    expect(isIgnored(root, '.env')).toBe(true);
    expect(await list(root)).toEqual(['.env', '.gitignore', 'app.js']);
    expect(await list(root)).toEqual(gitView(root));
    const stats = emptyStats();
    const found: string[] = [];
    for await (const f of worktreeFragments({ root, stats, maxFileSize: 1 << 20 })) if (f.content.includes(FAKE.githubPat)) found.push(f.origin.path);
    expect(found).toEqual(['.env']);
    expect(stats.warnings).toEqual([]);
  });

  it('honours core.excludesFile (global excludes)', async () => {
    const home = tempDir();
    const excludes = join(home, 'global-ignore');
    writeFileSync(excludes, '*.secret\nscratch/\n');
    const config = join(home, 'gitconfig');
    writeFileSync(config, `[core]\n\texcludesFile = ${excludes}\n`);
    useGlobalConfig(config);
    const root = gitRepo();
    writeTree(root, { 'a.txt': 'a', 'b.secret': 'b', 'scratch/notes.txt': 'n', 'src/c.secret': 'c', 'src/d.txt': 'd' });
    expect(await list(root)).toEqual(['a.txt', 'src/d.txt']);
    expect(await list(root)).toEqual(gitView(root, config));
  });

  it('agrees with git on nested .gitignore files, negation and .git/info/exclude; .leakhoundignore applies on top', async () => {
    useGlobalConfig('/dev/null');
    const root = gitRepo();
    writeTree(root, {
      '.gitignore': 'node_modules/\n*.log\n!keep.log\nbuild/*\n!build/keep/\n',
      'a.txt': 'a',
      'keep.log': 'k',
      'drop.log': 'd',
      'node_modules/x/index.js': 'x',
      'build/out.js': 'o',
      'build/keep/k.js': 'k',
      'sub/.gitignore': 'local.txt\n/anchored.txt\n!important.log\n',
      'sub/local.txt': 'l',
      'sub/anchored.txt': 'a',
      'sub/important.log': 'i',
      'sub/deeper/anchored.txt': 'kept',
      'sub/deeper/local.txt': 'l',
      'excluded.txt': 'e',
      'vendor/lib.js': 'v',
      '.leakhoundignore': 'vendor/\n',
    });
    writeTree(root, { '.git/info/exclude': 'excluded.txt\n' });
    const oracle = gitView(root);
    expect(oracle).toContain('build/keep/k.js');
    expect(oracle).toContain('sub/important.log');
    expect(await list(root)).toEqual(oracle.filter((p) => !p.startsWith('vendor/')));
    // The same from a subdirectory: paths come relative to it, the levels above still apply.
    expect(await list(join(root, 'sub'))).toEqual(gitView(join(root, 'sub')));
    // And after committing: tracked files stay listed whatever the ignore rules say.
    git(root, 'add', '-A');
    git(root, 'add', '-f', 'drop.log');
    git(root, 'commit', '-q', '-m', 'c');
    expect(await list(root)).toEqual(gitView(root).filter((p) => !p.startsWith('vendor/')));
    expect(await list(root)).toContain('drop.log');
  });

  it('passes over a tracked file deleted from disk quietly, and never follows symlinks', async () => {
    useGlobalConfig('/dev/null');
    const outside = tempDir();
    writeTree(outside, { 'outside.txt': `token ${FAKE.githubPat}\n` });
    const root = gitRepo();
    writeTree(root, { 'a.txt': 'a', 'gone.txt': 'g' });
    symlinkSync(join(outside, 'outside.txt'), join(root, 'link.txt'));
    symlinkSync(outside, join(root, 'linkdir'));
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'c');
    rmSync(join(root, 'gone.txt'));
    symlinkSync(join(outside, 'outside.txt'), join(root, 'untracked-link.txt'));
    const stats = emptyStats();
    const read: string[] = [];
    for await (const f of worktreeFragments({ root, stats, maxFileSize: 1 << 20 })) read.push(f.origin.path);
    expect(read).toEqual(['a.txt']);
    expect(stats.skipped).toEqual({ symlink: 3 });
    expect(stats.warnings).toEqual([]);
  });

  it('lists submodules and nested repositories with their own git', async () => {
    useGlobalConfig('/dev/null');
    const root = gitRepo();
    writeTree(root, { 'a.txt': 'a', '.gitignore': '*.tmp\n' });
    const nested = join(root, 'nested');
    writeTree(nested, { 'n.txt': 'n', '.gitignore': 'skip.txt\n', 'skip.txt': 's', 'x.tmp': 'nested repos do not inherit the outer .gitignore' });
    git(nested, 'init', '-q');
    expect(await list(root)).toEqual(['.gitignore', 'a.txt', 'nested/.gitignore', 'nested/n.txt', 'nested/x.tmp']);
  });

  it('falls back to walking the tree, with a warning, when git cannot run', async () => {
    useGlobalConfig('/dev/null');
    const root = gitRepo();
    writeTree(root, { '.gitignore': 'ignored.txt\n', 'a.txt': 'a', 'ignored.txt': 'i' });
    process.env['PATH'] = tempDir();
    const stats = emptyStats();
    expect(await list(root, stats)).toEqual(['.gitignore', 'a.txt']);
    expect(stats.warnings).toHaveLength(1);
    expect(stats.warnings[0]).toMatch(/^listed \. without git \(git is not installed.*tracked files that \.gitignore matches were not scanned$/);
  });

  it('walks a directory outside any repository, with .gitignore semantics', async () => {
    const root = tempDir();
    writeTree(root, { '.gitignore': '*.log\n', 'a.txt': 'a', 'b.log': 'b', 'sub/c.txt': 'c' });
    const stats = emptyStats();
    expect(await list(root, stats)).toEqual(['.gitignore', 'a.txt', 'sub/c.txt']);
    expect(stats.warnings).toEqual([]);
  });
});
