import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { CLI, runCli } from '../helpers/cli.js';
import { commitAll, git, gitRepo, tempDir, writeTree } from '../helpers/tmp.js';
import { TOKEN, TOKEN2, TOKEN3, TOKEN4, brief, isSecret } from './helpers.js';

const day = (n: number): string => `2024-01-0${n}T00:00:00+00:00`;
const who = { author: 'Test Author', email: 'author@example.com' };

/**
 * main:    c1 ── c2 ── c3 (tag v1) ── c5 ── c6 (merge of feature)
 *                        └─ feature: c4 ─┘
 * orphan:  c7 (no parent)
 * c1 adds a.txt (TOKEN, line 2) and b.txt (TOKEN2); c2 deletes TOKEN from a.txt and deletes b.txt;
 * c3 puts TOKEN back into a.txt (line 3); c4 renames a.txt to renamed.txt and adds feat.txt
 * (TOKEN3); c5 adds c.txt; c7 adds o.txt (TOKEN4) on an orphan branch.
 */
function buildRepo(): { dir: string; c: string[] } {
  const dir = gitRepo();
  const c: string[] = [''];
  writeTree(dir, { 'a.txt': `x\nk = ${TOKEN}\n`, 'b.txt': `one\nold = ${TOKEN2}\n` });
  c[1] = commitAll(dir, 'c1', day(1));
  writeTree(dir, { 'a.txt': 'x\n' });
  git(dir, 'rm', '-q', 'b.txt');
  c[2] = commitAll(dir, 'c2', day(2));
  writeTree(dir, { 'a.txt': `x\ny\nk = ${TOKEN}\n` });
  c[3] = commitAll(dir, 'c3', day(3));
  git(dir, 'tag', 'v1');
  git(dir, 'checkout', '-q', '-b', 'feature');
  git(dir, 'mv', 'a.txt', 'renamed.txt');
  writeTree(dir, { 'feat.txt': `f = ${TOKEN3}\n` });
  c[4] = commitAll(dir, 'c4', day(4));
  git(dir, 'checkout', '-q', 'main');
  writeTree(dir, { 'c.txt': 'c\n' });
  c[5] = commitAll(dir, 'c5', day(5));
  git(dir, 'merge', '-q', '--no-ff', '-m', 'c6', 'feature');
  c[6] = git(dir, 'rev-parse', 'HEAD').trim();
  git(dir, 'checkout', '-q', '--orphan', 'orphan');
  git(dir, 'rm', '-rqf', '.');
  writeTree(dir, { 'o.txt': `o\nsecret ${TOKEN4}\n` });
  c[7] = commitAll(dir, 'c7', day(7));
  git(dir, 'checkout', '-q', 'main');
  return { dir, c };
}

const commitOrigin = (sha: string, path: string, n: number) => ({ kind: 'commit', sha, path, ...who, date: day(n) });
const hist = (sha: string, n: number, commitCount: number, presentAtHead: boolean) => ({
  introducedBy: { sha, ...who, date: day(n) },
  commitCount,
  presentAtHead,
});

