#!/usr/bin/env node
// Figures for docs/hygiene.md: the config-file hygiene check on a copy of the labeled corpus made
// into a git repo, its agreement with `git check-ignore` (one process per path, the oracle), and
// its cost. Needs `npm run build` first. Usage: node bench/hygiene-corpus.mjs [corpus-dir]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditConfigFiles } from '../dist/checks/config-files.js';
import { ignoredPaths } from '../dist/checks/git.js';
import { scan } from '../dist/scan.js';
import { emptyStats } from '../dist/sources/stats.js';

process.env.GIT_CONFIG_GLOBAL = '/dev/null';
process.env.GIT_CONFIG_NOSYSTEM = '1';
const corpus = process.argv[2] ?? '/work/shared/corpus';
const dir = mkdtempSync(join(tmpdir(), 'leakhound-hygiene-'));
try {
  cpSync(corpus, dir, { recursive: true });
  const env = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com' };
  const git = (...a) => execFileSync('git', a, { cwd: dir, encoding: 'utf8', env });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'corpus');
  const ruleFiles = readdirSync(new URL('../rules/', import.meta.url)).filter((n) => /\.ya?ml$/.test(n)).length;

  const result = await scan({ path: dir });
  const hygiene = result.findings.filter((f) => f.providerId === 'hygiene');
  const byRule = {};
  const byKind = {};
  for (const f of hygiene) {
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
    const kind = /\(([a-z0-9-]+)\) is/.exec(f.advice?.[0] ?? '')?.[1];
    if (f.ruleId === 'config-file-tracked' && kind) byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  const detector = result.findings.filter((f) => f.providerId !== 'hygiene');
  const nameOnly = await auditConfigFiles({ root: dir, findings: [], stats: emptyStats() });
  console.log({
    committedFiles: git('ls-files').split('\n').filter(Boolean).length,
    rules: result.rules.length,
    ruleFiles,
    secretBearingFiles: new Set(hygiene.map((f) => f.file)).size,
    withoutDetectorFindings: nameOnly.files.length,
    hygieneFindings: hygiene.length,
    byRule,
    byKind,
  });

  // Cost: median of 5 in-process scans after the warm-up above.
  const times = { withCheck: [], without: [] };
  for (let i = 0; i < 5; i++) {
    times.withCheck.push((await scan({ path: dir })).elapsedMs);
    times.without.push((await scan({ path: dir, hygiene: false })).elapsedMs);
  }
  const median = (a) => Math.round([...a].sort((x, y) => x - y)[2]);
  console.log({ scanMsWithCheck: median(times.withCheck), scanMsWithout: median(times.without) });

  // Agreement with the oracle, after adding ignore rules with negations, a directory and `**`.
  writeFileSync(join(dir, '.gitignore'), '*.pem\n!expired-creds/files/crypto/openssl/rsa/**/*.pem\n.env\nleaky-repo/files/.docker/\n/secretlint-fixtures/**/.npmrc\n');
  writeFileSync(join(dir, 'leaky-repo/files/.gitignore'), '!.env\n.ssh/\n*.key\n');
  const oracle = (p) => spawnSync('git', ['check-ignore', '--no-index', '-q', '--', p], { cwd: dir }).status === 0;
  const all = git('ls-files', '-z', '-c', '-o').split('\0').filter(Boolean);
  const batched = await ignoredPaths(dir, all);
  const disagreePaths = all.filter((p) => oracle(p) !== batched.has(p));
  const audit = await auditConfigFiles({ root: dir, findings: detector, stats: emptyStats() });
  const disagreeStatus = audit.files.filter((s) => s.ignored !== oracle(s.topPath)).map((s) => s.file);
  console.log({
    paths: all.length,
    pathsAgreeing: all.length - disagreePaths.length,
    secretBearing: audit.files.length,
    ignoredAfterRules: audit.files.filter((s) => s.ignored).length,
    statusesAgreeing: audit.files.length - disagreeStatus.length,
    disagreePaths,
    disagreeStatus,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
