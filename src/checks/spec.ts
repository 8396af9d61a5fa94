import { readFileSync, statSync } from 'node:fs';
import { sha256 } from '../sha256.js';
import { fileURLToPath } from 'node:url';
import { parseYaml } from '../rules/load.js';
import { ConfigError } from '../errors.js';
import { compileRegex } from '../rules/regex.js';
import type { ProviderSpec, RegexMatcher } from '../types.js';

/** The built-in data file: which config files hold secrets. */
export const BUILTIN_HYGIENE_FILE = fileURLToPath(new URL('../../rules/hygiene/config-files.yml', import.meta.url));

/** The built-in file pre-parsed by scripts/bundle-hygiene.mjs (present in builds that run it). */
const BUNDLE = fileURLToPath(new URL('../hygiene-bundle.json', import.meta.url));

/**
 * The bundled data when it was made from the file at `path` as it is now, else undefined: same
 * size and mtime (one stat: the file is then not even read), or else the same sha256.
 */
/** The spec the build validated and bundled, while the data file is unchanged; else undefined. */
function fromBundle(path: string): HygieneSpec | undefined {
  try {
    const bundle: unknown = JSON.parse(readFileSync(BUNDLE, 'utf8'));
    if (!isRecord(bundle) || bundle['version'] !== 4) return undefined;
    const spec = bundle['spec'] as HygieneSpec;
    const st = statSync(path);
    if (st.size === bundle['size'] && st.mtimeMs === bundle['mtimeMs']) return spec;
    if (bundle['sha256'] === sha256(readFileSync(path))) return spec;
  } catch {
    // No bundle (a source checkout, or a build without the step): parse the YAML.
  }
  return undefined;
}

/** One condition on a parsed YAML/JSON document. `path` is dot-separated; `*` is any key or index; `**` is any leaf. */
export interface DocumentCondition {
  path: string;
  /** The value at the path equals this string. */
  equals?: string;
  /** The value at the path is a non-empty literal string or number (not a `${VAR}`-style reference). */
  nonEmpty?: boolean;
}

/** A content test as written in the data file. */
export type ContentTestSpec =
  | {
      kind: 'assignment';
      description: string;
      /** Characters that separate key and value (default `=`). */
      separators: string[];
      /** RE2 pattern (case-insensitive) the key must match; any key when absent. */
      keys?: string;
    }
  | { kind: 'regex'; description: string; pattern: string }
  | {
      kind: 'document';
      description: string;
      /** A substring the raw text must contain before it is parsed (a cheap prefilter). */
      contains?: string;
      all: DocumentCondition[];
      any: DocumentCondition[];
      /** What an unparsable document means (default `no-match`). */
      onParseError: 'match' | 'no-match';
    };

/** An example of the data file: a path, optional content, and whether the detector found a secret. */
export interface FileExample {
  path: string;
  content?: string;
  secretFound?: boolean;
}

/** One kind of secret-bearing file. */
export interface FileKindSpec {
  id: string;
  name: string;
  names: string[];
  exclude: string[];
  /** Id of a content test; the kind matches only when it passes. */
  content?: string;
  /** `always` (default): by name (and content); `secret-found`: only when the detector found a secret in it. */
  when: 'always' | 'secret-found';
  examples: FileExample[];
  negativeExamples: FileExample[];
}

export interface HygieneSpec {
  version: 1;
  provider: ProviderSpec;
  templates: string[];
  contentTests: Record<string, ContentTestSpec>;
  files: FileKindSpec[];
}

/** A compiled content test. */
export type ContentTest =
  | { kind: 'assignment'; separators: string[]; keys: RegexMatcher | undefined }
  | { kind: 'regex'; pattern: RegexMatcher }
  | { kind: 'document'; contains: string | undefined; all: DocumentCondition[]; any: DocumentCondition[]; onParseError: 'match' | 'no-match' };

const KINDS = ['assignment', 'regex', 'document'] as const;

/**
 * Loads and validates the hygiene data file. Every problem is reported at once in one ConfigError,
 * each prefixed with the file and the entry it is in.
 */