describe('scan --history', () => {
  let dir = '';
  let c: string[] = [];
  beforeAll(() => {
    ({ dir, c } = buildRepo());
  });

  it('scans every ref by default and reports each leak once, attributed to the commit that introduced it', async () => {
    const result = await scan({ path: dir, source: { kind: 'history' } });
    expect(result.findings.filter(isSecret).map(brief)).toEqual([
      { ruleId: 'github-pat-classic', file: 'a.txt', line: 2, column: 5, secret: TOKEN, origin: commitOrigin(c[1]!, 'a.txt', 1), history: hist(c[1]!, 1, 2, true) },
      { ruleId: 'github-pat-classic', file: 'b.txt', line: 2, column: 7, secret: TOKEN2, origin: commitOrigin(c[1]!, 'b.txt', 1), history: hist(c[1]!, 1, 1, false) },
      { ruleId: 'github-pat-classic', file: 'feat.txt', line: 1, column: 5, secret: TOKEN3, origin: commitOrigin(c[4]!, 'feat.txt', 4), history: hist(c[4]!, 4, 1, true) },
      { ruleId: 'github-pat-classic', file: 'o.txt', line: 2, column: 8, secret: TOKEN4, origin: commitOrigin(c[7]!, 'o.txt', 7), history: hist(c[7]!, 7, 1, false) },
    ]);
    expect(result.stats.commits).toBe(7);
  });

  it('--branch limits the walk to one ref (an orphan branch here)', async () => {
    const result = await scan({ path: dir, source: { kind: 'history', branch: 'orphan' } });
    expect(result.findings.filter(isSecret).map((f) => [f.file, f.secret])).toEqual([['o.txt', TOKEN4]]);
    expect(result.stats.commits).toBe(1);
  });

  it('--branch accepts a tag', async () => {
    const result = await scan({ path: dir, source: { kind: 'history', branch: 'v1' } });
    expect(result.findings.filter(isSecret).map((f) => [f.file, f.secret, f.history?.commitCount])).toEqual([['a.txt', TOKEN, 2], ['b.txt', TOKEN2, 1]]);
    expect(result.stats.commits).toBe(3);
  });

  it('--range A..B scans the commits in B and not in A', async () => {
    const result = await scan({ path: dir, source: { kind: 'history', range: `${c[3]}..main` } });
    expect(result.findings.filter(isSecret).map((f) => [f.file, f.origin.kind === 'commit' ? f.origin.sha : ''])).toEqual([['feat.txt', c[4]]]);
    expect(result.stats.commits).toBe(3);
  });

  it('--since-commit scans the commits after it up to HEAD', async () => {
    const result = await scan({ path: dir, source: { kind: 'history', sinceCommit: c[1]! } });
    expect(result.findings.filter(isSecret).map((f) => [f.file, f.history?.introducedBy.sha, f.history?.commitCount])).toEqual([
      ['a.txt', c[3], 1],
      ['feat.txt', c[4], 1],
    ]);
    expect(result.stats.commits).toBe(5);
  });

  it('the CLI exits 1 with findings and prints the introducing commit', () => {
    const cli = runCli(['scan', '--history', '--format', 'json'], { cwd: dir });
    expect(cli.code).toBe(1);
    const json = JSON.parse(cli.stdout) as { findings: { ruleId: string; file: string; history: { introducedBy: { sha: string } } }[] };
    expect(json.findings.filter(isSecret).map((f) => [f.file, f.history.introducedBy.sha])).toEqual([
      ['a.txt', c[1]],
      ['b.txt', c[1]],
      ['feat.txt', c[4]],
      ['o.txt', c[7]],
    ]);
    expect(cli.stderr).toMatch(/scanned 7 commits, /);
    expect(runCli(['scan', '--range', `${c[4]}..${c[4]}`, '--format', 'json'], { cwd: dir }).code).toBe(2);
  });

  it('reports progress through the API callback, ending with the full count', async () => {
    const seen: { commits: number; total: number | undefined }[] = [];
    await scan({ path: dir, source: { kind: 'history', onProgress: (p) => seen.push({ commits: p.commits, total: p.total }) } });
    expect(seen.at(-1)).toEqual({ commits: 7, total: 7 });
  });

  it('handles odd file names, binary files and a rename with an edit in history', async () => {
    const d = gitRepo();
    writeTree(d, { 'old name.txt': 'one\n' });
    writeFileSync(join(d, 'bin.dat'), Buffer.concat([Buffer.from([0, 1]), Buffer.from(TOKEN2)]));
    commitAll(d, 'one', day(1));
    git(d, 'mv', '--', 'old name.txt', '-new\nname ü.txt');
    writeTree(d, { '-new\nname ü.txt': `one\nk ${TOKEN}\n` });
    const sha = commitAll(d, 'two', day(2));
    const result = await scan({ path: d, source: { kind: 'history' } });
    expect(result.findings.filter(isSecret).map(brief)).toEqual([
      { ruleId: 'github-pat-classic', file: '-new\nname ü.txt', line: 2, column: 3, secret: TOKEN, origin: commitOrigin(sha, '-new\nname ü.txt', 2), history: hist(sha, 2, 1, true) },
    ]);
    expect(result.stats.skipped).toEqual({ binary: 1 });
  });

  it('finds a secret introduced by a merge resolution (remerge diff)', async () => {
    const d = gitRepo();
    writeTree(d, { 'f.txt': 'base\n' });
    commitAll(d, 'base', day(1));
    git(d, 'checkout', '-q', '-b', 'side');
    writeTree(d, { 'f.txt': 'side\n' });
    commitAll(d, 'side', day(2));
    git(d, 'checkout', '-q', 'main');
    writeTree(d, { 'f.txt': 'main\n' });
    commitAll(d, 'main', day(3));
    expect(() => git(d, 'merge', '-q', 'side')).toThrow();
    writeTree(d, { 'f.txt': `merged\nkey ${TOKEN}\n` });
    const merge = commitAll(d, 'merge', day(4));
    const result = await scan({ path: d, source: { kind: 'history' } });
    expect(result.findings.filter(isSecret).map(brief)).toEqual([
      { ruleId: 'github-pat-classic', file: 'f.txt', line: 2, column: 5, secret: TOKEN, origin: commitOrigin(merge, 'f.txt', 4), history: hist(merge, 4, 1, true) },
    ]);
  });
});

describe('history in a bare repository (a CI mirror)', () => {
  it('scans it like the work tree it came from', async () => {
    const { dir } = buildRepo();
    const bare = join(tempDir(), 'mirror.git');
    git(dir, 'clone', '-q', '--mirror', dir, bare);
    const result = await scan({ path: bare, source: { kind: 'history' } });
    expect(result.findings.filter(isSecret).map((f) => [f.file, f.history?.commitCount, f.history?.presentAtHead])).toEqual([
      ['a.txt', 2, true],
      ['b.txt', 1, false],
      ['feat.txt', 1, true],
      ['o.txt', 1, false],
    ]);
  });
});

