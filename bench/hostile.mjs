#!/usr/bin/env node
// Hostile inputs (issue 8): builds each case in a temp dir, runs the real CLI
// (`node bin/leakhound.js scan …`) under /usr/bin/time -f '%e %M' and prints one line per case:
// case, exit code, findings, wall time, peak RSS, and what was checked.
// `node bench/hostile.mjs [--only SUBSTRING] [--keep]`. Needs git; some cases need mkfifo/mknod.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeGithubPat, prng } from './lib.mjs';

const args = process.argv.slice(2);
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const KEEP = args.includes('--keep');
const CLI = fileURLToPath(new URL('../bin/leakhound.js', import.meta.url));
const ROOT = mkdtempSync(join(tmpdir(), 'leakhound-hostile-'));
const rand = prng(8);
const TOKEN = fakeGithubPat(rand);
const IS_ROOT = process.getuid?.() === 0;

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
};

function sh(cwd, cmd, cmdArgs, input) {
  const r = spawnSync(cmd, cmdArgs, { cwd, env: GIT_ENV, input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}
const git = (cwd, ...a) => sh(cwd, 'git', a);

function dir(name) {
  const d = join(ROOT, name);
  mkdirSync(d, { recursive: true });
  return d;
}
function repo(name) {
  const d = dir(name);
  git(d, 'init', '-q', '-b', 'main');
  return d;
}

/** Runs the CLI under /usr/bin/time; returns exit, findings (from JSON), wall s, peak MB, stderr. */
function scan(cwd, scanArgs, opts = {}) {
  const jsonOut = join(ROOT, `out-${Math.floor(rand() * 1e9)}.json`);
  const r = spawnSync('/usr/bin/time', ['-f', '\n__TIME__ %e %M', process.execPath, CLI, 'scan', ...scanArgs, '--format', 'json', '-o', jsonOut], {
    cwd,
    env: { ...GIT_ENV, NO_COLOR: '1', ...(opts.env ?? {}) },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: opts.timeoutMs ?? 600_000,
  });
  let stderr = r.stderr ?? '';
  const m = /\n?__TIME__ ([\d.]+) (\d+)\s*$/.exec(stderr);
  const wall = m ? Number(m[1]) : NaN;
  const peakMb = m ? Number(m[2]) / 1024 : NaN;
  if (m) stderr = stderr.slice(0, m.index);
  stderr = stderr.replace(/^Command exited with non-zero status \d+\n?/m, '');
  let findings = [];
  try {
    findings = JSON.parse(spawnSync('cat', [jsonOut], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout).findings;
  } catch {
    findings = undefined;
  }
  const exit = r.signal ? `sig ${r.signal}` : r.error ? `error ${r.error.code}` : r.status;
  return { exit, findings, wall, peakMb, stderr };
}

/** Text-format run: for output-safety checks. */
function scanText(cwd, scanArgs) {
  const r = spawnSync(process.execPath, [CLI, 'scan', ...scanArgs], { cwd, env: { ...GIT_ENV, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const rows = [];
function report(name, r, checks) {
  const failed = Object.entries(checks).filter(([, ok]) => !ok).map(([k]) => k);
  const n = r.findings === undefined ? 'n/a' : String(r.findings.length);
  const line = `${name.padEnd(34)} exit ${String(r.exit).padEnd(3)} findings ${n.padStart(3)}   ${r.wall.toFixed(2).padStart(6)} s  ${r.peakMb.toFixed(0).padStart(5)} MB   ${failed.length === 0 ? 'ok' : `FAIL: ${failed.join(', ')}`}`;
  rows.push({ name, failed });
  console.log(line);
  if (failed.length > 0 || process.env.HOSTILE_VERBOSE) {
    for (const l of r.stderr.trim().split('\n').slice(0, 6)) console.log(`    | ${l}`);
  }
}

const lines = (r) => (r.findings ?? []).map((f) => `${f.file}:${f.line}`).sort();
const oneLine = (s) => s.trim().split('\n').length === 1;
const noStack = (s) => !/\n\s+at .+\(.+:\d+:\d+\)/.test(s) && !/internal error/.test(s);

/**
 * A repository whose .gitattributes and .git/config name programs for every hook git has on
 * content (filter, textconv, external diff, merge driver, fsmonitor, pager, gpg): each one touches
 * MARKER. The history holds a conflicted merge (so --remerge-diff would run the merge driver) and
 * a staged change; config is written last, so building the repo runs none of them.
 */
export function driverRepo(name) {
  const d = repo(name);
  const touch = `touch ${join(d, 'MARKER')}`;
  writeFileSync(join(d, '.gitattributes'), '* filter=evil diff=evil merge=evil\n');
  writeFileSync(join(d, 'f.txt'), 'base\n');
  git(d, 'add', '-A');
  git(d, 'commit', '-q', '-m', 'base');
  git(d, 'checkout', '-q', '-b', 'side');
  writeFileSync(join(d, 'f.txt'), `side ${TOKEN}\n`);
  git(d, 'commit', '-q', '-am', 'side');
  git(d, 'checkout', '-q', 'main');
  writeFileSync(join(d, 'f.txt'), 'main\n');
  git(d, 'commit', '-q', '-am', 'main');
  spawnSync('git', ['merge', 'side', '-m', 'merge'], { cwd: d, env: GIT_ENV });
  writeFileSync(join(d, 'f.txt'), `resolved ${TOKEN}\n`);
  git(d, 'commit', '-q', '-am', 'merged');
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
  ]) git(d, 'config', k, v);
  return d;
}

/** Writes a 200 MiB file with no newline and a fake token in the middle. */
function writeHugeOneLine(path) {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(1 << 20);
  const A = 'abcdefghijklmnopqrstuvwxyz0123456789 =;,';
  for (let i = 0; i < chunk.length; i++) chunk[i] = A.charCodeAt((i * 7919) % A.length);
  for (let i = 0; i < 200; i++) {
    writeSync(fd, chunk);
    if (i === 99) writeSync(fd, ` token=${TOKEN} `);
  }
  closeSync(fd);
}

const cases = {
  'invalid-utf8'() {
    const d = dir('invalid-utf8');
    writeFileSync(join(d, 'bad.txt'), Buffer.concat([Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0x0a, 0xf0, 0x28, 0x8c, 0xbc, 0xff, 0x0a]), Buffer.from(`token = ${TOKEN}\n`), Buffer.from([0xed, 0xa0, 0x80, 0x0a])]));
    const r = scan(d, ['.']);
    report('invalid UTF-8', r, { 'exit 1': r.exit === 1, 'found at line 3': lines(r).join() === 'bad.txt:3', 'no stack': noStack(r.stderr) });
  },
  'utf16'() {
    const d = dir('utf16');
    const text = `first line\nsecond line\ntoken = ${TOKEN}\n`;
    writeFileSync(join(d, 'le.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const le = Buffer.from(text, 'utf16le');
    for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
    writeFileSync(join(d, 'be.txt'), Buffer.concat([Buffer.from([0xfe, 0xff]), le]));
    const r = scan(d, ['.']);
    report('UTF-16 LE and BE with BOM', r, { 'exit 1': r.exit === 1, 'both at line 3': lines(r).join() === 'be.txt:3,le.txt:3' });
  },
  'line-endings'() {
    const d = dir('line-endings');
    writeFileSync(join(d, 'crlf.txt'), `a\r\nb\r\n\r\ntoken = ${TOKEN}\r\n`);
    writeFileSync(join(d, 'cr.txt'), `a\rb\r\rtoken = ${TOKEN}\r`);
    writeFileSync(join(d, 'mixed.txt'), `a\r\nb\rc\n\ntoken = ${TOKEN}\n`);
    const r = scan(d, ['.']);
    report('CRLF, lone CR, mixed', r, { 'exit 1': r.exit === 1, 'lines 4, 4, 5': lines(r).join() === 'cr.txt:4,crlf.txt:4,mixed.txt:5' });
  },
  'huge-no-newline'() {
    const d = dir('huge');
    writeHugeOneLine(join(d, 'huge.txt'));
    const tokenColumn = 100 * (1 << 20) + 8; // 1-based column of that token
    // One more token right across an 8 MiB boundary, to prove overlap.
    const fd2 = openSync(join(d, 'huge.txt'), 'r+');
    const at = 8 * 1048576 - 10;
    writeSync(fd2, Buffer.from(` ${TOKEN} `), 0, TOKEN.length + 2, at);
    closeSync(fd2);
    const r1 = scan(d, ['.']);
    report('200 MB, no newline, default cap', r1, { 'exit 0': r1.exit === 0, 'skipped with a message': /huge\.txt: \d+ bytes is over/.test(r1.stderr) });
    const r2 = scan(d, ['.', '--max-file-size', '300m']);
    const cols = (r2.findings ?? []).map((f) => `${f.line}:${f.column}`).sort();
    report('200 MB, no newline, --max-file-size 300m', r2, {
      'exit 1': r2.exit === 1,
      'both tokens, line 1, right columns': cols.join() === [`1:${at + 2}`, `1:${tokenColumn}`].sort().join(),
      'peak < 400 MB': r2.peakMb < 400,
      'no stack': noStack(r2.stderr),
    });
  },
  'mostly-nul'() {
    const d = dir('nul');
    const b = Buffer.alloc(10 << 20);
    Buffer.from(`token = ${TOKEN}\n`).copy(b, 5 << 20);
    writeFileSync(join(d, 'nul.bin'), b);
    const r = scan(d, ['.']);
    report('99% NUL (10 MB)', r, { 'exit 0 (binary)': r.exit === 0, 'counted binary': /1 binary/.test(r.stderr) });
  },
  'vanishing'() {
    const d = dir('vanish');
    for (let i = 0; i < 3000; i++) writeFileSync(join(d, `f${i}.txt`), `x${i}\n`.repeat(200));
    // A child deletes the files while the scan lists and reads them.
    const killer = spawn('bash', ['-c', `sleep 0.35; cd "${d}" && for i in $(seq 0 2999); do rm -f f$i.txt; done`]);
    const r = scan(d, ['.']);
    killer.kill();
    report('files vanish while scanned (3000)', r, { 'exit 0': r.exit === 0, 'no stack': noStack(r.stderr), 'no warning flood': r.stderr.split('\n').length < 10 });
  },
  'unreadable'() {
    const d = dir('unreadable');
    writeFileSync(join(d, 'ok.txt'), 'fine\n');
    writeFileSync(join(d, 'locked.txt'), `token = ${TOKEN}\n`);
    chmodSync(join(d, 'locked.txt'), 0);
    const r = scan(d, ['.']);
    const checks = IS_ROOT ? { 'root reads it anyway (exit 1)': r.exit === 1 } : { 'warned': /cannot read locked\.txt: EACCES/.test(r.stderr), 'exit 0': r.exit === 0 };
    report(`chmod 000 file${IS_ROOT ? ' (as root)' : ''}`, r, checks);
  },
  'fifo'() {
    const d = dir('fifo');
    writeFileSync(join(d, 'a.txt'), 'a\n');
    sh(d, 'mkfifo', ['pipe']);
    const r = scan(d, ['.'], { timeoutMs: 20_000 });
    report('FIFO', r, { 'exit 0': r.exit === 0, 'skipped, no hang': /skipped pipe: not a regular file/.test(r.stderr) });
  },
  'devices'() {
    const d = dir('devices');
    writeFileSync(join(d, 'a.txt'), 'a\n');
    symlinkSync('/dev/zero', join(d, 'zero'));
    let mknod = false;
    try {
      sh(d, 'mknod', ['null-dev', 'c', '1', '3']);
      mknod = true;
    } catch {
      /* not permitted */
    }
    const r = scan(d, ['.'], { timeoutMs: 20_000 });
    report(`symlink to /dev/zero${mknod ? ' + char device' : ''}`, r, { 'exit 0': r.exit === 0, 'symlink skipped': /1 symlink/.test(r.stderr), 'device skipped': !mknod || /skipped null-dev: not a regular file/.test(r.stderr) });
  },
  'symlink-loop'() {
    const d = dir('symlink-loop');
    writeFileSync(join(d, 'a.txt'), `token = ${TOKEN}\n`);
    symlinkSync('b', join(d, 'a'));
    symlinkSync('a', join(d, 'b'));
    symlinkSync('.', join(d, 'self'));
    symlinkSync('..', join(d, 'up'));
    const r = scan(d, ['.'], { timeoutMs: 30_000 });
    report('symlink loops', r, { 'exit 1': r.exit === 1, 'found once': lines(r).join() === 'a.txt:1', '4 symlinks skipped': /4 symlink/.test(r.stderr) });
  },
  'long-path'() {
    const d = dir('long-path');
    const seg = 'd'.repeat(200);
    // mkdir one level at a time from the previous level (the full path is over PATH_MAX).
    const depth = 25;
    sh(d, 'bash', ['-c', `for i in $(seq 1 ${depth}); do mkdir ${seg} && cd ${seg} || exit 1; done; printf 'token = ${TOKEN}\\n' > deep.txt`]);
    writeFileSync(join(d, 'top.txt'), `token = ${TOKEN}\n`);
    const r = scan(d, ['.']);
    report(`path of ${depth * 201 + 8} bytes`, r, { 'exit 1': r.exit === 1, 'top found': lines(r).includes('top.txt:1'), 'no stack': noStack(r.stderr) });
    const g = repo('long-path-git');
    sh(g, 'bash', ['-c', `for i in $(seq 1 ${depth}); do mkdir ${seg} && cd ${seg} || exit 1; done; printf 'token = ${TOKEN}\\n' > deep.txt`]);
    writeFileSync(join(g, 'top.txt'), `token = ${TOKEN}\n`);
    const r2 = scan(g, ['.']);
    report(`path of ${depth * 201 + 8} bytes (git)`, r2, { 'exit 1': r2.exit === 1, 'top found': lines(r2).includes('top.txt:1'), 'no stack': noStack(r2.stderr) });
  },
  'many-files'() {
    const d = dir('many-files/flat');
    for (let i = 0; i < 100_000; i++) writeFileSync(join(d, `f${String(i).padStart(6, '0')}.txt`), `line ${i}\n`);
    writeFileSync(join(d, 'f050000.txt'), `token = ${TOKEN}\n`);
    const r = scan(d, ['.']);
    report('100,000 files in one folder', r, { 'exit 1': r.exit === 1, 'found': lines(r).join() === 'f050000.txt:1' });
    git(d, 'init', '-q', '-b', 'main');
    git(d, 'add', '-A');
    git(d, 'commit', '-q', '-m', 'many');
    const r2 = scan(d, ['.']);
    report('100,000 files in one folder (git)', r2, { 'exit 1': r2.exit === 1, 'found': lines(r2).join() === 'f050000.txt:1' });
  },
  'git-names'() {
    const d = repo('git-names');
    const names = ['new\nline.txt', 'quo"te\'s.txt', '$(touch pwned).txt', '`touch pwned`.txt', 'esc\x1b[31mred\x1b[0m.txt', '-rf.txt', '--output=pwned.txt', ' space .txt'];
    for (const n of names) writeFileSync(join(d, n), `token = ${TOKEN}\n`);
    git(d, 'add', '-A');
    const staged = scan(d, ['--staged']);
    const stagedText = scanText(d, ['--staged']);
    git(d, 'commit', '-q', '-m', 'names');
    const hist = scan(d, ['--history']);
    const histText = scanText(d, ['--history']);
    const work = scan(d, ['.']);
    const want = names.slice().sort().join('|');
    const got = (r) => (r.findings ?? []).filter((f) => f.ruleId.startsWith('github')).map((f) => f.file).sort().join('|');
    const safe = (t) => !t.stdout.includes('\x1b') && !t.stderr.includes('\x1b') && !t.stdout.includes('new\nline');
    const noPwned = !existsSync(join(d, 'pwned')) && !existsSync(join(d, 'pwned.txt')) && !existsSync(join(process.cwd(), 'pwned'));
    report('git: hostile names, --staged', staged, { 'exit 1': staged.exit === 1, 'every name found': got(staged) === want, 'printed neutralised': safe(stagedText), 'no pwned': noPwned });
    report('git: hostile names, --history', hist, { 'exit 1': hist.exit === 1, 'every name found': got(hist) === want, 'printed neutralised': safe(histText), 'no pwned': noPwned });
    report('git: hostile names, worktree', work, { 'exit 1': work.exit === 1, 'every name found': got(work) === want, 'no pwned': noPwned });
  },
  'git-drivers'() {
    const results = [];
    for (const [label, a] of [['--staged', ['--staged']], ['--history', ['--history']], ['worktree', ['.']]]) {
      const d = driverRepo(`git-drivers-${label.replace(/-/g, '')}`);
      const r = scan(d, a);
      results.push([label, r, existsSync(join(d, 'MARKER'))]);
    }
    for (const [label, r, ran] of results) report(`git: filter/diff/merge drivers, ${label}`, r, { 'exit 1': r.exit === 1, 'marker never created': !ran, 'no stack': noStack(r.stderr) });
  },
  'git-corrupt'() {
    const d = repo('git-corrupt');
    writeFileSync(join(d, 'a.txt'), `token = ${TOKEN}\n`);
    git(d, 'add', '-A');
    git(d, 'commit', '-q', '-m', 'a');
    const blob = git(d, 'rev-parse', 'HEAD:a.txt').trim();
    const p = join(d, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
    chmodSync(p, 0o644);
    writeFileSync(p, Buffer.from('this is not a zlib stream'));
    const r = scan(d, ['--history']);
    report('git: corrupt object, --history', r, { 'exit 2': r.exit === 2, 'one clear line': oneLine(r.stderr) && /leakhound: /.test(r.stderr), 'no stack': noStack(r.stderr) });
    writeFileSync(join(d, 'a.txt'), `token = ${TOKEN}\nmore\n`);
    git(d, 'add', '-A');
    const s = scan(d, ['--staged']);
    report('git: corrupt object, --staged', s, { 'exit 2': s.exit === 2, 'one clear line': oneLine(s.stderr) && /leakhound: /.test(s.stderr), 'no stack': noStack(s.stderr) });
  },
  'git-submodule'() {
    const sub = repo('submodule-inner');
    writeFileSync(join(sub, 'inner.txt'), `token = ${TOKEN}\n`);
    git(sub, 'add', '-A');
    git(sub, 'commit', '-q', '-m', 'inner');
    const d = repo('submodule-outer');
    writeFileSync(join(d, 'outer.txt'), 'outer\n');
    git(d, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'sub');
    git(d, 'commit', '-q', '-m', 'with submodule');
    const w = scan(d, ['.']);
    report('git: submodule, worktree', w, { 'exit 1 (inner file scanned)': w.exit === 1, 'found in sub/inner.txt': lines(w).join() === 'sub/inner.txt:1' });
    const h = scan(d, ['--history']);
    report('git: submodule, --history', h, { 'exit 0': h.exit === 0, 'no stack': noStack(h.stderr) });
    writeFileSync(join(sub, 'inner2.txt'), 'x\n');
    writeFileSync(join(d, 'sub', 'new.txt'), 'y\n');
    git(d, 'add', '-A');
    const s = scan(d, ['--staged']);
    report('git: submodule, --staged', s, { 'exit 0': s.exit === 0, 'no stack': noStack(s.stderr) });
  },
  'git-huge-blob'() {
    const d = repo('git-huge-blob');
    writeHugeOneLine(join(d, 'huge.txt'));
    git(d, 'add', '-A');
    git(d, 'commit', '-q', '-m', 'huge');
    const r1 = scan(d, ['--history']);
    report('git: 200 MB one-line blob, --history', r1, { 'exit 0': r1.exit === 0, 'skipped with a message': /huge\.txt: \d+ bytes added is over/.test(r1.stderr), 'under 10 s': r1.wall < 10 });
    const r2 = scan(d, ['--history', '--max-file-size', '300m'], { timeoutMs: 300_000 });
    report('git: same, --max-file-size 300m', r2, { 'exit 1': r2.exit === 1, 'found': lines(r2).join() === 'huge.txt:1', 'no stack': noStack(r2.stderr) });
  },
  'git-refs'() {
    const d = repo('git-refs');
    writeFileSync(join(d, 'a.txt'), `token = ${TOKEN}\n`);
    git(d, 'add', '-A');
    git(d, 'commit', '-q', '-m', 'a');
    const shas = [];
    for (let i = 0; i < 50; i++) {
      writeFileSync(join(d, 'b.txt'), `change ${i}\n`);
      git(d, 'add', 'b.txt');
      git(d, 'commit', '-q', '-m', `c${i}`);
      shas.push(git(d, 'rev-parse', 'HEAD').trim());
    }
    let input = '';
    for (let i = 0; i < 10_000; i++) input += `create refs/${i % 2 ? 'tags' : 'heads'}/r${i} ${shas[i % shas.length]}\n`;
    sh(d, 'git', ['update-ref', '--stdin'], input);
    const r = scan(d, ['--history']);
    report('git: 10,000 refs, --history', r, { 'exit 1': r.exit === 1, 'found once': lines(r).join() === 'a.txt:1' });
  },
};

console.log(`leakhound hostile inputs (node ${process.version}, ${IS_ROOT ? 'root' : 'non-root'}), in ${ROOT}`);
console.log(`${'case'.padEnd(34)} exit     findings     wall     peak   checks`);
for (const [name, fn] of Object.entries(cases)) {
  if (ONLY && !name.includes(ONLY)) continue;
  try {
    fn();
  } catch (err) {
    console.log(`${name.padEnd(34)} BENCH ERROR: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    rows.push({ name, failed: ['bench error'] });
  }
}
if (!KEEP) spawnSync('rm', ['-rf', ROOT]);
const bad = rows.filter((r) => r.failed.length > 0);
console.log(bad.length === 0 ? 'all cases ok' : `${bad.length} case(s) failed`);
process.exitCode = bad.length === 0 ? 0 : 1;
