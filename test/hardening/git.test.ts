import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FAKE } from '../helpers/fake.js';
import { commitAll, git, gitRepo } from '../helpers/tmp.js';

const TOKEN = FAKE.githubPat;

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
}

function scanJson(cwd: string, ...args: string[]): { code: number; findings: JsonFinding[]; stderr: string; stdout: string } {
  const r = runCli(['scan', ...args, '--format', 'json', '--no-hygiene'], { cwd });
  const findings = r.stdout.trim() === '' ? [] : (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.ruleId.startsWith('github-'));
  return { code: r.code, findings, stderr: r.stderr, stdout: r.stdout };
}
const files = (fs: JsonFinding[]): string[] => fs.map((f) => f.file).sort();

describe('hostile file names in git', () => {
  const names = ['new\nline.txt', 'quo"te\'s.txt', '$(touch pwned).txt', '`touch pwned`.txt', 'esc\x1b[31mred\x1b[0m.txt', '-rf.txt', '--output=pwned.txt', ' space .txt'];

  it('scans them in --staged, --history and worktree scans without running or injecting anything, and prints them neutralised', () => {
    const dir = gitRepo();
    for (const n of names) writeFileSync(join(dir, n), `token = ${TOKEN}\n`);
    git(dir, 'add', '-A');
    const modes: string[][] = [['--staged'], ['--history'], ['.']];
    for (const mode of modes) {
      if (mode[0] === '--history') commitAll(dir, 'names');
      const r = scanJson(dir, ...mode);
      expect(r.code, mode.join(' ')).toBe(1);
      expect(files(r.findings), mode.join(' ')).toEqual([...names].sort());
      const text = runCli(['scan', ...mode, '--no-hygiene'], { cwd: dir });
      expect(text.stdout).not.toContain('\x1b');
      expect(text.stderr).not.toContain('\x1b');
      expect(text.stdout).not.toContain('new\nline');
      expect(text.stdout).toContain('new\\nline.txt');
      expect(text.stdout).toContain('esc\\x1b[31mred\\x1b[0m.txt');
    }
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(existsSync(join(dir, 'pwned.txt'))).toBe(false);
  });
});

/**
 * A repository whose .gitattributes and .git/config name a program for every hook git has on
 * content (clean/smudge/process filters, textconv, external diff, merge driver, fsmonitor, pager,
 * gpg): each touches MARKER. History holds a conflicted merge (so --remerge-diff would run the
 * merge driver) and a change is staged; config is written last, so building runs none of them.
 * `diff.evil.binary` would make git call every file binary: that must not hide the secrets either.
 */
