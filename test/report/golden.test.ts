import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPORTERS, type ReportFormat } from '../../src/report/index.js';
import type { ReportContext } from '../../src/report/context.js';
import { TEST_PROVIDER } from '../helpers/rules.js';
import { SAMPLE_FINDINGS, SAMPLE_SECRET } from './sample.js';

const context: ReportContext = { rules: [], showSecrets: false, color: false, toolVersion: '0.0.0-test', extraProviders: [TEST_PROVIDER] };
const golden = (name: string): string => fileURLToPath(new URL(`../../fixtures/golden/${name}`, import.meta.url));
const FILES: Record<ReportFormat, string> = { text: 'report.txt', json: 'report.json', sarif: 'report.sarif', github: 'report.github.txt', html: 'report.html' };

describe('reporters match their golden files', () => {
  for (const format of Object.keys(REPORTERS) as ReportFormat[]) {
    it(format, () => {
      const out = REPORTERS[format](SAMPLE_FINDINGS, context);
      // Regenerate with UPDATE_GOLDEN=1 after an intended change, and review the diff.
      if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden(FILES[format]), out);
      expect(out).toBe(readFileSync(golden(FILES[format]), 'utf8'));
    });
  }
});

describe('secrets are masked unless asked', () => {
  for (const format of Object.keys(REPORTERS) as ReportFormat[]) {
    it(`${format}: masked by default, clear with showSecrets`, () => {
      expect(REPORTERS[format](SAMPLE_FINDINGS, context)).not.toContain(SAMPLE_SECRET);
      expect(REPORTERS[format](SAMPLE_FINDINGS, { ...context, showSecrets: true })).toContain(SAMPLE_SECRET);
    });
  }

  it('text output neutralises control characters from scanned content', () => {
    const out = REPORTERS.text(SAMPLE_FINDINGS, context);
    expect(out).not.toContain('\u001b');
    expect(out).toContain('\\x1b[2J');
  });

  it('every reporter carries the provider advice (annotations point to it)', () => {
    for (const format of Object.keys(REPORTERS) as ReportFormat[]) {
      const out = REPORTERS[format](SAMPLE_FINDINGS, context);
      expect(out).toContain('https://acme.example/keys');
      if (format !== 'github') expect(out).toContain('Deactivate the leaked credential');
    }
  });

  it('html escapes everything taken from scanned content', () => {
    const hostile = { ...SAMPLE_FINDINGS[0]!, file: 'x/<script>alert(1)</script>.js', lineText: '<img src=x onerror=alert(1)>' };
    const out = REPORTERS.html([hostile], context);
    expect(out).not.toContain('<script>alert');
    expect(out).not.toContain('<img src=x');
    expect(out).toContain('&lt;script&gt;');
  });

  it('github annotations escape newlines, commas and colons in properties', () => {
    const odd = { ...SAMPLE_FINDINGS[0]!, file: 'a,b:c\nd.txt' };
    expect(REPORTERS.github([odd], context)).toMatch(/^::error file=a%2Cb%3Ac%0Ad\.txt,line=3,endLine=3,col=11,title=leakhound acme-key::Acme API key: acme\*{8}\. Revoke it at https:\/\/acme\.example\/keys/);
  });

  it('says plainly when there is nothing', () => {
    expect(REPORTERS.text([], context)).toBe('No leaks found.\n');
    expect(JSON.parse(REPORTERS.json([], context))).toEqual({ schemaVersion: 1, tool: { name: 'leakhound', version: '0.0.0-test' }, findings: [] });
  });
});
