import type { Finding } from '../types.js';
import { adviceFor, type Advice } from './advice.js';
import { providersById, type Reporter } from './context.js';
import { shownSecret } from './redact.js';

/** Version of the JSON report's shape. Bump on any incompatible change. */
export const JSON_SCHEMA_VERSION = 1;

/** One finding in the JSON report (documented in the README). */
export interface JsonFinding {
  ruleId: string;
  ruleName: string;
  provider: string;
  providerName: string;
  severity: string;
  /** Path relative to the scanned root, `/`-separated. */
  file: string;
  /** 1-based. */
  line: number;
  endLine: number;
  column: number;
  endColumn: number;
  /** Masked unless `--show-secrets`. */
  secret: string;
  secretMasked: boolean;
  fingerprint: string;
  entropy: number;
  origin: Finding['origin'];
  history?: Finding['history'];
  advice?: string[];
  remediation: Advice | null;
}

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
