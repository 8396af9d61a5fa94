// History bench: `scan --history` (one streaming git log -p, added lines only) beside the blob strategy
// (bench/history-blob.mjs) and the raw cost of git producing the data, on two >= 5,000-commit repos
// built by bench/make-history.mjs: small files (60-140 lines) and ten times larger ones (600-1,400 lines).
// Wall and CPU (user+sys, all processes) times, medians; peak RSS of the largest process, and of node alone.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeHistory } from '../make-history.mjs';

const VARIANTS = [
  { name: 'history-5000', fileLines: 60 },
  { name: 'history-5000-big', fileLines: 600 },
];

export default function history({ work, cli, runs, timeRuns }) {
  const api = fileURLToPath(new URL('../history-api.mjs', import.meta.url));
  const blobScript = fileURLToPath(new URL('../history-blob.mjs', import.meta.url));
  for (const v of VARIANTS) {
    const dir = join(work, v.name);
    if (!existsSync(join(dir, '.git', 'planted.json'))) makeHistory(dir, 5000, v.fileLines);
    const planted = JSON.parse(readFileSync(join(dir, '.git', 'planted.json'), 'utf8'));
    const opts = { cwd: dir };
    const rowMs = (label, t, extra = '') =>
      `  ${label.padEnd(50)} wall ${String(Math.round(t.wallMs)).padStart(6)} ms   cpu ${String(Math.round(t.cpuMs)).padStart(6)} ms   peak RSS ${String(Math.round(t.rssMb)).padStart(4)} MB${extra}`;
    console.log(`\nhistory: ${dir} (5,200 commits, files of ${v.fileLines}+ lines), ${planted.length} planted tokens`);
    const logp = timeRuns('bash', ['-c', 'git log -p --all > /dev/null'], runs, opts);
    const batch = timeRuns('bash', ['-c', 'git cat-file --batch-all-objects --batch > /dev/null'], runs, opts);
    const lh = timeRuns(process.execPath, [cli, 'scan', '--history', '--format', 'json', '--show-secrets', '-q'], runs, opts);
    const diffApi = timeRuns(process.execPath, [api, dir], runs, opts);
    const blob = timeRuns(process.execPath, [blobScript, dir], runs, opts);
    const d = JSON.parse(diffApi.last.stdout);
    const b = JSON.parse(blob.last.stdout);
    console.log(rowMs('git log -p --all', logp));
    console.log(rowMs('git cat-file --batch-all-objects --batch', batch));
    console.log(rowMs('leakhound scan --history (CLI)', lh));
    console.log(rowMs(`  diff strategy, API (${d.mb} MB of added lines)`, diffApi, `   node ${d.nodeMaxRssMb} MB`));
    console.log(rowMs(`  blob strategy, API (${b.blobs} blobs, ${b.mb} MB)`, blob, `   node ${b.nodeMaxRssMb} MB`));
    const found = JSON.parse(lh.last.stdout).findings.map((f) => `${f.file} ${f.secret}`).sort();
    const want = planted.map((p) => `${p.file} ${p.token}`).sort();
    const exact = JSON.stringify(found) === JSON.stringify(want);
    console.log(`  findings equal planted tokens (one per leak): ${exact ? 'yes' : `NO (found ${found.length}, planted ${want.length})`}; blob strategy found ${b.findings}`);
    if (!exact) process.exitCode = 1;
  }
}
