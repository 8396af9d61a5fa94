import { Detector, GATHER_MIN_INPUT, WINDOW_MIN_INPUT } from '../detect/detector.js';
import type { CompiledRule } from '../types.js';

/** One failed example of a rule. */
export interface ExampleFailure {
  ruleId: string;
  source: string;
  kind: 'missed-example' | 'matched-negative' | 'window-differs';
  example: string;
}

/** Filler that makes an example larger than the whole-file threshold (lines of plain code). */
const PAD = 'const value = compute(input, options); // filler line for window checks\n'.repeat(Math.ceil((Math.max(WINDOW_MIN_INPUT, GATHER_MIN_INPUT) + 1024) / 70));

/**
 * Runs every rule's `examples` (each must give a finding of that rule) and `negativeExamples`
 * (none may) through the real detector, one rule at a time, with every filter on.
 */
export function checkRuleExamples(rules: readonly CompiledRule[], today: string): ExampleFailure[] {
  const failures: ExampleFailure[] = [];
  for (const rule of rules) {
    const detector = new Detector([rule], { today, allowMarkers: false });
    const run = (text: string): number =>
      detector.detect({ origin: { kind: 'file', path: 'example.txt' }, content: Buffer.from(text, 'utf8'), startLine: 1 }).length;
    for (const example of rule.spec.examples) {
      if (run(example) === 0) failures.push({ ruleId: rule.id, source: rule.source, kind: 'missed-example', example });
    }
    for (const example of rule.spec.negativeExamples) {
      if (run(example) > 0) failures.push({ ruleId: rule.id, source: rule.source, kind: 'matched-negative', example });
    }
    // Windows and gathered lines (used on large files) must find exactly what a whole-file run
    // finds: pad each example to a large input so they apply, and compare.
    if (rule.scope !== 'file') {
      for (const example of [...rule.spec.examples, ...rule.spec.negativeExamples]) {
        const padded = Buffer.from(`${PAD}${example}\n${PAD}`, 'utf8');
        const whole = new Detector([rule], { today, allowMarkers: false, windows: false });
        const windowed = new Detector([rule], { today, allowMarkers: false, windows: true });
        const key = (d: Detector) => d.detect({ origin: { kind: 'file', path: 'example.txt' }, content: padded, startLine: 1 }).map((f) => `${f.line}:${f.column}:${f.secret}`).join('|');
        if (key(whole) !== key(windowed)) failures.push({ ruleId: rule.id, source: rule.source, kind: 'window-differs', example });
      }
    }
  }
  return failures;
}
