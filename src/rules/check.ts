import { Detector } from '../detect/detector.js';
import type { CompiledRule } from '../types.js';
import { compileSet } from './regex.js';

/** One failed example of a rule. */
export interface ExampleFailure {
  ruleId: string;
  source: string;
  kind: 'missed-example' | 'matched-negative';
  example: string;
}

/**
 * Runs every rule's `examples` (each must give a finding of that rule) and `negativeExamples`
 * (none may) through the real detector, one rule at a time, with every filter on.
 */
export function checkRuleExamples(rules: readonly CompiledRule[], today: string): ExampleFailure[] {
  const failures: ExampleFailure[] = [];
  for (const rule of rules) {
    const detector = new Detector([rule], (p) => compileSet(p, 'i'), { today, allowMarkers: false });
    const run = (text: string): number =>
      detector.detect({ origin: { kind: 'file', path: 'example.txt' }, content: Buffer.from(text, 'utf8'), startLine: 1 }).length;
    for (const example of rule.spec.examples) {
      if (run(example) === 0) failures.push({ ruleId: rule.id, source: rule.source, kind: 'missed-example', example });
    }
    for (const example of rule.spec.negativeExamples) {
      if (run(example) > 0) failures.push({ ruleId: rule.id, source: rule.source, kind: 'matched-negative', example });
    }
  }
  return failures;
}
