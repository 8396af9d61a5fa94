import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyStats } from '../../src/sources/stats.js';
import { listFiles, ReadScratch, readFile, worktreeFragments } from '../../src/sources/worktree.js';
import { git, gitRepo, tempDir, writeTree } from '../helpers/tmp.js';

async function list(root: string): Promise<string[]> {
  const out: string[] = [];
  for await (const f of listFiles(root, emptyStats())) out.push(f.rel);
  return out.sort();
}

describe('worktree file listing', () => {
  it('honours nested .gitignore files, negation, .git/info/exclude and .leakhoundignore, and skips .git/', async () => {
    const root = gitRepo();
    writeTree(root, {
      '.gitignore': 'node_modules/\n*.log\n!keep.log\n',
      'a.txt': 'a',
      'keep.log': 'k',
      'drop.log': 'd',
      'node_modules/x/index.js': 'x',
      'sub/.gitignore': 'local.txt\n/anchored.txt\n',
      'sub/local.txt': 'l',
      'sub/anchored.txt': 'a',
      'sub/deeper/anchored.txt': 'kept: anchored pattern only applies at sub/',
      'sub/deeper/local.txt': 'l',
      'excluded.txt': 'e',
      'vendor/lib.js': 'v',
      '.leakhoundignore': 'vendor/\n',
    });
    writeTree(root, { '.git/info/exclude': 'excluded.txt\n' });
    expect(await list(root)).toEqual(['.gitignore', '.leakhoundignore', 'a.txt', 'keep.log', 'sub/.gitignore', 'sub/deeper/anchored.txt']);
    // git agrees on everything but .leakhoundignore's own exclusion.
    const gitView = git(root, 'ls-files', '-co', '--exclude-standard').trim().split('\n').filter((p) => !p.startsWith('vendor/')).sort();
    expect(await list(root)).toEqual(gitView);
  });

  it('walks a tree outside git with the same .gitignore levels git applies (anchored patterns at depth, negation)', async () => {
    const root = tempDir();
    writeTree(root, {
      '.gitignore': '*.log\n!keep.log\nbuild/\n',
      'keep.log': 'k',
      'drop.log': 'd',
      'build/out.js': 'o',
      'sub/.gitignore': 'local.txt\n/anchored.txt\n!important.log\n',
      'sub/local.txt': 'l',
      'sub/anchored.txt': 'a',
      'sub/important.log': 'i',
      'sub/deeper/anchored.txt': 'kept: anchored at sub/ only',
      'sub/deeper/.gitignore': '/here.txt\n',
      'sub/deeper/here.txt': 'h',
      'sub/deeper/more/here.txt': 'kept: anchored at sub/deeper/ only',
      'sub/deeper/more/local.txt': 'l',
    });
    const walked = await list(root);
    // The oracle: git itself, once the same tree is a repository.
    git(root, 'init', '-q');
    const oracle = git(root, '-c', 'core.excludesFile=/dev/null', 'ls-files', '-co', '--exclude-standard').trim().split('\n').sort();
    expect(walked).toEqual(oracle);
    expect(walked).toContain('sub/deeper/more/here.txt');
    expect(walked).not.toContain('sub/anchored.txt');
  });

  it('applies .gitignore files above a scanned subdirectory', async () => {
    const root = gitRepo();
    writeTree(root, { '.gitignore': 'secret.env\n', 'app/secret.env': 's', 'app/main.js': 'm' });
    expect(await list(join(root, 'app'))).toEqual(['main.js']);
  });

  it('never follows symlinks, and counts them', async () => {
    const outside = tempDir();
    writeTree(outside, { 'outside.txt': 'o' });
    const root = tempDir();
    writeTree(root, { 'in.txt': 'i' });
    symlinkSync(join(outside, 'outside.txt'), join(root, 'link.txt'));
    symlinkSync(outside, join(root, 'linkdir'));
    symlinkSync(root, join(root, 'loop'));
    const stats = emptyStats();
    const seen: string[] = [];
    for await (const f of listFiles(root, stats)) seen.push(f.rel);
    expect(seen).toEqual(['in.txt']);
    expect(stats.skipped['symlink']).toBe(3);
  });
});

describe('worktree fragments', () => {
  it('skips binary files by content and files over the size cap, counting each', async () => {
    const root = tempDir();
    writeTree(root, {
      'text.txt': 'hello\n',
      'image.bin': Buffer.from([0x89, 0x50, 0x00, 0x01, 0x02]),
      'big.txt': 'x'.repeat(2000),
      'utf16.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('key = value\n', 'utf16le')]),
    });
    const stats = emptyStats();
    const got: Record<string, string> = {};
    for await (const f of worktreeFragments({ root, stats, maxFileSize: 1000 })) got[f.origin.path] = f.content.toString('utf8');
    expect(got).toEqual({ 'text.txt': 'hello\n', 'utf16.txt': 'key = value\n' });
    expect(stats.skipped).toEqual({ binary: 1, 'too-large': 1 });
    expect(stats.scanned).toBe(2);
    expect(stats.warnings).toEqual(['skipped big.txt: 2000 bytes is over the 1000-byte limit (--max-file-size)']);
  });

  it('reads file after file into one scratch buffer, each fragment whole while it is current', () => {
    const root = tempDir();
    const files: Record<string, string | Buffer> = {
      'small.txt': 'token = abc\n',
      'large.txt': `${'line of text\n'.repeat(200_000)}end\n`, // past the scratch's first 1 MiB
      'bom.txt': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('after a BOM\n')]),
      'utf16.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('key = value\n', 'utf16le')]),
      'last.txt': 'short',
    };
    writeTree(root, files);
    const scratch = new ReadScratch();
    const stats = emptyStats();
    const seen: Record<string, string> = {};
    for (const rel of Object.keys(files)) {
      for (const f of readFile({ rel, abs: join(root, rel) }, 10_000_000, stats, scratch)) seen[rel] = f.content.toString('utf8');
    }
    expect(seen).toEqual({
      'small.txt': 'token = abc\n',
      'large.txt': files['large.txt'],
      'bom.txt': 'after a BOM\n',
      'utf16.txt': 'key = value\n',
      'last.txt': 'short',
    });
    expect(stats.scanned).toBe(5);
  });

  it('skips a FIFO with a warning instead of hanging', async () => {
    const root = tempDir();
    writeTree(root, { 'a.txt': 'a' });
    execFileSync('mkfifo', [join(root, 'pipe')]);
    const stats = emptyStats();
    const paths: string[] = [];
    for await (const f of worktreeFragments({ root, stats, maxFileSize: 1000 })) paths.push(f.origin.path);
    expect(paths).toEqual(['a.txt']);
    expect(stats.skipped['special']).toBe(1);
    expect(stats.warnings).toEqual(['skipped pipe: not a regular file']);
  });

  it.skipIf(process.getuid?.() === 0)('warns about an unreadable file and goes on', async () => {
    const root = tempDir();
    writeTree(root, { 'a.txt': 'a', 'locked.txt': 'l' });
    execFileSync('chmod', ['000', join(root, 'locked.txt')]);
    const stats = emptyStats();
    const paths: string[] = [];
    for await (const f of worktreeFragments({ root, stats, maxFileSize: 1000 })) paths.push(f.origin.path);
    expect(paths).toEqual(['a.txt']);
    expect(stats.warnings).toEqual(['cannot read locked.txt: EACCES']);
  });
});
