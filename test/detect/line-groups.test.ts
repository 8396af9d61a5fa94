import { describe, expect, it } from 'vitest';
import { Detector, GATHER_MIN_INPUT } from '../../src/detect/detector.js';
import { BUILTIN_RULES_DIR, loadRules } from '../../src/rules/load.js';
import { withoutCaptures } from '../../src/rules/pattern-syntax.js';
import type { Finding } from '../../src/types.js';

const { rules } = loadRules([BUILTIN_RULES_DIR]);

/** What a detector reports over `text`, as comparable rows. */
function findings(detector: Detector, text: string): string[] {
  const out = detector.detect({ origin: { kind: 'file', path: 'all.txt' }, content: Buffer.from(text, 'utf8'), startLine: 1 });
  return out.map((f: Finding) => `${f.line}:${f.column}-${f.endColumn} ${f.ruleId} ${f.secret}`);
}

describe('line groups (scope: line rules sharing keywords run behind one joint filter)', () => {
  const grouped = new Detector(rules, { today: '2026-01-01', allowMarkers: false });
  const separate = new Detector(rules, { today: '2026-01-01', allowMarkers: false, lineGroups: false });
  const examples = rules.flatMap((r) => [...r.spec.examples, ...r.spec.negativeExamples]);

  it('group the built-in rules (else this test proves nothing)', () => {
    expect((grouped as unknown as { groupOf: Map<unknown, unknown> }).groupOf.size).toBeGreaterThan(20);
    expect((separate as unknown as { groupOf: Map<unknown, unknown> }).groupOf.size).toBe(0);
  });

  it('find exactly what the rules find one by one, on every built-in example alone', () => {
    let compared = 0;
    for (const example of examples) {
      expect({ example, found: findings(grouped, example) }).toEqual({ example, found: findings(separate, example) });
      compared++;
    }
    expect(compared).toBeGreaterThan(1500);
  });

  it('and on all of them in one large text (gathered lines), in both orders', () => {
    const all = examples.join('\n');
    expect(all.length).toBeGreaterThan(GATHER_MIN_INPUT);
    const expected = findings(separate, all);
    expect(expected.length).toBeGreaterThan(500);
    expect(findings(grouped, all)).toEqual(expected);
    const reversed = [...examples].reverse().join('\n');
    expect(findings(grouped, reversed)).toEqual(findings(separate, reversed));
  });

  it('strip capture groups only, named ones included', () => {
    expect(withoutCaptures('(a)(?:b)(?P<secret>c)(?<n>d)[(]\\(e\\)(?i)')).toBe('(?:a)(?:b)(?:c)(?:d)[(]\\(e\\)(?i)');
  });
});
