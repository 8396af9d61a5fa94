import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AllowPolicy } from './detect/detector.js';
import { ConfigError } from './errors.js';
import { errorText } from './rules/compile.js';
import { parseYaml } from './rules/load.js';
import { isRecord } from './rules/validate.js';

/** `.leakhound.yml`, as validated. Every field is optional. */
export interface Config {
  /** Absolute path of the file it came from. */
  path: string;
  /** Rule ids to turn off. */
  disableRules: string[];
  /** Extra rule directories (absolute). */
  ruleDirs: string[];
  /** Use only `ruleDirs`, not the built-in rules. */
  replaceBuiltinRules: boolean;
  /** gitignore-style patterns of paths whose findings are dropped. */
  allowPaths: string[];
  /** Secrets never reported: exact strings, or RE2 patterns written as `/…/`. */
  allowSecrets: string[];
  maxFileSize: number | undefined;
  /** Words that mark a value as not a secret (case-insensitive substrings of the secret). */
  stopwords: string[];
  /** Policy for inline allow comments: honour (default), require-reason, ignore. */
  allowComments: AllowPolicy | undefined;
  /** Baseline file (absolute) whose findings are hidden. */
  baseline: string | undefined;
}

export const CONFIG_FILE_NAMES = ['.leakhound.yml', '.leakhound.yaml'];

/** Finds `.leakhound.yml` in `start` or the nearest directory above it. */
export function findConfig(start: string): string | undefined {
  let cur = resolve(start);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const p = join(cur, name);
      if (existsSync(p)) return p;
    }
    const up = dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
}

const KEYS = new Set(['rules', 'allowPaths', 'allowSecrets', 'stopwords', 'maxFileSize', 'allowComments', 'baseline', '$schema']);
const POLICIES: readonly AllowPolicy[] = ['honour', 'require-reason', 'ignore'];

/** Loads and validates a config file, reporting every problem at once. */
export function loadConfig(path: string): Config {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read config ${path}: ${errorText(err).split('\n')[0]}`, [], { cause: err });
  }
  const problems: string[] = [];
  const config: Config = { path, disableRules: [], ruleDirs: [], replaceBuiltinRules: false, allowPaths: [], allowSecrets: [], maxFileSize: undefined, stopwords: [], allowComments: undefined, baseline: undefined };
  if (data === null || data === undefined) return config;
  if (!isRecord(data)) throw new ConfigError(`${path}: expected a mapping`);
  for (const k of Object.keys(data)) if (!KEYS.has(k)) problems.push(`${path}: unknown key \`${k}\` (known: ${[...KEYS].join(', ')})`);
  const strings = (v: unknown, name: string): string[] => {
    if (v === undefined) return [];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    problems.push(`${path}: \`${name}\` must be a list of strings`);
    return [];
  };
  const rules = data['rules'];
  if (rules !== undefined) {
    if (!isRecord(rules)) problems.push(`${path}: \`rules\` must be a mapping`);
    else {
      for (const k of Object.keys(rules)) if (!['disable', 'dirs', 'replaceBuiltin'].includes(k)) problems.push(`${path}: unknown key \`rules.${k}\``);
      config.disableRules = strings(rules['disable'], 'rules.disable');
      config.ruleDirs = strings(rules['dirs'], 'rules.dirs').map((d) => resolve(dirname(path), d));
      const rep = rules['replaceBuiltin'];
      if (rep !== undefined && typeof rep !== 'boolean') problems.push(`${path}: \`rules.replaceBuiltin\` must be true or false`);
      config.replaceBuiltinRules = rep === true;
    }
  }
  config.allowPaths = strings(data['allowPaths'], 'allowPaths');
  config.allowSecrets = strings(data['allowSecrets'], 'allowSecrets');
  config.stopwords = strings(data['stopwords'], 'stopwords');
  const policy = data['allowComments'];
  if (policy !== undefined) {
    if (!POLICIES.includes(policy as AllowPolicy)) problems.push(`${path}: \`allowComments\` must be one of ${POLICIES.join(', ')}`);
    else config.allowComments = policy as AllowPolicy;
  }
  const baseline = data['baseline'];
  if (baseline !== undefined) {
    if (typeof baseline !== 'string' || baseline === '') problems.push(`${path}: \`baseline\` must be a file path`);
    else config.baseline = resolve(dirname(path), baseline);
  }
  const max = data['maxFileSize'];
  if (max !== undefined) {
    if (typeof max !== 'number' || !Number.isInteger(max) || max <= 0) problems.push(`${path}: \`maxFileSize\` must be a positive whole number of bytes`);
    else config.maxFileSize = max;
  }
  if (problems.length > 0) throw new ConfigError(`invalid config (${problems.length} problem${problems.length === 1 ? '' : 's'}):`, problems);
  return config;
}
