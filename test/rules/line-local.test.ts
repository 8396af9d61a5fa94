import { describe, expect, it } from 'vitest';
import { isLineLocal } from '../../src/rules/line-local.js';

describe('isLineLocal', () => {
  it('accepts patterns that stay within a line, after a leading delimiter group', () => {
    expect(isLineLocal('\\b(ghp_[A-Za-z0-9]{36})\\b')).toBe(true);
    expect(isLineLocal('(?m)(?:^|[^A-Za-z0-9_])password[ \\t]*=[ \\t]*"([^"\\n]{4,})"')).toBe(true);
    expect(isLineLocal('(?i)key=([^\\s;]+)')).toBe(true);
    expect(isLineLocal('[!#-\\[\\]-~]{8}')).toBe(true);
    expect(isLineLocal('a\\x60b')).toBe(true);
    // ... and before a trailing delimiter group, which may match the newline ending the line.
    expect(isLineLocal('(?:^|[^A-Za-z0-9])(00D[A-Za-z0-9]{12})(?:[^A-Za-z0-9._]|\\z)')).toBe(true);
    expect(isLineLocal('(?:^|[^A-Za-z0-9+/_-])(EAA[A-Za-z0-9]{90,400})(?:[^A-Za-z0-9+/=_-]|$)')).toBe(true);
    // A group that only wraps the delimiter and a name is looked into.
    expect(isLineLocal('(?m)(?:(?:^|[^A-Za-z])token)[ \\t]*=[ \\t]*([a-z]{8})')).toBe(true);
    expect(isLineLocal('(?:(?:^|[^A-Za-z])[^=]*token)=([a-z]{8})')).toBe(false);
  });

  it('rejects anything that could match a newline', () => {
    expect(isLineLocal('key:\\s*(\\w+)')).toBe(false);
    expect(isLineLocal('key:[^"]+')).toBe(false);
    expect(isLineLocal('a\\nb')).toBe(false);
    expect(isLineLocal('a[\\t-\\r]b')).toBe(false);
    expect(isLineLocal('a\\x0ab')).toBe(false);
    expect(isLineLocal('(?s)a.b')).toBe(false);
    expect(isLineLocal('a\\pZb')).toBe(false);
    expect(isLineLocal('a[[:space:]]b')).toBe(false);
    expect(isLineLocal('-----BEGIN[\\s\\S]*END')).toBe(false);
    // A leading group with a quantifier may swallow several lines.
    expect(isLineLocal('(?:[^a]+)token')).toBe(false);
    expect(isLineLocal('token(?:[^a]{2,})')).toBe(false);
    expect(isLineLocal('(?:[^a])+token')).toBe(false);
  });
});
