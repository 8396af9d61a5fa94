import { resolve } from 'node:path';
import { checkRuleExamples } from '../rules/check.js';
import { rulesFor, todayIso } from '../scan.js';
import { warn } from './io.js';

/** `leakhound rules list`: one line per rule, then the totals. */
export function runRulesList(dirs: string[] | undefined): number {
  const { rules } = rulesFor({ rulesDirs: (dirs ?? []).map((d) => resolve(d)) });
  const width = Math.max(...rules.map((r) => r.id.length));
  const lines = rules.map((r) => `${r.id.padEnd(width)}  ${r.provider.name}: ${r.name}`);
  const providers = new Set(rules.map((r) => r.provider.id));
  process.stdout.write(`${lines.join('\n')}\n${rules.length} rules, ${providers.size} providers\n`);
  return 0;
}

/** `leakhound rules check`: loads and validates every rule file and runs every example. Exit 1 on any failure. */
export function runRulesCheck(dirs: string[] | undefined, onlyExtra: boolean): number {
  const { rules } = rulesFor({ rulesDirs: (dirs ?? []).map((d) => resolve(d)), noBuiltinRules: onlyExtra });
  const failures = checkRuleExamples(rules, todayIso());
  for (const f of failures) {
    const what = { 'missed-example': 'example not matched', 'matched-negative': 'negative example matched', 'window-differs': 'windowed matching differs from a whole-file run (set `scope: file`)' }[f.kind];
    warn(`${f.source}: rule ${f.ruleId}: ${what}: ${JSON.stringify(f.example)}`);
  }
  const examples = rules.reduce((n, r) => n + r.spec.examples.length + r.spec.negativeExamples.length, 0);
  process.stdout.write(`${rules.length} rules, ${examples} examples checked, ${failures.length} failure${failures.length === 1 ? '' : 's'}\n`);
  return failures.length > 0 ? 1 : 0;
}
