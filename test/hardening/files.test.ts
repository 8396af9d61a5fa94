import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../src/detect/lines.js';
import { emptyStats } from '../../src/sources/stats.js';
import { CHUNKED_ABOVE, chunkText } from '../../src/sources/content.js';
import { listFiles, readFile } from '../../src/sources/worktree.js';
import { runCli } from '../helpers/cli.js';
import { FAKE } from '../helpers/fake.js';
import { gitRepo, tempDir, writeTree } from '../helpers/tmp.js';

const TOKEN = FAKE.githubPat;
const IS_ROOT = process.getuid?.() === 0;

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  column: number;
}

/** Runs `leakhound scan <dir> --format json` and returns exit code, secret findings and stderr. */
function scanJson(dir: string, ...extra: string[]): { code: number; findings: JsonFinding[]; stderr: string } {
  const r = runCli(['scan', dir, '--format', 'json', '--no-hygiene', ...extra]);
  const findings = r.stdout.trim() === '' ? [] : (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.ruleId.startsWith('github-'));
  return { code: r.code, findings, stderr: r.stderr };
}
const at = (fs: JsonFinding[]): string[] => fs.map((f) => `${f.file}:${f.line}:${f.column}`).sort();

describe('hostile file contents', () => {
  it('finds a token in a file with invalid UTF-8 around it, on the right line', () => {
    const dir = tempDir();
    writeTree(dir, { 'bad.txt': Buffer.concat([Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0x0a, 0xf0, 0x28, 0x8c, 0xbc, 0xff, 0x0a]), Buffer.from(`token = ${TOKEN}\n`), Buffer.from([0xed, 0xa0, 0x80, 0x0a])]) });
    const r = scanJson(dir);
    expect(r.code).toBe(1);
    expect(at(r.findings)).toEqual(['bad.txt:3:9']);
  });

  it('decodes UTF-16 LE and BE files with a BOM and reports the right line', () => {
    const dir = tempDir();
    const text = `first\r\nsecond\r\ntoken = ${TOKEN}\r\n`;
    const be = Buffer.from(text, 'utf16le').swap16();
    writeTree(dir, { 'le.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'be.txt': Buffer.concat([Buffer.from([0xfe, 0xff]), be]) });
    const r = scanJson(dir);
    expect(r.code).toBe(1);
    expect(at(r.findings)).toEqual(['be.txt:3:9', 'le.txt:3:9']);
  });

  it('counts lines ending in CRLF, lone CR and a mix of them', () => {
    const dir = tempDir();
    writeTree(dir, { 'crlf.txt': `a\r\nb\r\n\r\ntoken = ${TOKEN}\r\n`, 'cr.txt': `a\rb\r\rtoken = ${TOKEN}\r`, 'mixed.txt': `a\r\nb\rc\n\ntoken = ${TOKEN}\n` });
    expect(at(scanJson(dir).findings)).toEqual(['cr.txt:4:9', 'crlf.txt:4:9', 'mixed.txt:5:9']);
  });

  it('skips a 99% NUL file as binary', () => {
    const dir = tempDir();
    const b = Buffer.alloc(2 << 20);
    Buffer.from(`token = ${TOKEN}\n`).copy(b, 1 << 20);
    writeTree(dir, { 'nul.bin': b });
    const r = scanJson(dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/skipped 1 binary/);
  });
});

