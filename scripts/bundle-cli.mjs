#!/usr/bin/env node
// Build step: bundles the CLI for a fast start (the pre-commit hook runs it on every commit).
// - dist/bundle/cli.cjs: the whole CLI in one CommonJS file (re2 stays external), which
//   bin/leakhound.js compiles with V8's code cache;
// - dist/bundle/scan-worker.js: the worker-thread script (src/parallel/pool.ts finds it beside the CLI);
// - dist/bundle/cli.cjs.cache + cli.cjs.stamp.json: the code cache, made by running a staged scan
//   that finds a (fake, generated) secret in a temporary repository, so that the functions that
//   path runs are compiled ahead of time. bin/leakhound.js uses it only while cli.cjs is the build
//   the stamp names (its first line), and V8 itself rejects a cache from another V8 version or flags.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'bundle');
rmSync(out, { recursive: true, force: true });
// ASCII only (other characters escaped): node then reads the 470 KB bundle as a one-byte string, in a
// third of the time a single non-ASCII character costs (the UTF-8 decoder's slow path, a two-byte string).
const common = { bundle: true, platform: 'node', target: 'node20', external: ['re2'], logLevel: 'warning', charset: 'ascii' };
await build({ ...common, entryPoints: [join(root, 'src/scan-worker.ts')], format: 'esm', outfile: join(out, 'scan-worker.js') });
await build({
  ...common,
  entryPoints: [join(root, 'src/cli/entry.ts')],
  format: 'cjs',
  outfile: join(out, 'cli.cjs'),
  // import.meta.url in our modules (paths of rules and data files) becomes this file's URL.
  define: { 'import.meta.url': '__leakhound_import_meta_url' },
  // The first line names this build: the code cache's stamp records it (mtimes do not survive npm pack).
  banner: { js: `// leakhound build ${randomUUID()}\nconst __leakhound_import_meta_url = require('node:url').pathToFileURL(__filename).href;` },
});

// The code cache, from a staged scan that finds something (so the reporting path is compiled too).
const repo = mkdtempSync(join(tmpdir(), 'leakhound-code-cache-'));
try {
  const git = (...args) => execFileSync('git', args, { cwd: repo, stdio: 'ignore', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  git('init', '-q');
  // A fake GitHub token of the documented shape, assembled here (never a real one).
  const body = 'leakhoundCodeCacheFakeToken'.padEnd(36, 'x').slice(0, 36);
  const fakePassword = ['n0t', 'a', 'real', 'Passw0rd!'].join('-');
  writeFileSync(join(repo, 'config.js'), `const token = "ghp_${body}";\nconst password = "${fakePassword}";\n`);
  git('add', 'config.js');
  const run = spawnSync(process.execPath, [join(root, 'bin', 'leakhound.js'), 'scan', '--staged', '-q'], {
    cwd: repo,
    env: { ...process.env, LEAKHOUND_WRITE_CODE_CACHE: '1' },
    encoding: 'utf8',
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`code-cache run failed (exit ${run.status}): ${run.stderr}`);
} finally {
  rmSync(repo, { recursive: true, force: true });
}
