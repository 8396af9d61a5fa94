import type { Options } from 'yargs';

/** Every flag of `leakhound scan`, declared once: used by yargs and by the README's flag table. */
export const SCAN_FLAGS = {
  format: { type: 'string', choices: ['text', 'json', 'sarif', 'github', 'html'], default: 'text', describe: 'Report format: github = workflow-command annotations, html = one self-contained page' },
  output: { type: 'string', alias: 'o', describe: 'Write the report to this file instead of stdout' },
  'show-secrets': { type: 'boolean', default: false, describe: 'Print secrets in clear (masked by default in every format)' },
  'max-file-size': { type: 'string', describe: 'Skip files larger than this (bytes, or with k/m/g suffix; default 10m)' },
  threads: { type: 'string', describe: 'Threads for working-tree scans of 8 MiB or more, main thread included (default: the cores, at most 8; 1 = none)' },
  config: { type: 'string', describe: 'Config file (default: .leakhound.yml in the scanned path or above)' },
  rules: { type: 'string', array: true, describe: 'Extra rule directory (repeatable)' },
  color: { type: 'boolean', default: true, describe: 'Colour the text report when stdout is a terminal (--no-color turns it off; so does NO_COLOR)' },
  stdin: { type: 'boolean', default: false, describe: 'Scan standard input instead of files (path is then only the name used in the report)' },
  quiet: { type: 'boolean', alias: 'q', default: false, describe: 'No summary line on stderr' },
  hygiene: { type: 'boolean', default: true, describe: 'Check that config files holding secrets (.env, keys, credentials) are git-ignored and untracked (--no-hygiene turns it off)' },
  staged: { type: 'boolean', default: false, describe: 'Pre-commit mode: scan only the lines the staged changes add (the index, not the working files)' },
  history: { type: 'boolean', default: false, describe: 'Scan the lines every commit added (all refs unless --range/--branch/--since-commit); one finding per leak, with the commit that introduced it' },
  range: { type: 'string', describe: 'History: only commits in A..B (B defaults to HEAD), e.g. origin/main..HEAD in CI' },
  branch: { type: 'string', describe: 'History: only commits reachable from this ref' },
  'since-commit': { type: 'string', describe: 'History: only commits after this one, up to HEAD (or up to --branch)' },
  baseline: { type: 'string', describe: 'Hide the findings recorded in this baseline file (see `leakhound baseline create`)' },
  'allow-comments': { type: 'string', choices: ['honour', 'require-reason', 'ignore'], describe: 'What inline leakhound:allow comments may do (default: honour, or the config\'s allowComments); ignore suits CI audits' },
  progress: { type: 'boolean', default: true, describe: 'History: a progress line on stderr when it is a terminal and not CI (--no-progress turns it off)' },
} as const satisfies Record<string, Options>;

/** Parses a size such as `500k`, `10m`, `1g` or a plain byte count. Returns undefined when malformed. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)b?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.floor(Number(m[1]) * unit);
}

/** Flags of `leakhound check-ignore` and `leakhound fix-ignore` (the config-file hygiene commands). */
export const HYGIENE_FLAGS = {
  config: SCAN_FLAGS.config,
  rules: SCAN_FLAGS.rules,
  quiet: { type: 'boolean', alias: 'q', default: false, describe: 'No warnings or summary on stderr' },
} as const satisfies Record<string, Options>;

export const CHECK_IGNORE_FLAGS = {
  ...HYGIENE_FLAGS,
  format: SCAN_FLAGS.format,
  output: SCAN_FLAGS.output,
} as const satisfies Record<string, Options>;

export const FIX_IGNORE_FLAGS = {
  ...HYGIENE_FLAGS,
  'dry-run': { type: 'boolean', default: false, describe: 'Print what would be appended to .gitignore without writing' },
} as const satisfies Record<string, Options>;
