import { resolve } from 'node:path';
import { explainHygieneRule } from '../checks/config-files.js';
import { UsageError } from '../errors.js';
import { adviceFor, adviceLines } from '../report/advice.js';
import { rulesFor } from '../scan.js';

/** `leakhound explain <rule-id>`: the rule and its provider's revoke-and-regenerate playbook. */
export function runExplain(ruleId: string, dirs: string[] | undefined): number {
  const { rules } = rulesFor({ rulesDirs: (dirs ?? []).map((d) => resolve(d)) });
  const rule = rules.find((r) => r.id === ruleId);
  const hygiene = rule ? undefined : explainHygieneRule(ruleId);
  if (hygiene) {
    process.stdout.write(`${hygiene.join('\n')}\n`);
    return 0;
  }
  if (!rule) {
    const near = rules.filter((r) => r.id.startsWith(ruleId.split('-')[0] ?? '')).map((r) => r.id).slice(0, 8);
    throw new UsageError(`unknown rule id "${ruleId}"${near.length ? ` (did you mean: ${near.join(', ')})` : ''}; see \`leakhound rules list\``);
  }
  const out = [`${rule.id}: ${rule.name} (${rule.provider.name})`, ''];
  if (rule.spec.description) out.push(rule.spec.description, '');
  out.push(...adviceLines(adviceFor(rule.provider)));
  if (rule.spec.references.length) out.push('', 'References:', ...rule.spec.references.map((r) => `  ${r}`));
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
