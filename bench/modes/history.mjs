// History bench: `scan --history` (one streaming git log -p, added lines only) beside the raw cost of
// git producing the data, on repositories built by bench/make-history.mjs (kept between runs under
// the bench work dir, $TMPDIR/leakhound-bench):
//   history-5000       5,200 commits, small files (60-140 lines)            --runs N (default 3), medians
//   history-5000-big   the same with ten times larger files (600-1,400 lines)
//                      both also time the blob strategy (bench/history-blob.mjs) and the API.
//   large              history-large-20000 (makeLargeHistory): 20,000+ commits editing 200 files of
//                      100-220 KB, ~4.6 GB of unique blobs, ~250 MB of added lines. 1 run by default
//                      (--large-runs N); the first run builds it (several minutes). No API/blob rows
//                      (the blob strategy would read every blob).
// Run only some: node bench/run.mjs --only history --variant large    (comma list of the names above;
// --large-commits N builds and times a smaller large-shape repository, history-large-N, for trials).
// Rows: wall and CPU (user+sys, all processes) times; peak RSS of the largest process; MB/s = MB of
// added lines (as `git log -p -U0 --all` prints them, measured) per wall second. For leakhound also
// its peak RSS split into node and git (node: a preload reading process.resourceUsage(); git: a `git`
// wrapper first on PATH that runs the real git under /usr/bin/time); node + git is compared with the
// 400 MB target. Ratios: leakhound wall (and CPU) vs `git cat-file --batch-all-objects --batch`
// (target <= 3x) and vs `git log -p -U0 --all` (target <= 2x). Findings must equal the planted
// tokens, one per (file, token); otherwise the exit code is 1.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt } from '../lib.mjs';
import { LARGE_DEFAULTS, describeLarge, largeMetaMatches, makeHistory, makeLargeHistory, measureHistory, readLargeMeta } from '../make-history.mjs';

const args = process.argv.slice(2);
const opt = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const LARGE_COMMITS = Number(opt('large-commits') ?? LARGE_DEFAULTS.commits);
const LARGE_RUNS = Number(opt('large-runs') ?? 1);
const ONLY_VARIANTS = opt('variant')?.split(',');

const VARIANTS = [
  { name: 'history-5000', fileLines: 60 },
  { name: 'history-5000-big', fileLines: 600 },
  { name: 'large', dir: `history-large-${LARGE_COMMITS}`, large: { commits: LARGE_COMMITS } },
];

const MB = 1048576;

/**
 * Splits a leakhound run's peak RSS into node and git. `wrap(nodeArgs)` gives the node arguments
 * (with the preload) and `env` the environment to run them in; after the runs, `read()` gives
 * { nodeMb, gitMb, gitCmd }: the largest node and git peaks recorded since the last `reset()`
 * (undefined where nothing was recorded, e.g. without /usr/bin/time).
 */
function rssProbe(work) {
  const dir = join(work, 'rss-probe');
  const file = join(dir, 'peaks.txt');
  mkdirSync(dir, { recursive: true });
  const realGit = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  const haveTime = existsSync('/usr/bin/time') && realGit !== '';
  if (haveTime) {
    // The subcommand is the first argument not starting with '-' (leakhound passes config through the environment, not -c).
    writeFileSync(
      join(dir, 'git'),
      '#!/bin/sh\n# Written by bench/modes/history.mjs: the real git under /usr/bin/time, appending "git <subcommand> <peak RSS KB>" to $LEAKHOUND_BENCH_RSS.\n' +
        'sub=\nfor a in "$@"; do case "$a" in -*) ;; *) sub=$a; break ;; esac; done\n' +
        `exec /usr/bin/time -a -o "$LEAKHOUND_BENCH_RSS" -f "git $sub %M" '${realGit}' "$@"\n`,
    );
    chmodSync(join(dir, 'git'), 0o755);
  }
  const preload = 'data:text/javascript,' + encodeURIComponent('import{appendFileSync}from"node:fs";process.on("exit",()=>appendFileSync(process.env.LEAKHOUND_BENCH_RSS,`node ${process.resourceUsage().maxRSS}\\n`));');
  const env = { ...process.env, LEAKHOUND_BENCH_RSS: file, ...(haveTime ? { PATH: `${dir}:${process.env.PATH}` } : {}) };
  return {
    env,
    wrap: (nodeArgs) => ['--import', preload, ...nodeArgs],
    reset: () => rmSync(file, { force: true }),
    read() {
      let nodeMb;
      let gitMb;
      let gitCmd;
      const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
      for (const m of text.matchAll(/^(node|git (\S*)) (\d+)$/gm)) {
        const mb = Number(m[3]) / 1024;
        if (m[1] === 'node') nodeMb = Math.max(nodeMb ?? 0, mb);
        else if (gitMb === undefined || mb > gitMb) [gitMb, gitCmd] = [mb, m[2]];
      }
      return { nodeMb, gitMb, gitCmd };
    },
  };
}

