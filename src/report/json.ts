import type { Finding } from '../types.js';
import { adviceFor, type Advice } from './advice.js';
import { providersById, type Reporter } from './context.js';
import { shownSecret } from './redact.js';

/** Version of the JSON report's shape. Bump on any incompatible change. */
export const JSON_SCHEMA_VERSION = 1;

/**
 * One finding in the JSON report (documented in the README): the Finding's location and identity
 * fields as they are (paths relative to the scanned root, lines and columns 1-based), plus the
 * provider, the secret as shown (masked unless `--show-secrets`) and the provider's advice.
 */
export type JsonFinding = Pick<Finding, 'ruleId' | 'ruleName' | 'severity' | 'file' | 'line' | 'endLine' | 'column' | 'endColumn' | 'fingerprint' | 'entropy' | 'origin' | 'history' | 'advice'> & {
  provider: string;
  providerName: string;
  secret: string;
  secretMasked: boolean;
  remediation: Advice | null;
};

export const jsonReporter: Reporter = (findings, context) => {
  const providers = providersById(context);
  const items: JsonFinding[] = findings.map((f) => {
    const p = providers.get(f.providerId);
    const item: JsonFinding = {
      ruleId: f.ruleId,
      ruleName: f.ruleName,
      provider: f.providerId,
      providerName: f.providerName,
      severity: f.severity,
      file: f.file,
      line: f.line,
      endLine: f.endLine,
      column: f.column,
      endColumn: f.endColumn,
      secret: shownSecret(f, context.showSecrets),
      secretMasked: !context.showSecrets,
      fingerprint: f.fingerprint,
      entropy: f.entropy,
      origin: f.origin,
      remediation: p ? adviceFor(p) : null,
    };
    if (f.history) item.history = f.history;
    if (f.advice) item.advice = f.advice;
    return item;
  });
  return `${JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, tool: { name: 'leakhound', version: context.toolVersion }, findings: items }, null, 2)}\n`;
};
