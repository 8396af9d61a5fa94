import { describe, expect, it } from 'vitest';
import { applyBaseline, baselineFrom, formatBaseline, parseBaseline, pruneBaseline } from '../src/baseline.js';
import { ConfigError } from '../src/errors.js';
import { SAMPLE_FINDINGS, SAMPLE_SECRET } from './report/sample.js';

describe('baseline file', () => {
  it('is deterministic: sorted, one entry per line, no secret, no timestamp', () => {
    const a = formatBaseline(baselineFrom(SAMPLE_FINDINGS));
    const b = formatBaseline(baselineFrom([...SAMPLE_FINDINGS].reverse()));
    expect(a).toBe(b);
    expect(a).not.toContain(SAMPLE_SECRET);
    expect(a).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const lines = a.trimEnd().split('\n');
    expect(lines[0]).toBe('{"leakhoundBaseline":1,"entries":[');
    expect(lines.at(-1)).toBe(']}');
    expect(lines.slice(1, -1)).toEqual([
      `{"fingerprint":"b1946ac92492d2347c6235b4d2611184","ruleId":"acme-key","file":"config/app.env"},`,
      `{"fingerprint":"7d793037a0760186574b0282f2f435e7","ruleId":"acme-key","file":"src/old.js"}`,
    ]);
  });

  it('round-trips and keeps reasons across re-creation', () => {
    const withReason = { entries: baselineFrom(SAMPLE_FINDINGS).entries.map((e, i) => (i === 0 ? { ...e, reason: 'accepted: test key' } : e)) };
    const parsed = parseBaseline(formatBaseline(withReason), 'b.json');
    expect(parsed).toEqual({ entries: [withReason.entries[0], withReason.entries[1]] });
    expect(baselineFrom(SAMPLE_FINDINGS, parsed).entries[0]!.reason).toBe('accepted: test key');
  });

  it('hides baselined findings by fingerprint, reports new ones', () => {
    const baseline = baselineFrom([SAMPLE_FINDINGS[0]!]);
    const { kept, hidden } = applyBaseline(SAMPLE_FINDINGS, baseline);
    expect(hidden).toEqual([SAMPLE_FINDINGS[0]]);
    expect(kept).toEqual([SAMPLE_FINDINGS[1]]);
  });

  it('prune drops entries that match nothing', () => {
    const { baseline, dropped } = pruneBaseline(baselineFrom(SAMPLE_FINDINGS), [SAMPLE_FINDINGS[1]!]);
    expect(dropped).toBe(1);
    expect(baseline.entries.map((e) => e.file)).toEqual(['src/old.js']);
  });

  it('rejects a malformed file with every problem listed', () => {
    expect(() => parseBaseline('nope', 'b.json')).toThrow(ConfigError);
    expect(() => parseBaseline('{"leakhoundBaseline":1,"entries":[{"fingerprint":"zz"},{"ruleId":1}]}', 'b.json')).toThrow(/2 problems[\s\S]*entry 1[\s\S]*entry 2/);
  });
});
