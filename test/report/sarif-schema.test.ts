import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { REPORTERS } from '../../src/report/index.js';
import { TEST_PROVIDER } from '../helpers/rules.js';
import { SAMPLE_FINDINGS } from './sample.js';

const schema: unknown = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url)), 'utf8'));

describe('SARIF output', () => {
  // ajv-draft-04 is CommonJS: its class is the module's default export (or the module itself).
  const Ajv = ((AjvDraft04 as unknown as { default?: typeof AjvDraft04 }).default ?? AjvDraft04) as unknown as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown[] | null } };
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema as object);

  it('validates against the official SARIF 2.1.0 schema', () => {
    const log: unknown = JSON.parse(REPORTERS.sarif(SAMPLE_FINDINGS, { rules: [], showSecrets: false, color: false, toolVersion: '1.0.0', extraProviders: [TEST_PROVIDER] }));
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check can fail: a result without a message is rejected', () => {
    const log = JSON.parse(REPORTERS.sarif(SAMPLE_FINDINGS, { rules: [], showSecrets: false, color: false, toolVersion: '1.0.0', extraProviders: [TEST_PROVIDER] })) as {
      runs: { results: Record<string, unknown>[] }[];
    };
    delete log.runs[0]!.results[0]!['message'];
    expect(validate(log)).toBe(false);
  });

  it('has one rule entry per rule with help and content-bound partialFingerprints', () => {
    const log = JSON.parse(REPORTERS.sarif(SAMPLE_FINDINGS, { rules: [], showSecrets: false, color: false, toolVersion: '1.0.0', extraProviders: [TEST_PROVIDER] })) as {
      runs: { tool: { driver: { rules: { id: string; help: { markdown: string } }[] } }; results: { partialFingerprints: Record<string, string> }[] }[];
    };
    const run = log.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(['acme-key']);
    expect(run.tool.driver.rules[0]!.help.markdown).toContain('**Revoke:**');
    expect(run.results.map((r) => r.partialFingerprints['leakhound/v1'])).toEqual(SAMPLE_FINDINGS.map((f) => f.fingerprint));
  });
});