describe('huge files', () => {
  /** A file of `mb` MiB with no newline, tokens at the given byte offsets. */
  function hugeFile(path: string, mb: number, offsets: number[]): void {
    const fd = openSync(path, 'w');
    const block = Buffer.alloc(1 << 20);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 =;,';
    for (let i = 0; i < block.length; i++) block[i] = alphabet.charCodeAt((i * 7919) % alphabet.length);
    for (let i = 0; i < mb; i++) writeSync(fd, block);
    for (const o of offsets) writeSync(fd, Buffer.from(` ${TOKEN} `), 0, TOKEN.length + 2, o);
    closeSync(fd);
  }

  it('skips a file over the cap with a message, and scans it in bounded chunks when the cap allows', () => {
    const dir = tempDir();
    // One token right across the first 8 MiB chunk boundary, one deep inside the second chunk.
    const offsets = [8 * 1048576 - 10, 12 * 1048576 + 3];
    hugeFile(join(dir, 'huge.txt'), 20, offsets);
    const capped = scanJson(dir);
    expect(capped.code).toBe(0);
    expect(capped.stderr).toMatch(/skipped huge\.txt: 20971520 bytes is over the 10485760-byte limit \(--max-file-size\)/);
    const r = scanJson(dir, '--max-file-size', '30m');
    expect(r.code).toBe(1);
    expect(at(r.findings)).toEqual(offsets.map((o) => `huge.txt:1:${o + 2}`).sort());
  });

  it('places findings in a chunked multi-line UTF-16 file on the right line and column', () => {
    const dir = tempDir();
    const lines: string[] = [];
    const want: string[] = [];
    for (let i = 0, chars = 0; chars < CHUNKED_ABOVE / 2 + 1_000_000; i++) {
      const line = i % 25_000 === 7 ? `é€ x = ${TOKEN}` : `line ${i} ${'z'.repeat(i % 90)}`;
      if (i % 25_000 === 7) want.push(`u16.txt:${i + 1}:8`);
      lines.push(line);
      chars += line.length + 2;
    }
    writeFileSync(join(dir, 'u16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines.join('\r\n'), 'utf16le')]));
    const r = scanJson(dir, '--max-file-size', '100m');
    expect(r.findings.length).toBeGreaterThan(3);
    expect(at(r.findings)).toEqual(want.sort());
  });

  it('chunks text with the line and column LineIndex gives each chunk start, owning every byte once', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const pieces = ['a', 'b', ' ', '\n', '\r', '\r\n', 'é', '€', '😀'];
    for (let round = 0; round < 30; round++) {
      let s = '';
      const n = 50 + Math.floor(rand() * 400);
      for (let i = 0; i < n; i++) s += pieces[Math.floor(rand() * pieces.length)];
      const text = Buffer.from(s, 'utf8');
      const blocks: Buffer[] = [];
      for (let i = 0; i < text.length; i += 13) blocks.push(text.subarray(i, i + 13));
      const whole = new LineIndex(text);
      let owned = 0;
      let start = 0;
      for (const c of chunkText(blocks, 17 + round, 5)) {
        const contentStart = owned - c.owns[0];
        expect(c.content.equals(text.subarray(contentStart, contentStart + c.content.length))).toBe(true);
        expect(c.owns[0] + contentStart).toBe(owned);
        const line = whole.lineIndexOf(contentStart);
        expect(c.startLine).toBe(line + 1);
        expect(c.startColumn).toBe(whole.columnOf(line, contentStart));
        owned = c.owns[1] + contentStart;
        start++;
      }
      expect(owned).toBe(text.length);
      expect(start).toBeGreaterThan(0);
    }
  });
});

describe('hostile file system entries', () => {
  it('counts a file that vanishes between listing and reading, without a warning', async () => {
    const dir = tempDir();
    writeTree(dir, { 'a.txt': 'a', 'gone.txt': 'g' });
    const stats = emptyStats();
    const files = [];
    for await (const f of listFiles(dir, stats)) files.push(f);
    rmSync(join(dir, 'gone.txt'));
    const read = files.flatMap((f) => [...readFile(f, 1 << 20, stats)]).map((f) => f.origin.path);
    expect(read).toEqual(['a.txt']);
    expect(stats.skipped).toEqual({ vanished: 1 });
    expect(stats.warnings).toEqual([]);
  });

  it.skipIf(IS_ROOT)('warns about a file whose permissions were removed and goes on', () => {
    const dir = tempDir();
    writeTree(dir, { 'ok.txt': 'ok\n', 'locked.txt': `token = ${TOKEN}\n` });
    chmodSync(join(dir, 'locked.txt'), 0);
    const r = scanJson(dir);
    expect(r.stderr).toMatch(/cannot read locked\.txt: EACCES/);
  });

  it('skips a FIFO, a symlink to /dev/zero and a character device without hanging', () => {
    const dir = tempDir();
    writeTree(dir, { 'a.txt': `token = ${TOKEN}\n` });
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    symlinkSync('/dev/zero', join(dir, 'zero'));
    const mknod = spawnSync('mknod', [join(dir, 'null-dev'), 'c', '1', '3']).status === 0;
    const r = scanJson(dir);
    expect(at(r.findings)).toEqual(['a.txt:1:9']);
    expect(r.stderr).toMatch(/skipped pipe: not a regular file/);
    if (mknod) expect(r.stderr).toMatch(/skipped null-dev: not a regular file/);
    expect(r.stderr).toMatch(/1 symlink/);
  });

  it('never follows symlink loops', () => {
    const dir = tempDir();
    writeTree(dir, { 'a.txt': `token = ${TOKEN}\n` });
    symlinkSync('b', join(dir, 'a'));
    symlinkSync('a', join(dir, 'b'));
    symlinkSync('.', join(dir, 'self'));
    symlinkSync('..', join(dir, 'up'));
    const r = scanJson(dir);
    expect(at(r.findings)).toEqual(['a.txt:1:9']);
    expect(r.stderr).toMatch(/4 symlink/);
  });

  it('warns (and goes on) about a directory deeper than PATH_MAX, in and out of git', () => {
    for (const dir of [tempDir(), gitRepo()]) {
      const seg = 'd'.repeat(200);
      execFileSync('bash', ['-c', `for i in $(seq 1 25); do mkdir ${seg} && cd ${seg} || exit 1; done; echo deep > deep.txt`], { cwd: dir });
      writeTree(dir, { 'top.txt': `token = ${TOKEN}\n` });
      const r = scanJson(dir);
      expect(r.code).toBe(1);
      expect(at(r.findings)).toEqual(['top.txt:1:9']);
      expect(r.stderr).toMatch(/cannot read directory d+\/.*ENAMETOOLONG|could not open directory/);
      execFileSync('rm', ['-rf', dir]);
    }
  });

  it('scans 20,000 files in one folder', () => {
    const dir = tempDir();
    const flat = join(dir, 'flat');
    mkdirSync(flat);
    for (let i = 0; i < 20_000; i++) writeFileSync(join(flat, `f${String(i).padStart(5, '0')}.txt`), `line ${i}\n`);
    writeFileSync(join(flat, 'f10000.txt'), `token = ${TOKEN}\n`);
    const r = scanJson(flat);
    expect(at(r.findings)).toEqual(['f10000.txt:1:9']);
    expect(r.stderr).toMatch(/scanned 20000 files/);
  }, 60_000);
});
