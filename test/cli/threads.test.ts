import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE } from '../helpers/fake.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeTree } from '../helpers/tmp.js';

/**
 * A tree over the 8 MiB at which working-tree scans use worker threads: 24 files of about 420 KB,
 * a fake token in every third one (at different lines), one file over --max-file-size (a warning)
 * and one allow comment (a suppressed finding).
 */
function bigTree(): string {
  const root = tempDir();
  const files: Record<string, string> = {};
  const filler = (i: number, n: number): string => Array.from({ length: n }, (_, j) => `const value${i}_${j} = compute(${j}, "plain text line ${j}");`).join('\n');
  for (let i = 0; i < 24; i++) {
    const body = filler(i, 7000);
    files[`src/mod${String(i).padStart(2, '0')}/file.js`] = i % 3 === 0 ? `${body}\nconst token = "${FAKE.githubPat}";\n${filler(i, 50 * i)}\n` : `${body}\n`;
  }
  files['src/allowed.js'] = `const token = "${FAKE.githubPat}"; // leakhound:allow reason="test fixture"\n`;
  files['big/huge.txt'] = 'x'.repeat(3 * 1024 * 1024);
  writeTree(root, files);
  return root;
}

describe('worker threads', () => {
  it('a big tree gives the same report, summary and exit code on 1 and 2 threads', () => {
    const root = bigTree();
    const args = ['scan', root, '--format', 'json', '--show-secrets', '--no-hygiene', '--max-file-size', '2m'];
    const one = runCli([...args, '--threads', '1']);
    const two = runCli([...args, '--threads', '2']);
    expect(one.code).toBe(1);
    const findings = (JSON.parse(one.stdout) as { findings: { file: string; line: number }[] }).findings;
    expect(findings.map((f) => `${f.file}:${f.line}`)).toEqual(Array.from({ length: 8 }, (_, k) => `src/mod${String(3 * k).padStart(2, '0')}/file.js:7001`));
    expect(two.code).toBe(one.code);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toMatch(/ in \d+ ms on 2 threads; /);
    const summary = (s: string): string => s.replace(/in \d+ ms( on 2 threads)?/, 'in N ms');
    expect(summary(two.stderr)).toBe(summary(one.stderr));
    expect(one.stderr).toContain('skipped big/huge.txt');
    expect(one.stderr).toContain('; 1 allowed inline;');
  });

  it('a library user can scan a big tree again and again in one process: the workers are kept between scans', () => {
    const root = bigTree();
    // The built library, in its own process: a crash must not take the test runner down with it.
    const index = new URL('../../dist/index.js', import.meta.url).href;
    const script = `const { scan } = await import(${JSON.stringify(index)});
      const runs = [];
      for (let i = 0; i < 4; i++) {
        // The last scan has other rules: the kept workers must take its setup.
        const disabledRules = i === 3 ? ['github-pat-classic'] : [];
        const r = await scan({ path: ${JSON.stringify(root)}, threads: 2, hygiene: false, maxFileSize: 2 * 1024 * 1024, disabledRules });
        runs.push({ threads: r.threads, findings: r.findings.map((f) => f.file + ':' + f.line), rules: [...new Set(r.findings.map((f) => f.ruleId))] });
      }
      console.log(JSON.stringify(runs));`;
    const file = join(tempDir(), 'scan-twice.mjs');
    writeFileSync(file, script);
    // A timeout: kept workers must not hold the process open once the program is done.
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const runs = JSON.parse(r.stdout) as { threads: number; findings: string[]; rules: string[] }[];
    expect(runs.map((run) => run.threads)).toEqual([2, 2, 2, 2]);
    expect(runs[0]!.findings).toHaveLength(8);
    expect(runs[0]!.rules).toEqual(['github-pat-classic']);
    expect(runs[1]!.findings).toEqual(runs[0]!.findings);
    expect(runs[2]!.findings).toEqual(runs[0]!.findings);
    expect(runs[3]!.rules).not.toContain('github-pat-classic');
  });

  it('rejects a bad --threads value with exit 2', () => {
    const r = runCli(['scan', tempDir(), '--threads', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--threads: expected a whole number');
  });
});
