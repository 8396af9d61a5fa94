import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeywordScanner, offerTrieSnapshot } from '../../src/detect/keyword-scanner.js';

/** Every (keyword id, start) occurrence, found the slow way: ASCII-lower-cased text, indexOf per keyword. */
function naive(keywords: string[], text: Buffer): string[] {
  const lower = Buffer.from(text.toString('latin1').replace(/[A-Z]/g, (c) => c.toLowerCase()), 'latin1');
  const out: string[] = [];
  keywords.forEach((k, id) => {
    const needle = Buffer.from(k.toLowerCase(), 'utf8');
    for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + 1)) out.push(`${id}@${i}`);
  });
  return out.sort();
}

/**
 * Every (keyword id, start) the scanner reports, newlines included (as the keyword "\n"'s id), and
 * a `wrong line` entry for each hit whose line is not the count of newlines before its start (when
 * no other keyword holds a newline), so that a comparison with `naive` checks lines too.
 */
function found(scanner: KeywordScanner, text: Buffer): string[] {
  const hits = scanner.scan(text);
  const out: string[] = [];
  const newlineId = scanner.keywords.indexOf('\n');
  const linesCount = !scanner.keywords.some((k) => k !== '\n' && k.includes('\n'));
  for (let i = 0; i < hits.count; i++) {
    out.push(`${hits.ids[i]}@${hits.starts[i]}`);
    if (!linesCount) continue; // the contract does not hold: lines are off
    const line = newlineId >= 0 ? newlinesBefore(text, hits.starts[i]!) : 0;
    if (hits.lines[i] !== line) out.push(`wrong line ${hits.lines[i]} for ${hits.ids[i]}@${hits.starts[i]}`);
  }
  for (let i = 0; i < hits.newlineCount; i++) out.push(`${newlineId}@${hits.newlines[i]}`);
  return out.sort();
}

/** The scanner's hits over `text` come in order of where each ends (what line counting relies on). */
function expectEndOrder(scanner: KeywordScanner, text: Buffer): void {
  const hits = scanner.scan(text);
  const end = (k: number): number => hits.starts[k]! + scanner.lengths[hits.ids[k]!]!;
  for (let i = 1; i < hits.count; i++) expect(end(i)).toBeGreaterThanOrEqual(end(i - 1));
}

function newlinesBefore(text: Buffer, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (text[i] === 0x0a) n++;
  return n;
}