describe('history errors (exit 2, one line, never 0)', () => {
  let dir = '';
  let c: string[] = [];
  beforeAll(() => {
    ({ dir, c } = buildRepo());
  });

  const oneLine = (stderr: string): string => {
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0]!;
  };

  it('an unknown revision', () => {
    const cli = runCli(['scan', '--history', '--range', 'nope..HEAD'], { cwd: dir });
    expect(cli.code).toBe(2);
    expect(oneLine(cli.stderr)).toBe('leakhound: unknown revision "nope": no such commit in this repository');
  });

  it('an unknown branch, even one that looks like an option', () => {
    const out = join(tempDir(), 'pwned');
    const cli = runCli(['scan', '--history', `--branch=--output=${out}`], { cwd: dir });
    expect(cli.code).toBe(2);
    expect(oneLine(cli.stderr)).toBe(`leakhound: unknown branch "--output=${out}": no such commit in this repository`);
    expect(existsSync(out)).toBe(false);
  });

  it('an empty range', () => {
    const cli = runCli(['scan', '--history', '--range', `main..${c[3]}`], { cwd: dir });
    expect(cli.code).toBe(2);
    expect(oneLine(cli.stderr)).toBe(`leakhound: range main..${c[3]} contains no commits: nothing was scanned`);
  });

  it('a repository without commits', () => {
    const cli = runCli(['scan', '--history'], { cwd: gitRepo() });
    expect(cli.code).toBe(2);
    expect(oneLine(cli.stderr)).toBe('leakhound: all refs contains no commits: nothing was scanned');
  });

  it('not a git repository', () => {
    const d = tempDir();
    const cli = runCli(['scan', '--history'], { cwd: d, env: { GIT_CEILING_DIRECTORIES: d.replace(/\/[^/]*$/, '') } });
    expect(cli.code).toBe(2);
    expect(oneLine(cli.stderr)).toMatch(/^leakhound: not a git repository: /);
  });

  it('a shallow clone lacking the range start says to unshallow', () => {
    const shallow = join(tempDir(), 'clone');
    git(dir, 'clone', '-q', '--depth', '1', '--branch', 'main', `file://${dir}`, shallow);
    const cli = runCli(['scan', '--history', '--range', `${c[1]}..HEAD`], { cwd: shallow });
    expect(cli.code).toBe(2);
    expect(oneLine(cli.stderr)).toMatch(/shallow clone .*git fetch --unshallow/);
    const full = runCli(['scan', '--history', '--format', 'json'], { cwd: shallow });
    expect(full.stderr).toMatch(/warning: this is a shallow clone/);
  });
});

describe('history whatever the user config says', () => {
  it('still reads root commits, plain paths and no signatures', async () => {
    const d = gitRepo();
    writeTree(d, { 'ü/a b.txt': `k ${TOKEN}\n` });
    commitAll(d, 'root', day(1));
    for (const [k, v] of [['log.showRoot', 'false'], ['log.showSignature', 'true'], ['core.quotePath', 'false'], ['diff.noprefix', 'true'], ['diff.interHunkContext', '10'], ['color.ui', 'always'], ['diff.renames', 'false']]) git(d, 'config', k!, v!);
    const result = await scan({ path: d, source: { kind: 'history' } });
    expect(result.findings.filter(isSecret).map((f) => [f.file, f.line])).toEqual([['ü/a b.txt', 1]]);
    const staged = await scan({ path: d, source: { kind: 'staged' } });
    expect(staged.findings).toEqual([]);
  });
});

describe('history progress line', () => {
  const hasScript = existsSync('/usr/bin/script');
  /** Runs the CLI with stderr on a pseudo-terminal (util-linux `script`); returns what the terminal got. */
  const onTty = (cwd: string, args: string[], env: Record<string, string> = {}): string => {
    const cmd = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const r = spawnSync('/usr/bin/script', ['-qec', `${cmd} > /dev/null`, '/dev/null'], { cwd, encoding: 'utf8', env: { ...process.env, CI: '', ...env } });
    return r.stdout;
  };
  it.skipIf(!hasScript)('is drawn on a terminal, and not with --no-progress or CI set', () => {
    const { dir } = buildRepo();
    expect(onTty(dir, ['scan', '--history'])).toContain('\x1b[2K');
    expect(onTty(dir, ['scan', '--history', '--no-progress'])).not.toContain('\x1b[2K');
    expect(onTty(dir, ['scan', '--history'], { CI: 'true' })).not.toContain('\x1b[2K');
  });
});

describe('history of a sub-directory', () => {
  it('limits the scan to it, with paths relative to it', async () => {
    const d = gitRepo();
    writeTree(d, { 'sub/x.txt': `a\nk ${TOKEN}\n`, 'top.txt': `k ${TOKEN2}\n` });
    const sha = commitAll(d, 'one', day(1));
    const result = await scan({ path: join(d, 'sub'), source: { kind: 'history' } });
    expect(result.findings.filter(isSecret).map(brief)).toEqual([
      { ruleId: 'github-pat-classic', file: 'x.txt', line: 2, column: 3, secret: TOKEN, origin: commitOrigin(sha, 'x.txt', 1), history: hist(sha, 1, 1, true) },
    ]);
  });
});
