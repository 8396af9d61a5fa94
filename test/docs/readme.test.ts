import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applySections, readmeSections } from '../../src/docs/readme-tables.js';
import { loadRules } from '../../src/rules/load.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('starts with the two commands that work on a fresh clone: install-and-scan, then the tests', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = firstBlock.split('\n').filter(Boolean).map((l) => l.replace(/\s+#.*$/, '').trim());
    expect(commands).toEqual(['npm ci && node bin/leakhound.js scan .', 'npm test']);
  });

  it('generated tables (flags, providers) are up to date: run `node scripts/readme.mjs` after changing flags or rules', () => {
    expect(applySections(readme, readmeSections(loadRules()))).toBe(readme);
  });

  it('.ci/run runs exactly the README install and test commands', () => {
    const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    const lines = ci.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    expect(lines).toContain('npm ci');
    expect(lines).toContain('npm test');
  });
});
