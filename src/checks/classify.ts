import { parseYaml } from '../rules/load.js';
import { compileTest, type ContentTest, type DocumentCondition, type FileKindSpec, type HygieneSpec } from './spec.js';

/**
 * Globs compiled into one expression: `*` and `?` never cross `/`; a glob without `/` matches the
 * file name, one with `/` the path's last segments. Case-insensitive. Never matches when empty.
 */
function globsToRegex(globs: readonly string[]): Matcher {
  const body = (glob: string): string => {
    let out = '';
    for (const c of glob) {
      if (c === '*') out += '[^/]*';
      else if (c === '?') out += '[^/]';
      else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    return out;
  };
  const names = globs.filter((g) => !g.includes('/')).map(body);
  const paths = globs.filter((g) => g.includes('/')).map(body);
  // Name globs are tested on the file name alone (anchored, short); path globs on the path's end.
  const name = names.length > 0 ? new RegExp(`^(?:${names.join('|')})$`, 'i') : undefined;
  const path = paths.length > 0 ? new RegExp(`(?:^|/)(?:${paths.join('|')})$`, 'i') : undefined;
  return {
    test(p: string): boolean {
      if (name && name.test(p.slice(p.lastIndexOf('/') + 1))) return true;
      return path !== undefined && path.test(p);
    },
  };
}

interface Matcher {
  test(path: string): boolean;
}

/** Does a value only name a variable (or is it empty) rather than hold a literal? */
export function isEmptyOrReference(raw: string): boolean {
  let v = raw.trim();
  if ((v.startsWith('"') && v.endsWith('"') && v.length >= 2) || (v.startsWith("'") && v.endsWith("'") && v.length >= 2)) v = v.slice(1, -1).trim();
  if (v === '') return true;
  return (
    /^\$\{\{.*\}\}$/.test(v) || // ${{ secrets.X }} (GitHub Actions)
    /^\$\{[^}]*\}$/.test(v) || // ${VAR}, ${VAR:-default}
    /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v) || // $VAR
    /^\{\{.*\}\}$/.test(v) || // {{ template }}
    /^%[A-Za-z_][A-Za-z0-9_]*%$/.test(v) || // %VAR%
    /^<%.*%>$/.test(v) // ERB
  );
}

/** Value of an assignment line with a trailing ` # comment` removed (unless quoted). */
function valueOf(rest: string): string {
  const v = rest.trim();
  if (v.startsWith('#')) return '';
  if (v.startsWith('"') || v.startsWith("'")) {
    const end = v.indexOf(v[0]!, 1);
    return end > 0 ? v.slice(0, end + 1) : v;
  }
  const hash = v.search(/\s[#;]/);
  return hash >= 0 ? v.slice(0, hash) : v;
}

function assignmentMatches(text: string, test: Extract<ContentTest, { kind: 'assignment' }>): boolean {
  for (const line of text.split(/\r\n|\r|\n/)) {
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';') || t.startsWith('[')) continue;
    const body = t.replace(/^export\s+/, '');
    let at = -1;
    for (let i = 0; i < body.length; i++) {
      if (test.separators.includes(body[i]!)) {
        at = i;
        break;
      }
    }
    if (at <= 0) continue;
    const key = body.slice(0, at).trim();
    if (key === '' || /\s/.test(key)) continue;
    if (test.keys && !test.keys.test(key)) continue;
    if (!isEmptyOrReference(valueOf(body.slice(at + 1)))) return true;
  }
  return false;
}

