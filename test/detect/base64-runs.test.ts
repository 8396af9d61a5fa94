import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Runs } from '../../src/detect/decode.js';
import { compileRegex } from '../../src/rules/regex.js';

/** The reference definition of a base64 run worth decoding, as an RE2 pattern (group 1 is the run). */
const REFERENCE = '(?:^|[\\s"\'`=:>(,])([A-Za-z0-9+/_-]{40,}={0,2})';

function viaRegex(content: Buffer): [number, number][] {
  const re = compileRegex(REFERENCE, 'gd');
  const out: [number, number][] = [];
  let m;
  while ((m = re.exec(content)) !== null) {
    const span = m.indices[1];
    if (span) out.push([span[0], span[1]]);
  }
  return out;
}

describe('base64Runs', () => {
  it('finds values standing alone, not runs inside identifiers or paths', () => {
    const run = 'QUtJQUlPU0ZPRE5ON0VYQU1QTEUgd0phbHJYVXRuRkVNSQ';
    const text = Buffer.from(`a="${run}=="\nb=obj.${run}\n(${run})\nhttps://host.example/${run}`);
    expect(base64Runs(text).map(([s, e]) => text.subarray(s, e).toString())).toEqual([`${run}==`, run]);
  });

  it('agrees with the RE2 reference pattern on random inputs', () => {
    const piece = fc.constantFrom('A', 'z', '9', '+', '/', '_', '-', '=', ' ', '"', ':', '\n', '.', 'é', 'AAAAAAAAAAAAAAAAAAAA', 'b64b64b64b64b64b64b6');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const content = Buffer.from(pieces.join(''), 'utf8');
        expect(base64Runs(content)).toEqual(viaRegex(content));
      }),
      { numRuns: 2000 },
    );
  });
});
