import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.js';
import { tempDir } from './helpers/tmp.js';

const schema = JSON.parse(readFileSync(new URL('../schema/leakhound.schema.json', import.meta.url), 'utf8')) as object;
const AjvClass = ((Ajv as unknown as { default?: typeof Ajv }).default ?? Ajv) as unknown as new (o: object) => { compile(s: object): (d: unknown) => boolean };
const validate = new AjvClass({ allErrors: true, strict: false }).compile(schema);

const FULL = `rules:
  disable: [generic-password-unquoted]
  dirs: [./my-rules]
  replaceBuiltin: false
allowPaths: ["test/fixtures/"]
allowSecrets: ["not-a-real-secret", "/^sk_test_/"]
stopwords: [dummy]
maxFileSize: 1048576
allowComments: require-reason
baseline: .leakhound-baseline.json
`;

describe('config JSON Schema agrees with the loader', () => {
  it('a config using every key is valid for both', () => {
    const file = join(tempDir(), '.leakhound.yml');
    writeFileSync(file, FULL);
    expect(validate(parse(FULL))).toBe(true);
    const config = loadConfig(file);
    expect(config.allowComments).toBe('require-reason');
    expect(config.stopwords).toEqual(['dummy']);
  });

  it('both reject an unknown key and a wrong type', () => {
    for (const text of ['nope: 1\n', 'maxFileSize: big\n', 'allowComments: sometimes\n', 'rules:\n  disabled: [x]\n']) {
      const file = join(tempDir(), '.leakhound.yml');
      writeFileSync(file, text);
      expect(validate(parse(text))).toBe(false);
      expect(() => loadConfig(file)).toThrow(/invalid config/);
    }
  });
});