export function loadHygieneSpec(path: string = BUILTIN_HYGIENE_FILE): HygieneSpec {
  // The build validated the bundled spec, its patterns compiled included (scripts/bundle-hygiene.mjs).
  const bundled = path === BUILTIN_HYGIENE_FILE ? fromBundle(path) : undefined;
  if (bundled) return bundled;
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${path}: cannot read hygiene data: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, [], { cause: err });
  }
  const { spec, problems } = validateHygieneSpec(data, path);
  if (!spec || problems.length > 0) {
    throw new ConfigError(`invalid hygiene data (${problems.length} problem${problems.length === 1 ? '' : 's'}):`, problems);
  }
  return spec;
}

let cached: HygieneSpec | undefined;

/** The built-in spec, loaded once. */
export function builtinHygieneSpec(): HygieneSpec {
  cached ??= loadHygieneSpec();
  return cached;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0);
}

/** Validates parsed data; returns the typed spec (when its shape allows) and every problem found. */
export function validateHygieneSpec(data: unknown, where: string): { spec: HygieneSpec | undefined; problems: string[] } {
  const problems: string[] = [];
  const p = (at: string, msg: string): void => {
    problems.push(`${where}: ${at}: ${msg}`);
  };
  if (!isRecord(data)) return { spec: undefined, problems: [`${where}: expected a mapping at the top level`] };
  for (const key of Object.keys(data)) {
    if (!['version', 'provider', 'templates', 'contentTests', 'files'].includes(key)) p(key, 'unknown top-level key');
  }
  if (data['version'] !== 1) p('version', 'must be 1');
  const provider = validateProvider(data['provider'], p);
  const templates = data['templates'] ?? [];
  if (!stringList(templates)) p('templates', 'must be a list of globs');
  const tests: Record<string, ContentTestSpec> = {};
  const rawTests = data['contentTests'] ?? {};
  if (!isRecord(rawTests)) p('contentTests', 'must be a mapping of id to test');
  else {
    for (const [id, raw] of Object.entries(rawTests)) {
      const t = validateTest(raw, (msg) => p(`contentTests.${id}`, msg));
      if (t) tests[id] = t;
    }
  }
  const files: FileKindSpec[] = [];
  const rawFiles = data['files'];
  if (!Array.isArray(rawFiles) || rawFiles.length === 0) p('files', 'must be a non-empty list');
  else {
    const seen = new Set<string>();
    rawFiles.forEach((raw: unknown, i) => {
      const id = isRecord(raw) && typeof raw['id'] === 'string' ? raw['id'] : `#${i + 1}`;
      const at = `files.${id}`;
      if (seen.has(id)) p(at, 'duplicate id');
      seen.add(id);
      const kind = validateFileKind(raw, (msg) => p(at, msg));
      if (!kind) return;
      if (kind.content !== undefined && !(kind.content in tests) && !(isRecord(rawTests) && kind.content in rawTests)) {
        p(at, `content test \`${kind.content}\` is not defined in contentTests`);
      }
      files.push(kind);
    });
  }
  if (!provider || problems.length > 0) return { spec: undefined, problems };
  return { spec: { version: 1, provider, templates: templates as string[], contentTests: tests, files }, problems };
}

