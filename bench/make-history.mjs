#!/usr/bin/env node
// Builds, deterministically, a git repository with a long history for the history benchmark:
// `node bench/make-history.mjs [dir] [--commits N]` (default: $TMPDIR/leakhound-bench/history-5000, 5,000
// commits on main plus 10 side branches of 20 commits merged back, a tag, 200 text files that each commit
// edits (--file-lines N: each starts with N to 2.3N lines, default 60), fake GitHub tokens planted every
// ~97 commits, half of them deleted again a few commits later).
// Written with `git fast-import` (seconds, not minutes). Writes <dir>/.git/planted.json: the planted tokens (file, token, commit index).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fakeGithubPat, prng, randomString } from './lib.mjs';

const WORDS = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega'.split(' ');

export function makeHistory(dir, commits = 5000, fileLines = 60) {
  const rand = prng(5000);
  const pick = (n) => Math.floor(rand() * n);
  const line = () => {
    const n = 4 + pick(8);
    const out = [];
    for (let i = 0; i < n; i++) out.push(WORDS[pick(WORDS.length)]);
    return `${out.join(' ')} ${randomString(rand, 'abcdef0123456789', 8)}`;
  };
  const files = new Map();
  for (let i = 0; i < 200; i++) {
    const lines = [];
    for (let j = 0; j < fileLines + pick(Math.ceil(fileLines * 4 / 3)); j++) lines.push(line());
    files.set(`src/mod${String(i).padStart(3, '0')}/file${i}.txt`, lines);
  }
  const planted = [];
  const pendingDeletes = [];
  let out = [];
  let bytes = 0;
  const emit = (s) => {
    out.push(s);
    bytes += Buffer.byteLength(s);
  };
  const data = (s) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  let mark = 0;
  let ts = 1_600_000_000;
  const ident = (n) => `Dev ${n} <dev${n}@example.com> ${ts} +0000`;
  const commit = (ref, parentMark, mergeMark, changes, msg) => {
    mark++;
    ts += 600;
    const who = ident(pick(12));
    emit(`commit ${ref}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n${data(msg)}`);
    if (parentMark) emit(`from :${parentMark}\n`);
    if (mergeMark) emit(`merge :${mergeMark}\n`);
    for (const [path, lines] of changes) emit(`M 100644 inline ${path}\n${data(lines.join('\n') + '\n')}`);
    emit('\n');
    return mark;
  };
  const paths = [...files.keys()];
  let head = commit('refs/heads/main', 0, 0, [...files.entries()], 'initial import');
  let mainCount = 1;
  let sideNo = 0;
  while (mainCount < commits) {
    const changes = new Map();
    for (let k = 0; k < 1 + pick(3); k++) {
      const p = paths[pick(paths.length)];
      const lines = files.get(p);
      for (let r = 0; r < 2 + pick(4); r++) lines[pick(lines.length)] = line();
      for (let a = 0; a < pick(6); a++) lines.splice(pick(lines.length), 0, line());
      changes.set(p, lines);
    }
    if (mainCount % 97 === 0) {
      const p = paths[pick(paths.length)];
      const lines = files.get(p);
      const token = fakeGithubPat(rand);
      const at = pick(lines.length);
      lines.splice(at, 0, `github_token = "${token}"`);
      changes.set(p, lines);
      planted.push({ file: p, token, commitIndex: mainCount });
      if (rand() < 0.5) pendingDeletes.push({ p, token, due: mainCount + 3 });
    }
    for (const d of pendingDeletes.filter((x) => x.due === mainCount)) {
      const lines = files.get(d.p);
      const i = lines.findIndex((l) => l.includes(d.token));
      if (i >= 0) lines.splice(i, 1);
      changes.set(d.p, lines);
    }
    head = commit('refs/heads/main', head, 0, [...changes.entries()].map(([p, l]) => [p, [...l]]), `change ${mainCount}`);
    mainCount++;
    if (mainCount % 450 === 0 && sideNo < 10) {
      // A side branch of 20 commits on its own files, merged back into main.
      sideNo++;
      const ref = `refs/heads/side-${sideNo}`;
      let side = head;
      const sideFiles = new Map();
      for (let s = 0; s < 20; s++) {
        const p = `side${sideNo}/notes${s % 4}.txt`;
        const lines = sideFiles.get(p) ?? [];
        for (let a = 0; a < 5; a++) lines.push(line());
        sideFiles.set(p, lines);
        side = commit(ref, side, 0, [[p, [...lines]]], `side ${sideNo}.${s}`);
      }
      head = commit('refs/heads/main', head, side, [...sideFiles.entries()], `merge side-${sideNo}`);
      mainCount++;
    }
  }
  emit(`reset refs/tags/v1\nfrom :${Math.floor(mark / 2)}\n\n`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  spawnSync('git', ['init', '-q', '-b', 'main', dir], { env, stdio: 'inherit' });
  const fi = spawnSync('git', ['fast-import', '--quiet'], { cwd: dir, env, input: out.join(''), stdio: ['pipe', 'inherit', 'inherit'], maxBuffer: 1 << 30 });
  if (fi.status !== 0) throw new Error('git fast-import failed');
  spawnSync('git', ['checkout', '-q', '-f', 'main'], { cwd: dir, env, stdio: 'inherit' });
  spawnSync('git', ['gc', '-q'], { cwd: dir, env, stdio: 'inherit' });
  // Expected history findings: one per (file, token); presentAtHead when HEAD still has it.
  writeFileSync(join(dir, '.git', 'planted.json'), JSON.stringify(planted, null, 1));
  return { dir, commits: mark, planted: planted.length, streamMb: bytes / 1048576 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--commits');
  const commits = i >= 0 ? Number(args[i + 1]) : 5000;
  const l = args.indexOf('--file-lines');
  const fileLines = l >= 0 ? Number(args[l + 1]) : 60;
  const dir = args.find((a, k) => !a.startsWith('--') && args[k - 1] !== '--commits' && args[k - 1] !== '--file-lines') ?? join(tmpdir(), 'leakhound-bench', `history-${commits}`);
  const t0 = performance.now();
  const r = makeHistory(dir, commits, fileLines);
  console.log(`built ${r.dir}: ${r.commits} commits, ${r.planted} planted tokens in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (!existsSync(join(dir, '.git'))) process.exitCode = 1;
}
