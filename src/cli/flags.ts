import type { Options } from 'yargs';

/** Every flag of `leakhound scan`, declared once: used by yargs and by the README's flag table. */
export const SCAN_FLAGS = {
  format: { type: 'string', choices: ['text', 'json', 'sarif'], default: 'text', describe: 'Report format' },
  output: { type: 'string', alias: 'o', describe: 'Write the report to this file instead of stdout' },
  'show-secrets': { type: 'boolean', default: false, describe: 'Print secrets in clear (masked by default in every format)' },
  'max-file-size': { type: 'string', describe: 'Skip files larger than this (bytes, or with k/m/g suffix; default 10m)' },
  config: { type: 'string', describe: 'Config file (default: .leakhound.yml in the scanned path or above)' },
  rules: { type: 'string', array: true, describe: 'Extra rule directory (repeatable)' },
  color: { type: 'boolean', default: true, describe: 'Colour the text report when stdout is a terminal (--no-color turns it off; so does NO_COLOR)' },
  stdin: { type: 'boolean', default: false, describe: 'Scan standard input instead of files (path is then only the name used in the report)' },
  quiet: { type: 'boolean', alias: 'q', default: false, describe: 'No summary line on stderr' },
} as const satisfies Record<string, Options>;

/** Parses a size such as `500k`, `10m`, `1g` or a plain byte count. Returns undefined when malformed. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)b?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.floor(Number(m[1]) * unit);
}
