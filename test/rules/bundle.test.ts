import { createHash } from 'node:crypto';
import { statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../src/rules/bundle.js';
import { tempDir } from '../helpers/tmp.js';

/** A rules dir with one file and a bundle recording it as it is now. */
function setup(): { dir: string; bundle: string } {
  const dir = tempDir();
  const file = join(dir, 'acme.yml');
  writeFileSync(file, 'provider: acme\n');
  const { size, mtimeMs } = statSync(file);
  const sha256 = createHash('sha256').update('provider: acme\n').digest('hex');
  const bundle = join(dir, 'bundle.json');
  const data = { provider: { id: 'acme' }, rules: [{ id: 'acme-key', allowSecrets: [1, 0] }] };
  writeFileSync(bundle, JSON.stringify({ version: 5, docs: 'docs.json', shared: ['^x$', '^y$'], files: [{ name: 'acme.yml', sha256, size, mtimeMs, data }] }));
  writeFileSync(join(dir, 'docs.json'), JSON.stringify({ providers: { acme: { revoke: 'r' } }, rules: { 'acme-key': { examples: ['e'], negativeExamples: ['n'], references: [] } } }));
  return { dir, bundle };
}

describe('rules bundle', () => {
  it('is used while files are unchanged, also when only their mtime moved (a fresh checkout)', () => {
    const { dir, bundle } = setup();
    const read = () => readBundle(bundle, dir, ['acme.yml'])?.get('acme.yml') as { provider: Record<string, unknown>; rules: Record<string, unknown>[] } | undefined;
    expect(read()?.rules[0]?.['id']).toBe('acme-key');
    // allowSecrets come back as the shared patterns they index.
    expect(read()?.rules[0]?.['allowSecrets']).toEqual(['^y$', '^x$']);
    utimesSync(join(dir, 'acme.yml'), new Date('2020-01-01'), new Date('2020-01-01'));
    const data = read();
    // The split-out documentation comes back on first use.
    expect(data?.provider['remediation']).toEqual({ revoke: 'r' });
    expect(data?.rules[0]?.['examples']).toEqual(['e']);
    expect(data?.rules[0]?.['description']).toBeUndefined();
  });

  it('is stale when a file changed, or files were added', () => {
    const { dir, bundle } = setup();
    writeFileSync(join(dir, 'acme.yml'), 'provider: acmf\n'); // same size, new content and mtime
    utimesSync(join(dir, 'acme.yml'), new Date('2021-01-01'), new Date('2021-01-01'));
    expect(readBundle(bundle, dir, ['acme.yml'])).toBeUndefined();
    expect(readBundle(setup().bundle, dir, ['acme.yml', 'other.yml'])).toBeUndefined();
  });
});
