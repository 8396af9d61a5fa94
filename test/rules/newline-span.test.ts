import { describe, expect, it } from 'vitest';
import { maxNewlines } from '../../src/rules/newline-span.js';
import { BUILTIN_RULES_DIR, loadRules } from '../../src/rules/load.js';

describe('maxNewlines', () => {
  it('counts what a match can hold', () => {
    expect(maxNewlines('abc[0-9]+')).toBe(0);
    expect(maxNewlines('(?m)^key:[ \\t]*(?:\\r?\\n[ \\t]*)?value: ([a-z]+)$')).toBe(1);
    expect(maxNewlines('a\\nb\\nc')).toBe(2);
    expect(maxNewlines('(?:x\\n){0,8}?y')).toBe(8);
    expect(maxNewlines('(?:a|b\\n|c\\n\\n)')).toBe(2);
    expect(maxNewlines('(?P<secret>[^x]{3})')).toBe(3);
    expect(maxNewlines('a{2}b{,}')).toBe(0);
  });

  it('is Infinity when a repeat of a newline is unbounded, or when unsure', () => {
    expect(maxNewlines('a\\s*b')).toBe(Infinity);
    expect(maxNewlines('[\\s\\S]{0,300}')).toBe(300);
    expect(maxNewlines('(?s)a.b')).toBe(Infinity);
    expect(maxNewlines('(?s:a.b)')).toBe(Infinity);
    expect(maxNewlines('\\pLa')).toBe(Infinity);
    expect(maxNewlines('(a')).toBe(Infinity);
  });

  it('gives the built-in (name, value)-pair rules one newline', () => {
    const { rules } = loadRules([BUILTIN_RULES_DIR]);
    for (const id of ['generic-api-key-name-value-pair', 'generic-password-name-value-pair']) {
      expect(maxNewlines(rules.find((r) => r.id === id)!.spec.pattern)).toBe(1);
    }
  });
});
