import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { runCli } from '../helpers/cli.js';
import { commitAll, git, gitRepo, tempDir, writeTree } from '../helpers/tmp.js';
import { TOKEN, TOKEN2, brief, isSecret } from './helpers.js';

const staged = { kind: 'staged' } as const;

async function stagedFindings(dir: string): Promise<Record<string, unknown>[]> {
  return (await scan({ path: dir, source: staged })).findings.filter(isSecret).map(brief);
}

describe('scan --staged', () => {
  it('finds a secret in a staged new file before the first commit (no HEAD)', async () => {
    const dir = gitRepo();
    writeTree(dir, { 'app/settings.txt': `A=1\nB=2\nTOKEN=${TOKEN}\n` });
    git(dir, 'add', '-A');
    expect(await stagedFindings(dir)).toEqual([
      { ruleId: 'github-pat-classic', file: 'app/settings.txt', line: 3, column: 7, secret: TOKEN, origin: { kind: 'staged', path: 'app/settings.txt' } },
    ]);
    const cli = runCli(['scan', '--staged', '--format', 'json'], { cwd: dir });
    expect(cli.code).toBe(1);
    const json = JSON.parse(cli.stdout) as { findings: { ruleId: string; file: string; line: number }[] };
    expect(json.findings.filter(isSecret).map((f) => [f.ruleId, f.file, f.line])).toEqual([['github-pat-classic', 'app/settings.txt', 3]]);
  });

  it('reads the index, not the working file', async () => {
    const dir = gitRepo();
    writeTree(dir, { 'a.txt': 'hello\n', 'b.txt': 'one\n' });
    commitAll(dir, 'init');
    // Staged, then removed from the working file without re-staging: still committed, still caught.
    writeTree(dir, { 'a.txt': `hello\nkey: ${TOKEN}\n` });
    git(dir, 'add', 'a.txt');
    writeTree(dir, { 'a.txt': 'hello\n' });
    // In the working file only: not committed, does not block.
    writeTree(dir, { 'b.txt': `one\nkey: ${TOKEN2}\n` });
    expect(await stagedFindings(dir)).toEqual([
      { ruleId: 'github-pat-classic', file: 'a.txt', line: 2, column: 6, secret: TOKEN, origin: { kind: 'staged', path: 'a.txt' } },
    ]);
  });

  it('an unstaged secret alone exits 0', () => {
    const dir = gitRepo();
    writeTree(dir, { 'b.txt': 'one\n' });
    commitAll(dir, 'init');
    writeTree(dir, { 'b.txt': `one\nkey: ${TOKEN2}\n` });
    const cli = runCli(['scan', '--staged'], { cwd: dir });
    expect(cli.code).toBe(0);
    expect(cli.stderr).toMatch(/scanned 0 files/);
  });

  it('reports only added lines, with the staged file line numbers', async () => {
    const dir = gitRepo();
    // An old secret (already committed) must not block a commit that does not touch it.
    writeTree(dir, { 'm.txt': ['l1', `old ${TOKEN2}`, 'l3', 'l4', 'l5', 'l6'].join('\n') + '\n' });
    commitAll(dir, 'init');
    writeTree(dir, { 'm.txt': ['l1', `old ${TOKEN2}`, 'inserted', 'l3', 'l4', 'l5', 'l6', 'new', `tail ${TOKEN}`].join('\n') + '\n' });
    git(dir, 'add', 'm.txt');
    expect(await stagedFindings(dir)).toEqual([
      { ruleId: 'github-pat-classic', file: 'm.txt', line: 9, column: 6, secret: TOKEN, origin: { kind: 'staged', path: 'm.txt' } },
    ]);
  });

  it('handles renames, deletions and binary files', async () => {
    const dir = gitRepo();
    writeTree(dir, { 'old.txt': `x\ny ${TOKEN2}\nz\n`, 'del.txt': `gone ${TOKEN2}\n` });
    commitAll(dir, 'init');
    git(dir, 'mv', 'old.txt', 'new.txt');
    writeTree(dir, { 'new.txt': `x\ny ${TOKEN2}\nz\nadded ${TOKEN}\n` });
    git(dir, 'rm', '-q', 'del.txt');
    writeFileSync(join(dir, 'blob.bin'), Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`k=${TOKEN}\n`)]));
    git(dir, 'add', '-A');
    const result = await scan({ path: dir, source: staged });
    expect(result.findings.filter(isSecret).map(brief)).toEqual([
      { ruleId: 'github-pat-classic', file: 'new.txt', line: 4, column: 7, secret: TOKEN, origin: { kind: 'staged', path: 'new.txt' } },
    ]);
    expect(result.stats.skipped).toEqual({ binary: 1 });
    expect(result.stats.scanned).toBe(1);
  });

  it('handles file names with spaces, newlines, unicode and a leading dash', async () => {
    const dir = gitRepo();
    const names = ['with space.txt', 'new\nline.txt', 'ünï cødé.txt', '-leading-dash.txt', 'quote"back\\slash.txt'];
    for (const n of names) writeFileSync(join(dir, n), `a\nt ${TOKEN}\n`);
    git(dir, 'add', '-A');
    const found = await stagedFindings(dir);
    expect(found.map((f) => [f['file'], f['line'], f['column']])).toEqual(
      [...names].sort().map((n) => [n, 2, 3]),
    );
    const cli = runCli(['scan', '--staged', '--format', 'json'], { cwd: dir, env: { GIT_CONFIG_PARAMETERS: "'core.quotepath'='false'" } });
    expect(cli.code).toBe(1);
    expect((JSON.parse(cli.stdout) as { findings: { file: string; ruleId: string }[] }).findings.filter(isSecret).map((f) => f.file).sort()).toEqual([...names].sort());
  });

  it('scans a resolved merge in progress (the resolution is what gets committed) and warns about unmerged paths', async () => {
    const dir = gitRepo();
    writeTree(dir, { 'f.txt': 'base\n', 'g.txt': 'base\n' });
    commitAll(dir, 'base');
    git(dir, 'checkout', '-q', '-b', 'other');
    writeTree(dir, { 'f.txt': 'theirs\n', 'g.txt': 'theirs\n', 'h.txt': 'from other\n' });
    commitAll(dir, 'other');
    git(dir, 'checkout', '-q', 'main');
    writeTree(dir, { 'f.txt': 'ours\n', 'g.txt': 'ours\n' });
    commitAll(dir, 'ours');
    expect(() => git(dir, 'merge', '-q', 'other')).toThrow();
    writeTree(dir, { 'f.txt': `resolved ${TOKEN}\n` });
    git(dir, 'add', 'f.txt');
    const result = await scan({ path: dir, source: staged });
    expect(result.findings.filter(isSecret).map(brief)).toEqual([
      { ruleId: 'github-pat-classic', file: 'f.txt', line: 1, column: 10, secret: TOKEN, origin: { kind: 'staged', path: 'f.txt' } },
    ]);
    expect(result.stats.skipped).toEqual({ unmerged: 1 });
    expect(result.stats.warnings).toEqual(['g.txt is unmerged: resolve the conflict and stage it']);
  });

  it('limits the scan to a sub-directory or a file given as the path', async () => {
    const dir = gitRepo();
    writeTree(dir, { 'sub/a.txt': `k ${TOKEN}\n`, 'top.txt': `k ${TOKEN2}\n` });
    git(dir, 'add', '-A');
    expect((await stagedFindings(join(dir, 'sub'))).map((f) => f['file'])).toEqual(['a.txt']);
    expect((await stagedFindings(join(dir, 'top.txt'))).map((f) => f['file'])).toEqual(['top.txt']);
  });

  it('honours the inline allow marker on added lines', async () => {
    const dir = gitRepo();
    writeTree(dir, { 'a.txt': `k ${TOKEN} # leakhound:allow test fixture\n` });
    git(dir, 'add', '-A');
    const result = await scan({ path: dir, source: staged });
    expect(result.findings.filter(isSecret)).toEqual([]);
    expect(result.suppressed).toBe(1);
  });

  it('is an error (exit 2, one line) outside a git repository', () => {
    const dir = tempDir();
    writeTree(dir, { 'a.txt': 'x\n' });
    const cli = runCli(['scan', '--staged'], { cwd: dir, env: { GIT_CEILING_DIRECTORIES: dir.replace(/\/[^/]*$/, '') } });
    expect(cli.code).toBe(2);
    expect(cli.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^leakhound: not a git repository: /)]);
  });

  it('is an error (exit 2) when git is not installed', () => {
    const dir = gitRepo();
    const cli = runCli(['scan', '--staged'], { cwd: dir, env: { PATH: tempDir() } });
    expect(cli.code).toBe(2);
    expect(cli.stderr.trim()).toBe('leakhound: git is not installed (or not on PATH); install git to scan staged changes or history');
  });

  it('rejects contradictory source flags (exit 2, one line)', () => {
    const dir = gitRepo();
    const both = runCli(['scan', '--staged', '--range', 'a..b'], { cwd: dir });
    expect([both.code, both.stderr]).toEqual([2, 'leakhound: --staged cannot be combined with --history, --range, --branch or --since-commit\n']);
    const stdin = runCli(['scan', '--stdin', '--staged'], { cwd: dir, input: 'x\n' });
    expect([stdin.code, stdin.stderr]).toEqual([2, 'leakhound: --stdin cannot be combined with --staged, --history, --range, --branch or --since-commit\n']);
  });
});

