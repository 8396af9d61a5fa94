import type { CompiledRule, Severity } from '../types.js';
import { adviceFor, adviceLines, adviceMarkdown } from './advice.js';
import { providersById, type Reporter } from './context.js';
import { shownSecret } from './redact.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };

/**
 * SARIF 2.1.0: one `rules` entry per rule that has a finding (plus hygiene rules), `help` holding
 * the provider's revoke-and-regenerate advice, and a content-bound `partialFingerprints` entry.
 */
export const sarifReporter: Reporter = (findings, context) => {
  const providers = providersById(context);
  const ruleById = new Map<string, CompiledRule>(context.rules.map((r) => [r.id, r]));
  const ruleIds = [...new Set(findings.map((f) => f.ruleId))].sort();
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const rules = ruleIds.map((id) => {
    const sample = findings.find((f) => f.ruleId === id)!;
    const rule = ruleById.get(id);
    const provider = providers.get(sample.providerId);
    const advice = provider ? adviceFor(provider) : undefined;
    const entry: Record<string, unknown> = {
      id,
      name: toPascal(id),
      shortDescription: { text: sample.ruleName },
      fullDescription: { text: rule?.spec.description ?? `${sample.ruleName} (${sample.providerName})` },
      defaultConfiguration: { level: LEVEL[sample.severity] },
      properties: { tags: ['security', 'secret', sample.providerId], provider: sample.providerName, 'security-severity': securityScore(sample.severity) },
    };
    if (advice) {
      entry['help'] = { text: adviceLines(advice).join('\n'), markdown: adviceMarkdown(advice) };
      entry['helpUri'] = advice.revokeUrl;
    }
    return entry;
  });
  const results = findings.map((f) => {
    const result: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: LEVEL[f.severity],
      message: {
        text: `${f.secret === '' ? `${f.ruleName}: ${f.file}` : `${f.ruleName} found: ${shownSecret(f, context.showSecrets)}`}${f.advice?.length ? ` (${f.advice[0]})` : ''}`,
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          },
        },
      ],
      partialFingerprints: { 'leakhound/v1': f.fingerprint },
    };
    if (f.origin.kind === 'commit') {
      result['properties'] = { commit: f.origin.sha, author: f.origin.author, date: f.origin.date, history: f.history };
    }
    return result;
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'leakhound', version: context.toolVersion, informationUri: 'https://www.npmjs.com/package/leakhound', rules } },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The scanned root.' } } },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

function toPascal(id: string): string {
  return id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function securityScore(s: Severity): string {
  return { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' }[s];
}
