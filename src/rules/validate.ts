import type { PartnerSpec, PlaceholderLevel, ProviderSpec, Remediation, RuleFile, RuleSpec, Severity } from '../types.js';
import { VALIDATORS } from './validators.js';

/**
 * Checks the shape of a parsed rule file and returns it typed, plus every problem found. Pure: no
 * I/O and no regex compilation (the loader does that). Each problem is prefixed with `where`
 * (the file) and, for a rule, its id.
 */
export function validateRuleFile(data: unknown, where: string): { file: RuleFile | undefined; problems: string[] } {
  const problems: string[] = [];
  const fail = (msg: string): void => {
    problems.push(`${where}: ${msg}`);
  };
  if (!isRecord(data)) {
    fail('expected a mapping with `provider` and `rules`');
    return { file: undefined, problems };
  }
  const provider = validateProvider(data['provider'], (m) => fail(`provider: ${m}`));
  const rulesRaw = data['rules'];
  const rules: RuleSpec[] = [];
  if (!Array.isArray(rulesRaw) || rulesRaw.length === 0) {
    fail('`rules` must be a non-empty list');
  } else {
    rulesRaw.forEach((raw: unknown, i) => {
      const id = isRecord(raw) && typeof raw['id'] === 'string' ? raw['id'] : `#${i + 1}`;
      const rule = validateRule(raw, (m) => fail(`rule ${id}: ${m}`));
      if (rule) rules.push(rule);
    });
  }
  for (const key of Object.keys(data)) {
    if (key !== 'provider' && key !== 'rules') fail(`unknown key \`${key}\``);
  }
  if (!provider || problems.length > 0) return { file: undefined, problems };
  return { file: { provider, rules }, problems };
}

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
const RULE_KEYS = new Set([
  'id', 'name', 'pattern', 'keywords', 'minEntropy', 'severity', 'validate', 'allowSecrets',
  'placeholders', 'partner', 'scope', 'references', 'examples', 'negativeExamples', 'description', 'caseSensitiveKeywords',
  'requiredKeywords',
]);
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function validateProvider(raw: unknown, fail: (m: string) => void): ProviderSpec | undefined {
  if (!isRecord(raw)) {
    fail('missing or not a mapping');
    return undefined;
  }
  const id = str(raw, 'id', fail);
  if (id !== undefined && !ID.test(id)) fail(`id \`${id}\` must be kebab-case`);
  const name = str(raw, 'name', fail);
  const category = str(raw, 'category', fail);
  const remediation = validateRemediation(raw['remediation'], (m) => fail(`remediation: ${m}`));
  if (id === undefined || name === undefined || category === undefined || !remediation) return undefined;
  return { id, name, category, remediation };
}