export default async function history({ work, cli, runs, timeRuns }) {
  const api = fileURLToPath(new URL('../history-api.mjs', import.meta.url));
  const blobScript = fileURLToPath(new URL('../history-blob.mjs', import.meta.url));
  const probe = rssProbe(work);
  for (const v of VARIANTS) {
    if (ONLY_VARIANTS && !ONLY_VARIANTS.includes(v.name)) continue;
    const dir = join(work, v.dir ?? v.name);
    const n = v.large ? LARGE_RUNS : runs;
    let sizes; // { blobs, blobBytes, addedLines, addedBytes }
    if (v.large) {
      let meta = readLargeMeta(dir);
      if (!largeMetaMatches(meta, v.large)) {
        console.log(`\nhistory: building ${dir} (large shape; several minutes) ...`);
        meta = await makeLargeHistory(dir, v.large, (s) => console.log(s));
      }
      sizes = meta;
      console.log(`\nhistory (large): ${dir}, ${n} run${n === 1 ? '' : 's'}`);
      console.log(`  ${describeLarge(meta)}; built in ${meta.seconds.total} s (fast-import ${meta.seconds.import} s, repack+gc ${meta.seconds.gc} s, measuring ${meta.seconds.measure} s)`);
    } else {
      if (!existsSync(join(dir, '.git', 'planted.json'))) makeHistory(dir, 5000, v.fileLines);
      sizes = await measureHistory(dir);
    }
    const planted = JSON.parse(readFileSync(join(dir, '.git', 'planted.json'), 'utf8'));
    const addedMb = sizes.addedBytes / MB;
    const opts = { cwd: dir };
    const rowMs = (label, t, extra = '') =>
      `  ${label.padEnd(50)} wall ${String(Math.round(t.wallMs)).padStart(6)} ms   cpu ${String(Math.round(t.cpuMs)).padStart(6)} ms   peak RSS ${String(Math.round(t.rssMb)).padStart(4)} MB   ${fmt(addedMb / (t.wallMs / 1000), 1).padStart(6)} MB/s${extra}`;
    if (!v.large) {
      console.log(`\nhistory: ${dir} (5,200 commits, files of ${v.fileLines}+ lines), ${planted.length} planted tokens`);
      console.log(`  unique blobs ${(sizes.blobBytes / MB).toFixed(1)} MB, added lines (git log -p -U0 --all) ${addedMb.toFixed(1)} MB`);
    }
    // Read the pack once so that the first timed command does not pay for the disk.
    spawnSync('bash', ['-c', 'cat .git/objects/pack/*.pack > /dev/null'], opts);
    const logp = timeRuns('bash', ['-c', 'git log -p -U0 --all > /dev/null'], n, opts);
    const batch = timeRuns('bash', ['-c', 'git cat-file --batch-all-objects --batch > /dev/null'], n, opts);
    probe.reset();
    const lh = timeRuns(process.execPath, probe.wrap([cli, 'scan', '--history', '--format', 'json', '--show-secrets', '-q']), n, { ...opts, env: probe.env });
    const peaks = probe.read();
    console.log(rowMs('git log -p -U0 --all', logp));
    console.log(rowMs('git cat-file --batch-all-objects --batch', batch));
    console.log(rowMs('leakhound scan --history (CLI)', lh));
    let b;
    if (!v.large) {
      const diffApi = timeRuns(process.execPath, [api, dir], runs, opts);
      const blob = timeRuns(process.execPath, [blobScript, dir], runs, opts);
      const d = JSON.parse(diffApi.last.stdout);
      b = JSON.parse(blob.last.stdout);
      console.log(rowMs(`  diff strategy, API (${d.mb} MB of added lines)`, diffApi, `   node ${d.nodeMaxRssMb} MB`));
      console.log(rowMs(`  blob strategy, API (${b.blobs} blobs, ${b.mb} MB)`, blob, `   node ${b.nodeMaxRssMb} MB`));
    }
    const sum = (peaks.nodeMb ?? NaN) + (peaks.gitMb ?? NaN);
    console.log(
      `  leakhound peak RSS: node ${fmt(peaks.nodeMb)} MB, git ${fmt(peaks.gitMb)} MB (git ${peaks.gitCmd ?? '?'}); node + git ${fmt(sum)} MB (target < 400 MB: ${Number.isFinite(sum) ? (sum < 400 ? 'yes' : 'NO') : 'n/a'})`,
    );
    const ratio = (a, base, target) => `${(a.wallMs / base.wallMs).toFixed(2)}x wall, ${(a.cpuMs / base.cpuMs).toFixed(2)}x cpu (target <= ${target}x wall: ${a.wallMs <= target * base.wallMs ? 'yes' : 'NO'})`;
    console.log(`  ratio leakhound / git cat-file --batch-all-objects --batch: ${ratio(lh, batch, 3)}`);
    console.log(`  ratio leakhound / git log -p -U0 --all: ${ratio(lh, logp, 2)}`);
    const found = JSON.parse(lh.last.stdout).findings.map((f) => `${f.file} ${f.secret}`).sort();
    const want = planted.map((p) => `${p.file} ${p.token}`).sort();
    const exact = JSON.stringify(found) === JSON.stringify(want);
    console.log(`  findings equal planted tokens (one per leak): ${exact ? `yes (${found.length})` : `NO (found ${found.length}, planted ${want.length})`}${b ? `; blob strategy found ${b.findings}` : ''}`);
    if (!exact) {
      const extra = found.filter((f) => !want.includes(f)).slice(0, 5);
      const missed = want.filter((f) => !found.includes(f)).slice(0, 5);
      if (extra.length) console.log(`  extra: ${extra.join(', ')}`);
      if (missed.length) console.log(`  missed: ${missed.join(', ')}`);
      process.exitCode = 1;
    }
  }
}
