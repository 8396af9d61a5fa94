import { matchesNoNewline } from './line-local.js';

/**
 * The most newlines one match of an RE2 pattern can hold, judged from its text, conservatively
 * (Infinity when it cannot tell, or when a repeat of something that may match a newline is
 * unbounded): each atom that may match `\n` (see `matchesNoNewline`) counts one, a sequence adds
 * its parts, an alternation takes its largest branch, `{n,m}` multiplies by m. A `scope: window`
 * rule whose matches hold at most one newline then runs over its keyword lines and one line either
 * side, not two (src/detect/detector.ts).
 */
export function maxNewlines(pattern: string): number {
  // A dot that matches newlines anywhere: not worth following.
  if (/\(\?[A-Za-z]*s[A-Za-z]*(?:-[A-Za-z]*)?[:)]/.test(pattern)) return Infinity;
  const parser = new SpanParser(pattern);
  const n = parser.alternation();
  return parser.done() ? n : Infinity;
}

class SpanParser {
  private at = 0;
  constructor(private readonly p: string) {}

  done(): boolean {
    return this.at === this.p.length;
  }

  /** Branches separated by `|`, up to a `)` or the end. */
  alternation(): number {
    let most = this.sequence();
    while (this.p[this.at] === '|') {
      this.at++;
      most = Math.max(most, this.sequence());
    }
    return most;
  }

  private sequence(): number {
    let total = 0;
    while (this.at < this.p.length && this.p[this.at] !== '|' && this.p[this.at] !== ')') {
      const atom = this.atom();
      total += this.repeated(atom);
    }
    return total;
  }

  /** Newlines of one atom: a group, a class, an escape or a character. */
  private atom(): number {
    const p = this.p;
    const c = p[this.at]!;
    if (c === '(') {
      this.at++;
      if (p[this.at] === '?') {
        const head = /^\?(?:P?<[A-Za-z_][A-Za-z0-9_]*>|[A-Za-z-]*:|[A-Za-z-]*\))/.exec(p.slice(this.at));
        if (!head) return this.fail();
        this.at += head[0].length;
        if (head[0].endsWith(')')) return 0; // flags for the rest of the group: no text
      }
      const inner = this.alternation();
      if (p[this.at] !== ')') return this.fail();
      this.at++;
      return inner;
    }
    const from = this.at;
    if (c === '[') {
      this.at++;
      if (p[this.at] === '^') this.at++;
      if (p[this.at] === ']') this.at++;
      while (this.at < p.length && p[this.at] !== ']') this.at += p[this.at] === '\\' ? 2 : 1;
      if (this.at >= p.length) return this.fail();
      this.at++;
    } else if (c === '\\') {
      const e = p[this.at + 1];
      if (e === 'Q' || e === 'p' || e === 'P') return this.fail();
      const long = /^\\(?:x\{[0-9A-Fa-f]+\}|x[0-9A-Fa-f]{2}|[0-7]{1,3})/.exec(p.slice(this.at));
      this.at += long ? long[0].length : 2;
    } else this.at++;
    return matchesNoNewline(p.slice(from, this.at)) ? 0 : 1;
  }

  /** `n` times what a following quantifier allows (none: once). */
  private repeated(n: number): number {
    const p = this.p;
    const c = p[this.at];
    let most: number;
    if (c === '*' || c === '+') {
      this.at++;
      most = Infinity;
    } else if (c === '?') {
      this.at++;
      most = 1;
    } else if (c === '{') {
      const q = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(this.at));
      if (!q) return n; // a literal brace
      this.at += q[0].length;
      most = q[2] === undefined ? Number(q[1]) : q[3] === '' ? Infinity : Number(q[3]);
    } else return n;
    if (p[this.at] === '?') this.at++; // lazy
    return n === 0 ? 0 : n * most;
  }

  private fail(): number {
    this.at = this.p.length + 1;
    return Infinity;
  }
}
