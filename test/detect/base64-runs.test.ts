import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Runs, couldBeBase64OfText, decodeBase64Run, isMostlyText } from '../../src/detect/decode.js';
import { KeywordScanner } from '../../src/detect/keyword-scanner.js';
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

describe('base64 runs found in WebAssembly (content left by a keyword scan)', () => {
  it('are the same as base64Runs finds, for the content scanned last only', () => {
    const scanner = new KeywordScanner(['token', '\n']);
    scanner.completeTable();
    expect(scanner.usesWebAssembly).toBe(true);
    const piece = fc.constantFrom('A', 'z', '9', '+', '/', '_', '-', '=', '==', ' ', '"', ':', '\n', '.', 'é', 'AAAAAAAAAAAAAAAAAAAA', 'b64b64b64b64b64b64b6', 'token');
    let runs = 0;
    fc.assert(
      fc.property(fc.array(piece, { minLength: 10, maxLength: 80 }), (pieces) => {
        const content = Buffer.from(pieces.join(''), 'utf8');
        scanner.scan(content);
        const found = scanner.base64RunsOf(content);
        expect(found).toEqual(base64Runs(content));
        runs += found?.length ?? 0;
        // Not for other content, even of the same bytes.
        expect(scanner.base64RunsOf(Buffer.from(content))).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
    expect(runs).toBeGreaterThan(300); // runs were there to find
    // A large input (the module's memory grows for it), and a small one after it.
    const big = Buffer.from(`x = "${'QUtJQUlPU0ZPRE5ON0VYQU1QTEUgd0phbHJYVXRuRkVNSQ'.repeat(3)}"\n`.repeat(200_000));
    scanner.scan(big);
    expect(scanner.base64RunsOf(big)).toEqual(base64Runs(big));
    const small = Buffer.from(`a: ${'Zm9vYmFy'.repeat(6)}=`);
    scanner.scan(small);
    expect(scanner.base64RunsOf(small)).toEqual(base64Runs(small));
  });
});

describe('couldBeBase64OfText', () => {
  it('never rejects a run whose decoding isMostlyText accepts (random text with some binary bytes)', () => {
    const byte = fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
      { weight: 1, arbitrary: fc.constantFrom(0x09, 0x0a, 0x0d) },
      { weight: 1, arbitrary: fc.integer({ min: 0x01, max: 0xff }) },
    );
    fc.assert(
      fc.property(fc.array(byte, { minLength: 30, maxLength: 200 }), fc.boolean(), fc.nat(3), (bytes, urlSafe, cut) => {
        let run = Buffer.from(bytes).toString(urlSafe ? 'base64url' : 'base64');
        run = run.slice(0, run.length - cut); // unpadded and partial last groups too
        const decoded = decodeBase64Run(Buffer.from(run));
        if (!couldBeBase64OfText(Buffer.from(run))) expect(decoded !== undefined && isMostlyText(decoded)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects runs of code and random ids, and keeps base64 of text', () => {
    expect(couldBeBase64OfText(Buffer.from('node_modules/some-package/lib/internal/very/long/path/name'))).toBe(false);
    expect(couldBeBase64OfText(Buffer.from('kq9P2xZr7Lm0Vb3Ws8Tn4Yc6Ud1Ae5Hf0Gj2Ik7Ol9Mp3Nq'))).toBe(false);
    expect(couldBeBase64OfText(Buffer.from(Buffer.from('password = "hunter2-but-longer-than-that"').toString('base64')))).toBe(true);
  });
});
