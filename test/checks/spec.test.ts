import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Classifier, isEmptyOrReference } from '../../src/checks/classify.js';
import { builtinHygieneSpec, loadHygieneSpec, validateHygieneSpec } from '../../src/checks/spec.js';
import { ConfigError } from '../../src/errors.js';
import { tempDir } from '../helpers/tmp.js';

const spec = builtinHygieneSpec();
const classifier = new Classifier(spec);

describe('rules/hygiene/config-files.yml', () => {
  it('loads and validates', () => {
    expect(spec.provider.id).toBe('hygiene');
    expect(spec.files.length).toBeGreaterThan(10);
  });

  // One generic test over every entry's examples (no per-entry test code).
  for (const kind of spec.files) {
    describe(kind.id, () => {
      for (const ex of kind.examples) {
        it(`matches ${ex.path}${ex.content !== undefined ? ' (with content)' : ''}`, () => {
          const got = classifier.classify({ path: ex.path, secretFound: ex.secretFound ?? false }, ex.content);
          expect(got?.id).toBe(kind.id);
        });
      }
      for (const ex of kind.negativeExamples) {
        it(`does not match ${ex.path}${ex.content !== undefined ? ' (with content)' : ''}`, () => {
          const got = classifier.classify({ path: ex.path, secretFound: ex.secretFound ?? false }, ex.content);
          expect(got?.id).not.toBe(kind.id);
        });
      }
    });
  }
});

describe('classification', () => {
  const kindOf = (path: string, content?: string, secretFound = false): string | undefined => classifier.classify({ path, secretFound }, content)?.id;

  it('treats a file that only names variables as not secret-bearing', () => {
    expect(kindOf('.env', 'API_KEY=\nOTHER=${API_KEY}\nX="$Y"\nZ= # later\n')).toBeUndefined();
    expect(kindOf('.env', 'API_KEY=\nOTHER=real-value\n')).toBe('dotenv');
    expect(kindOf('.npmrc', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n')).toBeUndefined();
    expect(kindOf('.docker/config.json', '{"auths":{"ghcr.io":{}}}')).toBeUndefined();
  });

  it('excludes templates and public keys', () => {
    for (const p of ['.env.example', '.env.sample', '.env.template', '.env.dist', 'config/secrets.example.yml', 'id_rsa.pub']) {
      expect(kindOf(p, 'A=b')).toBeUndefined();
    }
  });

  it('needs a detected secret for config-named files, and skips source files', () => {
    expect(kindOf('config/settings.yml', 'a: b')).toBeUndefined();
    expect(kindOf('config/settings.yml', 'a: b', true)).toBe('config-with-secret');
    expect(kindOf('src/config.ts', 'a', true)).toBeUndefined();
    expect(kindOf('web.config', 'a', true)).toBe('config-with-secret');
  });

  it('matches names case-insensitively and path globs on the last segments', () => {
    expect(kindOf('AppSettings.Production.json', '{}', true)).toBe('config-with-secret');
    expect(kindOf('users/ci/.aws/credentials')).toBe('aws-credentials');
    expect(kindOf('credentials')).toBeUndefined();
  });

  it('knows references from literals', () => {
    for (const v of ['', '""', "''", '${A}', '${A:-x}', '$A', '${{ secrets.A }}', '{{ a }}', '%A%', '<%= ENV["A"] %>']) expect(isEmptyOrReference(v)).toBe(true);
    for (const v of ['a', '"a"', '$1abc', 'prefix${A}']) expect(isEmptyOrReference(v)).toBe(false);
  });
});

describe('validation', () => {
  it('reports every problem at once, each with where it is', () => {
    const { problems } = validateHygieneSpec(
      {
        version: 2,
        provider: { id: 'hygiene', name: 'H', category: 'c', remediation: { revokeUrl: 'u', revoke: 'r' } },
        contentTests: { bad: { kind: 'regex', description: 'd', pattern: '(?=x)' }, odd: { kind: 'nope' } },
        files: [{ id: 'Bad Id', name: 'x', names: [], content: 'missing', examples: [] }],
      },
      'x.yml',
    );
    expect(problems).toEqual([
      'x.yml: version: must be 1',
      'x.yml: provider.remediation.regenerate: must be a non-empty string',
      expect.stringMatching(/^x\.yml: contentTests\.bad: pattern is not a valid RE2 pattern/),
      'x.yml: contentTests.odd: kind must be one of assignment, regex, document',
      'x.yml: files.Bad Id: id must be kebab-case',
      'x.yml: files.Bad Id: names must be a non-empty list of globs',
      'x.yml: files.Bad Id: needs at least one example',
      'x.yml: files.Bad Id: content test `missing` is not defined in contentTests',
    ]);
  });

  it('throws a ConfigError for a bad file', () => {
    const dir = tempDir();
    const path = join(dir, 'h.yml');
    writeFileSync(path, 'version: 1\nfiles: 3\n');
    expect(() => loadHygieneSpec(path)).toThrow(ConfigError);
    writeFileSync(path, 'version: [\n');
    expect(() => loadHygieneSpec(path)).toThrow(/cannot read hygiene data/);
  });
});

describe('gitignore lines', async () => {
  const { escapePattern } = await import('../../src/checks/gitignore-fix.js');
  it('escapes what gitignore would read as a pattern', () => {
    expect(escapePattern('a*b?[c]\\d')).toBe('a\\*b\\?\\[c\\]\\\\d');
    expect(escapePattern('#x')).toBe('\\#x');
    expect(escapePattern('!x')).toBe('\\!x');
    expect(escapePattern('x  ')).toBe('x\\ \\ ');
  });
});

describe('the pre-parsed bundle', () => {
  it('scripts/bundle-hygiene.mjs writes the spec validated from the YAML, keyed by its sha256', async () => {
    const { execFileSync } = await import('node:child_process');
    const { existsSync, readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const { BUILTIN_HYGIENE_FILE } = await import('../../src/checks/spec.js');
    const { sha256 } = await import('../../src/sha256.js');
    const dist = new URL('../../dist/', import.meta.url);
    if (!existsSync(dist)) return; // no build here
    execFileSync(process.execPath, [new URL('../../scripts/bundle-hygiene.mjs', import.meta.url).pathname]);
    const text = readFileSync(BUILTIN_HYGIENE_FILE, 'utf8');
    const bundle = JSON.parse(readFileSync(new URL('hygiene-bundle.json', dist), 'utf8')) as { version: number; sha256: string; spec: unknown };
    expect(bundle.version).toBe(4);
    expect(bundle.sha256).toBe(sha256(text));
    const { spec, problems } = validateHygieneSpec(parse(text), BUILTIN_HYGIENE_FILE);
    expect(problems).toEqual([]);
    expect(bundle.spec).toEqual(spec);
  });
});
