import type { Finding } from '../types.js';
import { providersById, type Reporter } from './context.js';
import { shownSecret } from './redact.js';

/**
 * GitHub Actions workflow commands: one `::error` annotation per finding, shown on the changed
 * line in a pull request. Properties and messages are escaped as the runner requires.
 */
export const githubReporter: Reporter = (findings, context) => {
  const providers = providersById(context);
  const lines = findings.map((f: Finding) => {
    const p = providers.get(f.providerId);
    const level = f.severity === 'low' ? 'notice' : f.severity === 'medium' ? 'warning' : 'error';
    const advice = p ? ` Revoke it at ${p.remediation.revokeUrl} and rotate it (leakhound explain ${f.ruleId}).` : '';
    const message = `${f.ruleName}: ${shownSecret(f, context.showSecrets)}.${f.advice?.length ? ` ${f.advice.join(' ')}` : ''}${advice}`;
    return `::${level} file=${escapeProperty(f.file)},line=${f.line},endLine=${f.endLine},col=${f.column},title=${escapeProperty(`leakhound ${f.ruleId}`)}::${escapeData(message)}`;
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
};

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
