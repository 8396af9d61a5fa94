import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import type { CompiledRule, RuleFile } from '../types.js';
import { compileRule, errorText } from './compile.js';
import { BUNDLE_FILE, readBundle } from './bundle.js';
import { validateRuleFile } from './validate.js';

/** Options of the `yaml` package's parse that leakhound uses. */
export interface YamlParseOptions {
  logLevel?: 'silent' | 'error' | 'warn';
  uniqueKeys?: boolean;
  strict?: boolean;
}

/**
 * The YAML parser, loaded on first use only (about 40 ms of start-up that a scan of bundled rules
 * never needs). Warnings are not printed unless asked.
 */
export function parseYaml(text: string, options: YamlParseOptions = {}): unknown {
  const yaml = createRequire(import.meta.url)('yaml') as { parse(text: string, options: YamlParseOptions): unknown };
  return yaml.parse(text, { logLevel: 'error', ...options });
}

/** Where the build writes the bundle of built-in rules (`dist/rules-bundle.json`). */
const BUNDLE_PATH = fileURLToPath(new URL(`../${BUNDLE_FILE}`, import.meta.url));

/** The rules shipped with leakhound (`<package>/rules`). */
export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

/** A loaded rule set: compiled rules plus the parsed files they came from. */
export interface RuleSet {
  rules: CompiledRule[];
  files: { path: string; file: RuleFile }[];
}

/** Rule files in a directory: `*.yml` / `*.yaml` directly inside it, sorted by name. */
export function ruleFilesIn(dir: string): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new ConfigError(`rules path is not a directory: ${dir}`);
    names = readdirSync(dir);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`cannot read rules directory ${dir}: ${errorText(err)}`, [], { cause: err });
  }
  // Concatenated, not path.join'ed: joining 175 names measurably slowed start-up.
  const base = join(dir, '/');
  return names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => base + n);
}

/**
 * Loads, validates and compiles rule files. Every problem in every file is collected and thrown
 * at once as one ConfigError, each line prefixed with the file and the rule id.
 */
/** Loads the rule set a scan uses: built-in rules unless `noBuiltinRules`, then `rulesDirs`, less `disabledRules`; or `ruleSet` as given, less those. */
export function rulesFor(options: { rulesDirs?: string[]; noBuiltinRules?: boolean; disabledRules?: string[]; ruleSet?: RuleSet }): RuleSet {
  const set = options.ruleSet ?? loadRules([...(options.noBuiltinRules ? [] : [BUILTIN_RULES_DIR]), ...(options.rulesDirs ?? [])]);
  const disabled = new Set(options.disabledRules ?? []);
  return disabled.size === 0 ? set : { ...set, rules: set.rules.filter((r) => !disabled.has(r.id)) };
}

export function loadRules(dirs: string[] = [BUILTIN_RULES_DIR]): RuleSet {
  const problems: string[] = [];
  const rules: CompiledRule[] = [];
  const files: RuleSet['files'] = [];
  /** Where each rule id and provider id was first defined (a rule file's path). */
  const seenIds = new Map<string, string>();
  const seenProviders = new Map<string, string>();
  for (const dir of dirs) {
    const paths = ruleFilesIn(dir);
    const bundled = dir === BUILTIN_RULES_DIR ? readBundle(BUNDLE_PATH, dir, paths.map((p) => basename(p))) : undefined;
    for (const path of paths) {
      // Worked out only for messages (path.relative for each of 175 files is a measurable part of start-up).
      const where = (): string => displayPath(path);
      const trusted = bundled?.get(basename(path)) as RuleFile | undefined;
      let data: unknown = trusted;
      if (data === undefined) {
        try {
          data = parseYaml(readFileSync(path, 'utf8'));
        } catch (err) {
          problems.push(`${where()}: not valid YAML: ${errorText(err).split('\n')[0]}`);
          continue;
        }
      }
      // Bundled data was validated when the bundle was built (scripts/bundle-rules.mjs).
      const { file, problems: found } = trusted ? { file: trusted, problems: [] } : validateRuleFile(data, where());
      problems.push(...found);
      if (!file) continue;
      const expectedId = basename(path).replace(/\.ya?ml$/, '');
      if (file.provider.id !== expectedId) problems.push(`${where()}: provider id \`${file.provider.id}\` must equal the file name \`${expectedId}\``);
      const otherProvider = seenProviders.get(file.provider.id);
      if (otherProvider) problems.push(`${where()}: provider \`${file.provider.id}\` is already defined in ${displayPath(otherProvider)}`);
      seenProviders.set(file.provider.id, path);
      files.push({ path, file });
      for (const spec of file.rules) {
        const other = seenIds.get(spec.id);
        if (other) problems.push(`${where()}: rule ${spec.id}: id is already used in ${displayPath(other)}`);
        seenIds.set(spec.id, path);
        try {
          // Built-in rules from the build's bundle were checked at build time: compile them lazily.
          rules.push(compileRule(spec, file.provider, path, { lazy: bundled !== undefined }));
        } catch (err) {
          problems.push(`${where()}: rule ${spec.id}: ${errorText(err)}`);
        }
      }
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`invalid rules (${problems.length} problem${problems.length === 1 ? '' : 's'}):`, problems);
  }
  return { rules, files };
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}
