/**
 * The characters of an RE2 pattern that are syntax outside character classes: each character that
 * is neither backslash-escaped nor inside `[…]`, with its index. Shared by the pattern analyses
 * (capture groups in regex.ts, line-locality in line-local.ts).
 */
export function* syntaxCharacters(pattern: string): Generator<[string, number]> {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++; // a leading ] is a literal
      continue;
    }
    yield [c, i];
  }
}

/**
 * `pattern` with every capturing group made non-capturing (`(x)` and `(?P<n>x)`, `(?<n>x)` become
 * `(?:x)`): for a filter that needs only where a match is, which RE2 then finds without
 * working out submatches.
 */
export function withoutCaptures(pattern: string): string {
  let out = '';
  let copied = 0;
  for (const [c, i] of syntaxCharacters(pattern)) {
    if (c !== '(') continue;
    if (pattern[i + 1] !== '?') {
      out += `${pattern.slice(copied, i)}(?:`;
      copied = i + 1;
      continue;
    }
    const named = /^\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(pattern.slice(i + 1));
    if (named) {
      out += `${pattern.slice(copied, i)}(?:`;
      copied = i + 1 + named[0].length;
    }
  }
  return out + pattern.slice(copied);
}