describe('KeywordScanner', () => {
  it('reports overlapping and nested keywords, any ASCII case, with start offsets', () => {
    const scanner = new KeywordScanner(['pass', 'pass_', 'ass', 'token', 'sk_live_']);
    const text = Buffer.from('PASS_1 Pass ToKeN sk_LIVE_x');
    expect(found(scanner, text)).toEqual(['0@0', '0@7', '1@0', '2@1', '2@8', '3@12', '4@18']);
  });

  it('agrees with a naive search on random keywords and texts (lazy and complete tables)', () => {
    const alphabet = fc.constantFrom('a', 'b', 'A', 'B', '_', '-', 'é');
    const word = fc.array(alphabet, { minLength: 1, maxLength: 4 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 8 }), fc.array(alphabet, { maxLength: 200 }), (keywords, chars) => {
        const scanner = new KeywordScanner(keywords);
        const lowerKeywords = keywords.map((k) => k.toLowerCase());
        const distinct = lowerKeywords.filter((k, i) => lowerKeywords.indexOf(k) === i);
        if (distinct.length !== lowerKeywords.length) return; // ids would differ only by duplicates
        const text = Buffer.from(chars.join(''), 'utf8');
        expect(found(scanner, text)).toEqual(naive(keywords, text));
        // The whole table computed up front (as worker threads do) answers the same.
        const complete = new KeywordScanner(keywords);
        complete.completeTable();
        expect(found(complete, text)).toEqual(naive(keywords, text));
      }),
      { numRuns: 300 },
    );
    // Past a few MiB the scanner switches to a fully computed table: same answers.
    const scanner = new KeywordScanner(['ab', 'b_a', 'Ba']);
    const big = Buffer.from('ab_aBA-'.repeat(800_000));
    expect(scanner.scan(big).count).toBe(naive(['ab', 'b_a', 'Ba'], big).length);
    const small = Buffer.from('xxab_a');
    expect(found(scanner, small)).toEqual(naive(['ab', 'b_a', 'Ba'], small));
  });

  it('scans with a complete table as two chains (the halves at once): the same hits, in order of where they end, across the middle', () => {
    const alphabet = fc.constantFrom('a', 'b', 'A', '_', 'é', '\n');
    const word = fc.array(alphabet, { minLength: 1, maxLength: 6 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 6 }), fc.array(alphabet, { minLength: 4096, maxLength: 4400 }), (keywords, chars) => {
        const lowerKeywords = keywords.map((k) => k.toLowerCase());
        if (new Set(lowerKeywords).size !== lowerKeywords.length) return;
        const text = Buffer.from(chars.join(''), 'utf8');
        const scanner = new KeywordScanner(keywords, { webAssembly: false });
        scanner.completeTable();
        expect(found(scanner, text)).toEqual(naive(keywords, text));
        expectEndOrder(scanner, text);
      }),
      // Shrinking texts of 4 KiB takes minutes: report the first failing case as it is.
      { numRuns: 200, endOnFailure: true },
    );
    // A keyword across the middle (5,000 here), ending at it or just after it, and the bytes on either side of it: each found once.
    const scanner = new KeywordScanner(['middle', 'x'], { webAssembly: false });
    scanner.completeTable();
    for (const at of [5000 - 6, 5000 - 5, 5000 - 3, 5000, 5001]) {
      const text = Buffer.alloc(10_000, 0x2e);
      text.write('middle', at, 'latin1');
      text[4_999] = 0x78;
      text[5_000] = 0x78;
      expect(found(scanner, text)).toEqual(naive(['middle', 'x'], text));
    }
  });

  it('scans with a complete table in WebAssembly, three chains in blocks: the same hits as the naive search, in order of where they end', () => {
    const alphabet = fc.constantFrom('a', 'b', 'A', '_', 'é', '\n');
    const word = fc.array(alphabet, { minLength: 1, maxLength: 6 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 6 }), fc.array(alphabet, { maxLength: 700 }), fc.integer({ min: 1, max: 40 }), (keywords, chars, block) => {
        const lowerKeywords = keywords.map((k) => k.toLowerCase());
        if (new Set(lowerKeywords).size !== lowerKeywords.length) return;
        const text = Buffer.from(chars.join(''), 'utf8');
        // Small blocks: many calls per scan, parts ending mid-block, padding.
        const scanner = new KeywordScanner(keywords, { wasmBlock: block });
        scanner.completeTable();
        expect(scanner.usesWebAssembly).toBe(true);
        expect(found(scanner, text)).toEqual(naive(keywords, text));
        expectEndOrder(scanner, text);
      }),
      { numRuns: 300, endOnFailure: true },
    );
    // A keyword across each part boundary (a third and two thirds of 9,000), and one more scan of a
    // shorter text by the same scanner (nothing left over from the first).
    const scanner = new KeywordScanner(['boundary', 'x', 'ary'], { wasmBlock: 1000 });
    scanner.completeTable();
    for (const at of [2992, 2993, 2996, 3000, 5992, 5993, 5995, 6000]) {
      const text = Buffer.alloc(9000, 0x2e);
      text.write('boundary', at, 'latin1');
      text[2999] = 0x58;
      text[3000] = 0x78;
      expect(found(scanner, text)).toEqual(naive(['boundary', 'x', 'ary'], text));
    }
    const short = Buffer.from('x.BOUNDARY');
    expect(found(scanner, short)).toEqual(naive(['boundary', 'x', 'ary'], short));
  });

  it('counts lines by the keyword "\\n": newlines apart, each hit on its line, in every loop (lazy, complete, WebAssembly)', () => {
    const alphabet = fc.constantFrom('a', 'b', 'A', '_', 'é', '\n', '\n');
    const word = fc.array(fc.constantFrom('a', 'b', 'A', '_', 'é'), { minLength: 1, maxLength: 5 }).map((cs) => cs.join(''));
    let lines = 0;
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 5 }), fc.array(alphabet, { minLength: 300, maxLength: 900 }), fc.integer({ min: 1, max: 64 }), (words, chars, block) => {
        const keywords = [...words, '\n'];
        if (new Set(keywords.map((k) => k.toLowerCase())).size !== keywords.length) return;
        const text = Buffer.from(chars.join(''), 'utf8');
        const lazy = new KeywordScanner(keywords);
        const js = new KeywordScanner(keywords, { webAssembly: false });
        js.completeTable();
        const wasm = new KeywordScanner(keywords, { wasmBlock: block });
        wasm.completeTable();
        for (const scanner of [lazy, js, wasm]) expect(found(scanner, text)).toEqual(naive(keywords, text));
        const hits = wasm.scan(text);
        for (let i = 0; i < hits.count; i++) lines = Math.max(lines, hits.lines[i]!);
      }),
      { numRuns: 300, endOnFailure: true },
    );
    expect(lines).toBeGreaterThan(10); // hits well past the first lines were checked
  });

  it('scans in JavaScript where WebAssembly is missing (node --jitless), with the same hits', () => {
    const keywords = ['token', 'pass', 'passw', '\n'];
    const text = Buffer.from('a TOKEN, a password\npass passw\n'.repeat(50));
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly')!;
    Object.defineProperty(globalThis, 'WebAssembly', { value: undefined, configurable: true, writable: true });
    let scanner: KeywordScanner;
    try {
      scanner = new KeywordScanner(keywords);
      scanner.completeTable();
    } finally {
      Object.defineProperty(globalThis, 'WebAssembly', saved);
    }
    expect(scanner.usesWebAssembly).toBe(false);
    expect(scanner.base64RunsOf(text)).toBeUndefined();
    expect(found(scanner, text)).toEqual(naive(keywords, text));
  });

  it('takes an offered trie for exactly its keywords, and builds its own for any other list', () => {
    const keywords = ['token', 'pass', 'passw', 'AC', 'é_k', '\n'];
    const text = Buffer.from('a TOKEN, a password\nAC é_k passpass\n');
    const built = new KeywordScanner(keywords);
    offerTrieSnapshot(built.snapshot());
    try {
      expect(found(new KeywordScanner(keywords), text)).toEqual(naive(keywords, text));
      // Proof that it is taken: a snapshot whose keyword lengths are off by one shifts every start.
      const tampered = built.snapshot();
      const raw = Buffer.from(tampered.lengths, 'base64');
      const longer = Buffer.alloc(raw.length);
      for (let i = 0; i < raw.length; i += 4) longer.writeInt32LE(raw.readInt32LE(i) + 1, i);
      tampered.lengths = longer.toString('base64');
      offerTrieSnapshot(tampered);
      expect(found(new KeywordScanner(keywords), text)).not.toEqual(naive(keywords, text));
      // Another list (here: another order) is built as usual, and is right.
      const other = [...keywords].reverse();
      expect(found(new KeywordScanner(other), text)).toEqual(naive(other, text));
    } finally {
      offerTrieSnapshot(new KeywordScanner(['unused-keyword']).snapshot());
    }
  });
});