/** The values at a dot path (`*` any key or index; `**` every leaf at any depth). */
function valuesAt(doc: unknown, path: string): unknown[] {
  if (path === '**') {
    const leaves: unknown[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
      else leaves.push(v);
    };
    walk(doc);
    return leaves;
  }
  let current: unknown[] = [doc];
  for (const seg of path.split('.')) {
    const next: unknown[] = [];
    for (const v of current) {
      if (typeof v !== 'object' || v === null) continue;
      const entries: [string, unknown][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
      for (const [k, x] of entries) if (seg === '*' || k === seg) next.push(x);
    }
    current = next;
  }
  return current;
}

function conditionHolds(doc: unknown, c: DocumentCondition): boolean {
  return valuesAt(doc, c.path).some((v) => {
    if (c.equals !== undefined && v !== c.equals) return false;
    if (c.nonEmpty) return (typeof v === 'string' && !isEmptyOrReference(v)) || (typeof v === 'number' && Number.isFinite(v));
    return true;
  });
}

/** Parses JSON (fast path) or YAML; undefined when neither parses. */
function parseDocument(text: string): { doc: unknown } | undefined {
  if (/^\s*[[{]/.test(text)) {
    try {
      return { doc: JSON.parse(text) as unknown };
    } catch {
      // JSON with comments or trailing commas, or YAML flow style: try YAML.
    }
  }
  try {
    return { doc: parseYaml(text, { uniqueKeys: false, strict: false, logLevel: 'silent' }) as unknown };
  } catch {
    return undefined;
  }
}

function documentMatches(text: string, test: Extract<ContentTest, { kind: 'document' }>): boolean {
  if (test.contains !== undefined && !text.includes(test.contains)) return false;
  const parsed = parseDocument(text);
  if (!parsed) return test.onParseError === 'match';
  const doc = parsed.doc;
  if (test.all.some((c) => !conditionHolds(doc, c))) return false;
  return test.any.length === 0 || test.any.some((c) => conditionHolds(doc, c));
}

/** Runs a content test on a file's text. */
export function contentMatches(text: string, test: ContentTest): boolean {
  switch (test.kind) {
    case 'assignment':
      return assignmentMatches(text, test);
    case 'regex':
      return test.pattern.test(text);
    case 'document':
      return documentMatches(text, test);
  }
}

interface CompiledKind {
  spec: FileKindSpec;
  names: Matcher;
  exclude: Matcher;
  test: ContentTest | undefined;
}

/** What the classifier needs to know about one file. */
export interface FileFacts {
  /** Path relative to the scanned root, `/`-separated. */
  path: string;
  /** Whether the scan's detector found a secret in this file. */
  secretFound: boolean;
}

/**
 * Tells which files are secret-bearing, from the data file. `mayNeedContent` answers by name alone
 * (so the caller reads only the files that could matter); `classify` gives the file kind.
 */
export class Classifier {
  private readonly kinds: CompiledKind[];
  private readonly templates: Matcher;
  private readonly memo = new Map<string, CompiledKind[]>();

  constructor(spec: HygieneSpec) {
    this.templates = globsToRegex(spec.templates);
    this.kinds = spec.files.map((k) => {
      const t = k.content === undefined ? undefined : spec.contentTests[k.content];
      return { spec: k, names: globsToRegex(k.names), exclude: globsToRegex(k.exclude), test: t ? compileTest(t) : undefined };
    });
  }

  /** Kinds whose name globs match the path (the file is a candidate). Memoised: callers ask several times per path. */
  private byName(facts: FileFacts): CompiledKind[] {
    const key = `${facts.secretFound ? 1 : 0}${facts.path}`;
    let kinds = this.memo.get(key);
    if (!kinds) {
      kinds = this.templates.test(facts.path)
        ? []
        : this.kinds.filter((k) => (k.spec.when === 'always' || facts.secretFound) && k.names.test(facts.path) && !k.exclude.test(facts.path));
      this.memo.set(key, kinds);
    }
    return kinds;
  }

  /** Whether the file could be secret-bearing: a kind matches by name. */
  isCandidate(facts: FileFacts): boolean {
    return this.byName(facts).length > 0;
  }

  /** Whether deciding needs the file's content. */
  needsContent(facts: FileFacts): boolean {
    return this.byName(facts).some((k) => k.test !== undefined);
  }

  /**
   * The first kind the file belongs to, or undefined when it is not secret-bearing. `content` is
   * the file's text (undefined when it could not be read: content tests then fail).
   */
  classify(facts: FileFacts, content: string | undefined): FileKindSpec | undefined {
    for (const k of this.byName(facts)) {
      if (!k.test) return k.spec;
      if (content !== undefined && contentMatches(content, k.test)) return k.spec;
    }
    return undefined;
  }
}