function driverRepo(): string {
  const d = gitRepo();
  const touch = `touch ${join(d, 'MARKER')}`;
  writeFileSync(join(d, '.gitattributes'), '* filter=evil diff=evil merge=evil\n');
  writeFileSync(join(d, 'f.txt'), 'base\n');
  commitAll(d, 'base');
  git(d, 'checkout', '-q', '-b', 'side');
  writeFileSync(join(d, 'f.txt'), `side ${TOKEN}\n`);
  commitAll(d, 'side');
  git(d, 'checkout', '-q', 'main');
  writeFileSync(join(d, 'f.txt'), 'main\n');
  commitAll(d, 'main');
  spawnSync('git', ['merge', 'side', '-m', 'merge'], { cwd: d, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.com' } });
  writeFileSync(join(d, 'f.txt'), `resolved ${TOKEN}\n`);
  commitAll(d, 'merged');
  writeFileSync(join(d, 'g.txt'), `staged ${TOKEN}\n`);
  git(d, 'add', '-A');
  for (const [k, v] of [
    ['filter.evil.clean', touch],
    ['filter.evil.smudge', touch],
    ['filter.evil.process', touch],
    ['filter.evil.required', 'true'],
    ['diff.evil.textconv', touch],
    ['diff.evil.command', touch],
    ['diff.evil.binary', 'true'],
    ['merge.evil.driver', touch],
    ['diff.external', touch],
    ['core.fsmonitor', touch],
    ['core.pager', touch],
    ['log.showSignature', 'true'],
    ['gpg.program', touch],
  ] as const) git(d, 'config', k, v);
  return d;
}

describe('programs a repository declares', () => {
  for (const [mode, want] of [
    ['--staged', ['g.txt']],
    ['--history', ['f.txt']],
    ['.', ['f.txt', 'g.txt']],
  ] as const) {
    it(`are never run by a ${mode === '.' ? 'worktree' : mode} scan, and diff attributes do not hide secrets`, () => {
      const d = driverRepo();
      const r = scanJson(d, mode);
      // The hygiene check runs git too: include it.
      const withHygiene = runCli(['scan', mode, '--format', 'json'], { cwd: d });
      expect(existsSync(join(d, 'MARKER'))).toBe(false);
      expect(r.code).toBe(1);
      expect(files(r.findings)).toEqual([...want]);
      expect(withHygiene.code).toBe(1);
    });
  }
});

describe('broken and unusual repositories', () => {
  it('reports a corrupt object in one line with exit 2 (history and staged)', () => {
    const d = gitRepo();
    writeFileSync(join(d, 'a.txt'), `token = ${TOKEN}\n`);
    commitAll(d, 'a');
    const blob = git(d, 'rev-parse', 'HEAD:a.txt').trim();
    const p = join(d, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
    chmodSync(p, 0o644);
    writeFileSync(p, 'this is not a zlib stream');
    const h = runCli(['scan', '--history'], { cwd: d });
    expect(h.code).toBe(2);
    expect(h.stderr.trim().split('\n')).toHaveLength(1);
    expect(h.stderr).toMatch(/^leakhound: git log failed: /);
    writeFileSync(join(d, 'a.txt'), `token = ${TOKEN}\nmore\n`);
    git(d, 'add', '-A');
    const s = runCli(['scan', '--staged'], { cwd: d });
    expect(s.code).toBe(2);
    expect(s.stderr.trim().split('\n')).toHaveLength(1);
    expect(s.stderr).toMatch(/^leakhound: git diff failed: /);
  });

  it('handles a submodule: its files are scanned in the worktree, its gitlink skipped in git scans', () => {
    const inner = gitRepo();
    writeFileSync(join(inner, 'inner.txt'), `token = ${TOKEN}\n`);
    commitAll(inner, 'inner');
    const d = gitRepo();
    writeFileSync(join(d, 'outer.txt'), 'outer\n');
    git(d, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', inner, 'sub');
    commitAll(d, 'with submodule');
    const w = scanJson(d, '.');
    expect(w.code).toBe(1);
    expect(files(w.findings)).toEqual(['sub/inner.txt']);
    const h = scanJson(d, '--history');
    expect(h.code).toBe(0);
    expect(h.stderr).not.toMatch(/internal error/);
    writeFileSync(join(d, 'sub', 'new.txt'), 'y\n');
    writeFileSync(join(d, 'outer.txt'), 'outer 2\n');
    git(d, 'add', 'outer.txt');
    const s = scanJson(d, '--staged');
    expect(s.code).toBe(0);
  });

  it('skips a huge one-line blob in history quickly under the cap, and scans it in chunks above it', () => {
    const d = gitRepo();
    const size = 20 * 1024 * 1024;
    const big = Buffer.alloc(size, 0x61);
    for (let i = 1000; i < size; i += 997) big[i] = 0x20;
    // Two different secrets (history folds one secret's findings into one leak).
    const offsets = [8 * 1024 * 1024 - 10, 13 * 1024 * 1024];
    Buffer.from(` ${TOKEN} `).copy(big, offsets[0]!);
    Buffer.from(` ${FAKE.githubPat2} `).copy(big, offsets[1]!);
    writeFileSync(join(d, 'huge.txt'), big);
    commitAll(d, 'huge');
    const capped = scanJson(d, '--history');
    expect(capped.code).toBe(0);
    expect(capped.stderr).toMatch(/skipped huge\.txt: 20971521 bytes added is over the 10485760-byte limit/);
    const r = runCli(['scan', '--history', '--format', 'json', '--max-file-size', '30m'], { cwd: d });
    expect(r.code).toBe(1);
    const found = (JSON.parse(r.stdout) as { findings: { line: number; column: number }[] }).findings.map((f) => `${f.line}:${f.column}`).sort();
    expect(found).toEqual(offsets.map((o) => `1:${o + 2}`).sort());
  }, 60_000);

  it('scans the history of a repository with 10,000 refs', () => {
    const d = gitRepo();
    writeFileSync(join(d, 'a.txt'), `token = ${TOKEN}\n`);
    const shas = [commitAll(d, 'a')];
    for (let i = 0; i < 20; i++) {
      writeFileSync(join(d, 'b.txt'), `change ${i}\n`);
      shas.push(commitAll(d, `c${i}`));
    }
    let input = '';
    for (let i = 0; i < 10_000; i++) input += `create refs/${i % 2 ? 'tags' : 'heads'}/r${i} ${shas[i % shas.length]!}\n`;
    execFileSync('git', ['update-ref', '--stdin'], { cwd: d, input });
    const r = scanJson(d, '--history');
    expect(r.code).toBe(1);
    expect(r.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['a.txt:1']);
  }, 60_000);
});