describe('scan --staged and .leakhoundignore', () => {
  it('skips paths the scan root .leakhoundignore lists, as the worktree scan does', async () => {
    const dir = gitRepo();
    writeTree(dir, { '.leakhoundignore': 'fixtures/\n', 'fixtures/fake.txt': `k ${TOKEN}\n`, 'src/real.txt': `k ${TOKEN2}\n` });
    git(dir, 'add', '-A');
    expect((await stagedFindings(dir)).map((f) => f['file'])).toEqual(['src/real.txt']);
    const h = await scan({ path: dir, source: { kind: 'history' } }).catch((e: unknown) => e);
    expect(h).toBeInstanceOf(Error);
  });
});

describe('scan --staged and binary attributes', () => {
  it('a .gitattributes `-diff` or `binary` does not hide a secret; real binary content is still skipped', async () => {
    const dir = gitRepo();
    writeTree(dir, { '.gitattributes': '*.env -diff\n*.dat binary\n', 'a.env': `x\nk ${TOKEN}\n`, 'b.dat': `k ${TOKEN2}\n` });
    writeFileSync(join(dir, 'c.dat'), Buffer.concat([Buffer.from([0, 0, 1]), Buffer.from(`k ${TOKEN}\n`)]));
    git(dir, 'add', '-A');
    const result = await scan({ path: dir, source: staged });
    expect(result.findings.filter(isSecret).map((f) => [f.file, f.line, f.secret])).toEqual([
      ['a.env', 2, TOKEN],
      ['b.dat', 1, TOKEN2],
    ]);
    expect(result.stats.skipped).toEqual({ binary: 1 });
  });
});
