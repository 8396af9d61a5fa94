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
