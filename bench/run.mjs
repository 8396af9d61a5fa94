#!/usr/bin/env node
// npm run bench: leakhound against the raw cost of reading the same data, in one run.
// Builds its inputs deterministically under a temp dir (kept between runs in $TMPDIR/leakhound-bench).
// Modes: worktree (>= 50 MB tree vs `cat`, the two timed in turns; the ratio is the median of the pairs'
// ratios). Other modes are added by bench/modes/*.mjs when present.
// Options: --mb N (tree size, default 60), --runs N (default 3), --only MODE
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTree } from './make-tree.mjs';
import { fmt, measure, median } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const RUNS = Number(opt('runs', 3));
const MB = Number(opt('mb', 60));
const ONLY = opt('only', undefined);
const CLI = fileURLToPath(new URL('../bin/leakhound.js', import.meta.url));
const WORK = join(tmpdir(), 'leakhound-bench');

/** Times `runs` runs of a command; returns medians. */
export function timeRuns(cmd, cmdArgs, runs = RUNS, opts = {}) {
  const rs = [];
  for (let i = 0; i < runs; i++) rs.push(measure(cmd, cmdArgs, opts));
  return summarize(rs);
}

/** Medians of wall and CPU time, the largest peak RSS, and the last run, of measured runs. */
export function summarize(rs) {
  return { wallMs: median(rs.map((r) => r.wallMs)), cpuMs: median(rs.map((r) => r.cpuMs)), rssMb: Math.max(...rs.map((r) => r.rssMb)), last: rs[rs.length - 1] };
}

/**
 * Times two commands in turns, `runs` pairs, so that the machine's speed, which drifts from minute
 * to minute, weighs on both alike: medians of each, and the median of each pair's ratio of wall
 * times (b / a) and difference (b - a, ms).
 */
export function timePairs(a, b, runs = RUNS) {
  const as = [];
  const bs = [];
  for (let i = 0; i < runs; i++) {
    as.push(measure(...a));
    bs.push(measure(...b));
  }
  return {
    a: summarize(as),
    b: summarize(bs),
    ratio: median(bs.map((r, i) => r.wallMs / as[i].wallMs)),
    difference: median(bs.map((r, i) => r.wallMs - as[i].wallMs)),
  };
}

export function row(label, t, mb) {
  return `  ${label.padEnd(44)} wall ${fmt(t.wallMs).padStart(7)} ms   cpu ${fmt(t.cpuMs).padStart(7)} ms   peak ${fmt(t.rssMb).padStart(5)} MB   ${fmt(mb / (t.wallMs / 1000), 1).padStart(7)} MB/s`;
}

function worktree() {
  const dir = join(WORK, `tree-v2-${MB}`);
  let meta;
  if (!existsSync(join(dir, '.planted.json'))) meta = makeTree(dir, MB);
  const planted = JSON.parse(readFileSync(join(dir, '.planted.json'), 'utf8'));
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(dir);
  const mb = files.reduce((n, f) => n + readFileSync(f).length, 0) / 1048576;
  console.log(`\nworktree: ${files.length} files, ${mb.toFixed(1)} MB, ${planted.length} planted secrets${meta ? ' (built now)' : ''}`);
  // Warm the page cache so both sides read from memory.
  measure('bash', ['-c', `find "${dir}" -type f -print0 | xargs -0 cat > /dev/null`]);
  const pairs = timePairs(['bash', ['-c', `find "${dir}" -type f -print0 | xargs -0 cat > /dev/null`]], [process.execPath, [CLI, 'scan', dir, '--format', 'json', '-q']]);
  const { a: cat, b: lh } = pairs;
  const found = JSON.parse(lh.last.stdout).findings.map((f) => `${f.file}:${f.line}:${f.ruleId}`).sort();
  const want = planted.map((p) => `${p.file}:${p.line}:${p.ruleId}`).sort();
  const exact = JSON.stringify(found) === JSON.stringify(want);
  console.log(row('cat (find | xargs cat)', cat, mb));
  console.log(row('leakhound scan', lh, mb));
  console.log(`  ratio leakhound / cat: ${pairs.ratio.toFixed(1)}x wall, median of ${RUNS} runs of each in turns (target <= 5x)`);
  console.log(`  findings equal planted secrets: ${exact ? 'yes' : `NO (found ${found.length}, planted ${want.length})`}`);
  if (!exact) {
    const extra = found.filter((f) => !want.includes(f)).slice(0, 10);
    const missed = want.filter((f) => !found.includes(f)).slice(0, 10);
    if (extra.length) console.log(`  extra: ${extra.join(', ')}`);
    if (missed.length) console.log(`  missed: ${missed.join(', ')}`);
    process.exitCode = 1;
  }
}

const modes = { worktree };
const extraDir = fileURLToPath(new URL('./modes/', import.meta.url));
if (existsSync(extraDir)) {
  for (const f of readdirSync(extraDir).filter((n) => n.endsWith('.mjs')).sort()) {
    const m = await import(join(extraDir, f));
    modes[f.replace(/\.mjs$/, '')] = () => m.default({ work: WORK, cli: CLI, runs: RUNS, timeRuns, timePairs, row });
  }
}
console.log(`leakhound bench (node ${process.version}, ${RUNS} runs each, medians)`);
for (const [name, fn] of Object.entries(modes)) if (!ONLY || ONLY === name) await fn();
