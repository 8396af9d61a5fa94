import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FAKE } from '../helpers/fake.js';
import { commitAll, gitRepo, writeTree } from '../helpers/tmp.js';

type Report = { findings: { file: string; line: number; ruleId: string; advice?: string[] }[] };
const json = (stdout: string): Report => JSON.parse(stdout) as Report;

describe('baselines and governed allow comments, end to end in a git repo', () => {
  it('baseline hides what it recorded, survives a moved line, and reports a new secret on the old line', () => {
    const repo = gitRepo();
    writeTree(repo, { 'src/app.js': `const a = 1;\nconst token = "${FAKE.githubPat}";\n` });
    commitAll(repo, 'app');
    expect(runCli(['scan', '.'], { cwd: repo }).code).toBe(1);

    const created = runCli(['baseline', 'create', '.', '-o', '.leakhound-baseline.json'], { cwd: repo });
    expect(created.code).toBe(0);
    const file = readFileSync(join(repo, '.leakhound-baseline.json'), 'utf8');
    expect(file).not.toContain(FAKE.githubPat);
    expect(file.trimEnd().split('\n')).toHaveLength(3); // header, one entry, footer

    const again = runCli(['scan', '.', '--baseline', '.leakhound-baseline.json'], { cwd: repo });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('1 hidden by the baseline');

    // Move the line: still hidden (the fingerprint is bound to content, not to the line).
    writeFileSync(join(repo, 'src/app.js'), `// moved\n\n\nconst a = 1;\nconst token = "${FAKE.githubPat}";\n`);
    expect(runCli(['scan', '.', '--baseline', '.leakhound-baseline.json'], { cwd: repo }).code).toBe(0);

    // A new secret on that same line: reported, exactly once.
    writeFileSync(join(repo, 'src/app.js'), `// moved\n\n\nconst a = 1;\nconst token = "${FAKE.githubPat2}";\n`);
    const fresh = runCli(['scan', '.', '--baseline', '.leakhound-baseline.json', '--format', 'json'], { cwd: repo });
    expect(fresh.code).toBe(1);
    expect(json(fresh.stdout).findings.map((f) => [f.file, f.line, f.ruleId])).toEqual([['src/app.js', 5, 'github-pat-classic']]);

    // prune drops the entry that matches nothing now.
    const pruned = runCli(['baseline', 'prune', '.', '--baseline', '.leakhound-baseline.json'], { cwd: repo });
    expect(pruned.code).toBe(0);
    expect(pruned.stderr).toContain('1 stale entry dropped, 0 kept');
  });

  it('an allow comment with an expired until is reported; policies can require a reason or ignore comments', () => {
    const repo = gitRepo();
    writeTree(repo, {
      'a.js': `t = "${FAKE.githubPat}"; // leakhound:allow reason="rotated" until=2020-01-01\n`,
      'b.js': `t = "${FAKE.githubPat2}"; // leakhound:allow\n`,
    });
    const expired = json(runCli(['scan', '.', '--format', 'json'], { cwd: repo }).stdout);
    expect(expired.findings.map((f) => [f.file, f.advice])).toEqual([['a.js', ['The allow comment on this line expired on 2020-01-01.']]]);
    const requireReason = runCli(['scan', '.', '--format', 'json', '--allow-comments', 'require-reason'], { cwd: repo });
    expect(json(requireReason.stdout).findings.map((f) => f.file)).toEqual(['a.js', 'b.js']);
    const ignore = runCli(['scan', '.', '--format', 'json', '--allow-comments', 'ignore'], { cwd: repo });
    expect(json(ignore.stdout).findings.map((f) => f.file)).toEqual(['a.js', 'b.js']);
    writeFileSync(join(repo, '.leakhound.yml'), 'allowComments: require-reason\n');
    expect(json(runCli(['scan', '.', '--format', 'json'], { cwd: repo }).stdout).findings.map((f) => f.file)).toEqual(['a.js', 'b.js']);
  });

  it('a missing or malformed baseline is exit 2 with one line', () => {
    const repo = gitRepo();
    writeTree(repo, { 'a.js': '1\n', 'bad.json': '{"x":1}' });
    expect(runCli(['scan', '.', '--baseline', 'nope.json'], { cwd: repo })).toMatchObject({ code: 2 });
    const bad = runCli(['scan', '.', '--baseline', 'bad.json'], { cwd: repo });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^leakhound: \/.*\/bad\.json: not a leakhound baseline \(expected .*\)\n$/);
  });
});
