#!/usr/bin/env node
// The alternative history strategy, kept as a measured prototype (bench only): scan each unique blob
// once, in full, and attribute it to the oldest commit that introduced it.
//   1. git log --all --raw -z --no-abbrev (no patches): which blob each commit brings in at which path;
//   2. git cat-file --batch, fed the unique blob ids: the blobs' content, streamed;
//   3. the same Detector as `scan --history`; findings folded per (rule, path, secret).
// Usage: node bench/history-blob.mjs <repo>  -> prints JSON { findings, blobs, mb, wallMs, nodeMaxRssMb }
import { spawn, spawnSync } from 'node:child_process';
import { Detector } from '../dist/detect/detector.js';
import { BUILTIN_RULES_DIR, loadRules } from '../dist/rules/load.js';

const repo = process.argv[2] ?? '.';
const t0 = performance.now();
const log = spawnSync('git', ['log', '--all', '--raw', '-z', '--no-abbrev', '-M', '--diff-merges=first-parent', '--format=%x01%H%x00%an%x00%ae%x00%aI'], {
  cwd: repo,
  maxBuffer: 1 << 30,
});
const tokens = log.stdout.toString('utf8').split('\0');
const blobs = new Map(); // sha -> { commit, path } of the oldest commit bringing it in (log is newest first)
let commit;
for (let i = 0; i < tokens.length; i++) {
  let t = tokens[i];
  if (t.startsWith('\n')) t = t.slice(1);
  if (t.startsWith('\x01')) {
    commit = { sha: t.slice(1), author: tokens[i + 1], email: tokens[i + 2], date: tokens[i + 3] };
    i += 3;
  } else if (t.startsWith(':')) {
    const [, , , dst, status] = t.slice(1).split(' ');
    const path = status[0] === 'R' || status[0] === 'C' ? tokens[(i += 2)] : tokens[(i += 1)];
    if (status[0] !== 'D' && !/^0+$/.test(dst)) blobs.set(dst, { commit, path });
  }
}
const detector = new Detector(loadRules([BUILTIN_RULES_DIR]).rules, { today: '2026-01-01' });
const found = new Map();
let bytes = 0;
const shas = [...blobs.keys()];
const cat = spawn('git', ['cat-file', '--batch'], { cwd: repo, stdio: ['pipe', 'pipe', 'inherit'] });
cat.stdin.end(shas.map((s) => `${s}\n`).join(''));
let buf = Buffer.alloc(0);
let idx = 0;
for await (const chunk of cat.stdout) {
  buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
  for (;;) {
    const nl = buf.indexOf(10);
    if (nl < 0) break;
    const size = Number(buf.toString('latin1', 0, nl).split(' ')[2]);
    if (buf.length < nl + 1 + size + 1) break;
    const content = buf.subarray(nl + 1, nl + 1 + size);
    buf = buf.subarray(nl + 2 + size);
    const { commit: c, path } = blobs.get(shas[idx++]);
    bytes += size;
    if (content.subarray(0, 8192).includes(0)) continue;
    for (const f of detector.detect({ origin: { kind: 'commit', sha: c.sha, path, author: c.author, email: c.email, date: c.date }, content, startLine: 1 })) {
      const prev = found.get(f.fingerprint);
      if (!prev || prev.date > c.date) found.set(f.fingerprint, { file: f.file, secret: f.secret, sha: c.sha, date: c.date });
    }
  }
}
console.log(JSON.stringify({ findings: found.size, blobs: shas.length, mb: +(bytes / 1048576).toFixed(1), wallMs: Math.round(performance.now() - t0), nodeMaxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
