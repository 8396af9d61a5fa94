import { SCAN_FLAGS } from './flags.js';
import type { RawScanFlags } from './scan-command.js';

type FlagSpec = (typeof SCAN_FLAGS)[keyof typeof SCAN_FLAGS];

/**
 * Parses the common, plain forms of `leakhound scan …` from the SCAN_FLAGS data without loading
 * yargs (about 60 ms of start-up: the pre-commit hook must feel instant). Returns undefined for
 * anything it does not handle exactly as yargs would (help, version, repeatable or unknown flags,
 * a bad value, more than one path, `--`), so that yargs parses it and reports errors and help.
 */
export function parseFastScan(argv: readonly string[]): RawScanFlags | undefined {
  if (argv[0] !== 'scan') return undefined;
  const byName = new Map<string, [string, FlagSpec]>();
  for (const [name, spec] of Object.entries(SCAN_FLAGS) as [string, FlagSpec][]) {
    byName.set(name, [name, spec]);
    if ('alias' in spec) byName.set(spec.alias, [name, spec]);
  }
  const values: Record<string, string | boolean | undefined> = {};
  let path: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      if (path !== undefined) return undefined;
      path = arg;
      continue;
    }
    if (arg === '--') return undefined;
    const long = arg.startsWith('--');
    const body = arg.slice(long ? 2 : 1);
    const eq = body.indexOf('=');
    let key = eq >= 0 ? body.slice(0, eq) : body;
    let negated = false;
    if (long && !byName.has(key) && key.startsWith('no-') && byName.get(key.slice(3))?.[1].type === 'boolean') {
      key = key.slice(3);
      negated = true;
    }
    if (!long && key.length !== 1) return undefined; // bundled short flags: leave to yargs
    const entry = byName.get(key);
    if (!entry) return undefined;
    const [name, spec] = entry;
    if (name in values) return undefined; // repeated: yargs semantics (arrays) apply
    if ('array' in spec) return undefined;
    if (spec.type === 'boolean') {
      if (eq >= 0) return undefined;
      const next = argv[i + 1];
      if (next === 'true' || next === 'false') return undefined;
      values[name] = !negated;
      continue;
    }
    if (negated) return undefined;
    const value = eq >= 0 ? body.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('-') && value !== '-')) return undefined;
    if ('choices' in spec && !(spec.choices as readonly string[]).includes(value)) return undefined;
    values[name] = value;
  }
  const flag = <T extends string | boolean>(name: keyof typeof SCAN_FLAGS): T | undefined => {
    const v = values[name];
    if (v !== undefined) return v as T;
    const spec: FlagSpec = SCAN_FLAGS[name];
    return 'default' in spec ? (spec.default as T) : undefined;
  };
  return {
    path: path ?? '.',
    format: flag<string>('format')!,
    output: flag<string>('output'),
    'show-secrets': flag<boolean>('show-secrets')!,
    'max-file-size': flag<string>('max-file-size'),
    threads: flag<string>('threads'),
    config: flag<string>('config'),
    rules: undefined,
    color: flag<boolean>('color')!,
    stdin: flag<boolean>('stdin')!,
    quiet: flag<boolean>('quiet')!,
    hygiene: flag<boolean>('hygiene')!,
    staged: flag<boolean>('staged')!,
    history: flag<boolean>('history')!,
    range: flag<string>('range'),
    branch: flag<string>('branch'),
    'since-commit': flag<string>('since-commit'),
    progress: flag<boolean>('progress')!,
    baseline: flag<string>('baseline'),
    'allow-comments': flag<string>('allow-comments'),
  };
}
