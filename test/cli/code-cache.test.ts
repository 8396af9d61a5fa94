import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const bundle = fileURLToPath(new URL('../../dist/bundle/', import.meta.url));

describe('CLI start-up', () => {
  it('the build makes a V8 code cache for the CLI bundle, and bin/leakhound.js uses it', () => {
    // npm test builds first; the cache and its stamp sit beside the bundle.
    expect(existsSync(`${bundle}cli.cjs`)).toBe(true);
    expect(existsSync(`${bundle}cli.cjs.cache`)).toBe(true);
    const r = runCli(['--version'], { env: { ...process.env, LEAKHOUND_DEBUG_CODE_CACHE: '1' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('leakhound: code cache used\n');
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('the bundles are ASCII, so node reads them as one-byte strings (a single other character makes that three times slower)', () => {
    for (const name of ['cli.cjs', 'scan-worker.js', '../rules-bundle.json', '../hygiene-bundle.json']) {
      const offending = readFileSync(`${bundle}${name}`, 'latin1').match(/[^\x00-\x7f]/);
      expect(offending, `${name} holds ${JSON.stringify(offending?.[0])}: escape it in the source (esbuild cannot in regex literals)`).toBeNull();
    }
  });
});