function validateProvider(raw: unknown, p: (at: string, msg: string) => void): ProviderSpec | undefined {
  if (!isRecord(raw)) {
    p('provider', 'must be a mapping');
    return undefined;
  }
  const ok = (['id', 'name', 'category'] as const).every((k) => {
    if (typeof raw[k] === 'string' && raw[k] !== '') return true;
    p(`provider.${k}`, 'must be a non-empty string');
    return false;
  });
  const r = raw['remediation'];
  if (!isRecord(r)) {
    p('provider.remediation', 'must be a mapping');
    return undefined;
  }
  const remOk = (['revokeUrl', 'revoke', 'regenerate'] as const).every((k) => {
    if (typeof r[k] === 'string' && r[k] !== '') return true;
    p(`provider.remediation.${k}`, 'must be a non-empty string');
    return false;
  });
  for (const k of ['commands', 'docs'] as const) if (r[k] !== undefined && !stringList(r[k])) p(`provider.remediation.${k}`, 'must be a list of strings');
  for (const k of ['reach', 'auditLog'] as const) if (r[k] !== undefined && typeof r[k] !== 'string') p(`provider.remediation.${k}`, 'must be a string');
  if (!ok || !remOk) return undefined;
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const list = (v: unknown): string[] | undefined => (stringList(v) ? v : undefined);
  const remediation: ProviderSpec['remediation'] = { revokeUrl: str(r['revokeUrl']), revoke: str(r['revoke']), regenerate: str(r['regenerate']) };
  const commands = list(r['commands']);
  const docs = list(r['docs']);
  if (commands) remediation.commands = commands;
  if (docs) remediation.docs = docs;
  if (typeof r['reach'] === 'string') remediation.reach = r['reach'];
  if (typeof r['auditLog'] === 'string') remediation.auditLog = r['auditLog'];
  return { id: str(raw['id']), name: str(raw['name']), category: str(raw['category']), remediation };
}

/** Also checks that patterns compile (RE2), not only that they are strings. */
function validateTest(raw: unknown, p: (msg: string) => void): ContentTestSpec | undefined {
  if (!isRecord(raw)) {
    p('must be a mapping');
    return undefined;
  }
  const kind = raw['kind'];
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    p(`kind must be one of ${KINDS.join(', ')}`);
    return undefined;
  }
  const description = typeof raw['description'] === 'string' ? raw['description'] : '';
  if (description === '') p('description must be a non-empty string');
  const allowed: Record<string, string[]> = {
    assignment: ['kind', 'description', 'separators', 'keys'],
    regex: ['kind', 'description', 'pattern'],
    document: ['kind', 'description', 'contains', 'all', 'any', 'onParseError'],
  };
  for (const k of Object.keys(raw)) if (!allowed[kind]!.includes(k)) p(`unknown key \`${k}\` for kind ${kind}`);
  const checkPattern = (pattern: unknown, name: string): pattern is string => {
    if (typeof pattern !== 'string' || pattern === '') {
      p(`${name} must be a non-empty string`);
      return false;
    }
    try {
      compileRegex(pattern, 'i');
      return true;
    } catch (err) {
      p(`${name} is not a valid RE2 pattern: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  };
  if (kind === 'assignment') {
    const separators = raw['separators'] ?? ['='];
    if (!stringList(separators) || separators.some((s) => s.length !== 1)) p('separators must be a list of single characters');
    const keys = raw['keys'];
    if (keys !== undefined && !checkPattern(keys, 'keys')) return undefined;
    return { kind, description, separators: separators as string[], ...(typeof keys === 'string' ? { keys } : {}) };
  }
  if (kind === 'regex') {
    const pattern = raw['pattern'];
    if (!checkPattern(pattern, 'pattern')) return undefined;
    return { kind, description, pattern };
  }
  const conditions = (name: 'all' | 'any'): DocumentCondition[] => {
    const list = raw[name] ?? [];
    if (!Array.isArray(list)) {
      p(`${name} must be a list of conditions`);
      return [];
    }
    return list.flatMap((c: unknown, i) => {
      if (!isRecord(c) || typeof c['path'] !== 'string' || c['path'] === '') {
        p(`${name}[${i}] must have a non-empty path`);
        return [];
      }
      for (const k of Object.keys(c)) if (!['path', 'equals', 'nonEmpty'].includes(k)) p(`${name}[${i}]: unknown key \`${k}\``);
      const equals = c['equals'];
      const nonEmpty = c['nonEmpty'];
      if (equals !== undefined && typeof equals !== 'string') p(`${name}[${i}].equals must be a string`);
      if (nonEmpty !== undefined && typeof nonEmpty !== 'boolean') p(`${name}[${i}].nonEmpty must be true or false`);
      if (equals === undefined && nonEmpty !== true) p(`${name}[${i}] needs equals or nonEmpty: true`);
      const cond: DocumentCondition = { path: c['path'] };
      if (typeof equals === 'string') cond.equals = equals;
      if (nonEmpty === true) cond.nonEmpty = true;
      return [cond];
    });
  };
  const all = conditions('all');
  const any = conditions('any');
  if (all.length === 0 && any.length === 0) p('a document test needs at least one condition in all or any');
  const contains = raw['contains'];
  if (contains !== undefined && (typeof contains !== 'string' || contains === '')) p('contains must be a non-empty string');
  const onParseError = raw['onParseError'] ?? 'no-match';
  if (onParseError !== 'match' && onParseError !== 'no-match') p('onParseError must be match or no-match');
  return {
    kind: 'document',
    description,
    ...(typeof contains === 'string' ? { contains } : {}),
    all,
    any,
    onParseError: onParseError === 'match' ? 'match' : 'no-match',
  };
}

