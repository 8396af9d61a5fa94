import { describe, expect, it } from 'vitest';
import { DiffParser, parseHunkHeader, pathFromGitHeader, unquoteCPath, type DiffEvent } from '../../src/git/diff-parse.js';

const Z = '0'.repeat(40);
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

/** Output of `git diff --cached --raw -p -z -U0` for: a new file, a binary, an edit, a rename with an edit, a deletion. */
const STAGED = Buffer.concat([
  Buffer.from(
    `:000000 100644 ${Z} ${A} A\0-lead\0` +
      `:000000 100644 ${Z} ${B} A\0bin.dat\0` +
      `:100644 100644 ${A} ${B} M\0x y.txt\0` +
      `:100644 100644 ${A} ${B} R090\0n\nl\0\u00fc -dash\0` +
      `:100644 000000 ${A} ${Z} D\0gone\0` +
      `\0`,
  ),
  Buffer.from(
    [
      'diff --git a/-lead b/-lead',
      'new file mode 100644',
      'index 0000000..3e75765',
      '--- /dev/null',
      '+++ b/-lead',
      '@@ -0,0 +1,2 @@',
      '+new',
      '++++ looks like a header',
      'diff --git a/bin.dat b/bin.dat',
      'new file mode 100644',
      'Binary files /dev/null and b/bin.dat differ',
      'diff --git a/x y.txt b/x y.txt',
      'index de98044..a7bc997 100644',
      '--- a/x y.txt\t',
      '+++ b/x y.txt\t',
      '@@ -2 +2 @@ a',
      '-b',
      '+B',
      '@@ -3,0 +4 @@ c',
      '+d',
      '\\ No newline at end of file',
      '@@ -9 +9,0 @@',
      '-removed',
      'diff --git "a/n\\nl" "b/\\303\\274 -dash"',
      'similarity index 90%',
      'rename from "n\\nl"',
      'rename to "\\303\\274 -dash"',
      'index 1..2 100644',
      '--- "a/n\\nl"',
      '+++ "b/\\303\\274 -dash"',
      '@@ -1 +1 @@',
      '-old',
      '+diff --git a/fake b/fake',
      'diff --git a/gone b/gone',
      'deleted file mode 100644',
      'index 1..0',
      '--- a/gone',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      '',
    ].join('\n'),
  ),
]);

function parseAll(input: Buffer, chunk = input.length): DiffEvent[] {
  const p = new DiffParser();
  const events: DiffEvent[] = [];
  for (let i = 0; i < input.length; i += chunk) events.push(...p.push(input.subarray(i, i + chunk)));
  events.push(...p.end());
  return events;
}

function summary(events: DiffEvent[]): unknown[] {
  return events.map((e) =>
    e.type === 'commit'
      ? { commit: e.sha, author: e.author, email: e.email, date: e.date, parents: e.parents }
      : { path: e.entry.path, oldPath: e.entry.oldPath, status: e.entry.status, binary: e.binary, runs: e.runs.map((r) => [r.startLine, r.content.toString('utf8')]) },
  );
}

const EXPECTED_STAGED = [
  { path: '-lead', oldPath: undefined, status: 'A', binary: false, runs: [[1, 'new\n+++ looks like a header\n']] },
  { path: 'bin.dat', oldPath: undefined, status: 'A', binary: true, runs: [] },
  { path: 'x y.txt', oldPath: undefined, status: 'M', binary: false, runs: [[2, 'B\n'], [4, 'd\n']] },
  { path: '\u00fc -dash', oldPath: 'n\nl', status: 'R', binary: false, runs: [[1, 'diff --git a/fake b/fake\n']] },
];

describe('DiffParser', () => {
  it('parses raw records and added runs of a staged diff', () => {
    expect(summary(parseAll(STAGED))).toEqual(EXPECTED_STAGED);
  });

  it('gives the same result however the bytes are chunked', () => {
    for (const size of [1, 2, 3, 7, 64]) expect(summary(parseAll(STAGED, size))).toEqual(EXPECTED_STAGED);
  });

  it('parses git log headers, empty commits and unmerged paths', () => {
    const log = Buffer.from(
      `\x01${A}\0Ann O'Neil\0ann@example.com\x002024-01-02T03:04:05+00:00\0${B}\0` +
        `\x01${B}\0Bob\0bob@example.com\x002024-01-01T00:00:00+00:00\0\0\n` +
        `:000000 100644 ${Z} ${A} A\0k.txt\0\0` +
        'diff --git a/k.txt b/k.txt\nnew file mode 100644\n--- /dev/null\n+++ b/k.txt\n@@ -0,0 +1 @@\n+key\n' +
        `\x01${Z}\0C\0c@example.com\x002023-01-01T00:00:00+00:00\0${A} ${B}\0\n` +
        `:100644 000000 ${A} ${Z} U\0f\0\0* Unmerged path f\n`,
    );
    expect(summary(parseAll(log, 5))).toEqual([
      { commit: A, author: "Ann O'Neil", email: 'ann@example.com', date: '2024-01-02T03:04:05+00:00', parents: [B] },
      { commit: B, author: 'Bob', email: 'bob@example.com', date: '2024-01-01T00:00:00+00:00', parents: [] },
      { path: 'k.txt', oldPath: undefined, status: 'A', binary: false, runs: [[1, 'key\n']] },
      { commit: Z, author: 'C', email: 'c@example.com', date: '2023-01-01T00:00:00+00:00', parents: [A, B] },
      { path: 'f', oldPath: undefined, status: 'U', binary: false, runs: [] },
    ]);
  });

  it('numbers added lines across context lines (diff.interHunkContext, -U1)', () => {
    const input = Buffer.from(`:100644 100644 ${A} ${B} M\0f\0\0diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,3 +1,5 @@\n a\n+b\n c\n-x\n+d\n+e\n\n`);
    expect(summary(parseAll(input))).toEqual([{ path: 'f', oldPath: undefined, status: 'M', binary: false, runs: [[2, 'b\n'], [4, 'd\ne\n']] }]);
  });

  it('parses empty input', () => {
    expect(parseAll(Buffer.alloc(0))).toEqual([]);
  });

  it('rejects a patch with no raw record', () => {
    expect(() => parseAll(Buffer.from('diff --git a/x b/x\n+++ b/x\n@@ -0,0 +1 @@\n+a\n'))).toThrow(/no raw record/);
  });
});

describe('helpers', () => {
  it('parses hunk headers with default counts', () => {
    expect(parseHunkHeader('@@ -2 +2 @@ ctx')).toEqual({ oldStart: 2, oldCount: 1, newStart: 2, newCount: 1 });
    expect(parseHunkHeader('@@ -3,0 +4,5 @@')).toEqual({ oldStart: 3, oldCount: 0, newStart: 4, newCount: 5 });
    expect(parseHunkHeader('@@ nonsense')).toBeUndefined();
  });

  it('unquotes C-quoted paths (escapes and UTF-8 octal bytes)', () => {
    expect(unquoteCPath('"a\\tb\\\\c\\"d\\303\\274"')).toBe('a\tb\\c"d\u00fc');
    expect(unquoteCPath('plain name')).toBe('plain name');
  });

  it('takes the new path from a diff --git header', () => {
    expect(pathFromGitHeader('a/x y b/x y')).toBe('x y');
    expect(pathFromGitHeader('"a/n\\nl" "b/n\\nl"')).toBe('n\nl');
  });
});
