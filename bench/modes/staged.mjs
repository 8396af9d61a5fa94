// Pre-commit bench: `scan --staged` on a 10-file commit, median of 30 runs (after one warm-up run), beside `git diff --cached`
// and a bare `node -e 0` (the floor for any Node CLI on this machine), timed in turns with the scan so that the
// machine's drift weighs on both alike; prints the median of the pairs' differences (leakhound's own share).
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export default function staged({ work, cli, timeRuns, timePairs }) {
  const dir = join(work, 'staged-10');
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'B', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'B', GIT_COMMITTER_EMAIL: 'b@example.com' };
  const g = (...a) => spawnSync('git', a, { cwd: dir, env });
  if (!existsSync(join(dir, '.git'))) {
    mkdirSync(dir, { recursive: true });
    g('init', '-q', '-b', 'main');
    for (let i = 0; i < 50; i++) writeFileSync(join(dir, `f${i}.txt`), Array.from({ length: 200 }, (_, j) => `line ${i} ${j} some ordinary text`).join('\n') + '\n');
    g('add', '-A');
    g('commit', '-q', '-m', 'init');
    for (let i = 0; i < 10; i++) appendFileSync(join(dir, `f${i}.txt`), Array.from({ length: 30 }, (_, j) => `changed ${i} ${j}`).join('\n') + '\n');
    g('add', '-A');
  }
  const opts = { cwd: dir };
  const fmtT = (t) => `${Math.round(t.wallMs)} ms (peak RSS ${Math.round(t.rssMb)} MB)`;
  console.log(`\nstaged: 10 staged files (300 added lines), median of 30 runs after a warm-up run each`);
  for (const args of [['-e', '0'], [cli, '--version'], [cli, 'scan', '--staged', '-q']]) timeRuns(process.execPath, args, 1, opts);
  // `node -e 0` and the scan in turns (the machine's speed drifts): their medians, and the median of
  // each pair's difference, leakhound's own share.
  const scan = timePairs([process.execPath, ['-e', '0'], opts], [process.execPath, [cli, 'scan', '--staged', '-q'], opts], 30);
  console.log(`  node -e 0                       ${fmtT(scan.a)}`);
  console.log(`  git diff --cached               ${fmtT(timeRuns('git', ['diff', '--cached'], 30, opts))}`);
  console.log(`  leakhound --version             ${fmtT(timeRuns(process.execPath, [cli, '--version'], 30, opts))}`);
  console.log(`  leakhound scan --staged         ${fmtT(scan.b)}  (target < 120 ms; ${Math.round(scan.difference)} ms over node -e 0, median of pairs)`);
  // NODE_EXTRA_CA_CERTS makes node read and parse that certificate file at start-up, before any
  // script runs (about 48 ms on the development machines, whose environment sets it). leakhound
  // opens no connection, but it cannot skip what node does before it starts: shown apart.
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const { NODE_EXTRA_CA_CERTS: certs, ...rest } = process.env;
    const without = { cwd: dir, env: rest };
    console.log(`  the same without NODE_EXTRA_CA_CERTS (set here to ${certs}):`);
    timeRuns(process.execPath, [cli, 'scan', '--staged', '-q'], 1, without);
    const bare = timePairs([process.execPath, ['-e', '0'], without], [process.execPath, [cli, 'scan', '--staged', '-q'], without], 30);
    console.log(`  node -e 0                       ${fmtT(bare.a)}`);
    console.log(`  leakhound scan --staged         ${fmtT(bare.b)}  (${Math.round(bare.difference)} ms over node -e 0, median of pairs)`);
  }
}
