import type { Finding } from '../types.js';
import { adviceFor, adviceLines } from './advice.js';
import { providersById, type Reporter } from './context.js';
import { neutralise, neutraliseName, shownLine, shownSecret } from './redact.js';

const ANSI = { bold: '\u001b[1m', dim: '\u001b[2m', red: '\u001b[31m', yellow: '\u001b[33m', cyan: '\u001b[36m', reset: '\u001b[0m' };

/**
 * Human-readable report: findings grouped by file, each with location, rule, masked secret and a
 * one-line revoke pointer; then each provider's full revoke-and-regenerate advice once.
 */
export const textReporter: Reporter = (findings, context) => {
  const paint = (code: keyof typeof ANSI, s: string): string => (context.color ? `${ANSI[code]}${s}${ANSI.reset}` : s);
  if (findings.length === 0) return 'No leaks found.\n';
  const providers = providersById(context);
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = f.origin.kind === 'commit' ? `${f.file} @ ${f.origin.sha.slice(0, 12)}` : f.file;
    const list = byFile.get(key);
    if (list) list.push(f);
    else byFile.set(key, [f]);
  }
  for (const [file, list] of byFile) {
    out.push(paint('bold', neutraliseName(file)));
    for (const f of list) {
      const sev = f.severity === 'critical' || f.severity === 'high' ? paint('red', f.severity) : paint('yellow', f.severity);
      out.push(`  ${f.line}:${f.column}  ${sev}  ${paint('cyan', f.ruleId)}  ${neutralise(f.ruleName)}  ${neutralise(shownSecret(f, context.showSecrets))}`.trimEnd());
      if (f.lineText !== '') out.push(`    ${paint('dim', shownLine(f, context.showSecrets))}`);
      if (f.history) {
        const h = f.history;
        out.push(`    introduced by ${h.introducedBy.sha.slice(0, 12)} (${neutralise(h.introducedBy.author)}, ${h.introducedBy.date}); in ${h.commitCount} commit${h.commitCount === 1 ? '' : 's'}; ${h.presentAtHead ? 'still present at HEAD' : 'no longer at HEAD, but still leaked: revoke it'}`);
      }
      for (const a of f.advice ?? []) out.push(`    fix: ${neutralise(a)}`);
      const p = providers.get(f.providerId);
      if (p) out.push(`    revoke: ${p.remediation.revokeUrl}  (leakhound explain ${f.ruleId})`);
    }
    out.push('');
  }
  const seen = new Set<string>();
  out.push(paint('bold', 'What to do'));
  for (const f of findings) {
    if (seen.has(f.providerId)) continue;
    seen.add(f.providerId);
    const p = providers.get(f.providerId);
    if (!p) continue;
    out.push('', paint('bold', `${p.name}`));
    for (const line of adviceLines(adviceFor(p))) out.push(`  ${line}`);
  }
  out.push('', `${findings.length} finding${findings.length === 1 ? '' : 's'} in ${byFile.size} file${byFile.size === 1 ? '' : 's'}.`);
  return `${out.join('\n')}\n`;
};
