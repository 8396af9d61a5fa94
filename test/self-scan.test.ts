import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('this repository scans itself clean', () => {
  it('.leakhoundignore lets through only the rules, the fixtures and the tests', () => {
    const lines = readFileSync(new URL('../.leakhoundignore', import.meta.url), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(lines).toEqual(['rules/', 'fixtures/', 'test/']);
  });

  it('`leakhound scan .` exits 0', () => {
    const r = runCli(['scan', '.'], { cwd: ROOT });
    expect(r.stdout).toBe('No leaks found.\n');
    expect(r.code).toBe(0);
  });

  it('the ignore file is what keeps it clean: the rule examples themselves are found', () => {
    const r = runCli(['scan', 'rules', '--format', 'json', '-q'], { cwd: ROOT });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
  });
});
