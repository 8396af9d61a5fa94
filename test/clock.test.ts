import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDateOf } from '../src/clock.js';

describe('isoDateOf', () => {
  it('gives the UTC date that Date gives, for any instant of years 0 to 9999', () => {
    const from = new Date('0000-01-01T00:00:00Z').getTime();
    const to = new Date('9999-12-31T23:59:59.999Z').getTime();
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), (ms) => {
        expect(isoDateOf(ms)).toBe(new Date(ms).toISOString().slice(0, 10));
      }),
      { numRuns: 5000 },
    );
    // Edges: the epoch, leap days, century years, the last millisecond of a day.
    for (const iso of ['1970-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '2000-02-29T12:00:00Z', '1900-03-01T00:00:00Z', '2100-02-28T23:59:59.999Z', '2024-12-31T23:59:59.999Z', '2026-11-23T00:00:00Z']) {
      const ms = new Date(iso).getTime();
      expect(isoDateOf(ms)).toBe(new Date(ms).toISOString().slice(0, 10));
    }
  });
});
