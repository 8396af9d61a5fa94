import { syntaxCharacters } from './pattern-syntax.js';

/**
 * Whether every match of an RE2 pattern lies within one line (plus, at most, the newlines that end
 * the line before and the line itself), judged from its text, conservatively. The pattern may open
 * with flag groups (not `s`), and open and close with a group without quantifiers (the delimiters
 * around a value, such as `(?:^|[^A-Za-z0-9])`, which may match those newlines); the rest must be
 * unable to match `\n`: any
 * `\s`, `\W`, `\D`, `\n`, hex, octal or Unicode-class escape, negated class that does not exclude
 * `\n`, or POSIX class makes it false. The detector then runs the pattern over only the lines
 * holding its keywords (`scope: line`); `rules check` verifies that on every example.
 */
export function isLineLocal(pattern: string): boolean {
  let rest = pattern;
  for (let flags = /^\(\?([A-Za-z]+)\)/.exec(rest); flags; flags = /^\(\?([A-Za-z]+)\)/.exec(rest)) {
    if (flags[1]!.includes('s')) return false;
    rest = rest.slice(flags[0].length);
  }
  // A group that only wraps a sequence (no alternation at its top, no quantifier) is unwrapped, so
  // that the delimiter group it starts with is seen.
  for (let wrapper = topLevelGroups(rest)[0]; wrapper && isPlainWrapper(rest, wrapper); wrapper = topLevelGroups(rest)[0]) {
    rest = rest.slice(3, wrapper[1] - 1) + rest.slice(wrapper[1]);
  }
  // A bounded group at either end (the delimiter before or after a value) may match the newline
  // before or after the line; the rest must match none.
  const groups = topLevelGroups(rest);
  const bounded = ([from, to]: [number, number]): boolean => rest.startsWith('(?:', from) && !hasQuantifier(rest.slice(from + 3, to - 1));
  let from = 0;
  let to = rest.length;
  const first = groups[0];
  if (first && first[0] === 0 && bounded(first) && !'*+?{'.includes(rest[first[1]] ?? 'x')) from = first[1];
  const last = groups[groups.length - 1];
  if (last && last[1] === rest.length && last[0] >= from && bounded(last)) to = last[0];
  return matchesNoNewline(rest.slice(from, to));
}

/** Whether `pattern` repeats anything: `*`, `+`, `{n,m}` or `?` outside classes and escapes (`(?` excepted). */
function hasQuantifier(pattern: string): boolean {
  for (const [c, i] of syntaxCharacters(pattern)) {
    if (c === '*' || c === '+' || c === '{') return true;
    if (c === '?' && pattern[i - 1] !== '(') return true;
  }
  return false;
}

/** Whether `group` ([start, end) in `pattern`) opens it as `(?:…)` with no `|` at its top level and no quantifier after. */
function isPlainWrapper(pattern: string, [from, to]: [number, number]): boolean {
  if (from !== 0 || !pattern.startsWith('(?:') || '*+?{'.includes(pattern[to] ?? 'x')) return false;
  const inner = pattern.slice(3, to - 1);
  let depth = 0;
  for (const [c] of syntaxCharacters(inner)) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return false;
  }
  return true;
}

/** [start, end) of each top-level parenthesised group of `pattern`, in order. */
function topLevelGroups(pattern: string): [number, number][] {
  const groups: [number, number][] = [];
  let depth = 0;
  let open = 0;
  for (const [c, i] of syntaxCharacters(pattern)) {
    if (c === '(') {
      if (depth++ === 0) open = i;
    } else if (c === ')' && --depth === 0) groups.push([open, i + 1]);
  }
  return groups;
}

/** Whether `pattern` has no construct that could match a newline (see isLineLocal). */
export function matchesNoNewline(pattern: string): boolean {
  let inClass = false;
  let negated = false;
  /** Whether the items of the class being read include `\n` (a negated class then excludes it). */
  let classIncludesNewline = false;
  /** Code of the class's previous single-character item, for ranges (`a-z`); undefined after a class escape. */
  let previous: number | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    let item: Item;
    if (c === '\\') {
      const parsed = escapeAt(pattern, i);
      if (!parsed) return false;
      item = parsed.item;
      i = parsed.end - 1;
    } else if (inClass && c === '[' && pattern[i + 1] === ':') {
      return false;
    } else if (inClass && c === ']') {
      if (negated !== classIncludesNewline) return false; // the class can match a newline
      inClass = false;
      continue;
    } else if (inClass && c === '-' && previous !== undefined && pattern[i + 1] !== ']') {
      const next = pattern[i + 1] === '\\' ? escapeAt(pattern, i + 1) : { item: { code: pattern.charCodeAt(i + 1) }, end: i + 2 };
      if (!next || next.item.code === undefined) return false;
      if (previous <= 10 && next.item.code >= 10) classIncludesNewline = true;
      previous = undefined;
      i = next.end - 1;
      continue;
    } else if (!inClass && c === '[') {
      inClass = true;
      negated = pattern[i + 1] === '^';
      if (negated) i++;
      classIncludesNewline = false;
      previous = undefined;
      if (pattern[i + 1] === ']') {
        i++; // a leading ] is a literal
        previous = 0x5d;
      }
      continue;
    } else {
      if (!inClass && c === '(' && pattern[i + 1] === '?') {
        const flags = /^\(\?([A-Za-z-]*)[:)]/.exec(pattern.slice(i));
        if (flags && flags[1]!.split('-')[0]!.includes('s')) return false;
      }
      item = { code: c.charCodeAt(0) };
    }
    const hasNewline = item.code === 10 || item.newline === true;
    if (inClass) {
      if (hasNewline) classIncludesNewline = true;
      previous = item.code;
    } else if (hasNewline) return false;
  }
  return !inClass;
}

/** One escape's meaning: a character (`code`), or a class or assertion (`newline`: whether it can match `\n`). */
interface Item {
  code?: number;
  newline?: boolean;
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, f: 12, v: 11, a: 7 };

/** The escape starting at pattern[at] (a backslash) and where it ends; undefined for escapes not understood here. */
function escapeAt(pattern: string, at: number): { item: Item; end: number } | undefined {
  const e = pattern[at + 1];
  if (e === undefined) return undefined;
  if (e in SIMPLE_ESCAPES) return { item: { code: SIMPLE_ESCAPES[e]! }, end: at + 2 };
  if ('sWD'.includes(e)) return { item: { newline: true }, end: at + 2 };
  if ('SwdbBAz'.includes(e)) return { item: { newline: false }, end: at + 2 };
  if (e === 'x') {
    const hex = /^\\x(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(pattern.slice(at));
    if (!hex) return undefined;
    return { item: { code: parseInt(hex[1] ?? hex[2]!, 16) }, end: at + hex[0].length };
  }
  if (/[0-7]/.test(e)) {
    const octal = /^\\([0-7]{1,3})/.exec(pattern.slice(at))!;
    return { item: { code: parseInt(octal[1]!, 8) }, end: at + octal[0].length };
  }
  if (/[A-Za-z]/.test(e)) return undefined; // \p, \P, \C, \Q and the like
  return { item: { code: e.charCodeAt(0) }, end: at + 2 };
}