function validateRemediation(raw: unknown, fail: (m: string) => void): Remediation | undefined {
  if (!isRecord(raw)) {
    fail('missing or not a mapping');
    return undefined;
  }
  const revokeUrl = str(raw, 'revokeUrl', fail);
  if (revokeUrl !== undefined && !/^https:\/\//.test(revokeUrl)) fail('`revokeUrl` must be an https URL');
  const revoke = str(raw, 'revoke', fail);
  const regenerate = str(raw, 'regenerate', fail);
  const commands = optStrList(raw, 'commands', fail);
  const reach = optStr(raw, 'reach', fail);
  const auditLog = optStr(raw, 'auditLog', fail);
  const docs = optStrList(raw, 'docs', fail);
  if (revokeUrl === undefined || revoke === undefined || regenerate === undefined) return undefined;
  return dropUndefined({ revokeUrl, revoke, regenerate, commands, reach, auditLog, docs });
}

function validateRule(raw: unknown, fail: (m: string) => void): RuleSpec | undefined {
  if (!isRecord(raw)) {
    fail('not a mapping');
    return undefined;
  }
  for (const key of Object.keys(raw)) if (!RULE_KEYS.has(key)) fail(`unknown key \`${key}\``);
  const id = str(raw, 'id', fail);
  if (id !== undefined && !ID.test(id)) fail(`id must be kebab-case`);
  const name = str(raw, 'name', fail);
  const pattern = str(raw, 'pattern', fail);
  const keywords = strList(raw, 'keywords', fail, 0);
  const caseSensitiveKeywords = raw['caseSensitiveKeywords'];
  if (caseSensitiveKeywords !== undefined && typeof caseSensitiveKeywords !== 'boolean') fail('`caseSensitiveKeywords` must be true or false');
  const requiredKeywords = optStrList(raw, 'requiredKeywords', fail);
  for (const [field, list] of [['keywords', keywords], ['requiredKeywords', requiredKeywords]] as const) {
    if (caseSensitiveKeywords === true) {
      if (list?.some((k) => k.length === 0)) fail(`\`${field}\` must be non-empty strings`);
    } else if (list?.some((k) => k !== k.toLowerCase() || k.length === 0)) {
      fail(`\`${field}\` must be non-empty lower-case strings (or set \`caseSensitiveKeywords: true\`)`);
    }
    // The detector places keyword hits on lines by the newlines before them (src/detect/detector.ts).
    if (list?.some((k) => /[\r\n]/.test(k))) fail(`\`${field}\` must not hold a line break`);
  }
  if (requiredKeywords !== undefined && keywords?.length === 0) fail('`requiredKeywords` needs `keywords` (a rule without keywords runs on every input)');
  const references = strList(raw, 'references', fail, 1);
  const examples = strList(raw, 'examples', fail, 1);
  const negativeExamples = strList(raw, 'negativeExamples', fail, 1);
  const minEntropy = raw['minEntropy'];
  if (minEntropy !== undefined && (typeof minEntropy !== 'number' || minEntropy < 0 || minEntropy > 8)) {
    fail('`minEntropy` must be a number from 0 to 8');
  }
  const severity = raw['severity'];
  if (severity !== undefined && !SEVERITIES.includes(severity as Severity)) fail(`\`severity\` must be one of ${SEVERITIES.join(', ')}`);
  const validate = optStr(raw, 'validate', fail);
  if (validate !== undefined && !(validate in VALIDATORS)) fail(`unknown validator \`${validate}\` (known: ${Object.keys(VALIDATORS).join(', ')})`);
  const allowSecrets = optStrList(raw, 'allowSecrets', fail);
  const placeholders = raw['placeholders'];
  if (placeholders !== undefined && placeholders !== 'basic' && placeholders !== 'strict') fail('`placeholders` must be `basic` or `strict`');
  const description = optStr(raw, 'description', fail);
  const partner = validatePartner(raw['partner'], (m) => fail(`partner: ${m}`));
  const scope = raw['scope'];
  if (scope !== undefined && scope !== 'window' && scope !== 'file' && scope !== 'line') fail('`scope` must be `line`, `window` or `file`');
  if (id === undefined || name === undefined || pattern === undefined || !keywords || !references || !examples || !negativeExamples) {
    return undefined;
  }
  return dropUndefined({
    id, name, pattern, keywords, references, examples, negativeExamples, description, validate, allowSecrets, partner,
    caseSensitiveKeywords: caseSensitiveKeywords === true ? true : undefined,
    requiredKeywords,
    minEntropy: typeof minEntropy === 'number' ? minEntropy : undefined,
    severity: SEVERITIES.includes(severity as Severity) ? (severity as Severity) : undefined,
    placeholders: placeholders === 'basic' || placeholders === 'strict' ? (placeholders as PlaceholderLevel) : undefined,
    scope: scope === 'window' || scope === 'file' || scope === 'line' ? (scope as 'window' | 'file' | 'line') : undefined,
  });
}

function validatePartner(raw: unknown, fail: (m: string) => void): PartnerSpec | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) {
    fail('must be a mapping with name, pattern and withinLines');
    return undefined;
  }
  const name = str(raw, 'name', fail);
  const pattern = str(raw, 'pattern', fail);
  const within = raw['withinLines'];
  if (typeof within !== 'number' || !Number.isInteger(within) || within < 0 || within > 50) fail('`withinLines` must be a whole number from 0 to 50');
  const required = raw['required'];
  if (required !== undefined && typeof required !== 'boolean') fail('`required` must be true or false');
  if (name === undefined || pattern === undefined || typeof within !== 'number') return undefined;
  return { name, pattern, withinLines: within, ...(required === true ? { required: true } : {}) };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(raw: Record<string, unknown>, key: string, fail: (m: string) => void): string | undefined {
  const v = raw[key];
  if (typeof v !== 'string' || v.length === 0) {
    fail(`\`${key}\` is required and must be a non-empty string`);
    return undefined;
  }
  return v;
}

function optStr(raw: Record<string, unknown>, key: string, fail: (m: string) => void): string | undefined {
  return raw[key] === undefined ? undefined : str(raw, key, fail);
}

function strList(raw: Record<string, unknown>, key: string, fail: (m: string) => void, min: number): string[] | undefined {
  const v = raw[key];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    fail(`\`${key}\` must be a list of strings`);
    return undefined;
  }
  if (v.length < min) {
    fail(`\`${key}\` needs at least ${min} item${min === 1 ? '' : 's'}`);
    return undefined;
  }
  return v as string[];
}

function optStrList(raw: Record<string, unknown>, key: string, fail: (m: string) => void): string[] | undefined {
  return raw[key] === undefined ? undefined : strList(raw, key, fail, 0);
}

/** Removes keys whose value is undefined (exactOptionalPropertyTypes-friendly). */
function dropUndefined<T extends object>(obj: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
