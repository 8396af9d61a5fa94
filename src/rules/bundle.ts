import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sha256 } from '../sha256.js';
import { offerTrieSnapshot, type TrieSnapshot } from '../detect/keyword-scanner.js';

/**
 * A build-time snapshot of the built-in rule files as parsed data, so that a scan need not load a
 * YAML parser (the pre-commit hook must start fast). `scripts/bundle-rules.mjs` writes it at build
 * time; it is used only while every rule file still has the content recorded here: a file whose
 * size and mtime are those recorded is taken as unchanged (one stat, the usual case after a build);
 * otherwise its sha256 decides (`npm pack` and git checkouts reset mtimes without changing content).
 */
export interface RuleBundle {
  version: 5;
  /** File beside the bundle holding the documentation fields, split out by the build (see attachDocs). */
  docs: string;
  /** Each distinct allowSecrets pattern once: a bundled rule's `allowSecrets` holds indexes into it. */
  shared: string[];
  /** The keyword trie of the built-in rules (a detector over exactly them takes it instead of building one). */
  trie?: TrieSnapshot;
  files: { name: string; sha256: string; size: number; mtimeMs: number; data: unknown }[];
}

/** The split-out documentation: each provider's remediation, each rule's examples, references and description. */
interface RuleDocs {
  providers: Record<string, unknown>;
  rules: Record<string, Record<string, unknown>>;
}

const RULE_DOC_FIELDS = ['examples', 'negativeExamples', 'references', 'description'] as const;

export const BUNDLE_FILE = 'rules-bundle.json';

/** The parsed data of each rule file in `dir` (by file name), or undefined when the bundle is missing or stale. */
export function readBundle(bundlePath: string, dir: string, names: string[]): Map<string, unknown> | undefined {
  let bundle: RuleBundle;
  try {
    bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as RuleBundle;
  } catch {
    return undefined;
  }
  if (bundle.version !== 5 || bundle.files.length !== names.length) return undefined;
  const docsPath = join(dirname(bundlePath), bundle.docs);
  if (!existsSync(docsPath)) return undefined;
  const out = new Map<string, unknown>();
  const wanted = new Set(names);
  const base = join(dir, '/');
  for (const entry of bundle.files) {
    if (!wanted.has(entry.name)) return undefined;
    try {
      const path = base + entry.name;
      const st = statSync(path);
      const unchanged = st.size === entry.size && st.mtimeMs === entry.mtimeMs;
      if (!unchanged && sha256(readFileSync(path)) !== entry.sha256) return undefined;
    } catch {
      return undefined;
    }
    out.set(entry.name, entry.data);
  }
  resolveShared(bundle);
  attachDocs(bundle.files, docsPath);
  if (bundle.trie) offerTrieSnapshot(bundle.trie);
  return out;
}

/** Replaces each bundled rule's allowSecrets indexes with the patterns of `bundle.shared`. */
function resolveShared(bundle: RuleBundle): void {
  for (const { data } of bundle.files) {
    for (const rule of (data as { rules: { allowSecrets?: (number | string)[] }[] }).rules) {
      if (rule.allowSecrets) rule.allowSecrets = rule.allowSecrets.map((i) => (typeof i === 'number' ? bundle.shared[i]! : i));
    }
  }
}

/**
 * Puts the documentation fields back on the bundled data as properties read from `docsPath` on
 * first access, so that they cost nothing to scans that never report (or check) anything. They
 * are getters on a shared prototype (one per kind of object), not own properties: setting 591
 * prototypes takes a sixth of the time of defining 2,000 own getters.
 */
function attachDocs(files: RuleBundle['files'], docsPath: string): void {
  let docs: RuleDocs | undefined;
  const load = (): RuleDocs => (docs ??= JSON.parse(readFileSync(docsPath, 'utf8')) as RuleDocs);
  const ruleDocs = {};
  for (const field of RULE_DOC_FIELDS) {
    Object.defineProperty(ruleDocs, field, {
      get(this: { id: string }) {
        return load().rules[this.id]?.[field];
      },
    });
  }
  const providerDocs = {};
  Object.defineProperty(providerDocs, 'remediation', {
    get(this: { id: string }) {
      return load().providers[this.id];
    },
  });
  for (const { data } of files) {
    const file = data as { provider: object; rules: object[] };
    Object.setPrototypeOf(file.provider, providerDocs);
    for (const rule of file.rules) Object.setPrototypeOf(rule, ruleDocs);
  }
}
