import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiffParser, type DiffEvent } from '../../src/git/diff-parse.js';
import { commitAll, git, gitRepo, writeTree } from '../helpers/tmp.js';

const SEED = 20261122;
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);

function parse(input: Buffer, cuts: number[]): DiffEvent[] {
  const p = new DiffParser();
  const events: DiffEvent[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    events.push(...p.push(input.subarray(from, cut)));
    from = cut;
  }
  events.push(...p.push(input.subarray(from)));
  events.push(...p.end());
  return events;
}

/** Real `git diff --cached` output (raw + patch, NUL-separated) for edits, adds, a rename and odd names. */
function realDiff(): Buffer {
  const repo = gitRepo();
  writeTree(repo, { 'a.txt': 'one\ntwo\nthree\n', 'b.txt': 'x\n', 'old name.txt': 'keep\nthis\n' });
  commitAll(repo, 'base');
  writeTree(repo, { 'a.txt': 'one\nTWO\nthree\nfour\n', 'c\nd.txt': 'new\nfile\n', '-dash': 'lead\n', 'bin.dat': Buffer.from([0, 1, 2, 3]) });
  git(repo, 'mv', 'old name.txt', 'new name.txt');
  git(repo, 'add', '-A');
  return execFileSync('git', ['diff', '--cached', '--raw', '-p', '-z', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', '--full-index', '-M'], { cwd: repo });
}

describe(`diff parser fuzz (seed ${SEED}, ${RUNS} runs each)`, () => {
  const input = realDiff();
  const whole = parse(input, []);

  it('the real diff parses to events', () => {
    expect(whole.length).toBeGreaterThan(3);
  });

  it('any chunking of the same output gives the same events', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: input.length }), { maxLength: 30 }), (cuts) => {
        expect(parse(input, cuts)).toEqual(whole);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('mutated or random output never crashes with anything but a plain parse Error, and never hangs', () => {
    const mutated = fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 20 }), fc.boolean()).map(([edits, truncate]) => {
      const b = Buffer.from(input);
      for (const [pos, byte] of edits) b[pos % b.length] = byte;
      return truncate ? b.subarray(0, edits.length ? edits[0]![0] % b.length : b.length) : b;
    });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a))), fc.array(fc.nat(), { maxLength: 5 }), (bytes, cuts) => {
        try {
          parse(bytes, cuts.map((c) => c % (bytes.length + 1)));
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
          expect((err as Error).constructor).toBe(Error);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