function validateExamples(raw: unknown, name: string, p: (msg: string) => void): FileExample[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    p(`${name} must be a list`);
    return [];
  }
  return raw.flatMap((e: unknown, i) => {
    if (!isRecord(e) || typeof e['path'] !== 'string' || e['path'] === '') {
      p(`${name}[${i}] must have a non-empty path`);
      return [];
    }
    const ex: FileExample = { path: e['path'] };
    if (e['content'] !== undefined) {
      if (typeof e['content'] === 'string') ex.content = e['content'];
      else p(`${name}[${i}].content must be a string`);
    }
    if (e['secretFound'] !== undefined) {
      if (typeof e['secretFound'] === 'boolean') ex.secretFound = e['secretFound'];
      else p(`${name}[${i}].secretFound must be true or false`);
    }
    for (const k of Object.keys(e)) if (!['path', 'content', 'secretFound'].includes(k)) p(`${name}[${i}]: unknown key \`${k}\``);
    return [ex];
  });
}

function validateFileKind(raw: unknown, p: (msg: string) => void): FileKindSpec | undefined {
  if (!isRecord(raw)) {
    p('must be a mapping');
    return undefined;
  }
  for (const k of Object.keys(raw)) {
    if (!['id', 'name', 'names', 'exclude', 'content', 'when', 'examples', 'negativeExamples'].includes(k)) p(`unknown key \`${k}\``);
  }
  const id = raw['id'];
  const name = raw['name'];
  if (typeof id !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) p('id must be kebab-case');
  if (typeof name !== 'string' || name === '') p('name must be a non-empty string');
  const names = raw['names'];
  if (!stringList(names) || names.length === 0) p('names must be a non-empty list of globs');
  const exclude = raw['exclude'] ?? [];
  if (!stringList(exclude)) p('exclude must be a list of globs');
  const content = raw['content'];
  if (content !== undefined && typeof content !== 'string') p('content must be the id of a content test');
  const when = raw['when'] ?? 'always';
  if (when !== 'always' && when !== 'secret-found') p('when must be always or secret-found');
  const examples = validateExamples(raw['examples'], 'examples', p);
  const negativeExamples = validateExamples(raw['negativeExamples'], 'negativeExamples', p);
  if (examples.length === 0) p('needs at least one example');
  if (typeof id !== 'string' || typeof name !== 'string' || !stringList(names) || !stringList(exclude)) return undefined;
  return {
    id,
    name,
    names,
    exclude,
    ...(typeof content === 'string' ? { content } : {}),
    when: when === 'secret-found' ? 'secret-found' : 'always',
    examples,
    negativeExamples,
  };
}

/** Compiles a content test's patterns. */
export function compileTest(t: ContentTestSpec): ContentTest {
  switch (t.kind) {
    case 'assignment':
      return { kind: 'assignment', separators: t.separators, keys: t.keys === undefined ? undefined : compileRegex(t.keys, 'i') };
    case 'regex':
      return { kind: 'regex', pattern: compileRegex(t.pattern, '') };
    case 'document':
      return { kind: 'document', contains: t.contains, all: t.all, any: t.any, onParseError: t.onParseError };
  }
}
