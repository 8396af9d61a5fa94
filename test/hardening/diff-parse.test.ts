import { describe, expect, it } from 'vitest';
import { DiffParser, type DiffEvent } from '../../src/git/diff-parse.js';

/** A `git diff --raw -p -z` of two added files: `big` (one line of `n` bytes) then `small`. */
function twoFiles(n: number): Buffer {
  const z = '0'.repeat(40);
  const raw = `:000000 100644 ${z} ${'1'.repeat(40)} A\0big\0:000000 100644 ${z} ${'2'.repeat(40)} A\0small\0`;
  const big = ['diff --git a/big b/big', 'new file mode 100644', 'index 0..1', '--- /dev/null', '+++ b/big', '@@ -0,0 +1,2 @@', `+${'x'.repeat(n)}`, '+tail', ''].join('\n');
  const small = ['diff --git a/small b/small', 'new file mode 100644', 'index 0..2', '--- /dev/null', '+++ b/small', '@@ -0,0 +1 @@', '+kept', ''].join('\n');
  return Buffer.from(raw + big + small);
}

function parse(input: Buffer, chunk: number, max?: number): DiffEvent[] {
  const p = new DiffParser(max);
  const out: DiffEvent[] = [];
  for (let i = 0; i < input.length; i += chunk) out.push(...p.push(input.subarray(i, i + chunk)));
  out.push(...p.end());
  return out;
}

const brief = (events: DiffEvent[]): unknown[] =>
  events.map((e) => (e.type === 'file' ? { path: e.entry.path, tooLarge: e.tooLarge, runs: e.runs.map((r) => [r.startLine, r.content.length]) } : e.type));

describe('diff parser on huge added lines', () => {
  it('reads a long line fed in small chunks in linear time, the same as fed whole', () => {
    const input = twoFiles(16 * 1024 * 1024);
    const started = performance.now();
    const chunked = parse(input, 4096);
    // Quadratic re-joining of 4,096 chunks would copy ~32 GiB; linear is well under a second.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(brief(chunked)).toEqual(brief(parse(input, input.length)));
    expect(brief(chunked)).toEqual([
      { path: 'big', tooLarge: undefined, runs: [[1, 16 * 1024 * 1024 + 1 + 5]] },
      { path: 'small', tooLarge: undefined, runs: [[1, 5]] },
    ]);
  });

  it('keeps no content of a file that adds more than maxAddedBytes (one long line or many), and parses on', () => {
    for (const chunk of [1000, 65536, 1 << 30]) {
      const events = parse(twoFiles(100_000), chunk, 50_000);
      expect(brief(events)).toEqual([
        { path: 'big', tooLarge: 100_001 + 5, runs: [] },
        { path: 'small', tooLarge: undefined, runs: [[1, 5]] },
      ]);
    }
    expect(brief(parse(twoFiles(100), 7, 50))).toEqual([
      { path: 'big', tooLarge: 101 + 5, runs: [] },
      { path: 'small', tooLarge: undefined, runs: [[1, 5]] },
    ]);
  });
});
